"""jieba-rs (the ``rjieba`` package) as the compiled core of :func:`nlp.segment.cut`.

:class:`Mirror` holds a jieba-rs dictionary with the same words, frequencies
and total as the process's jieba tokenizer (jieba's dictionary, the district's
user dictionary, the lexicon's keywords and its pinned total), and cuts
text with it. jieba-rs implements jieba's no-HMM cut (the
word graph, ``log(freq) - log(total) + route``, a tie going to the longer
word), so the tokens are jieba's; tests/test_nlp_segment_rs.py checks them
against the pure-Python cut on every text of the test and evaluation data and
on the ties and repeats where two implementations most easily part.

jieba-rs splits a text as jieba does (runs of ``[\u4e00-\u9fd5a-zA-Z0-9+#&._%-]``
cut by the word graph, single letters and digits run together; every other
character a token, ``\r\n`` one), with one difference and one thing it lacks,
both kept out rather than relied upon:

* its runs also take the CJK characters jieba leaves outside them (extension
  A, U+9FD6..U+9FFF, compatibility ideographs, the supplementary planes). A
  text with one of those (:data:`WIDER_RUNS`) is cut run by run, each run as
  jieba's pattern finds it; any other text is cut whole.
* its total is the sum of its words' frequencies while jieba's is the running
  total it adds each added word to (or the lexicon's pinned
  ``segment_total``): one filler word of private-use characters, which no
  run of either contains, carries the difference; with a total below the sum
  there is no mirror and the Python cut runs.

Why jieba-rs and not another compiled jieba (docs/performance.md, stop 31):
``jieba_fast`` and ``jieba_fast_dat`` break a tie of scores towards the
shorter word (73 of 22,616 test and evaluation texts cut differently),
``jieba_fast``'s C graph was also slower than the Python cut here, and
``jieba-next`` is a release candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["WIDER_RUNS", "Mirror", "rjieba_module"]

WIDER_RUNS = re.compile(
    "[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U0002f800-\U0002fa1f]"
)
"""The characters jieba-rs lets into a run of Chinese and jieba does not (``search``)."""

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
        self.cut_run: Callable[[str, bool], list[str]] = jieba.cut
        """``cut_run(text, False)``: the words of a text without :data:`WIDER_RUNS`."""
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
