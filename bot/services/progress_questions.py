"""A citizen's short question about a case already filed (trial 27 N4, trial 28 P6).

Answered with their status (as /status), never proposed as a new request. Moved out of
:mod:`bot.services.triage` (stop 29) to keep that module on one concern: danger, small talk
and reasons.
"""

from __future__ import annotations

import re

#: A citizen asking how their case is going (trial 27 N4): 怎么样了, 进展, 有结果了吗,
#: 办到哪了, 有消息吗, 处理了没有 …
#: Widened by class (trial 33 D11), each in colloquial forms too:
#: - the state asked, with its particle (咋样了, 怎样啦, 如何了 — 这个政策咋样 asks no progress);
#: - news asked (有信儿没, 有动静吗, 有下文没, 有回音了吗 — 有信号没 is no news);
#: - the work asked done, the question ending the clause (弄好没, 修好了没有, 搞定了吗 —
#:   修好没几天又坏了 and 弄好了没人管 tell a problem, the question word not at the end).
#:   修/办/弄 need their completion word (修好没, not 修没) and an ability question
#:   (能修吗, 可以处理吗) is a request, not a progress question (review 3 P3).
_END = r"(?=[？?。！!，,~～\s]|$)"
_PROGRESS_RE = re.compile(
    r"怎么样了|(?:怎么样|咋样|怎样|如何|啥样)(?:了|啦)[吗呢呀啊]?"
    + _END
    + r"|进展|进度|有结果了?[吗没嘛]|结果呢|办到哪|处理到哪"
    r"|到哪一步|有消息了?[吗没嘛]|有回复了?[吗没嘛]|什么时候能?(?:办好|解决|处理)"
    r"|有(?:信儿?|信息|回音|回信|下文|动静|着落|眉目)了?(?:吗|没有?|嘛|么)"
    r"|(?<!能)(?<!可以)(?<!会)(?:(?:弄|办|修|搞|整)(?:好|完|定|妥)|(?:处理|解决|落实|回复|答复)"
    r"(?:好|完|定|妥)?)了?(?:吗|没有?|嘛|么)" + _END
)
#: Longer texts describe a problem, whatever words of progress they hold.
MAX_PROGRESS_QUESTION = 30


def is_progress_question(text: str) -> bool:
    """Whether ``text`` is a short question about the progress of a case already filed.

    「请问学校那个事情现在怎么样了」, 「我反映的问题有进展吗」: asked by a citizen who
    has open cases, it is answered with their status (as /status), not proposed as a
    new request.
    """
    bare = text.strip()
    return 0 < len(bare) <= MAX_PROGRESS_QUESTION and _PROGRESS_RE.search(bare) is not None


#: Words around a progress question that name no problem (请问, 我反映的那个事情 …).
_PROGRESS_FILLER_RE = re.compile(
    r"请问|麻烦|你好|您好|我们|我的|我|反映|提交|投诉|举报|报的|问题|事情|事儿|事|那个|这个|那件|这件"
    r"|上次|上回|之前|前几天|前两天|办得|办的|弄得|处理得|到底"
    r"|现在|目前|到底|究竟|一下|已经|了|吗|呢|啊|呀|吧|嘛|的|没有|有没有|有|是|还|都|在"
)
#: Meaningful characters left that still describe no problem (学校那个事情: 学校).
MAX_BARE_REST = 4


def is_bare_progress_question(text: str) -> bool:
    """A progress question that describes no problem: 有进展吗, 我反映的问题怎么样了.

    From a citizen with no case open it is answered "you have no open case, and how
    to file one", never proposed as a new request (trial 28 P6); 楼道灯坏了一个月了，
    解决了吗 describes a problem and is proposed as one.
    """
    if not is_progress_question(text):
        return False
    rest = _PROGRESS_FILLER_RE.sub("", _PROGRESS_RE.sub("", text))
    return sum(ch.isalnum() for ch in rest) <= MAX_BARE_REST


#: A case number as the bot gives it (MQ20261208-0001).
_CASE_NUMBER_RE = re.compile(r"MQ\d{8}-\d{4,}", re.IGNORECASE)
#: Words that, beside a case number, only ask about it (MQ… 什么情况, 查一下MQ…).
_ABOUT_NUMBER_RE = re.compile(
    r"/status|什么情况|啥情况|怎么样|怎样了|情况如何|如何了|一步|查一下|查查|查询|查|看看|状态|编号|案件|号"
)


def asked_case_number(text: str) -> str | None:
    """The case number ``text`` asks about, upper-cased, or None.

    A number sent alone (MQ20261208-0001, /status MQ…) or inside a short question that
    describes nothing else (请问MQ20261208-0001现在怎么样了, MQ… 什么情况, 查一下MQ…)
    asks to see that case (trial 32 D1, D17); MQ… 又漏水了 tells something new and is
    not taken here.
    """
    match = _CASE_NUMBER_RE.search(text)
    if match is None or len(text.strip()) > MAX_PROGRESS_QUESTION + len(match.group(0)):
        return None
    rest = text[: match.start()] + text[match.end() :]
    rest = _PROGRESS_FILLER_RE.sub("", _ABOUT_NUMBER_RE.sub("", _PROGRESS_RE.sub("", rest)))
    if sum(ch.isalnum() for ch in rest) > 0:
        return None
    return match.group(0).upper()


#: Who comes to an emergency: 消防车, 救护车, 警察, 你们的人, 人 …
_RESPONDERS = (
    r"(?:消防车|消防队|消防员|消防|救护车|救护|急救|医生|警车|警察|民警|公安|派出所"
    r"|你们的?人|你们|人)"
)
#: Someone waiting for the help an emergency was promised (trial 31 #9): 消防车怎么还没来,
#: 救护车到哪了, 警察什么时候到, 还要等多久 — a question about the open emergency, not a
#: new problem (消防 is a word the classifier would otherwise route).
#: The responder and its arrival in one clause (给别人种，合同还没到期 is no one waiting:
#: fix31), and an arrival, not a date or a sum (还没到期, 还没到账, 还没到位).
_SAME_CLAUSE = r"[^，,。！？!?；;、\s]"
#: Not an arrival to repair or install something (还没来修, 还没来换: a routine complaint).
_ARRIVES = r"(?:来|到|出动|过来)(?![期账款位手点时修换装收])"
_WAITING_RE = re.compile(
    rf"{_RESPONDERS}{_SAME_CLAUSE}{{0,4}}(?:怎么还没|还没|怎么还不|还不|咋还没|咋还不)(?:有)?{_ARRIVES}"
    rf"|{_RESPONDERS}{_SAME_CLAUSE}{{0,4}}(?:什么时候|几时|多久|多长时间)(?:能|才)?{_ARRIVES}"
    rf"|{_RESPONDERS}{_SAME_CLAUSE}{{0,2}}(?:到哪了|到哪里了|在哪了|在哪里了|出发了[吗没嘛])"
    rf"|还要(?:等)?多久|要等多久|等了{_SAME_CLAUSE}{{0,6}}(?:还没|没人){_ARRIVES}"
)


#: The emergency services by name: a question about them is about the emergency whoever
#: else it names.
_EMERGENCY_RESPONDERS_RE = re.compile(r"消防|救护|急救|医生|警|公安|派出所|110|119|120")
#: Someone a routine complaint waits for (物业的人还没来修, 师傅还没到): not the help an
#: emergency was promised (stop 32 #3).
_ROUTINE_PARTY_RE = re.compile(
    r"物业|维修|师傅|工人|施工|装修|保洁|保安|社区|居委|街道|快递|外卖|城管|房东|中介|客服|老板"
    r"|供电|供水|燃气公司|电工|水工"
)


def asks_for_help(text: str) -> bool:
    """Whether ``text`` is a short question of someone waiting for help to arrive: the
    emergency services or the people sent to the emergency (你们的人), not a routine
    party (物业的人还没来修 is a complaint that repairs wait: stop 32 #3).

    >>> asks_for_help("消防车怎么还没来？？")
    True
    >>> asks_for_help("消防通道被堵了")
    False
    >>> asks_for_help("物业的人还没来修")
    False
    """
    bare = text.strip()
    if not 0 < len(bare) <= MAX_PROGRESS_QUESTION or _WAITING_RE.search(bare) is None:
        return False
    return (
        _EMERGENCY_RESPONDERS_RE.search(bare) is not None or _ROUTINE_PARTY_RE.search(bare) is None
    )
