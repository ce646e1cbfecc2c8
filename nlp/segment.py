"""Word segmentation with jieba and the district's domain dictionary.

A dedicated :class:`jieba.Tokenizer` (not jieba's global one) is created on
first use, under a lock, with the user dictionary ``config/userdict.txt``
(agency names and policy terms such as 低保, 欠薪, 宅基地). jieba's own logging
is silenced. Segmentation runs without jieba's HMM new-word discovery: a word
that is not in a dictionary cannot match the lexicon anyway, and the HMM pass
costs about a quarter of the segmentation time.

jieba's prefix dictionary (about 500,000 words and prefixes) is kept in
:mod:`nlp.diskcache` as chunks of newline-joined words with an array of their
counts: reading that back takes a third of the time of jieba's own cache (a
marshalled dict), which was most of a cold start.
"""

from __future__ import annotations

import array
import logging
import re
import threading
from collections.abc import Iterable
from math import log
from pathlib import Path
from typing import Any

from nlp import diskcache

__all__ = [
    "USERDICT_PATH",
    "add_words",
    "cut",
    "pin_total",
    "search_grams",
    "segment",
    "tokenizer",
]

USERDICT_PATH = Path(__file__).resolve().parent.parent / "config" / "userdict.txt"
"""The domain user dictionary (one ``word [freq] [tag]`` per line)."""

_TOKENIZER: Any = None
_LOCK = threading.Lock()
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


def _dictionary_stamp(tok: Any) -> bytes:
    """What identifies the tokenizer's main dictionary: version, path, size, mtime."""
    import jieba

    path = Path(tok.dictionary or Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME)
    stat = path.stat()
    return f"{jieba.__version__}\0{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()


_CHUNK = 20_000
"""Words per cached chunk: the dictionary is rebuilt a chunk at a time, so
reading it needs little memory beyond the dictionary itself."""


def _cached_prefix_dictionary(stamp: bytes) -> tuple[dict[str, int], int] | None:
    entry = diskcache.load("jieba", stamp)
    if not (isinstance(entry, tuple) and len(entry) == 2):
        return None
    total, chunks = entry
    if not (isinstance(total, int) and isinstance(chunks, list)):
        return None
    freq: dict[str, int] = {}
    for chunk in chunks:
        if not (isinstance(chunk, tuple) and len(chunk) == 2):
            return None
        words, counts = chunk
        if not (isinstance(words, str) and isinstance(counts, bytes)):
            return None
        keys = words.split("\n")
        values = array.array("q")
        if len(counts) != len(keys) * values.itemsize:
            return None
        values.frombytes(counts)
        freq.update(zip(keys, values, strict=True))
    return freq, total


def _store_prefix_dictionary(stamp: bytes, freq: dict[str, int], total: int) -> None:
    words = list(freq)
    chunks = [
        (
            "\n".join(words[i : i + _CHUNK]),
            array.array("q", (freq[w] for w in words[i : i + _CHUNK])).tobytes(),
        )
        for i in range(0, len(words), _CHUNK)
    ]
    diskcache.store("jieba", stamp, (total, chunks))


def _load_prefix_dictionary(tok: Any) -> None:
    """Give ``tok`` its prefix dictionary, from the cache when it can."""
    try:
        stamp = _dictionary_stamp(tok)
    except OSError:
        tok.initialize()
        return
    cached = _cached_prefix_dictionary(stamp)
    if cached is not None:
        tok.FREQ, tok.total = cached
        tok.initialized = True
        return
    tok.initialize()
    _store_prefix_dictionary(stamp, tok.FREQ, tok.total)


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
    changed = 0
    with _LOCK:
        for word in words:
            if len(word) < 2:
                continue
            before = tok.FREQ.get(word) or 0
            if not before:
                tok.add_word(word, freq)
            if (tok.FREQ.get(word) or 0) < min_freq:
                tok.add_word(word, min_freq)
            changed += tok.FREQ.get(word) != before
        _forget_logp()
    return changed


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

    About twice as fast as jieba's own ``cut`` (see docs/performance.md);
    tests/test_nlp_segment_fast.py checks that both give the same tokens.

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
    global _LOGP
    tok = tokenizer()
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
