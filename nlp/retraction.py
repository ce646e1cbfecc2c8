"""Words that take a matter back, and their look-alikes (issue 13, stop 26).

``[modifiers] retracted`` (开玩笑, 没事了) and ``settled`` (调解好了, 已化解) make a
message low or give it no emergency line. Some phrases hold such a word and take
nothing back (``[modifiers] not_taken_back``): 大家都以为没事了。刚才她…拧开就喝 tells
a belief that proved wrong; 拿安全生产制度来开玩笑 accuses an office of making light of
safety. :func:`said_back` blanks them, as a family's ``exclude`` does for its words.

Pure functions over a :class:`nlp.rubric.Rubric`.
"""

from __future__ import annotations

import re

from nlp.family_index import trie_pattern
from nlp.rubric_model import Rubric

__all__ = ["said_back"]

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
