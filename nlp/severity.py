"""Severity of a warning: cue words, head counts and urgency.

The cue words, urgency words and head-count thresholds live in the
``[severity]`` section of the lexicon so a district can tune them. The level
is the highest of: the level of any cue word found, and the level reached by
the largest head count written in the text (三十多名, 百余户, 上百名, 50多人).
Urgency words (明天, 正在, 现场 ...) raise a level of at least
``urgency_bump_from`` by one step, never above ``urgency_bump_max``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from nlp.lexicon import SEVERITY_LEVELS, Lexicon, SeverityConfig, default_lexicon

__all__ = ["LEVELS", "Severity", "assess_severity", "assess_tokens", "parse_head_count"]

LEVELS = SEVERITY_LEVELS
"""Severity levels, lowest first."""


@dataclass(frozen=True, slots=True)
class Severity:
    """A severity assessment.

    Attributes:
        level: ``low``, ``medium``, ``high`` or ``critical``.
        cues: The cue and urgency words found, in text order of discovery.
        head_count: The largest number of people mentioned, if any.
        urgent: True if an urgency word was found.
    """

    level: str
    cues: tuple[str, ...]
    head_count: int | None
    urgent: bool

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        return {
            "level": self.level,
            "cues": list(self.cues),
            "head_count": self.head_count,
            "urgent": self.urgent,
        }


_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

_HEAD_RE = re.compile(
    r"(?P<pre>上|(?<![附最接将靠])近|数|几|好几|成)?"
    r"(?P<num>\d+|[零〇一二两三四五六七八九十百千万]+)"
    r"(?P<mod>多|余|来|几)?"
    r"(?:名|位|户|人|个人|多人|家|个(?=村民|居民|工人|业主|家长|学生|农民工|员工|群众|老人))"
)


def _chinese_number(text: str) -> int:
    """Parse 三十, 二十五, 一百二十, 百, 两千 ... into an int."""
    if text.isdigit():
        return int(text)
    total = 0
    section = 0
    digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section = 0
            else:
                section += (digit or 1) * unit
            digit = 0
    return total + section + digit


def parse_head_count(text: str) -> int | None:
    """Return the largest number of people mentioned in a text.

    ``三十多名`` → 30, ``百余户`` → 100, ``上百名`` → 100, ``50多人`` → 50,
    ``数十人`` → 30, ``十几个人`` → 15, ``近百人`` → 90. Households count as
    one person each.

    Args:
        text: Normalised text.

    Returns:
        The largest count, or ``None`` when no head count is written.
    """
    best: int | None = None
    for m in _HEAD_RE.finditer(text):
        value = _chinese_number(m.group("num"))
        pre = m.group("pre")
        if pre in ("数", "几", "好几") and value in (10, 100, 1000, 10000):
            value *= 3
        elif pre == "近":
            value = value * 9 // 10
        if m.group("mod") == "几" and value in (10, 100, 1000):
            value += value // 2
        if value <= 0:
            continue
        if best is None or value > best:
            best = value
    return best


_NEGATIONS = ("无", "未", "没", "不", "非")
_LONG_NEGATIONS = ("暂未", "暂无", "尚未", "并未", "未发生", "没发生", "没有")
_CLAUSE_ENDS = "，。；！？、,.;!? \n"
_CONSEQUENCES = ("就", "只能", "只好", "只得", "才")


def _clause_before(text: str, start: int, width: int = 8) -> str:
    """Up to ``width`` characters before ``start``, within the same clause."""
    clause = text[max(0, start - width) : start]
    for end in _CLAUSE_ENDS:
        clause = clause.rpartition(end)[2]
    return clause


def _clause_after(text: str, start: int, width: int = 12) -> str:
    """Up to ``width`` characters from ``start``, within the same clause."""
    clause = text[start : start + width]
    for end in _CLAUSE_ENDS:
        clause = clause.partition(end)[0]
    return clause


def _negated(text: str, word: str) -> bool:
    """True if every occurrence of ``word`` follows a negation.

    A negation character just before the cue (暂无冲突, 未聚集), or a longer
    negation earlier in the same clause (暂未发生肢体冲突, 没有组织聚集的打算)
    unless a consequence follows it (不给钱就堵路, 没有办法只好聚集: a threat or
    a cause, not a denial).
    """
    start = text.find(word)
    while start >= 0:
        before = text[max(0, start - 3) : start]
        clause = _clause_before(text, start)
        long_negation = any(
            neg in clause and not any(c in clause.partition(neg)[2] for c in _CONSEQUENCES)
            for neg in _LONG_NEGATIONS
        )
        if not long_negation and not any(neg in before for neg in _NEGATIONS):
            return False
        start = text.find(word, start + 1)
    return True


def _planned(text: str, word: str, config: SeverityConfig) -> bool:
    """True if every occurrence of an urgency word only introduces a plan.

    正在商量下周去区里 is a plan being made, not an event under way: a
    planning word (``[severity] planning``) later in the same clause takes
    the urgency away.
    """
    if not config.planning:
        return False
    start = text.find(word)
    while start >= 0:
        clause = _clause_after(text, start + len(word))
        if not any(p in clause for p in config.planning):
            return False
        start = text.find(word, start + 1)
    return True


def assess_tokens(
    text: str, words: Mapping[str, float] | set[str], config: SeverityConfig
) -> Severity:
    """Assess severity from normalised text and its words.

    Args:
        text: Normalised text (head counts are read from it).
        words: The distinct words of the text.
        config: Cue configuration from the lexicon.

    Returns:
        The severity.
    """
    rank = {level: i for i, level in enumerate(LEVELS)}
    level_i = 0
    cues: list[str] = []
    urgent = False
    cue_map = config.cues
    for word in cue_map.keys() & words:
        if _negated(text, word):
            continue
        cues.append(word)
        level_i = max(level_i, rank[cue_map[word]])
    found_urgency = {w for w in config.urgency.intersection(words) if not _planned(text, w, config)}
    if found_urgency:
        urgent = True
        cues.extend(found_urgency)
    heads = parse_head_count(text)
    if heads is not None:
        for threshold, lvl in config.headcount:
            if heads >= threshold:
                level_i = max(level_i, rank[lvl])
                break
    if urgent and level_i >= rank[config.urgency_bump_from]:
        level_i = max(level_i, min(level_i + 1, rank[config.urgency_bump_max]))
    cues.sort(key=lambda w: (-rank.get(cue_map.get(w, "low"), 0), w))
    return Severity(LEVELS[level_i], tuple(cues), heads, urgent)


def assess_severity(text: str, lexicon: Lexicon | None = None) -> Severity:
    """Assess the severity of a warning or message.

    Args:
        text: Raw text (simplified or traditional).
        lexicon: Lexicon with the ``[severity]`` section; ``None`` for the
            packaged one.

    Returns:
        The severity (``low`` for an empty text).
    """
    from nlp.classify import message_features, prepare_text

    lex = lexicon if lexicon is not None else default_lexicon()
    norm, _ = prepare_text(text, lex.settings.max_chars)
    from nlp.classify import _compiled

    _compiled(lex)  # makes sure cue words are in the segmenter's dictionary
    feats = message_features(norm, 1.0)
    return assess_tokens(norm, feats, lex.severity)
