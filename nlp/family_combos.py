"""Combos of a rubric family: word groups in order within a window (issue 13).

Split from :mod:`nlp.families` (stop 32): a combo's words are found in one sentence
(:func:`combo_match`), or across a few sentences for a family's ``span_combos``
(:func:`span_match`: farewell signs told in a report's separate sentences); a family's
look-alikes and names are skipped (:class:`Excluder`).
"""

from __future__ import annotations

import re

from nlp.clauses import SENTENCE_ENDS, negated_at
from nlp.family_index import Occurrences, any_in
from nlp.rubric_model import Family

__all__ = ["Excluder", "combo_match", "span_match"]


def _excluded(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


class Excluder:
    """A family's look-alikes in a text, found only when a match needs them."""

    def __init__(
        self,
        occ: Occurrences,
        words: tuple[str, ...],
        names: list[tuple[int, int]] | None = None,
    ) -> None:
        self._occ = occ
        self._words = words
        self._names = names or []
        self._spans: list[tuple[int, int]] | None = None

    def __call__(self, start: int, end: int) -> bool:
        """True if ``text[start:end]`` overlaps a look-alike or a name (``named_spans``)."""
        if self._spans is None:
            self._spans = [(p, p + len(w)) for w in self._words for p in self._occ[w]]
            self._spans.extend(self._names)
        return _excluded(self._spans, start, end)


_GROUP_PATTERNS: dict[tuple[str, ...], tuple[re.Pattern[str], int]] = {}
_SENTENCE_END_RE = re.compile("[" + re.escape(SENTENCE_ENDS) + "]")
_CLAUSE_END_RE = re.compile("[，,、 ]")


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
    text: str, group: tuple[str, ...], end: int, window: int, excluded: Excluder
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
    text: str, group: tuple[str, ...], end: int, window: int, excluded: Excluder
) -> tuple[int, str] | None:
    """:func:`_next_in_window` word by word, skipping look-alikes."""
    best: tuple[int, str] | None = None
    for word in group:
        p = text.find(word, end, end + window + len(word))
        while p >= 0:
            if not any(c in text[end:p] for c in SENTENCE_ENDS) and not excluded(p, p + len(word)):
                if best is None or p < best[0]:
                    best = (p, word)
                break
            p = text.find(word, p + 1, end + window + len(word))
    return best


def combo_match(
    text: str,
    occ: Occurrences,
    combo: tuple[tuple[str, ...], ...],
    window: int,
    excluded: Excluder,
    present: list[str],
) -> tuple[str, int] | None:
    """The combo's words joined by ``…`` and where it starts, or ``None``.

    ``present``: the words of the combo's first group that are in the text (a
    first group lists up to dozens of words, a text holds one or two of them).
    """
    first_at = min([places[0] for w in present if (places := occ[w])], default=-1)
    if first_at < 0:
        return None
    # Most combos fail for want of a later group's word anywhere after the first
    # word: one search per group says so (a trie of the group's words, as
    # nlp.family_index.any_in), instead of one per first word.
    for group in combo[1:]:
        if not any_in(text, group, first_at):
            return None
    firsts = sorted([(p, w) for w in present for p in occ[w]])
    best: tuple[str, int] | None = None
    second = -1
    for start, first in firsts:
        if best is not None and start >= second:
            break
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
                # 去年这里淹死过人，现在有个老人在塘里往下沉: a match whose first word is in an
                # earlier clause than the next gives way to one of a first word in a later
                # clause before that next word, whose place is the event's (issue 13, safety35).
                if best is None:
                    best = "…".join(parts), start
                    if not _CLAUSE_END_RE.search(text, start + len(first), places[1]):
                        return best
                    second = places[1]
                elif _CLAUSE_END_RE.search(text, best[1], start):
                    best = "…".join(parts), start
    return best


_SENTENCE_MARKS = re.compile("[" + re.escape(SENTENCE_ENDS) + "]")


def span_match(text: str, fam: Family, excluded: Excluder) -> tuple[str, int] | None:
    """A span combo of ``fam`` (``span_combos``) across at most ``span_sentences`` sentences of
    ``text``: the combo's words joined by ``…`` and where it starts, or ``None`` (stop 32).

    The combos are matched on the text with its sentence ends read as commas (same length, so
    the places are the text's), then the sentences the match runs over are counted."""
    joined = _SENTENCE_MARKS.sub("，", text)
    for combo in fam.span_combos:
        # One trie search says whether any first word is there at all: most combos have
        # none, and a find per word (up to 28 a combo) cost a tenth of family matching.
        if not any_in(joined, combo[0]):
            continue
        places = Occurrences(joined)
        present = [word for word in combo[0] if places[word]]
        found = combo_match(joined, places, combo, fam.span_window, excluded, present)
        if found is None:
            continue
        end = found[1]
        for part in found[0].split("…"):
            end = joined.find(part, end) + len(part)
        if len(_SENTENCE_MARKS.findall(text, found[1], end)) < fam.span_sentences:
            return found
    return None
