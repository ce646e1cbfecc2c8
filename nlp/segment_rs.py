"""jieba-rs (the ``rjieba`` package) as the compiled core of :func:`nlp.segment.cut`.

:class:`Mirror` holds a jieba-rs dictionary with the same words, frequencies
and total as the process's jieba tokenizer (jieba's dictionary, the district's
user dictionary, the lexicon's keywords and its pinned total), and cuts a run
of Chinese characters with it. jieba-rs implements jieba's no-HMM cut (the
word graph, ``log(freq) - log(total) + route``, a tie going to the longer
word), so the tokens are jieba's; tests/test_nlp_segment_rs.py checks them
against the pure-Python cut on every text of the test and evaluation data and
on the ties and repeats where two implementations most easily part.

Two differences from jieba are kept out rather than relied upon:

* jieba-rs sums its words' frequencies as its total, while jieba adds each
  added word's frequency to its own (never subtracting a replaced one) and a
  lexicon may pin it (:func:`nlp.segment.pin_total`). The mirror adds one
  filler word with the difference, made of private-use characters that
  jieba's run pattern never lets into a run, so it never matches;
  when the total is below the sum there is no mirror and the Python cut runs.
* jieba-rs treats Latin letters and digits in a run its own way, so only runs
  of Chinese characters alone are given to it (:data:`CHINESE_RUN`); the
  others keep the Python cut.

Why jieba-rs and not another compiled jieba (docs/performance.md, stop 31):
``jieba_fast`` and ``jieba_fast_dat`` break a tie of scores towards the
shorter word (73 of 22,616 test and evaluation texts cut differently),
``jieba_fast``'s C graph was also slower than the Python cut here, and
``jieba-next`` is a release candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["CHINESE_RUN", "Mirror", "rjieba_module"]

CHINESE_RUN = re.compile("[\u4e00-\u9fd5]+")
"""A run that jieba-rs cuts exactly as jieba: Chinese characters only (``fullmatch``)."""

_FILLER = "\ue000\ue001"
"""The word carrying the difference between jieba's total and the words' sum;
private-use characters are outside jieba's run pattern, so no run contains it."""


def rjieba_module() -> Any | None:
    """The ``rjieba`` module, or ``None`` when it is not installed."""
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba


class Mirror:
    """A jieba-rs dictionary kept equal to a jieba tokenizer's ``FREQ`` and ``total``."""

    __slots__ = ("_add", "_sum", "cut_run")

    def __init__(self, rjieba: Any, freq: dict[str, int], total: int) -> None:
        """Copy every word of ``freq`` (prefix entries, frequency 0, are not words)."""
        jieba = rjieba.Jieba.empty()
        add = jieba.add_word
        words_sum = 0
        for word, count in freq.items():
            if count:
                add(word, count, None)
                words_sum += count
        self._add = add
        self._sum = words_sum
        self.cut_run = jieba.cut
        """``cut_run(run, False)``: the words of a :data:`CHINESE_RUN`."""
        self._fill(total)

    @property
    def usable(self) -> bool:
        """False when jieba's total is below the words' sum (no filler can make it up)."""
        return self._sum >= 0

    def _fill(self, total: int) -> None:
        filler = total - self._sum
        if filler < 0:
            self._sum = -1
            return
        # jieba-rs replaces a word's frequency in its total when the word is added again.
        self._add(_FILLER, filler, None)

    def update(self, changes: Iterable[tuple[str, int, int]], total: int) -> None:
        """Give each changed word its new frequency and make the total ``total`` again.

        Args:
            changes: ``(word, frequency before, frequency after)`` as the tokenizer's
                ``FREQ`` had them (0 for no word).
            total: The tokenizer's total now.
        """
        if not self.usable:
            return
        for word, before, after in changes:
            if before and not after:  # jieba-rs cannot take a word out
                self._sum = -1
                return
            if after and after != before:
                self._sum += after - before
                self._add(word, after, None)
        self._fill(total)
