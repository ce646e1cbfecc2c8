"""Clauses, sentences and negation in a normalised text (issue 13).

The rubric reads time, plans, risk and negation clause by clause: a clause ends
at a comma or a stop, a sentence at a stop. :mod:`nlp.families` matches the
rubric's families with these; :mod:`nlp.letters`, :mod:`nlp.background`,
:mod:`nlp.severity` and :mod:`nlp.danger_owner` read the same bounds.

A negation counts right before an expression (暂无冲突, 未聚集), or a longer one
earlier in its clause (暂未发生肢体冲突), unless a consequence follows it (不给钱
就堵路, 没有办法只好聚集).

Pure functions, no dependency within the project.
"""

from __future__ import annotations

import re

__all__ = ["SENTENCE_ENDS", "clause_around", "clause_before", "negated_at", "sentence_of"]

SENTENCE_ENDS = "。；！？;!?\n"
_CLAUSE_ENDS = "，。；！？、,.;!? \n"
_NEGATIONS = ("无", "未", "没", "不", "非", "别")
_LONG_NEGATIONS = (
    "暂未",
    "暂无",
    "尚未",
    "并未",
    "未发生",
    "没发生",
    "没有",
    "并没",
    "不是",
    "未见",
    # nobody found doing it (目前未发现有人串联; stop 30)
    "未发现有人",
    "没发现有人",
    # the south-western 莫得 / 没得 for 没有 (莫得人受伤), and nobody saying they will act: the
    # 要 of 说要 is what is denied, no consequence (没有人说要去上访; stop 35, dialect35)
    "莫得",
    "没人说要",
    "没有人说要",
    "莫得人说要",
    "没得人说要",
)
_CONSEQUENCES = ("就", "只能", "只好", "只得", "才", "要", "想")
# Words that hold a negation character but deny nothing (不见了只剩鞋,
# 叫不醒, 止不住, 出不去): blanked before negations are looked for.
_NOT_DENIALS = re.compile(
    "不见|不停|不断|不醒|不肯|不住|不动|不了|不去|不来|不下|不上|不出|不过气|不起|不稳|不省|没了|没命|没气|没呼吸|没反应|没动静"
    "|莫得气|没得气|莫得呼吸|没得呼吸|莫得心跳|没得心跳|莫得反应|没得反应|莫得动静|没得动静"
)


_CLAUSE_SPLIT = re.compile("[" + re.escape(_CLAUSE_ENDS) + "]")


def clause_before(text: str, start: int, width: int = 8) -> str:
    """Up to ``width`` characters before ``start``, within the same clause."""
    return _CLAUSE_SPLIT.split(text[max(0, start - width) : start])[-1]


# The last separator before a place: a greedy run then a separator, matched in
# text[:place] (the run gives back one character at a time from the place, in C).
_LAST_CLAUSE_END = re.compile("(?s).*[" + re.escape(_CLAUSE_ENDS) + "]")
_SENTENCE_END = re.compile("[" + re.escape(SENTENCE_ENDS) + "]")
_LAST_SENTENCE_END = re.compile("(?s).*[" + re.escape(SENTENCE_ENDS) + "]")


def _bounds(
    text: str, start: int, end: int, last: re.Pattern[str], first: re.Pattern[str]
) -> tuple[int, int]:
    """Just after the last separator before ``start``, and the first at or after ``end``.

    As ``max(text.rfind(c, 0, start) for c in ends) + 1`` and the smallest
    ``text.find(c, end)`` found (else ``len(text)``), in two searches.
    """
    if start < 0:  # str's negative indexes, which re does not read
        start = max(0, start + len(text))
    if end < 0:
        end = max(0, end + len(text))
    m = last.match(text, 0, start)
    n = first.search(text, end)
    return (m.end() if m is not None else 0), (n.start() if n is not None else len(text))


def clause_around(text: str, start: int) -> str:
    """The clause (between commas or stops) that holds ``text[start]``."""
    lo, hi = _bounds(text, start, start, _LAST_CLAUSE_END, _CLAUSE_SPLIT)
    return text[lo:hi]


def negated_at(text: str, start: int) -> bool:
    """True if the expression at ``start`` follows a negation.

    A negation character just before it (暂无冲突, 未聚集), or a longer
    negation earlier in the same clause (暂未发生肢体冲突) unless a
    consequence follows that negation (不给钱就堵路, 没有办法只好聚集).
    """
    before = _NOT_DENIALS.sub("__", clause_before(text, start, 3))
    clause = _NOT_DENIALS.sub("__", clause_before(text, start))
    for neg in _LONG_NEGATIONS:
        if neg in clause and not any(c in clause.partition(neg)[2] for c in _CONSEQUENCES):
            return True
    # 不想活 / 活不下去 are themselves expressions; a short negation only
    # counts right before the expression, not inside a longer phrase.
    return any(
        neg in before and not any(c in before.partition(neg)[2] for c in _CONSEQUENCES)
        for neg in _NEGATIONS
    )


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[start:end]``."""
    return _bounds(text, start, end, _LAST_SENTENCE_END, _SENTENCE_END)
