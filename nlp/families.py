"""Matching a normalised text against the rubric's families of expressions.

One pass over the text finds every occurrence of every rubric word (family
words, combo words, look-alikes, now / planning / past markers) through an
index keyed by first character, so the cost grows with the text, not with
the size of the rubric. A family word or combo counts unless it overlaps one
of the family's look-alikes (上吊顶 for 上吊) or follows a negation
(没有人受伤, 暂未发生肢体冲突 — but not a threat with a condition:
不给钱就堵路).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from nlp.rubric import Family, Rubric

__all__ = [
    "Match",
    "clause_around",
    "clause_before",
    "match_families",
    "negated_at",
    "occurrences",
    "sentence_of",
]

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
    """

    family: Family
    word: str
    start: int
    words: tuple[str, ...]
    now: bool
    future: bool
    past: bool


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
    before = text[max(0, start - 3) : start]
    clause = clause_before(text, start)
    for neg in _LONG_NEGATIONS:
        if neg in clause and not any(c in clause.partition(neg)[2] for c in _CONSEQUENCES):
            return True
    # 不想活 / 活不下去 are themselves expressions; a short negation only
    # counts right before the expression, not inside a longer phrase.
    return any(
        neg in before and not any(c in before.partition(neg)[2] for c in _CONSEQUENCES)
        for neg in _NEGATIONS
    )


@dataclass(frozen=True, slots=True)
class _Index:
    by_char: dict[str, tuple[str, ...]]
    firsts: frozenset[str]
    #: word -> indexes of the families that list it (in words or a combo).
    families_of: dict[str, tuple[int, ...]]


_INDEXES: dict[int, tuple[Rubric, _Index]] = {}
_INDEX_LOCK = threading.Lock()


def _index(rubric: Rubric) -> _Index:
    hit = _INDEXES.get(id(rubric))
    if hit is not None and hit[0] is rubric:
        return hit[1]
    words: set[str] = set(rubric.collective_words) | set(rubric.urgency) | set(rubric.now)
    for extra in (
        rubric.planning,
        rubric.settled,
        rubric.future,
        rubric.past,
        rubric.strong_now,
        rubric.aftermath,
    ):
        words.update(extra)
    for fam in rubric.families:
        words.update(fam.words)
        words.update(fam.exclude)
        for combo in fam.combos:
            for group in combo:
                words.update(group)
    by_char: dict[str, list[str]] = {}
    for word in words:
        by_char.setdefault(word[0], []).append(word)
    families_of: dict[str, list[int]] = {}
    for i, fam in enumerate(rubric.families):
        for word in fam.words:
            families_of.setdefault(word, []).append(i)
        for combo in fam.combos:
            for word in combo[0]:
                families_of.setdefault(word, []).append(i)
    index = _Index(
        {c: tuple(ws) for c, ws in by_char.items()},
        frozenset(by_char),
        {w: tuple(dict.fromkeys(fs)) for w, fs in families_of.items()},
    )
    with _INDEX_LOCK:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        _INDEXES[id(rubric)] = (rubric, index)
    return index


def occurrences(text: str, rubric: Rubric) -> dict[str, list[int]]:
    """Start positions of every rubric word in ``text`` (overlaps included)."""
    index = _index(rubric)
    by_char = index.by_char
    found: dict[str, list[int]] = {}
    for ch in index.firsts.intersection(text):
        for word in by_char[ch]:
            p = text.find(word)
            if p < 0:
                continue
            places = found[word] = []
            while p >= 0:
                places.append(p)
                p = text.find(word, p + 1)
    return found


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[start:end]``."""
    lo = max(text.rfind(c, 0, start) for c in _SENTENCE_ENDS) + 1
    his = [text.find(c, end) for c in _SENTENCE_ENDS]
    hi = min((h for h in his if h >= 0), default=len(text))
    return lo, hi


def _any_in(occ: dict[str, list[int]], words: tuple[str, ...], lo: int, hi: int) -> bool:
    return any(lo <= p < hi for w in words for p in occ.get(w, ()))


def _context(
    text: str, occ: dict[str, list[int]], rubric: Rubric, start: int, end: int
) -> tuple[bool, bool, bool]:
    lo, hi = sentence_of(text, start, end)
    future = _any_in(occ, rubric.future, lo, start) or _any_in(occ, rubric.planning, lo, start)
    now = _any_in(occ, rubric.now, lo, hi) and not future
    past = _any_in(occ, rubric.past, lo, hi)
    return now, future, past


def _excluded(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _combo_match(
    text: str,
    occ: dict[str, list[int]],
    combo: tuple[tuple[str, ...], ...],
    window: int,
    spans: list[tuple[int, int]],
) -> tuple[str, int] | None:
    firsts = sorted((p, w) for w in combo[0] for p in occ.get(w, ()))
    for start, first in firsts:
        if _excluded(spans, start, start + len(first)):
            continue
        end = start + len(first)
        parts = [first]
        places = [start]
        for group in combo[1:]:
            best: tuple[int, str] | None = None
            for word in group:
                for p in occ.get(word, ()):
                    gap = text[end:p]
                    if (
                        p >= end
                        and p - end <= window
                        and not any(c in gap for c in _SENTENCE_ENDS)
                        and not _excluded(spans, p, p + len(word))
                        and (best is None or p < best[0])
                    ):
                        best = (p, word)
            if best is None:
                break
            parts.append(best[1])
            places.append(best[0])
            end = best[0] + len(best[1])
        else:
            if not any(negated_at(text, p) for p in places):
                return "…".join(parts), start
    return None


def match_families(text: str, rubric: Rubric) -> tuple[list[Match], dict[str, list[int]]]:
    """Every family found in ``text`` (normalised), with the occurrences index.

    Returns:
        One :class:`Match` per family found (its first counting expression),
        and the occurrences of all rubric words for further checks.
    """
    occ = occurrences(text, rubric)
    families_of = _index(rubric).families_of
    candidates = sorted({i for w in occ for i in families_of.get(w, ())})
    matches: list[Match] = []
    for fam in (rubric.families[i] for i in candidates):
        spans = [(p, p + len(w)) for w in fam.exclude for p in occ.get(w, ())]
        hits: list[tuple[int, str]] = []
        for word in (w for w in fam.words if w in occ):
            for p in occ[word]:
                if not _excluded(spans, p, p + len(word)) and not negated_at(text, p):
                    hits.append((p, word))
                    break
        for combo in fam.combos:
            combo_hit = _combo_match(text, occ, combo, fam.window, spans)
            if combo_hit is not None:
                hits.append((combo_hit[1], combo_hit[0]))
        if hits:
            hits.sort()
            # Drop an expression inside a longer one found (喝农药 in 喝了农药).
            words = [w for _, w in hits if not any(w != o and w in o for _, o in hits)]
            start, word = hits[0]
            now, future, past = _context(text, occ, rubric, start, start + len(word))
            matches.append(Match(fam, word, start, tuple(dict.fromkeys(words)), now, future, past))
    return matches, occ
