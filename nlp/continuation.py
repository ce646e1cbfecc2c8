"""Wording that ties a message to the danger its writer told just before (stop 32 #1, #2).

A citizen who wrote 有人受伤了 and then 是被人拿刀砍的 explains the same event: the second
message says how the harm told first came about. 又有一个人被困在里面了, 火还在烧,
他又回来了 go on with what was told. 我妈晕倒了 没有呼吸 after a fire ties itself to
nothing: it is another event. Pure language judgement; the emergency-joining rule
(:mod:`bot.services.emergency_join`) decides with it. Regular expressions a reviewer can
read: the classes are few.
"""

from __future__ import annotations

import re

from nlp.normalize import danger_text

#: Each class of wording that continues what was told before.
CONTINUES_PATTERNS: tuple[re.Pattern[str], ...] = (
    # An explanation of the harm told: 是被人拿刀砍的, 是被车撞的, 被他打的, 是他捅的.
    re.compile(
        r"^(?:是|就是|都是)?被[^，。！？,.!?\s]{0,12}的|^(?:是|就是|都是)[^，。！？,.!?\s]{1,10}的(?:[，。！？,.!?\s]|$)"
    ),
    re.compile(r"^(?:因为|原因是|起因是)"),
    # Going on: 还在烧, 仍在, 又有一个人, 越来越大, 越烧越旺, 更严重了.
    re.compile(
        r"还在|仍在|仍然|依然|又|越来越|越[^，。！？,.!?\s]{1,2}越|更(?:大|多|严重|厉害|猛)了?"
    ),
    # Back to the person or the thing already told: 他/她/那个人/那人/凶手/伤者/伤员.
    re.compile(r"^(?:他|她|那个人|那人|那个男的|那个女的|凶手|伤者|伤员|受伤的人)"),
)


def continues_earlier(text: str) -> bool:
    """Whether ``text`` words itself as going on with the danger told just before it.

    >>> continues_earlier("是被人拿刀砍的")
    True
    >>> continues_earlier("火越烧越旺了")
    True
    >>> continues_earlier("我妈晕倒了 没有呼吸")
    False
    """
    bare = danger_text(text).strip()
    return any(p.search(bare) for p in CONTINUES_PATTERNS)
