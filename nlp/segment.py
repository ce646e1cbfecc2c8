"""Word segmentation with jieba and the district's domain dictionary.

A dedicated :class:`jieba.Tokenizer` (not jieba's global one) is created on
first use, under a lock, with the user dictionary ``config/userdict.txt``
(agency names and policy terms such as 低保, 欠薪, 宅基地). jieba's own logging
is silenced. Segmentation runs without jieba's HMM new-word discovery: a word
that is not in a dictionary cannot match the lexicon anyway, and the HMM pass
costs about a quarter of the segmentation time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["USERDICT_PATH", "add_words", "segment", "tokenizer"]

USERDICT_PATH = Path(__file__).resolve().parent.parent / "config" / "userdict.txt"
"""The domain user dictionary (one ``word [freq] [tag]`` per line)."""

_TOKENIZER: Any = None
_LOCK = threading.Lock()


def _build() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
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


def add_words(words: Iterable[str], freq: int | None = None) -> int:
    """Make sure that each word comes out of segmentation as one token.

    Words already known to the dictionary with a non-zero frequency are left
    alone. Used by the classifier for lexicon phrases that are missing from
    ``config/userdict.txt``, so a district that only edits the lexicon still
    gets its phrases matched.

    Args:
        words: Words to add.
        freq: Frequency to give each new word; ``None`` lets jieba choose one
            that makes the word come out whole.

    Returns:
        How many words were added.
    """
    tok = tokenizer()
    added = 0
    with _LOCK:
        for word in words:
            if len(word) > 1 and not tok.FREQ.get(word):
                tok.add_word(word, freq)
                added += 1
    return added


def segment(text: str) -> list[str]:
    """Split text into words.

    Args:
        text: Normalised text (see :func:`nlp.normalize.normalize`).

    Returns:
        The tokens in order, whitespace tokens removed.
    """
    return [t for t in tokenizer().lcut(text, HMM=False) if not t.isspace()]
