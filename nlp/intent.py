"""Messages that are not requests: greetings, thanks, noise, vague openings.

你好, 谢谢, 123, 👍 or 好的 deserve a short friendly answer with the menu,
never a room or a 提交 button; 我有个问题 or 我要投诉 is too vague to route
and deserves one question back. :func:`classify_intent` tells them apart
from real requests, however short (路灯坏了, 欠薪, 噪音扰民 stay requests).

The method is subtractive: the message is stripped of punctuation, emoji and
filler particles, then of greeting, thanks, acknowledgement and vague-opening
phrases; what is left decides. If anything else is left, it is a request —
a word the lists do not know is never taken for small talk.
"""

from __future__ import annotations

import re
from typing import Literal

from nlp.normalize import normalize

__all__ = ["VAGUE_QUESTION", "Intent", "classify_intent"]

Intent = Literal["greeting", "thanks", "noise", "vague", "request"]

VAGUE_QUESTION = "请问您想反映什么事情？请说明发生了什么、在哪里，我们会转给负责的部门。"
"""The one question asked back for a vague message (Simplified Chinese)."""

_GREETINGS = (
    "你好",
    "您好",
    "你们好",
    "大家好",
    "早上好",
    "上午好",
    "中午好",
    "下午好",
    "晚上好",
    "早安",
    "晚安",
    "早",
    "在吗",
    "有人没",
    "小助手",
    "是人工吗",
    "人工",
    "在不在",
    "在么",
    "在线吗",
    "在线不",
    "有人在线吗",
    "有人不",
    "人呢",
    "有人吗",
    "有人在吗",
    "哈喽",
    "哈罗",
    "嗨",
    "喂",
    "hello",
    "hi",
    "hey",
    "同志",
    "领导",
    "工作人员",
    "客服",
    "智能客服",
    "人工客服",
    "在线客服",
    "机器人",
    "老师",
    "打扰了",
    "打扰一下",
    "请问",
    "新年好",
    "新年快乐",
    "过年好",
    "春节好",
    "春节快乐",
    "节日快乐",
    "节日好",
    "中秋快乐",
    "中秋节快乐",
    "国庆快乐",
    "元旦快乐",
    "端午安康",
    "周末愉快",
    "吃了吗",
    "你是谁",
    "你是机器人吗",
    "是机器人吗",
    "你是真人吗",
    "是真人吗",
    "start",
    "/start",
)
_THANKS = (
    "谢谢",
    "谢啦",
    "谢了",
    "谢过",
    "感恩",
    "感激",
    "感激不尽",
    "万分感谢",
    "谢谢你",
    "谢谢您",
    "谢谢你们",
    "多谢",
    "感谢",
    "感谢你们",
    "感谢你们的帮助",
    "谢谢你们的帮助",
    "谢谢帮助",
    "感谢帮助",
    "非常感谢",
    "太感谢了",
    "辛苦了",
    "辛苦",
    "麻烦了",
    "麻烦你们了",
    "thanks",
    "thankyou",
    "thanku",
    "thx",
    "tks",
    "3q",
    "3x",
    "好人一生平安",
    "一生平安",
    "祝你们工作顺利",
    "工作顺利",
    "身体健康",
    "万事如意",
    "生活愉快",
    "非常满意",
    "很满意",
    "特别满意",
    "满意",
    "点个赞",
    "给你们点个赞",
    "给你们点赞",
    "为你们点赞",
    "点赞",
    "好评",
    "太好了",
    "问题已经解决了",
    "问题解决了",
    "的帮忙",
    "的帮助",
    "已经解决了",
    "解决了",
)
_ACKS = (
    "好的",
    "好",
    "嗯",
    "嗯嗯",
    "哦",
    "噢",
    "喔",
    "哦哦",
    "行",
    "可以",
    "收到",
    "知道了",
    "明白",
    "明白了",
    "我知道了",
    "我明白了",
    "懂了",
    "我懂了",
    "了解",
    "对",
    "是的",
    "没事",
    "没有了",
    "没了",
    "不用了",
    "算了",
    "ok",
    "okay",
    "好吧",
    "测试",
    "测试一下",
    "发错了",
    "不好意思",
    "图片",
    "好滴",
    "好嘞",
    "test",
    "再见",
    "拜拜",
    "bye",
)
_VAGUE = (
    "我有个问题",
    "有个问题",
    "我有问题",
    "有问题",
    "问个问题",
    "问一个问题",
    "想问个问题",
    "咨询个问题",
    "我要投诉",
    "我想投诉",
    "投诉",
    "我要举报",
    "我想举报",
    "举报",
    "我要反映",
    "我想反映",
    "反映",
    "我要咨询",
    "我想咨询",
    "咨询",
    "我想问",
    "想问",
    "问一下",
    "我有事",
    "有个事",
    "有件事",
    "有点事",
    "有事",
    "求助",
    "帮帮我",
    "帮个忙",
    "我要求助",
    "我需要帮助",
    "我要办事",
    "办事",
    "我要留言",
    "留言",
    "我想讨个说法",
    "讨个说法",
    "讨说法",
    "给我个答复",
    "给个答复",
    "答复",
    "我要上访",
    "我要打官司",
    "打官司",
    "咋整",
    "咋办",
    "怎么办",
    "求求了",
    "求求你们",
    "求求",
    "帮帮忙",
    "烦死了",
    "烦死",
    "说了好几次",
    "好几次",
    "啥时候",
    "什么时候",
    "能不能快点",
    "快点",
    "弄好",
    "我要维权",
    "维权",
    "我有困难",
    "有困难",
    "遇到困难",
    "困难",
    "有冤情",
    "冤情",
    "给我做主",
    "做主",
    "心里憋屈",
    "憋屈",
    "委屈",
    "想说说",
    "说说",
    "说出来",
    "方便吗",
    "方便",
    "比较复杂",
    "比较",
    "我要提意见",
    "提个意见",
    "提建议",
    "一下",
    "一个",
    "个",
    "情况",
    "事情",
    "问题",
    "想",
    "要",
    "我",
)
_FILLERS = "啊呀吧呢嘛哈哦噢呗啦了的吗么哇额呃喽呵嘿嘻～~"
# Characters that carry no matter of their own: pronouns, particles, verbs of
# asking and helping, and the generic words of complaining (事, 问题, 反映,
# 投诉, 领导, 说法 ...). A message made of nothing else names no matter and is
# vague; any other character (路灯, 工资, 骗) keeps it a request.
_GENERIC = frozenset(
    "我你您他她它们这那哪个些的地得了吗呢吧啊呀么嘛啥谁怎样什能会可以要想请问帮找给把被让在"
    "有没不都也还就再又很太真事情问题况下点一多少次说话人来去到过看做弄办管理处解决反映投诉"
    "建议意见提领导政府政策底一直之前次现今天已经为什么因所如果但和跟与及或对嗯哦呃拖着"
    "几气急冤该知道谁归边里面该个儿啦哈呗喂吧嘞咋麼麽么样法号忙用负责家部门整电话联系上出难地方样回俺晓得公平日子法过真窗口材料交复杂句两清带啥"
)
# What may follow a thanks and keep it a thanks (感谢政府 办得挺快).
_PRAISE = frozenset("政府社区同志俺你们您的办得挺很真快好弄上门帮忙及时效率高满意棒赞了啊呀")
# A thanks that tells how the matter was settled (太感谢了，昨天说今天就来修了)
# stays a thanks unless it says something is still wrong.
_SETTLED = ("解决", "修好", "来修", "办好", "弄好", "办完", "处理好", "搞定", "上门修")
_STILL_WRONG = frozenset("没不还又但却吗怎么啥何再坏差慢什能请要尽")
# WeChat's emoji written as text: [微笑], [捂脸], [动画表情], [图片].
_EMOJI_CODES = re.compile(r"\[[^\[\]\s]{1,6}\]")
# Whom a greeting or a thanks is addressed to (你好啊机器人, 谢谢客服小姐姐,
# 辛苦了同志们, 感谢党和政府): removed only once a greeting or a thanks was
# found, so 机器人 alone or 社区门口路灯坏了 stays a request.
_ADDRESSEES = re.compile(
    "机器人|智能客服|人工客服|客服|小助手|助手|小编|管理员|工作人员|同志们|同志|领导们|领导|"
    "老师们|老师|师傅|小姐姐|小哥哥|小哥|美女|帅哥|亲爱的|亲|各位|大家|"
    "党和政府|党和国家|政府|社区|街道|居委会|村委会|"
    "您们|你们|您|你|们"
)
# What a thanks is for and how it was given (谢谢您的耐心解答, 感谢你们及时的
# 回复, 感谢您一直以来的帮助). Looked at only after a thanks, so 回复太慢 or
# 没人解答 stays a request, and so does a thanks followed by anything else
# (谢谢您的解答，但是问题还没解决).
_THANKED_FOR = re.compile(
    "耐心|热心|细心|细致|详细|及时|认真|用心|专业|周到|热情|快速|辛勤|一直以来|"
    "解答|回复|回答|答复|帮助|帮忙|服务|指导|解释|讲解|指点|提醒|付出|关心|关照|支持|指引|"
    "辛苦|工作"
)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a phrase list, longest phrase first at every place.

    Matched left to right, so 多谢啦 loses 多谢 (then 啦 is a filler), never
    谢啦 leaving 多 behind as a phrase-by-phrase replacement could.
    """
    ordered = sorted(dict.fromkeys(phrases), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)))


_GREETINGS_RE = _alternation(_GREETINGS)
_THANKS_RE = _alternation(_THANKS)
_ACKS_RE = _alternation(_ACKS)
_VAGUE_RE = _alternation(_VAGUE)


def _strip(core: str, phrases: re.Pattern[str]) -> tuple[str, bool]:
    """Remove every phrase of the pattern; report whether any was."""
    stripped, count = phrases.subn("", core)
    return stripped, count > 0


def _only_polite(core: str, thanks: bool) -> bool:
    """True if what is left of a greeting or a thanks only says to whom it is
    (机器人, 小助手, 客服, 同志们) and, for a thanks, what for (耐心解答, 回复,
    帮忙) and how well (效率真高). Anything else keeps the old reading: the
    words are removed only to decide, so 你好请问社区在哪 stays a request."""
    if thanks:
        core = _THANKED_FOR.sub("", core)
    core = _ADDRESSEES.sub("", core)
    core = "".join(ch for ch in core if ch not in _FILLERS)
    return not core or (thanks and all(ch in _PRAISE for ch in core))


def classify_intent(text: str) -> Intent:
    """Say whether a message is a request or small talk.

    Args:
        text: The raw message.

    Returns:
        ``"greeting"`` (你好, 在吗), ``"thanks"`` (谢谢, 辛苦了), ``"noise"``
        (digits, emoji, punctuation, 好的, 嗯, ok), ``"vague"`` (我有个问题,
        我要投诉, 你好我想反映个情况: ask :data:`VAGUE_QUESTION`) or
        ``"request"`` (everything else).
    """
    norm = normalize(text[:2000]).lower().replace("妳", "你")
    core = _PUNCT.sub("", _EMOJI_CODES.sub("", norm))
    if not core or core.isdigit():
        return "noise"
    if len(core) > 40:
        return "request"
    core, thanks = _strip(core, _THANKS_RE)
    settled = thanks and any(w in core for w in _SETTLED)
    core, greeting = _strip(core, _GREETINGS_RE)
    core, _ = _strip(core, _ACKS_RE)
    core = "".join(ch for ch in core if ch not in _FILLERS)
    if (thanks or greeting) and _only_polite(core, thanks):
        return "thanks" if thanks else "greeting"
    if thanks and core and all(ch in _PRAISE for ch in core):
        return "thanks"
    if settled and not _STILL_WRONG & set(core):
        return "thanks"
    if not core:
        if thanks:
            return "thanks"
        if greeting:
            return "greeting"
        return "noise"
    if core.isdigit() or (core.isascii() and len(core) <= 6):
        return "noise"
    rest, vague = _strip(core, _VAGUE_RE)
    if vague and all(ch in _GENERIC for ch in rest):
        return "vague"
    if len(core) <= 30 and all(ch in _GENERIC for ch in core):
        return "vague"
    return "request"
