"""A citizen correcting the proposed office: 不是这个部门, 不对, 换一个 (dfx21).

After the bot proposes an office for a problem, a short reply such as 不对 or
不是这个部门 says the office is wrong; it is no detail of the problem and must not
be appended to the description (as a short follow-on is, trial 28 P7). A reply
that only corrects, or names the office it should be (不对，应该是劳动局), is a
correction; one that says more about the problem (不是一天两天了, 地址是和平路3号,
物业不管) is not. Pure: no I/O.
"""

from __future__ import annotations

import re

from nlp.normalize import to_simplified

__all__ = ["MAX_CORRECTION", "is_office_correction"]

#: The longest reply read as a correction (a compact text, punctuation left out).
MAX_CORRECTION = 16

#: Words that say the proposal is wrong or ask for another office.
_CUE = re.compile(
    "不对|不是|错了|搞错|弄错|分错|选错|转错|找错|说错|不归|不属于|不该|不应该|"
    "换一个|换一家|换个|换部门|换别的|换其他|另一个|另外一个|其他部门|别的部门|重新选|重选|"
    "有误|不准确|不准|不合适|应该是|应该找|应该归|应该由|应当是|应由|要找"
)
#: What else a bare correction says: pointers, the office in general, fillers.
_FRAME = re.compile(
    "这个|那个|这里|那里|这边|那边|你们|我们|他们|部门|单位|地方|窗口|管的|管|负责|的事|事情|事|"
    "应该是|应该|应当|是|找|归|属于|给|帮|请|麻烦|一下|下|再|重新|选|换|个|一|别|其他|其它|另|外|"
    "家|好像|感觉|觉得|可能|吧|啊|呀|了|呢|吗|嘛|哦|噢|的|我|你|他|它|这|那|不|对|错|吧|诶|哎"
)
#: An office named in the correction (劳动局, 住建局, 法院, 街道办, 城管 …).
_OFFICE = re.compile(
    "[\u4e00-\u9fff]{1,4}(?:局|院|派出所|所|中心|服务室|工作站|街道办|办事处|街道|社区)|"
    "城管|公安|警察|交警|消防|环保|信访|计生|法院|司法"
)
_NOT_WORD = re.compile(r"[\W_\d]+", re.UNICODE)


def is_office_correction(text: str) -> bool:
    """Whether ``text`` (a reply to an office proposal) says the office is wrong.

    True for 不对, 不是这个部门, 换一个, 部门不对, 这个不归你们管, 不是住建局的事,
    不对，应该是劳动局; False for details of the problem and for anything longer
    than :data:`MAX_CORRECTION` characters (punctuation not counted).
    """
    compact = _NOT_WORD.sub("", to_simplified(text))
    if not compact or len(compact) > MAX_CORRECTION:
        return False
    if _CUE.search(compact) is None:
        return False
    rest = _CUE.sub("", compact)
    rest = _OFFICE.sub("", rest)
    rest = _FRAME.sub("", rest)
    return not rest
