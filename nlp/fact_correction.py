"""A writer correcting a fact of what they just sent: 不对，是二十几户 (trial 34 #8).

Right after an officer's warning was filed, 不对，是二十几户 or 说错了，地点是和平路3号
corrects the warning: it is no new problem. A message is such a correction when it opens
with a correcting word (不对, 更正, 说错了, 应该是 …) and says what is right after it. A bare
不对 or 不是这个部门 (:func:`nlp.office_correction.is_office_correction`) says the office
is wrong and is not one; neither is 不对劲 nor 不是一天两天了 (no correcting word
followed by a pause or 是). Pure: no I/O.
"""

from __future__ import annotations

import re

from nlp.normalize import to_simplified
from nlp.office_correction import is_office_correction

__all__ = ["fact_correction"]

#: A correcting opening: the word, then a pause or 是 / 应该是 (不对，是…; 更正：…; 说错了，…).
_OPENING = re.compile(
    r"^(?:不对|不是|错了|说错了|写错了|打错了|搞错了|弄错了|更正一下|更正|纠正一下|纠正|订正|刚才说错了|刚才写错了)"
    r"(?:[，,。.！!：:；;、\s]+(?:应该是|应当是|是)?|(?:应该是|应当是|是))"
    r"|^(?:应该是|应当是|准确地说是|准确说是)"
)
#: What is left must say something (a digit or two Chinese characters at least).
_CONTENT = re.compile(r"\d|[\u4e00-\u9fff]{2,}")


def fact_correction(text: str) -> str | None:
    """The corrected fact of ``text`` (二十几户 of 不对，是二十几户), or ``None`` when
    ``text`` is no correction of a fact."""
    plain = to_simplified(text).strip()
    if not plain or is_office_correction(plain):
        return None
    m = _OPENING.match(plain)
    if m is None:
        return None
    rest = plain[m.end() :].strip(" ，,。.！!：:；;、")
    return rest if _CONTENT.search(rest) else None
