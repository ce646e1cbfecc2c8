"""Words that take a matter back, and their look-alikes (issue 13, stop 26).

``[modifiers] retracted`` (开玩笑, 没事了) and ``settled`` (调解好了, 已化解) make a
message low or give it no emergency line. Some phrases hold such a word and take
nothing back (``[modifiers] not_taken_back``): 大家都以为没事了。刚才她…拧开就喝 tells
a belief that proved wrong; 拿安全生产制度来开玩笑 accuses an office of making light of
safety. :func:`said_back` blanks them, as a family's ``exclude`` does for its words.

A settlement settles what is told before it: a threat told after it, again (又, 今天, 现在 …:
派出所已经处理完了，今天李家儿子又在村口说要报复), is a new matter (:func:`renewed`, stop 30).

Pure functions over a :class:`nlp.rubric.Rubric`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from nlp.family_index import trie_pattern
from nlp.rubric_model import Family, Rubric

__all__ = ["RENEWED_BY", "renewed", "said_back"]

RENEWED_BY = ("又", "今天", "今早", "今晚", "现在", "刚才", "刚刚", "再次", "这会儿", "还在")
"""Words that tell a matter come up again after its settlement."""


class _Found(Protocol):
    """What is read of a family matched (:class:`nlp.families.Match`)."""

    @property
    def family(self) -> Family: ...

    @property
    def words(self) -> tuple[str, ...]: ...

    @property
    def past(self) -> bool: ...

    @property
    def hearsay(self) -> bool: ...


_PATTERNS: list[tuple[Rubric, re.Pattern[str] | None]] = []


def said_back(text: str, rub: Rubric) -> str:
    """``text`` with every ``not_taken_back`` phrase blanked (a separator)."""
    if _PATTERNS and _PATTERNS[0][0] is rub:
        pattern = _PATTERNS[0][1]
    else:
        words = {w for w in rub.not_taken_back if w}
        pattern = re.compile(trie_pattern(words)) if words else None
        _PATTERNS[:] = [(rub, pattern)]
    return pattern.sub("，", text) if pattern is not None else text


def renewed(text: str, settled: Sequence[str], matches: Sequence[_Found]) -> list[_Found]:
    """The matches told after the last ``settled`` word of ``text``, with a word between of
    the matter come up again (:data:`RENEWED_BY`) and not themselves in the past or heard:
    派出所已经处理完了，今天李家儿子又在村口说要报复 — the threat is new, not settled."""
    last = max((text.rfind(w) + len(w) for w in settled if w in text), default=-1)
    if last < 0:
        return []
    found = []
    for m in matches:
        if m.past or m.hearsay:
            continue
        # Any expression of the family after the settlement (要找镇长算账…调解成功了…又嚷着要报复).
        at = [p for w in m.words if (p := text.find(w.split("…")[0], last)) >= 0]
        if any(any(w in text[last:p] for w in RENEWED_BY) for p in at):
            found.append(m)
    return found
