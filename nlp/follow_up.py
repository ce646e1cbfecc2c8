"""A follow-up (回访) answered in words instead of a button (trial 31 #13).

Elderly citizens type rather than tap: after 办结 of their case they write 还没拿到钱呢
窗口说要等 or 满意 谢谢你们. While the case waits for its 回访, such a short reply is
the follow-up's answer, taken as the button with the same meaning would be
(``bot.services.notification_labels.FOLLOW_UP_ANSWERS``): not solved reopens the
case with the words as the comment, satisfied closes it. Pure language judgement (moved
from ``bot/services/follow_up_words.py``, stop 32); the follow-up service calls it.

Families of wording, read in this order, so that a negation wins over the word it
negates (没解决 over 解决, 不满意 over 满意): unclear, not solved, solved but not
satisfied, basically satisfied, satisfied. An unclear answer (trial 33 D7) is partial
(钱给了一半, 修了一部分), unsure (不知道能不能拿到, 还没去看) or says both (还行吧 就是还没修好):
it answers nothing by itself; the bot echoes it and asks 已解决 / 部分解决 / 未解决.
A long text is a story, not an answer (a new problem), and is left to the usual path,
as is anything that names no family.
"""

from __future__ import annotations

import re

#: A partial or unsure answer: nothing is recorded before the citizen confirms it.
UNCLEAR = "unclear"
#: Longest reply read as a not-solved answer (还没拿到钱呢 窗口说要等 …).
MAX_UNSOLVED = 60
#: Longest reply read as satisfied (满意 谢谢你们); longer thanks may carry a new problem.
MAX_SATISFIED = 24

_UNSOLVED = re.compile(
    r"(还|仍|依然|依旧|根本)?(没|没有|未)(解决|办好|办成|弄好|修好|修|处理|落实|拿到|收到|到账|给|发|退|人来|人管|动静|变化|好)"
    r"|还(没|是)|还在等|等着呢|一直等|照样|老样子|又(坏|漏|堵|来|开始)|没用|不管用|白(跑|等)"
    r"|没人(来|管|理)|问题(还在|依旧|没变)"
)
_UNSATISFIED = re.compile(r"不满意|不太满意|不行|太慢|态度(不好|差|恶劣)|敷衍|糊弄|差评")
_BASIC = re.compile(r"基本满意|还行|还可以|凑合|一般般|马马虎虎|勉强")
#: Partly done (钱给了一半, 只修了一个, 解决了一部分), or the citizen cannot yet say
#: (不知道能不能拿到, 还没去拿, 说不好, 再看看).
_UNCLEAR = re.compile(
    r"一半|部分|有的.{0,6}有的|还差|还剩|没(全|完全|彻底)|不(全|彻底)|只(给|修|解决|退|发|办|拿|补|换|处理)"
    r"|不知道|不清楚|说不好|说不准|不确定|不一定|能不能|会不会|看看再说|再看看|等等看|还没去|没去(看|拿|问|试)"
)
#: A plain "not done" (没解决, 还没修好, 没有拿到): an unsure word beside it does not
#: make the answer unclear (review 3 P4).
_NOT_DONE = re.compile(r"(还|仍|依然|依旧|根本)?(没|没有|未)(解决|修好|办好|弄好|拿到|收到|到账)")
#: Part of it done (钱给了一半, 只修了一个): unclear even beside 没解决.
_PARTIAL = re.compile(
    r"一半|部分|有的.{0,6}有的|还差|还剩|没(全|完全|彻底)|不(全|彻底)|只(给|修|解决|退|发|办|拿|补|换|处理)"
)
#: Thanks beyond words (不知道怎么感谢你们, 不知道说什么好): gratitude, not an unsure
#: answer; read as 感谢 (review left34 #6). 不知道怎么办 is not in it.
_BEYOND_WORDS = re.compile(
    r"(?:真的?|实在|都|简直)?不知道(?:该|要)?(?:"
    r"(?:怎么|怎样|如何|咋)(?:样)?(?:来)?(?:感谢|谢谢|谢|报答|答谢|表达(?:感谢|谢意|感激)?)"
    r"(?:你们|您们|您|你|大家|政府|各位)?(?:才好|好|了)?"
    r"|说(?:什么|啥)(?:好|才好)?)"
)
_SATISFIED = re.compile(
    r"满意|谢谢|多谢|感谢|辛苦|解决了|修好了|办好了|弄好了|好了|拿到了|收到了|到账了"
    r"|很好|挺好|不错|点赞|给力|可以了"
)


def follow_up_answer(text: str) -> str | None:
    """The follow-up answer ``text`` gives (a key of ``FOLLOW_UP_ANSWERS``, or
    :data:`UNCLEAR`: to be confirmed by the citizen), or ``None``.

    >>> follow_up_answer("还没拿到钱呢 窗口说要等")
    'unsolved'
    >>> follow_up_answer("满意 谢谢你们")
    'satisfied'
    >>> follow_up_answer("不满意，拖了一个月")
    'unsatisfied'
    >>> follow_up_answer("还行吧")
    'basically_satisfied'
    >>> follow_up_answer("还行吧，钱给了一半")
    'unclear'
    >>> follow_up_answer("还没去拿呢，不知道能不能拿到")
    'unclear'
    >>> follow_up_answer("还没解决，能不能快点")
    'unsolved'
    >>> follow_up_answer("没修好，不知道找谁")
    'unsolved'
    >>> follow_up_answer("没解决，只修了一半")
    'unclear'
    >>> follow_up_answer("满意，不知道怎么感谢你们")
    'satisfied'
    >>> follow_up_answer("满意，不知道怎么办")
    'unclear'
    >>> follow_up_answer("我家楼下的路灯坏了") is None
    True
    """
    words = _BEYOND_WORDS.sub("感谢", "".join(text.split()))
    if not words:
        return None
    # 还没解决，能不能快点 / 没修好，不知道找谁: the unsure word asks something else; the
    # answer is a plain not solved (review 3 P4), unless part of it is done (一半, 部分).
    plainly_unsolved = _NOT_DONE.search(words) is not None and not _PARTIAL.search(words)
    if (
        len(words) <= MAX_UNSOLVED
        and not plainly_unsolved
        and (_UNCLEAR.search(words) or (_BASIC.search(words) and _UNSOLVED.search(words)))
    ):
        return UNCLEAR
    if len(words) <= MAX_UNSOLVED and _UNSOLVED.search(words):
        return "unsolved"
    if len(words) <= MAX_UNSOLVED and _UNSATISFIED.search(words):
        return "unsatisfied"
    if len(words) <= MAX_SATISFIED and _BASIC.search(words):
        return "basically_satisfied"
    if len(words) <= MAX_SATISFIED and _SATISFIED.search(words):
        return "satisfied"
    return None
