"""Word segmentation with jieba and the district's domain dictionary.

A dedicated :class:`jieba.Tokenizer` (not jieba's global one) is created on
first use, under a lock, with the user dictionary ``config/userdict.txt``
(agency names and policy terms such as 低保, 欠薪, 宅基地). jieba's own logging
is silenced. Segmentation runs without jieba's HMM new-word discovery: a word
that is not in a dictionary cannot match the lexicon anyway, and the HMM pass
costs about a quarter of the segmentation time.

jieba's prefix dictionary (about 500,000 words and prefixes) is read from
:mod:`nlp.diskcache` (:mod:`nlp.segment_cache`). Text is cut by jieba-rs
(``rjieba``, a runtime dependency) over a copy of the same dictionary
(:mod:`nlp.segment_rs`); the Python cut here stays for an installation
without ``rjieba`` and as the reference the tests compare it with.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from math import log
from pathlib import Path
from typing import Any

from nlp import segment_rs
from nlp.segment_cache import load_prefix_dictionary as _load_prefix_dictionary

__all__ = [
    "USERDICT_PATH",
    "add_words",
    "compiled",
    "cut",
    "cut_python",
    "frequency_margin",
    "pin_total",
    "search_grams",
    "segment",
    "tokenizer",
]

USERDICT_PATH = Path(__file__).resolve().parent.parent / "config" / "userdict.txt"
"""The domain user dictionary (one ``word [freq] [tag]`` per line)."""

_TOKENIZER: Any = None
_LOCK = threading.Lock()
_LOG = logging.getLogger(__name__)
# jieba's own block and whitespace patterns (set with the tokenizer), so that
# :func:`cut` splits a text exactly where ``Tokenizer.cut`` does.
_HAN: re.Pattern[str] = re.compile("(?!)")
_SKIP: re.Pattern[str] = re.compile("(?!)")
_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# ``log(freq) - log(total)`` of the dictionary entries met so far (_PREFIX for
# a prefix that is no word, _ABSENT for a string not in the dictionary at all),
# for the dictionary's total it was made with: one lookup in a small table
# instead of a lookup in the half-million-entry dictionary, a log and a
# subtraction per candidate word. A function of the dictionary alone, never
# of a message; bounded (emptied past _LOGP_MAX entries, about 10 MB), and
# replaced whenever the dictionary changes (add_words, another total).
_PREFIX = float("nan")
_ABSENT = float("nan")
_LOGP_MAX = 100_000
_LOGP: tuple[int, dict[str, float]] = (0, {})


class _SearchGrams(dict[str, tuple[str, ...]]):
    """Word → its 2-grams, then its 3-grams, that are dictionary words, filled on first use.

    The extra words of jieba's search mode (``cut_for_search``) for a word
    longer than two characters; ``()`` for any other. A function of the
    dictionary alone, like :data:`_LOGP`, and replaced with it.
    """

    __slots__ = ("freq",)

    def __init__(self, freq: dict[str, int]) -> None:
        super().__init__()
        self.freq = freq

    def __missing__(self, word: str) -> tuple[str, ...]:
        size = len(word)
        grams: tuple[str, ...] = ()
        if size > 2:
            known = self.freq.get
            found = [word[i : i + 2] for i in range(size - 1) if known(word[i : i + 2])]
            if size > 3:
                found += [word[i : i + 3] for i in range(size - 2) if known(word[i : i + 3])]
            grams = tuple(found)
        if len(self) >= _LOGP_MAX:
            self.clear()
        self[word] = grams
        return grams


_GRAMS: tuple[int, _SearchGrams] = (0, _SearchGrams({}))

# jieba-rs's copy of the dictionary (nlp.segment_rs), made on the first cut
# and kept equal by add_words and pin_total; None before, or when rjieba is
# missing or cannot mirror the dictionary (_MIRROR_TRIED then says so).
_MIRROR: segment_rs.Mirror | None = None
_MIRROR_TRIED = False
_WIDER_RUNS = segment_rs.WIDER_RUNS.search


def _build() -> Any:
    global _HAN, _SKIP
    import jieba

    _HAN, _SKIP = jieba.re_han_default, jieba.re_skip_default
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    _load_prefix_dictionary(tok)
    if USERDICT_PATH.is_file():
        tok.load_userdict(str(USERDICT_PATH))
    return tok


def tokenizer() -> Any:
    """Return the process-wide jieba tokenizer, creating it on first use.

    Returns:
        A ready :class:`jieba.Tokenizer` with the domain dictionary loaded.
    """
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                _TOKENIZER = _build()
    return _TOKENIZER


def add_words(words: Iterable[str], freq: int | None = None, min_freq: int = 0) -> int:
    """Make sure that each word comes out of segmentation as one token.

    Words missing from the dictionary are added. Used by the classifier for
    the lexicon's keywords, so a district that only edits the lexicon still
    gets its phrases matched; ``min_freq`` also keeps a keyword whole in
    running text, where a rare dictionary word next to it could otherwise
    take one of its characters (油|烟熏, 死|鱼漂, 被|骗|转).

    Args:
        words: Words to add.
        freq: Frequency to give each new word; ``None`` lets jieba choose one
            that makes the word come out whole on its own.
        min_freq: Raise the frequency of every word (new or known) to at
            least this.

    Returns:
        How many words were added or raised.
    """
    tok = tokenizer()
    changes: list[tuple[str, int, int]] = []
    with _LOCK:
        for word in words:
            if len(word) < 2:
                continue
            before = tok.FREQ.get(word) or 0
            if not before:
                tok.add_word(word, freq)
            if (tok.FREQ.get(word) or 0) < min_freq:
                tok.add_word(word, min_freq)
            after = tok.FREQ.get(word) or 0
            if after != before:
                changes.append((word, before, after))
        _forget_logp()
        _update_mirror(tok, changes)
    return len(changes)


def pin_total(total: int) -> None:
    """Fix the dictionary's total count, the normaliser of every word's probability.

    jieba adds each added word's frequency to its total, so every keyword a
    district adds would shift the cut of unrelated text a little (stop 29:
    forty words that occur in no message, added to the lexicon, changed the
    answer to a real held-out letter). A lexicon's ``segment_total`` pins the
    total at the value its mined terms were built with; 0 leaves jieba's own.
    """
    if total <= 0:
        return
    tok = tokenizer()
    with _LOCK:
        if tok.total != total:
            tok.total = total
            _forget_logp()
            _update_mirror(tok, ())


def _update_mirror(tok: Any, changes: Iterable[tuple[str, int, int]]) -> None:
    """Carry a change of the tokenizer's dictionary into the jieba-rs mirror (under _LOCK)."""
    global _MIRROR, _MIRROR_TRIED
    mirror = _MIRROR
    if mirror is None:
        _MIRROR_TRIED = False  # a new try on the next cut: the total may fit now
        return
    try:
        mirror.update(changes, tok.total)
    except RuntimeError:  # in use by another thread (a Rust borrow): rebuilt on the next cut
        mirror = None
    if mirror is None or not mirror.usable:
        _MIRROR = None
        _MIRROR_TRIED = False


def _mirror(tok: Any) -> segment_rs.Mirror | None:
    """The jieba-rs mirror of ``tok``'s dictionary, made on first use; None when there is none."""
    global _MIRROR, _MIRROR_TRIED
    mirror = _MIRROR
    if mirror is not None or _MIRROR_TRIED:
        return mirror
    with _LOCK:
        if _MIRROR is None and not _MIRROR_TRIED:
            rjieba = segment_rs.rjieba_module()
            if rjieba is not None:
                mirror = segment_rs.Mirror(rjieba, tok.FREQ, tok.total)
                _MIRROR = mirror if mirror.usable else None
                if _MIRROR is None:
                    _LOG.warning(
                        "jieba-rs cut off, the slower Python cut used: the dictionary's "
                        "frequencies sum past the pinned total %d (raise the lexicon's "
                        "[settings] segment_total; docs/performance.md, stop 32)",
                        tok.total,
                    )
            _MIRROR_TRIED = True
        return _MIRROR


def frequency_margin() -> int:
    """The tokenizer's total less its words' frequency sum (jieba-rs divides by the sum).

    The compiled cut is jieba's only while this is at least 0; below it :func:`cut`
    falls back to the Python cut and logs a warning.
    """
    tok = tokenizer()
    with _LOCK:
        words: dict[str, int] = tok.FREQ
        return int(tok.total) - sum(words.values())


def compiled() -> bool:
    """Whether :func:`cut` cuts with jieba-rs (``rjieba``)."""
    return _mirror(tokenizer()) is not None


def _forget_logp() -> None:
    global _LOGP, _GRAMS
    _LOGP = (0, {})
    _GRAMS = (0, _SearchGrams({}))


def search_grams() -> _SearchGrams:
    """The table of search-mode extra words (:class:`_SearchGrams`) for the current dictionary."""
    global _GRAMS
    tok = tokenizer()
    stamp, grams = _GRAMS
    if stamp != tok.total or grams.freq is not tok.FREQ:
        grams = _SearchGrams(tok.FREQ)
        _GRAMS = (tok.total, grams)
    return grams


def cut(text: str) -> list[str]:
    """The words of ``text``, exactly as ``tokenizer().lcut(text, HMM=False)``.

    Cut by jieba-rs when ``rjieba`` is installed (:mod:`nlp.segment_rs`,
    about six times faster: the whole text at once, or run by run when it
    holds a character jieba-rs would join to a run and jieba does not), else
    as :func:`cut_python` does; tests/test_nlp_segment_fast.py checks the
    tokens against jieba's own ``cut``, tests/test_nlp_segment_rs.py both
    ways of cutting against each other.

    Args:
        text: Any text.

    Returns:
        Every token in order, whitespace and punctuation included.
    """
    tok = tokenizer()
    mirror = _mirror(tok)
    try:
        if mirror is not None and _WIDER_RUNS(text) is None:
            return mirror.cut_run(text, False)
        return _cut(tok, text, mirror)
    except RuntimeError:  # the mirror being changed by add_words in another thread
        return _cut(tok, text, None)


def cut_python(text: str) -> list[str]:
    """The words of ``text`` as :func:`cut` gives them, in Python alone.

    About twice as fast as jieba's own ``cut`` (see docs/performance.md).
    Each run of Chinese characters, letters and digits is segmented as
    jieba's ``__cut_DAG_NO_HMM`` (``get_DAG`` + ``calc``) does, in one
    backward pass: the words starting at ``k`` are found while the route from
    ``k`` is chosen, with no DAG dictionary, no generator and no tuple per
    edge. The arithmetic is jieba's, term for term (``log(freq) - logtotal +
    route``), and a tie goes to the longer word as jieba's ``max`` over
    ``(score, end)`` does, so the words are the same. The text between runs
    (punctuation, whitespace) is split as jieba's ``re_skip`` does.

    Args:
        text: Any text.

    Returns:
        Every token in order, whitespace and punctuation included.
    """
    return _cut(tokenizer(), text, None)


def _cut(tok: Any, text: str, mirror: segment_rs.Mirror | None) -> list[str]:
    global _LOGP
    get = tok.FREQ.get
    total = tok.total
    logtotal = log(total)
    stamp, logp = _LOGP
    if stamp != total or len(logp) > _LOGP_MAX:
        logp = {}
        _LOGP = (total, logp)
    known = logp.get
    absent = _ABSENT
    prefix = _PREFIX
    eng = _ENG
    skip = _SKIP
    cut_run = mirror.cut_run if mirror is not None else None
    out: list[str] = []
    append = out.append
    # A split with one group alternates: text between runs, a run, ...
    between = True
    for s in _HAN.split(text):
        if between:
            between = False
            if not s:
                continue
            if len(s) == 1 or skip.search(s) is None:  # no whitespace: one token a character
                out.extend(s)
                continue
            for x in skip.split(s):
                if skip.match(x):
                    append(x)
                else:
                    out.extend(x)
            continue
        between = True
        if cut_run is not None:  # one of jieba's runs, cut by jieba-rs alone
            out += cut_run(s, False)
            continue
        n = len(s)
        score = [0.0] * (n + 1)
        ends = [0] * n
        for k in range(n - 1, -1, -1):
            best: float | None = None
            best_end = i = k + 1
            frag = s[k]
            while True:
                lp = known(frag)
                if lp is None:
                    f = get(frag)
                    lp = logp[frag] = absent if f is None else log(f) - logtotal if f else prefix
                if lp is absent:  # s[k:i] is no word and no prefix of one
                    break
                if lp is not prefix:
                    v = lp + score[i]
                    if best is None or v >= best:
                        best = v
                        best_end = i
                if i == n:
                    break
                i += 1
                frag = s[k:i]
            if best is None:  # no word starts here: the character alone
                best = log(get(s[k]) or 1) - logtotal + score[k + 1]
            score[k] = best
            ends[k] = best_end
        x = 0
        buf = ""
        while x < n:
            y = ends[x]
            if y - x == 1 and s[x] in eng:  # single letters and digits run together
                buf += s[x]
            else:
                if buf:
                    append(buf)
                    buf = ""
                append(s[x:y])
            x = y
        if buf:
            append(buf)
    return out


def segment(text: str) -> list[str]:
    """Split text into words.

    Args:
        text: Normalised text (see :func:`nlp.normalize.normalize`).

    Returns:
        The tokens in order, whitespace tokens removed.
    """
    return [t for t in cut(text) if not t.isspace()]
