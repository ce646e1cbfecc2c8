"""Matching a normalised text against the rubric's families of expressions.

One regex pass (a trie of the words that can start a match: family words and
the first group of each combo) finds where families may match; look-alikes,
later combo groups and time markers are looked up only around a candidate,
so most of the rubric costs nothing for a message that matches nothing.

A family word or combo counts unless it overlaps one of the family's
look-alikes (上吊顶 for 上吊) or follows a negation
(没有人受伤, 暂未发生肢体冲突 — but not a threat with a condition:
不给钱就堵路).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.clause_time import past_at
from nlp.family_index import Occurrences, any_in, index_of, occurrences, trie_pattern
from nlp.rubric import Family, Rubric
from nlp.textcache import TextCache

__all__ = [
    "SELF_HARM",
    "Match",
    "Occurrences",
    "animal_scene",
    "asks_what_if",
    "clause_around",
    "clause_before",
    "fears_only",
    "match_families",
    "negated_at",
    "occurrences",
    "sentence_of",
    "trie_pattern",
]

SELF_HARM = "self_harm"
"""The rubric family of self-harm (``config/severity.toml``); also an emergency's ``kind``
and a registered case event's ``emergency`` when someone writes of harming themselves."""

_SENTENCE_ENDS = "。；！？;!?\n"
_CLAUSE_ENDS = "，。；！？、,.;!? \n"
_NEGATIONS = ("无", "未", "没", "不", "非", "别")
_LONG_NEGATIONS = (
    "暂未",
    "暂无",
    "尚未",
    "并未",
    "未发生",
    "没发生",
    "没有",
    "并没",
    "不是",
    "未见",
)
_CONSEQUENCES = ("就", "只能", "只好", "只得", "才", "要", "想")
# Words that hold a negation character but deny nothing (不见了只剩鞋,
# 叫不醒, 止不住, 出不去): blanked before negations are looked for.
_NOT_DENIALS = re.compile(
    "不见|不停|不断|不醒|不肯|不住|不动|不了|不去|不来|不下|不上|不出|不过气|不起|不稳|不省|没了|没命|没气|没呼吸|没反应|没动静"
)


@dataclass(frozen=True, slots=True)
class Match:
    """One family matched in a text.

    Attributes:
        family: The family.
        word: The first expression found (a combo's words joined by ``…``).
        start: Where it starts in the text.
        words: Every expression of the family found, in text order.
        now: A ``now`` word is in its sentence and it is not a plan.
        future: A plan or future marker precedes it in its sentence.
        past: A past marker is in its sentence.
        hearsay: A rumour word (网传, 谣传, 群里传) comes before it in its
            sentence: a story going round, not an event seen (then neither
            now nor a danger now).
        background: ``"risk"`` when a risk word (隐患, 一旦, 万一, 容易) is in
            its clause: a hazard feared, not an event; ``"letter"`` when the
            text is a long letter and its clause holds no present word (现在,
            正在, 刚才): a story told or a problem argued, not a danger now;
            ``"told"`` for self-harm words in a letter's clause with no
            present word: the level stands, but no emergency line; ``""``
            otherwise. ``risk`` and ``letter`` are no danger now and cap the
            family's level (see :func:`nlp.severity.rubric_assessment`).
    """

    family: Family
    word: str
    start: int
    words: tuple[str, ...]
    now: bool
    future: bool
    past: bool
    hearsay: bool = False
    background: str = ""


_CLAUSE_SPLIT = re.compile("[" + re.escape(_CLAUSE_ENDS) + "]")


def clause_before(text: str, start: int, width: int = 8) -> str:
    """Up to ``width`` characters before ``start``, within the same clause."""
    return _CLAUSE_SPLIT.split(text[max(0, start - width) : start])[-1]


def clause_around(text: str, start: int) -> str:
    """The clause (between commas or stops) that holds ``text[start]``."""
    lo = max(text.rfind(c, 0, start) for c in _CLAUSE_ENDS) + 1
    his = [text.find(c, start) for c in _CLAUSE_ENDS]
    hi = min((h for h in his if h >= 0), default=len(text))
    return text[lo:hi]


def negated_at(text: str, start: int) -> bool:
    """True if the expression at ``start`` follows a negation.

    A negation character just before it (暂无冲突, 未聚集), or a longer
    negation earlier in the same clause (暂未发生肢体冲突) unless a
    consequence follows that negation (不给钱就堵路, 没有办法只好聚集).
    """
    before = _NOT_DENIALS.sub("__", clause_before(text, start, 3))
    clause = _NOT_DENIALS.sub("__", clause_before(text, start))
    for neg in _LONG_NEGATIONS:
        if neg in clause and not any(c in clause.partition(neg)[2] for c in _CONSEQUENCES):
            return True
    # 不想活 / 活不下去 are themselves expressions; a short negation only
    # counts right before the expression, not inside a longer phrase.
    return any(
        neg in before and not any(c in before.partition(neg)[2] for c in _CONSEQUENCES)
        for neg in _NEGATIONS
    )


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[start:end]``."""
    lo = max(text.rfind(c, 0, start) for c in _SENTENCE_ENDS) + 1
    his = [text.find(c, end) for c in _SENTENCE_ENDS]
    hi = min((h for h in his if h >= 0), default=len(text))
    return lo, hi


def _any_in(text: str, words: tuple[str, ...], lo: int, hi: int) -> bool:
    return any_in(text, words, lo, hi)


_TIMED_LEVELS = frozenset({"high", "critical"})


def _context(
    text: str, rubric: Rubric, start: int, end: int, present: bool = False
) -> tuple[bool, bool, bool, bool]:
    """``(now, future, past, hearsay)`` of a match at ``text[start:end]``."""
    lo, hi = sentence_of(text, start, end)
    future = _any_in(text, rubric.future, lo, start) or _any_in(text, rubric.planning, lo, start)
    # 电梯经常坏，现在…拿着菜刀: a habit or past word reaches only so far (nlp.clause_time).
    past = past_at(text, rubric, lo, hi, start)
    hearsay = _any_in(text, rubric.hearsay, lo, start)
    # 昨天两家推搡了几下 ... 已经吵了三次: a past marker in the sentence wins over 已经.
    now = (present or _any_in(text, rubric.now, lo, hi)) and not (future or past or hearsay)
    return now, future, past or hearsay, hearsay


def _excluded(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


class _Excluder:
    """A family's look-alikes in a text, found only when a match needs them."""

    def __init__(self, occ: Occurrences, words: tuple[str, ...]) -> None:
        self._occ = occ
        self._words = words
        self._spans: list[tuple[int, int]] | None = None

    def __call__(self, start: int, end: int) -> bool:
        """True if ``text[start:end]`` overlaps a look-alike."""
        if self._spans is None:
            self._spans = [(p, p + len(w)) for w in self._words for p in self._occ[w]]
        return _excluded(self._spans, start, end)


_GROUP_PATTERNS: dict[tuple[str, ...], tuple[re.Pattern[str], int]] = {}
_SENTENCE_END_RE = re.compile("[" + re.escape(_SENTENCE_ENDS) + "]")


def _group_pattern(group: tuple[str, ...]) -> tuple[re.Pattern[str], int]:
    """One alternation for a combo's group (in the group's order) and its longest word."""
    hit = _GROUP_PATTERNS.get(group)
    if hit is None:
        hit = (re.compile("|".join(map(re.escape, group))), max(map(len, group)))
        if len(_GROUP_PATTERNS) > 4096:
            _GROUP_PATTERNS.clear()
        _GROUP_PATTERNS[group] = hit
    return hit


def _next_in_window(
    text: str, group: tuple[str, ...], end: int, window: int, excluded: _Excluder
) -> tuple[int, str] | None:
    """The first word of ``group`` within ``window`` characters after ``end``.

    One regular-expression search finds the leftmost word (the group's order
    breaks a tie, as the word-by-word scan does); only when that word overlaps
    a look-alike does the word-by-word scan run.
    """
    pattern, longest = _group_pattern(group)
    m = pattern.search(text, end, min(len(text), end + window + longest))
    if m is None or m.start() > end + window:
        return None
    stop = _SENTENCE_END_RE.search(text, end, m.start())
    if stop is not None:
        return None
    if not excluded(m.start(), m.end()):
        return m.start(), m.group()
    return _next_in_window_scan(text, group, end, window, excluded)


def _next_in_window_scan(
    text: str, group: tuple[str, ...], end: int, window: int, excluded: _Excluder
) -> tuple[int, str] | None:
    """:func:`_next_in_window` word by word, skipping look-alikes."""
    best: tuple[int, str] | None = None
    for word in group:
        p = text.find(word, end, end + window + len(word))
        while p >= 0:
            if not any(c in text[end:p] for c in _SENTENCE_ENDS) and not excluded(p, p + len(word)):
                if best is None or p < best[0]:
                    best = (p, word)
                break
            p = text.find(word, p + 1, end + window + len(word))
    return best


def _combo_match(
    text: str,
    occ: Occurrences,
    combo: tuple[tuple[str, ...], ...],
    window: int,
    excluded: _Excluder,
) -> tuple[str, int] | None:
    firsts = sorted((p, w) for w in combo[0] for p in occ.get(w, ()))
    if not firsts:
        return None
    # Most combos fail for want of a later group's word anywhere after the first
    # word: one search per group says so, instead of one per first word.
    for group in combo[1:]:
        if _group_pattern(group)[0].search(text, firsts[0][0]) is None:
            return None
    for start, first in firsts:
        end = start + len(first)
        parts = [first]
        places = [start]
        for group in combo[1:]:
            found = _next_in_window(text, group, end, window, excluded)
            if found is None:
                break
            parts.append(found[1])
            places.append(found[0])
            end = found[0] + len(found[1])
        else:
            if excluded(start, start + len(first)):
                continue
            if not any(negated_at(text, p) for p in places):
                return "…".join(parts), start
    return None


_MATCHED: TextCache[tuple[tuple[Match, ...], Occurrences]] = TextCache()


def is_letter(text: str, rubric: Rubric) -> bool:
    """True if a normalised text is a long letter (``[letters] min_chars``)."""
    return rubric.letter_chars < len(text)


_OPENING = 40
"""A danger within the first characters of a long text is read as in a short message."""

_LETTER_NOW_REACH = 12
"""How far before a letter's danger word its now word may stand (现在楼下有人拿刀砍人)."""

_DATE = re.compile(r"\d{1,4}年|\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号][上下]?午")


def _letter_now(text: str, rubric: Rubric, start: int) -> bool:
    """True unless ``text`` is a long letter whose match at ``start`` is not told as now.

    现在楼下有人拿刀砍人: the now word leads into the danger, a few characters
    before it in its clause (not 抢救现在还成了特色文化, nor a clause's far end;
    not 正在开展作风学习…堵塞 for a letter's blocking, whose 正在 is the sentence's).
    """
    # 楼下着火了，浓烟很大… then a long text: a danger in the opening is read as in a
    # short message (a citizen's report pasted before other matter keeps its line).
    if not is_letter(text, rubric) or start < _OPENING:
        return True
    if any(w in clause_before(text, start, _LETTER_NOW_REACH) for w in rubric.letter_now):
        return True
    # 今天上午九点多，三百多名业主把大道堵死了: a report of today dates its sentence
    # (an officer's report tells the background first, then today's event).
    lo, _ = sentence_of(text, start, start + 1)
    return any(w in text[lo:start] for w in rubric.letter_today)


def _animal_subject(text: str, rubric: Rubric, start: int) -> bool:
    """True if an animal (``animals``: 猫, 狗) is the subject just before ``start`` in
    its clause: 我家猫从二楼阳台跳下去了 is no person harming themselves."""
    return any(w in clause_before(text, start, 10) for w in rubric.animals)


def animal_scene(text: str, rubric: Rubric) -> bool:
    """True if a word of an ``animal_families`` family has an animal as its subject
    (我家猫从二楼阳台跳下去了): the learned model's danger words are no person's either."""
    if not rubric.animals or not any_in(text, rubric.animals):
        return False
    _, occ = match_families(text, rubric)
    return any(
        _animal_subject(text, rubric, p)
        for fam in rubric.families
        if fam.name in rubric.animal_families
        for w in fam.words
        for p in occ.get(w, ())
    )


def asks_what_if(text: str, rubric: Rubric) -> bool:
    """True if the text asks what to do if something happened (a ``hypothesis`` word and
    an ``asked`` word: 假如电梯突然坠落，里面的人该怎么自救): a safety question."""
    return any_in(text, rubric.hypothesis) and any_in(text, rubric.asked)


def _feared(text: str, rubric: Rubric, start: int) -> bool:
    """True if the text fears or asks about a danger rather than tells one.

    * a hypothesis (``hypothesis``: 如果, 假如, 要是) before it in its clause, in a
      text that asks what to do (``asked``: 应该做什么, 怎么办, 如何自救):
      如果家里着火了，第一步应该做什么？;
    * a text that says nothing has happened (``no_incident``: 还没出过事) and fears
      it (a ``risk`` word: 万一, 后果不堪设想): 屋顶也塌了一半…还没出过事，但是万一哪天塌了.
    """
    before = clause_before(text, start, 12)
    if any(w in before for w in rubric.hypothesis) and any_in(text, rubric.asked):
        return True
    return fears_only(text, rubric)


def fears_only(text: str, rubric: Rubric) -> bool:
    """True if the text says nothing has happened (``no_incident``: 还没出过事) and
    fears it (a ``risk`` word: 就怕, 万一): a hazard, whatever danger words it holds."""
    return any_in(text, rubric.no_incident) and any_in(text, rubric.risk)


def _background(text: str, rubric: Rubric, fam: Family, start: int, words: list[str]) -> str:
    """``"risk"``, ``"letter"``, ``"told"`` or ``""``: see :attr:`Match.background`.

    A danger told now is short and says so (隔壁着火了, 有人拿刀砍人); a long
    letter to an office recounts an old accident, argues that a hazard must be
    removed or tells a long-standing problem, and one danger word in it is no
    danger now unless its own clause says it is happening (``[letters] now``:
    现在, 正在, 刚才). This holds for the families of danger to life (those with
    emergency numbers or critical) and the letter families of ``[letters]
    families`` (安全隐患); collective action (上访, 拉横幅, 越级) keeps its level
    in a letter, as a group's grievance is what such a letter tells.
    Self-harm words (``risk_spares``) keep their level in a letter (a threat to
    oneself in any wording stays a warning sign) unless the sentence dates them
    (2018年4月24日晚…轻生), but give no line there (``"told"``); a self-harm
    combo spread over a letter's clause (坐在 … 阳台上观景) is read like any
    other family.
    """
    clause = clause_around(text, start)
    spared = fam.name in rubric.risk_spares
    if not spared and (any(w in clause for w in rubric.risk) or _feared(text, rubric, start)):
        return "risk"
    if _letter_now(text, rubric, start):
        return ""
    if not (fam.services or fam.level == "critical" or fam.name in rubric.letter_families):
        return ""
    if spared and any("…" not in w for w in words):
        lo, hi = sentence_of(text, start, start + 1)
        return "letter" if _DATE.search(text, lo, hi) else "told"
    return "letter"


def match_families(text: str, rubric: Rubric) -> tuple[list[Match], Occurrences]:
    """Every family found in ``text`` (normalised), with the occurrences index.

    The last few texts' answers are kept (:class:`nlp.textcache.TextCache`):
    severity and emergency detection read the same message's families once.

    Returns:
        One :class:`Match` per family found (its first counting expression),
        and the occurrences of all rubric words for further checks.
    """
    hit = _MATCHED.get(text, rubric)
    if hit is not None:
        return list(hit[0]), hit[1]
    matches, occ = _match_families(text, rubric)
    _MATCHED.put(text, rubric, value=(tuple(matches), occ))
    return matches, occ


def _match_families(text: str, rubric: Rubric) -> tuple[list[Match], Occurrences]:
    occ = occurrences(text, rubric)
    index = index_of(rubric)
    # Only the families, words and combos whose trigger words are in the text.
    word_hits: dict[int, list[str]] = {}
    combo_hits: dict[int, set[int]] = {}
    for w in list(occ):
        for i in index.words_of.get(w, ()):
            word_hits.setdefault(i, []).append(w)
        for i, k in index.combos_of.get(w, ()):
            combo_hits.setdefault(i, set()).add(k)
    matches: list[Match] = []
    for i in sorted(word_hits.keys() | combo_hits.keys()):
        fam = rubric.families[i]
        excluded = _Excluder(occ, fam.exclude)
        hits: list[tuple[int, str]] = []
        animal = fam.name in rubric.animal_families
        for word in word_hits.get(i, ()):
            for p in occ.get(word, ()):
                if (
                    not excluded(p, p + len(word))
                    and not negated_at(text, p)
                    and not (animal and _animal_subject(text, rubric, p))
                ):
                    hits.append((p, word))
                    break
        for k in sorted(combo_hits.get(i, ())):
            combo_hit = _combo_match(text, occ, fam.combos[k], fam.window, excluded)
            if combo_hit is None:
                continue
            if not (animal and _animal_subject(text, rubric, combo_hit[1])):
                hits.append((combo_hit[1], combo_hit[0]))
        if hits:
            hits.sort()
            # Drop an expression inside a longer one found (喝农药 in 喝了农药).
            words = [w for _, w in hits if not any(w != o and w in o for _, o in hits)]
            start, word = hits[0]
            # The time of a match: now (a family's `now_level`, a danger now), a
            # plan, the past (an event over: see nlp.severity), a rumour. It only
            # matters to a family with a `now_level`, emergency numbers or a level
            # above a rumour's (medium).
            background = ""
            if fam.now_level or fam.services or fam.level in _TIMED_LEVELS:
                now, future, past, hearsay = _context(
                    text, rubric, start, start + len(word), fam.present
                )
                background = _background(text, rubric, fam, start, words)
                now = now and background in ("", "told") and _letter_now(text, rubric, start)
            else:
                now = future = past = hearsay = False
                if fam.name in rubric.letter_families and is_letter(text, rubric):
                    background = _background(text, rubric, fam, start, words)
            matches.append(
                Match(
                    fam,
                    word,
                    start,
                    tuple(dict.fromkeys(words)),
                    now,
                    future,
                    past,
                    hearsay,
                    background,
                )
            )
    return matches, occ
