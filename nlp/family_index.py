"""Where the rubric's trigger words are in a text: the index of the families' words.

The trigger words are the words that can start a family's match: the
families' ``words`` and the first group of each combo. :func:`occurrences`
finds every place of every trigger word in a text (overlaps included) with
work in C for the whole text and Python-level work only for the words that
are there:

* the text's bigrams are read from its UTF-32 bytes as 64-bit integers (as
  :mod:`nlp.danger` reads its n-grams), and one set intersection with the
  first two characters of the trigger words says which of them can be in the
  text at all;
* only for those bigrams (and the one-character trigger words present) are
  the places found with ``str.find`` and the words checked with
  ``str.startswith``.

A 300-character message has about 130 places where some trigger word could
start by its first character and about a dozen where one does: the earlier
scan visited every one of the 130 in Python.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from nlp.rubric_model import Rubric

__all__ = ["Occurrences", "any_in", "found_in", "index_of", "occurrences", "trie_pattern"]


@dataclass(frozen=True, slots=True)
class FamilyIndex:
    """The rubric's trigger words, indexed for :func:`occurrences` and matching."""

    #: The one-character trigger words.
    singles: frozenset[str]
    #: One character class of them (``None`` when there are none): a text's
    #: singles in one scan in C, without a string object per character of it.
    singles_re: re.Pattern[str] | None
    #: bigram code (:func:`_bigram_code`) -> the trigger words starting with that
    #: bigram, with the bigram itself.
    by_bigram: dict[int, tuple[str, tuple[str, ...]]]
    #: The keys of ``by_bigram``.
    bigram_codes: frozenset[int]
    #: word -> indexes of the families that list it (in words or a combo).
    families_of: dict[str, tuple[int, ...]]
    #: word -> indexes of the families that list it in ``words``.
    words_of: dict[str, tuple[int, ...]]
    #: word -> (family index, combo index) of the combos it can start.
    combos_of: dict[str, tuple[tuple[int, int], ...]]
    #: Indexes of the families with ``span_combos``.
    span_families: tuple[int, ...] = ()


_INDEXES: dict[int, tuple[Rubric, FamilyIndex]] = {}
_INDEX_LOCK = threading.Lock()


def trie_pattern(words: set[str]) -> str:
    """A pattern that matches, at a place, the longest of ``words`` that starts there."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


def _bigram_code(bigram: str) -> int:
    """Two characters as one integer: the 64-bit little-endian word of their UTF-32."""
    return ord(bigram[0]) | ord(bigram[1]) << 32


def _text_bigrams(text: str) -> set[int]:
    """The codes (:func:`_bigram_code`) of every bigram of ``text`` (do not change the set).

    The UTF-32 bytes read as 64-bit words from offset 0 and from offset 4 are
    the bigrams at even and at odd places. The last text's set is kept: the
    letter model (:mod:`nlp.letter_model`) reads the bigrams of the letter the
    rubric has just read.
    """
    last = _LAST_BIGRAMS
    if last[0] is text:
        return last[1]
    data = memoryview(text.encode("utf-32-le", "surrogatepass"))
    size = len(data)
    codes = set(data[: size // 8 * 8].cast("Q").tolist())
    if size > 4:
        codes.update(data[4 : 4 + (size - 4) // 8 * 8].cast("Q").tolist())
    _remember_bigrams(text, codes)
    return codes


_LAST_BIGRAMS: tuple[str | None, set[int]] = (None, set())


def _remember_bigrams(text: str, codes: set[int]) -> None:
    global _LAST_BIGRAMS
    _LAST_BIGRAMS = (text, codes)


def index_of(rubric: Rubric) -> FamilyIndex:
    """The rubric's trigger-word index (built once per rubric)."""
    hit = _INDEXES.get(id(rubric))
    if hit is not None and hit[0] is rubric:
        return hit[1]
    # Only the words that can start a match are searched at once; look-alikes,
    # later combo groups and modifiers are looked up when a match needs them.
    families_of: dict[str, list[int]] = {}
    words_of: dict[str, list[int]] = {}
    combos_of: dict[str, list[tuple[int, int]]] = {}
    for i, fam in enumerate(rubric.families):
        for word in fam.words:
            families_of.setdefault(word, []).append(i)
            words_of.setdefault(word, []).append(i)
        for k, combo in enumerate(fam.combos):
            for word in combo[0]:
                families_of.setdefault(word, []).append(i)
                combos_of.setdefault(word, []).append((i, k))
    words = {w for w in families_of if w}
    by_bigram: dict[int, list[str]] = {}
    for w in sorted(words):
        if len(w) >= 2:
            by_bigram.setdefault(_bigram_code(w), []).append(w)
    singles = frozenset(w for w in words if len(w) == 1)
    index = FamilyIndex(
        singles,
        re.compile("[" + "".join(map(re.escape, sorted(singles))) + "]") if singles else None,
        {c: (ws[0][:2], tuple(ws)) for c, ws in by_bigram.items()},
        frozenset(by_bigram),
        {w: tuple(dict.fromkeys(fs)) for w, fs in families_of.items()},
        {w: tuple(dict.fromkeys(fs)) for w, fs in words_of.items()},
        {w: tuple(dict.fromkeys(cs)) for w, cs in combos_of.items()},
        tuple(i for i, fam in enumerate(rubric.families) if fam.span_combos),
    )
    with _INDEX_LOCK:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        _INDEXES[id(rubric)] = (rubric, index)
    return index


class Occurrences(dict[str, list[int]]):
    """Start positions of words in a text: the rubric's trigger words (family
    words, first groups of combos) are found at once; any other word is
    looked up on first use (``occ[word]``, an empty list when absent)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, word: str) -> list[int]:
        text = self.text
        places: list[int] = []
        p = text.find(word)
        while p >= 0:
            places.append(p)
            p = text.find(word, p + 1)
        self[word] = places
        return places


def occurrences(text: str, rubric: Rubric) -> Occurrences:
    """Start positions of the rubric's trigger words in ``text`` (overlaps included).

    Every place of every trigger word, in increasing order; the words in the
    order of their first place (at one place the longest word first, then the
    shorter ones from the shortest), as a left-to-right scan meets them.
    """
    index = index_of(rubric)
    places: dict[str, list[int]] = {}
    longest: dict[int, int] = {}  # place -> length of the longest word there
    find = text.find
    for ch in set(index.singles_re.findall(text)) if index.singles_re is not None else ():
        found = places[ch] = []
        p = find(ch)
        while p >= 0:
            found.append(p)
            if p not in longest:
                longest[p] = 1
            p = find(ch, p + 1)
    by_bigram = index.by_bigram
    starts = text.startswith
    for code in index.bigram_codes.intersection(_text_bigrams(text)):
        bigram, words = by_bigram[code]
        p = find(bigram)
        while p >= 0:
            for w in words:
                if starts(w, p):
                    places.setdefault(w, []).append(p)
                    if longest.get(p, 0) < len(w):
                        longest[p] = len(w)
            p = find(bigram, p + 1)
    out = Occurrences(text)
    if places:

        def order(w: str) -> tuple[int, int]:
            first = places[w][0]
            size = len(w)
            return first, 0 if size == longest[first] else size

        for w in sorted(places, key=order):
            out[w] = places[w]
    return out


_WORD_PATTERNS: dict[int, tuple[tuple[str, ...], re.Pattern[str] | None]] = {}
_PATTERNS_BY_WORDS: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One trie pattern for a list of the rubric's words (``None`` for no words).

    Found by the tuple's identity (the rubric's own lists), else by its words: a
    tuple put together at each call (``(*rubric.past, *rubric.habit)``) is new
    every time, and building its pattern again cost about a tenth of
    ``classify`` on letters (docs/performance.md, "Stop 32").
    """
    hit = _WORD_PATTERNS.get(id(words))
    if hit is not None and hit[0] is words:
        return hit[1]
    if words in _PATTERNS_BY_WORDS:
        return _PATTERNS_BY_WORDS[words]
    pattern = re.compile(trie_pattern(set(words))) if words else None
    if len(_WORD_PATTERNS) > 4096 or len(_PATTERNS_BY_WORDS) > 4096:
        _WORD_PATTERNS.clear()
        _PATTERNS_BY_WORDS.clear()
    _WORD_PATTERNS[id(words)] = (words, pattern)
    _PATTERNS_BY_WORDS[words] = pattern
    return pattern


def any_in(text: str, words: tuple[str, ...], lo: int = 0, hi: int | None = None) -> bool:
    """``any(w in text[lo:hi] for w in words)``, in one search.

    One trie pattern of the words (made once for each tuple of words: the
    rubric's lists) scans the text once in C instead of once per word: five
    times faster for the rubric's lists of 30 to 60 words.
    """
    pattern = _words_pattern(words)
    if pattern is None:
        return False
    return pattern.search(text, lo, len(text) if hi is None else hi) is not None


def found_in(text: str, words: tuple[str, ...]) -> list[str]:
    """``[w for w in words if w in text]``, searching word by word only when one is there."""
    if not any_in(text, words):
        return []
    return [w for w in words if w in text]
