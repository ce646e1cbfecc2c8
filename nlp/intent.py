"""Messages that are not requests: greetings, thanks, noise, vague openings.

你好, 谢谢, 123, 👍 or 好的 deserve a short friendly answer with the menu,
never a room or a 提交 button; 我有个问题 or 我要投诉 is too vague to route
and deserves one question back. :func:`classify_intent` tells them apart
from real requests, however short (路灯坏了, 欠薪, 噪音扰民 stay requests).

The method is subtractive: the message is stripped of punctuation, emoji and
filler particles, then of greeting, thanks, acknowledgement and vague-opening
phrases; what is left decides. If anything else is left, it is a request —
a word the lists do not know is never taken for small talk. Whom a greeting
or a thanks is addressed to and what a thanks is for (你好啊机器人,
谢谢您的耐心解答) are removed only to decide whether anything else is left.
The phrase lists are in :mod:`nlp.intent_words`.
"""

from __future__ import annotations

import re
from typing import Literal

from nlp.intent_match import HAN, alternation, alternation_good, gibberish
from nlp.intent_polite import (
    ACKS_ALONE,
    BOT_ADDRESSED,
    BOT_PERSONAL,
    BOT_QUESTIONS,
    CLOSINGS,
    DIALECT_GREETINGS,
    FAREWELLS,
    INTRO_PLACES,
    INTRO_WHO,
    MORE_THANKS,
    PEOPLE,
    PLANS,
    PRAISE,
    PRAISE_FRAME,
    PRESENCE,
    SEASONAL_GREETINGS,
    SETTLED,
)
from nlp.intent_vague import VAGUE
from nlp.intent_words import ACKS, FIRST_USE, FIRST_USE_OF, GREETINGS, THANKS, TROUBLE
from nlp.normalize import normalize

__all__ = ["VAGUE_QUESTION", "Intent", "classify_intent"]

Intent = Literal["greeting", "thanks", "noise", "vague", "request"]

VAGUE_QUESTION = "请问您想反映什么事情？请说明发生了什么、在哪里，我们会转给负责的部门。"
"""The one question asked back for a vague message (Simplified Chinese)."""

# Greetings only when they are the whole message (在？, 在线): 在 inside a
# sentence is a preposition.
_GREETINGS_ALONE = frozenset({"在", "在不", "在线", "在线不", "人在"})
_FILLERS = "啊呀吧呢嘛哈哦噢呗啦了的吗么哇额呃喽呵嘿嘻～~"
# The second reading (small talk only) also drops the particles of the regions
# and the sighs (谢谢您嘞, 好哒, 你好噻, 哈啰, 唉, 哎呀).
_MORE_FILLERS = _FILLERS + "嘞哒咯噻哟呦嗷哎唉诶欸嚯吖啰咧哩咦呐昂啵捏"
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
_PRAISE = frozenset("政府社区同志俺你们您的办得挺很真快好弄上门帮忙及时效率高满意棒赞了啊呀心")
# A thanks that tells how the matter was settled (太感谢了，昨天说今天就来修了)
# stays a thanks unless it says something is still wrong.
_SETTLED = ("解决", "修好", "来修", "办好", "弄好", "办完", "处理好", "搞定", "上门修")
# 灭, 漏, 堵, 也: another fault told after the thanks (上次路灯修好了 现在对面那盏也灭了; stop 31).
_STILL_WRONG = frozenset("没不还又但却吗怎么啥何再坏差慢什能请要尽希盼灭漏堵也")
# Thanks words that only say a matter is settled: with a question (问题解决了吗)
# they ask, they do not thank.
# A thanks followed by a matter still there (谢谢，问题还在; 感谢什么，还没修)
# follows up a case: a request, not a vague opening.
_STILL_THERE = re.compile("还在|还没|还是没|没修|没来|没人|没解决|没处理|没办")
_SETTLED_THANKS = frozenset({"问题已经解决了", "问题解决了", "已经解决了", "解决了"})
# WeChat's emoji written as text: [微笑], [捂脸], [动画表情], [图片], 【表情】,
# [Thumbs Up], [Sticker], （笑）.
_EMOJI_CODES = re.compile(
    r"[\[【][^\[\]【】\s]{1,6}[\]】]|\[[a-z][a-z ]{0,15}\]|[（(](?:笑|哭|捂脸|微笑|大笑|苦笑)[）)]",
    re.IGNORECASE,
)
# Whom a greeting or a thanks is addressed to (你好啊机器人, 谢谢客服小姐姐,
# 辛苦了同志们, 感谢党和政府): removed only once a greeting or a thanks was
# found, so 机器人 alone or 社区门口路灯坏了 stays a request.
_ADDRESSEES = re.compile(
    "机器人|智能客服|人工客服|客服|小助手|助手|小编|管理员|工作人员|同志们|同志|领导们|领导|"
    "老师们|老师|师傅|小姐姐|小哥哥|小哥|美女|帅哥|大哥|大姐|兄弟|老铁|亲爱的|亲|各位|大家|侬|"
    "党和政府|党和国家|政府|社区|街道|居委会|村委会|"
    "有你们|有您|有你|您们|你们|您|你|们|为|给|向"
)
_MORE_ADDRESSEES = re.compile(
    "|".join(sorted(PEOPLE, key=len, reverse=True))
    + "|有你们|有您|有你|您们|你们|您|你|们|为|给|向|让|祝福|祝愿|恭祝|祝|愿"
)
# What a thanks is for and how it was given (谢谢您的耐心解答, 感谢你们及时的
# 回复, 感谢您一直以来的帮助). Looked at only after a thanks, so 回复太慢 or
# 没人解答 stays a request, and so does a thanks followed by anything else
# (谢谢您的解答，但是问题还没解决).
_THANKED_FOR = re.compile(
    "耐心|热心|细心|细致|详细|及时|认真|用心|专业|周到|热情|快速|辛勤|一直以来|"
    "解答|回复|回答|答复|帮助|帮忙|服务|指导|解释|讲解|指点|提醒|付出|关心|关照|支持|指引|"
    "辛苦|工作|处理|办理|答疑|跟进|协调|告知|通知|提示|说明|分享|理解|配合|信任|这么|那么|这|那|如此|和|与|verymuch|somuch|alot|again"
)
# A nickname as the whole of what is left (小民, 老王, 阿强); not a word for a
# place, a school or a pest (小区, 小学, 老鼠), which stays a request.
_NICKNAME = re.compile(r"^[小老阿][^区学孩鼠人\W\d_a-z]$")
# A greeting's self-introduction by a nickname, with where the writer lives (你好，我是三号楼的老王;
# stop 31): removed before the second reading when something is left.
_SELF_INTRO = re.compile(r"我是(?:[\w]{1,8}的)?[小老阿][^区学孩鼠人\W\d_a-z]$")
# Stop 34 (tri34b): a self-introduction by where the writer lives (你好 我是上坝村的,
# 哈喽 我是18栋的业主): removed before the second reading, as the nickname above.
# Review 34b F7 (branch rfix34c): only a place's name between 我是 and the place word (上坝,
# 18, 幸福) — no verb, no matter, no 的 (你好我是被关在楼, 你好，我是3栋的，漏水淹到楼 and
# 你好，我是要举报隔壁村 are requests), and the message ends there.
_INTRO_NAME = (
    r"[^\W_的被要来想去在举报投诉反映问找说了把让给打漏淹咬关跳死杀烧着是有没不和跟从到向对"
    r"我你他她们吗呢吧啊]{0,6}"
)
_SELF_INTRO_PLACE = re.compile(
    r"我是"
    + _INTRO_NAME
    + r"(?:"
    + "|".join(map(re.escape, sorted(INTRO_PLACES, key=len, reverse=True)))
    + ")(?:的)?(?:"
    + "|".join(map(re.escape, sorted(INTRO_WHO, key=len, reverse=True)))
    + ")?(?:的)?$"
)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_GREETINGS_RE = alternation(GREETINGS)
_THANKS_RE = alternation(THANKS)
_ACKS_RE = alternation(ACKS)
_MORE_GREETINGS_RE = alternation_good(GREETINGS + SEASONAL_GREETINGS + DIALECT_GREETINGS)
_MORE_THANKS_RE = alternation(THANKS + MORE_THANKS)
_MORE_ACKS_RE = alternation(ACKS + CLOSINGS)
_FAREWELLS_RE = alternation(FAREWELLS)
_BOT_QUESTIONS_RE = alternation(BOT_QUESTIONS)
_BOT_PERSONAL_RE = re.compile(BOT_PERSONAL)
_BOT_ADDRESSED_RE = re.compile(BOT_ADDRESSED)
# What may be left around an acknowledgement or a farewell (那好吧, 那我先走了,
# 你们也注意休息) without naming anything.
_ACK_FRAME = frozenset("那就我也你您们先这样")
# Staff asked for in a presence check (有没有工作人员, 客服在不在).
_STAFF = re.compile("工作人员|人工客服|客服|人工|真人|值班的|值班|领导|同志")
_PLANS_RE = alternation(PLANS)
_ASKS = re.compile("[吗么?？]")
# Is it done yet? (好了吗, 修好了没): a question about an unnamed matter.
_DONE_YET = re.compile("(?:弄|修|办|处理|搞)?好了?(?:吗|么|没|没有)")
_SETTLED_RE = alternation(SETTLED)
# Chinese numerals alone (一, 三, 五五五) are a menu choice or a slip, like digits.
_NUMERALS = frozenset("一二三四五六七八九十零〇两百千万")
# A presence check is a question (有没有人, 人在吗, 客服在不在, 有人没有);
# 工作人员不在 or 还没人来 is a complaint.
_ASKED = re.compile("有没有|在不在|在没在|有冇|係咪|系咪|[吗么嘛伐呢不没冇否]$|没有$")
_PRAISE_SET = frozenset(PRAISE)
_PRAISE_RE = alternation(PRAISE + PRAISE_FRAME)
_VAGUE_RE = alternation(VAGUE)
_TROUBLE_RE = alternation(TROUBLE)
_FIRST_USE_RE = re.compile(
    "(?:" + "|".join(map(re.escape, sorted(FIRST_USE, key=len, reverse=True))) + ")"
    "(?:" + "|".join(map(re.escape, sorted(FIRST_USE_OF, key=len, reverse=True))) + ")*"
)


# Every Chinese character the second reading can remove or accept. A message
# with any other (灯, 资, 楼) cannot be small talk, so most requests skip the
# second reading at the cost of one set difference.
_SMALL_TALK_CHARS = frozenset(
    ch
    for text in (
        *(
            pattern.pattern
            for pattern in (
                _TROUBLE_RE,
                _MORE_THANKS_RE,
                _FAREWELLS_RE,
                _BOT_QUESTIONS_RE,
                _BOT_PERSONAL_RE,
                _MORE_GREETINGS_RE,
                _MORE_ACKS_RE,
                _PRAISE_RE,
                _PLANS_RE,
                _SETTLED_RE,
                _MORE_ADDRESSEES,
                _THANKED_FOR,
                _FIRST_USE_RE,
                _STAFF,
            )
        ),
        _MORE_FILLERS,
        "".join(PRESENCE | ACKS_ALONE | _NUMERALS | _ACK_FRAME),
    )
    for ch in text
    if HAN.match(ch)
)


def _ack_frame_only(core: str) -> bool:
    """True if what is left beside an answer names nothing (那好吧, 好的亲)."""
    return set(_MORE_ADDRESSEES.sub("", core)) <= _ACK_FRAME


#: What small talk praises besides the service (天气真好, 周末愉快): no thanks unless a
#: word of thanks is said too (:data:`_THANKED_RE`; trial 34 #20).
_CHAT_TOPIC_RE = re.compile("天气|天儿|阳光|太阳|晴天|周末|假期|新的一天")
_THANKED_RE = re.compile("谢|感谢|感激|辛苦|多亏|麻烦你|麻烦您")


def _praise_only(core: str) -> bool:
    """True if what is left is praise or good wishes and nothing else: at least
    one word of :data:`~nlp.intent_polite.PRAISE` (赞, 给力, 满意, 顺利) and
    otherwise only the words that frame one (你们, 服务, 效率, 真, 非常, 祝)."""
    praised = False

    def drop(m: re.Match[str]) -> str:
        nonlocal praised
        praised = praised or m.group() in _PRAISE_SET
        return ""

    rest = _PRAISE_RE.sub(drop, core)
    return praised and all(ch in _MORE_FILLERS for ch in rest)


_POLITE_ASK = re.compile(
    "麻烦问一下|麻烦问下|想问一下|想问下|请问一下|请问|问一下|问下|打扰一下|打扰下"
)
"""A polite ask that may open a presence check (请问有人值班吗)."""


def _presence(core: str) -> bool:
    """True for a question whether somebody is there, in any region's word
    order (有没有人, 有人没有, 有冇人, 係咪有人, 人在吗, 在伐, 客服在不在)."""
    # Whom it asks for may be named before the staff words are read (小同志在吗; stop 31).
    return any(
        set(bare) <= PRESENCE and ("人" in bare or "在" in bare) and _ASKED.search(bare) is not None
        for bare in (
            "".join(ch for ch in form if ch not in "啊呀哈哦噢啦")
            for form in (_STAFF.sub("人", core), _STAFF.sub("人", _MORE_ADDRESSEES.sub("", core)))
        )
    )


def _strip(core: str, phrases: re.Pattern[str]) -> tuple[str, bool]:
    """Remove every phrase of the pattern; report whether any was."""
    stripped, count = phrases.subn("", core)
    return stripped, count > 0


def _strip_thanks(core: str, phrases: re.Pattern[str], asks: bool) -> tuple[str, bool]:
    """Remove the thanks; but a question that only says a matter is settled
    (问题解决了吗) is left as it is: it asks, it does not thank."""
    said = phrases.findall(core)
    if not said or (asks and set(said) <= _SETTLED_THANKS):
        return core, False
    return phrases.sub("", core), True


def _only_polite(core: str, thanks: bool, more: bool, asks: bool = False) -> bool:
    """True if what is left of a greeting or a thanks only says to whom it is
    (机器人, 小助手, 客服, 同志们) and, for a thanks, what for (耐心解答, 回复,
    帮忙) and how well (效率真高). Anything else keeps the old reading: the
    words are removed only to decide, so 你好请问社区在哪 stays a request."""
    if not thanks:
        core = _FIRST_USE_RE.sub("", core)
        if more:
            core = _BOT_QUESTIONS_RE.sub("", core)
    core = (_MORE_ADDRESSEES if more else _ADDRESSEES).sub("", core)
    if thanks:
        if more:
            core = _PRAISE_RE.sub("", core)
        core = _THANKED_FOR.sub("", core)
        if more:
            core = _PRAISE_RE.sub("", core)
            if not asks:
                core = _PLANS_RE.sub("", _SETTLED_RE.sub("", core))
    fillers = _MORE_FILLERS if more else _FILLERS
    core = "".join(ch for ch in core if ch not in fillers)
    # 小民你好, 老王好, 阿强你好: a nickname is whom a greeting is for (stop 27).
    core = _NICKNAME.sub("", core)
    return not core or (thanks and not more and all(ch in _PRAISE for ch in core))


def classify_intent(text: str) -> Intent:
    """Say whether a message is a request or small talk.

    Read twice. The second reading knows more small talk (春节快乐, 有冇人,
    五星好评, 不打扰了, 唔该晒) and may only make a message small talk: when it
    does not, the first reading decides between vague and a request, so the
    larger vocabulary never turns a request into a vague message.

    Args:
        text: The raw message.

    Returns:
        ``"greeting"`` (你好, 在吗), ``"thanks"`` (谢谢, 辛苦了), ``"noise"``
        (digits, emoji, punctuation, 好的, 嗯, ok), ``"vague"`` (我有个问题,
        我要投诉, 你好我想反映个情况: ask :data:`VAGUE_QUESTION`) or
        ``"request"`` (everything else).
    """
    # 俺 is the northern and rural 我 (俺来了，你好; 俺要告状): read as 我 (stop 32, i13oo).
    norm = normalize(text[:2000]).lower().replace("妳", "你").replace("俺", "我")
    core = _PUNCT.sub("", _EMOJI_CODES.sub("", norm))
    if not core or core.isdigit():
        return "noise"
    if len(core) > 40:
        return "request"
    if _DONE_YET.fullmatch(core):
        return "vague"
    asks = _ASKS.search(norm) is not None
    more = _small_talk(core, asks)
    if more == "thanks" and _CHAT_TOPIC_RE.search(core) and not _THANKED_RE.search(core):
        return "greeting"  # 今天天气真好哈哈 is chat, not thanks (trial 34 #20)
    return more if more is not None else _reading(core, asks)


def _small_talk(core: str, asks: bool) -> Intent | None:
    """The second reading: greeting, thanks or noise, or ``None``.

    ``asks``: the message asks something (吗, ？), so what was done or what the
    writer will do next (已经处理了吗, 我明天去吗) is a question, not a closing.
    """
    core = _SELF_INTRO.sub("", core) or core
    core = _SELF_INTRO_PLACE.sub("", core) or core
    # nice to meet you: an English greeting read whole before its letters are taken for a
    # thanks (ty of meetyou; stop 34, tri34b).
    early_greeting = False
    if core.isascii():
        core, early_greeting = _strip(core, _MORE_GREETINGS_RE)
    if not _SMALL_TALK_CHARS.issuperset(ch for ch in core if ch >= "\u3400"):
        return None
    core, trouble = _strip(core, _TROUBLE_RE)
    core, thanks = _strip_thanks(core, _MORE_THANKS_RE, asks)
    # 您好，请问有人值班吗: a greeting and a polite ask before a presence check (stop 32, i13oo).
    if _presence(core) or _presence(_POLITE_ASK.sub("", _MORE_GREETINGS_RE.sub("", core))):
        return "greeting"
    core, farewell = _strip(core, _FAREWELLS_RE)
    core, asked = _strip(core, _BOT_QUESTIONS_RE)
    if _BOT_ADDRESSED_RE.search(core):
        # 你们这个机器人是谁开发的，工资高不高: chit-chat with the bot (trial 33 D14).
        core, personal = _strip(core, _BOT_PERSONAL_RE)
        asked = asked or personal
    core, greeting = _strip(core, _MORE_GREETINGS_RE)
    greeting = greeting or asked or early_greeting
    before_acks = core
    said, acked = _strip(core, _MORE_ACKS_RE)
    core = "".join(ch for ch in said if ch not in _MORE_FILLERS)
    if trouble:
        return None
    if not core:
        return "thanks" if thanks else "greeting" if greeting else "noise"
    if (thanks or greeting) and _only_polite(said, thanks, more=True, asks=asks):
        return "thanks" if thanks else "greeting"
    if (acked or farewell) and not (thanks or greeting) and _ack_frame_only(core):
        return "noise"
    if (acked or farewell or thanks) and not asks and not _PLANS_RE.sub("", core):
        return "thanks" if thanks else "noise"
    if set(core) <= _NUMERALS:
        return "noise"
    if _praise_only(before_acks):
        return "thanks"
    rest = _MORE_ADDRESSEES.sub("", core)
    if rest and set(rest) <= ACKS_ALONE:
        return "thanks" if thanks else "noise"
    return None


def _reading(core: str, asks: bool) -> Intent:
    """The first reading, which alone tells a vague message from a request."""
    core, trouble = _strip(core, _TROUBLE_RE)
    core, thanks = _strip_thanks(core, _THANKS_RE, asks)
    settled = thanks and any(w in core for w in _SETTLED)
    core, greeting = _strip(core, _GREETINGS_RE)
    core, _ = _strip(core, _ACKS_RE)
    core = "".join(ch for ch in core if ch not in _FILLERS)
    if (thanks or greeting) and _only_polite(core, thanks, more=False):
        return "thanks" if thanks else "greeting"
    if thanks and core and all(ch in _PRAISE for ch in core):
        return "thanks"
    if settled and not _STILL_WRONG & set(core):
        return "thanks"
    if thanks and _STILL_THERE.search(core):
        return "request"
    if not core and trouble:
        return "vague"
    if not core:
        if thanks:
            return "thanks"
        if greeting:
            return "greeting"
        return "noise"
    if core.isdigit() or (core.isascii() and len(core) <= 6) or gibberish(core):
        return "noise"
    if core in _GREETINGS_ALONE:
        return "greeting"
    rest, vague = _strip(core, _VAGUE_RE)
    if (vague or trouble) and all(ch in _GENERIC for ch in rest):
        return "vague"
    if len(core) <= 30 and all(ch in _GENERIC for ch in core):
        return "vague"
    return "request"
