"""jieba's prefix dictionary kept in :mod:`nlp.diskcache` (used by :mod:`nlp.segment`).

The dictionary (about 500,000 words and prefixes) is stored as chunks of
newline-joined words with an array of their counts: reading that back takes a
third of the time of jieba's own cache (a marshalled dict), which was most of
a cold start.
"""

from __future__ import annotations

import array
from pathlib import Path
from typing import Any

from nlp import diskcache

__all__ = ["load_prefix_dictionary"]


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


def load_prefix_dictionary(tok: Any) -> None:
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
