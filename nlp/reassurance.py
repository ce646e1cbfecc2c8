"""A reassuring goodbye: the person says they will live on (pure; trial 34 #12).

谢谢你们，我会好好活着的，再见 from someone whose self-harm case closed is the polite
goodbye the README says is no sign, not a farewell of life. Only clear reassurance
(会好好活着, 不会做傻事, 放心吧我没事, 会照顾好自己 …) with nothing else but thanks,
acknowledgement and a bare 再见 clears it: any farewell-of-life wording beside it
(下辈子再见, 永别了, 最后一次, 帮我跟我妈说声对不起 …) leaves what is left no polite goodbye,
and the alarm stands (safety is asymmetric). Kept apart from :mod:`nlp.farewell`,
which says what a farewell is.
"""

from __future__ import annotations

import re

from nlp.farewell import polite_goodbye
from nlp.normalize import to_simplified

__all__ = ["reassured_goodbye"]

#: Words that say the writer will live on and look after themselves.
_REASSURANCE_RE = re.compile(
    r"(?:我|我们)?(?:以后|今后|从今以后)?(?:一定|肯定|还)?会(?:好好|继续|努力)(?:地|的)?"
    r"(?:活着|活下去|生活|过日子|照顾好?自己|保重自己)(?:的|了)?"
    r"|(?:我|我们)?(?:一定|肯定|再也)?不会(?:再)?(?:做傻事|想不开|干傻事)(?:的|了)?"
    r"|(?:你们|大家)?放心(?:吧|好了)?(?:我)?(?:没事|挺好|好多了)(?:的|了)?"
    r"|(?:我)?(?:现在)?(?:已经)?(?:没事|好多)了"
)


def reassured_goodbye(text: str) -> bool:
    """Whether ``text`` is a reassurance with at most thanks and a polite goodbye.

    >>> reassured_goodbye("谢谢你们，我会好好活着的，再见")
    True
    >>> reassured_goodbye("放心吧我没事，谢谢")
    True
    >>> reassured_goodbye("我会好好活着的，下辈子再见")
    False
    >>> reassured_goodbye("谢谢你们，再见")
    False
    """
    simple = to_simplified(text.strip())
    rest, found = _REASSURANCE_RE.subn("", simple)
    return found > 0 and (not rest.strip(" ，,。.!！~～、") or polite_goodbye(rest))
