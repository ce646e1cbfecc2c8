"""The public place a danger is told at (stop 35 D9, review 35d F3).

An officer's warning of someone about to jump from a shopping centre's roof
(东城商场楼顶有一名男子站在边上扬言要跳楼) names a place the station that reported it needs
to act on; that station reads the place beside the privacy summary, never the full text.
"""

from __future__ import annotations

import re

from nlp.normalize import normalize

__all__ = ["place_phrase"]

_PUBLIC = re.compile(
    r"商场|超市|楼顶|天台|大桥|桥上|桥边|河边|江边|湖边|海边|水库|广场|公园|马路|路口|路边|街上|车站|地铁"
    r"|高架|大楼|大厦|写字楼|工地|塔吊|脚手架|广告牌|菜市场|市场|医院|学校|校门|门口|站台|码头|景区"
)

#: A public word with the few words before it that name it (东城商场, 12号楼天台); no name
#: before 在 and no clause beyond a comma.
_PHRASE = re.compile(r"[^\s，。！？、；：,.!?;:()（）在有是的说]{0,6}?(?:" + _PUBLIC.pattern + ")")


def place_phrase(text: str) -> str:
    """The public place ``text`` names (its first), or ``""`` (review 35d F3).

    >>> place_phrase("东城商场楼顶有一名男子站在边上扬言要跳楼")
    '东城商场'
    >>> place_phrase("老王说不想活了")
    ''
    """
    found = _PHRASE.search(normalize(text[:2000]))
    return found.group(0) if found is not None else ""
