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

from nlp import classify

# ``nlp`` re-exports the function ``segment`` under the module's own name.
_segment = importlib.import_module("nlp.segment")


def dictionary_size() -> tuple[int, int]:
    """How many entries the process-wide dictionary holds, and its total count."""
    tok = _segment.tokenizer()
    return len(tok.FREQ), int(tok.total)


@contextmanager
def dictionary_restored() -> Iterator[None]:
    """On leaving, undo every word added to or raised in the process-wide dictionary.

    The district's own lexicon is compiled first (its keywords added, :func:`nlp.classify`),
    so that a first compile inside the block is not undone with the edited lexicon's words:
    the compiled lexicon is cached for the process, its words would not come back, and a
    later test in the same worker would cut 油烟熏 as 油|烟熏 (CI, stop 35)."""
    classify("楼下烧烤油烟熏人")
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
