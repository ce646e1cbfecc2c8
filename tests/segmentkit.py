"""Keep the process-wide segmenter as a test found it.

Loading a lexicon adds its keywords to the one jieba tokenizer every classification in the
process shares (``nlp.segment.add_words``). A test that loads an edited lexicon would leave
its words behind for whatever test the same worker runs next; :func:`dictionary_restored`
takes them out again.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

# ``nlp`` re-exports the function ``segment`` under the module's own name.
_segment = importlib.import_module("nlp.segment")


def dictionary_size() -> tuple[int, int]:
    """How many entries the process-wide dictionary holds, and its total count."""
    tok = _segment.tokenizer()
    return len(tok.FREQ), int(tok.total)


@contextmanager
def dictionary_restored() -> Iterator[None]:
    """On leaving, undo every word added to or raised in the process-wide dictionary."""
    tok = _segment.tokenizer()
    freq: dict[str, int] = tok.FREQ
    saved, total = dict(freq), tok.total
    try:
        yield
    finally:
        for word in [w for w, n in freq.items() if saved.get(w) != n]:
            if word in saved:
                freq[word] = saved[word]
            else:
                del freq[word]
        tok.total = total
        _segment._forget_logp()  # its tables were made for the dictionary just undone
