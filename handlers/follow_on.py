"""A complaint told over several messages joins the draft it continues (trial 28 P7).

楼上漏水, 漏水三天了, 物业不管 sent one after another are one problem: the second and the
third are a 补充 to the first, not two new proposals each followed by 「提示：您之前的问题…
还没有提交」. A short message (:data:`MAX_FOLLOW_ON` characters) sent within
:data:`JOIN_WINDOW` of a proposal not yet submitted (by the service's clock), that
names the same office or none on its own, is joined to it: the draft keeps its number,
so the buttons of the first proposal and of the new one file the whole text. A longer
message, one for another office, or one after the window is a new description, and
the draft it replaces is kept as before (:mod:`handlers.request_guard`).

A short reply that says the office is wrong — 不是这个部门, 不对, 换一个
(:func:`nlp.office_correction.is_office_correction`) — is no detail: it opens the
bureau picker of 换一个部门 for the draft and is not added to its text (dfx21), at
the proposal and at the steps after 提交 alike. 地址是和平路3号 still joins.

That picker invites more detail (「如需补充问题情况，请直接发送」): the next message sent
within :data:`JOIN_WINDOW` amends the same draft, whatever its length or the office it
alone would go to (trial 33 D12), unless it opens another matter (还有 / 另外 …).

A burst (trial 33 D13): 我们楼道里堆满了杂物 / 消防通道都堵死了 / 物业不管 typed in a
second or two. A message written before the citizen could see the proposal of the draft
(its message id is lower than the proposal's: a private chat numbers the messages of both
sides in one sequence) is part of the same telling, not an answer to the proposal: it
joins the draft whatever office it alone would go to, up to :data:`MAX_BURST` characters
(a longer one is a description of its own), unless it opens another matter. Small talk in
such a burst (喂, 人呢, 😡😡😡) is not answered by a menu of its own
(:func:`unseen`); the proposal, sent after it, is the answer. Clock-free: a citizen who
reads the proposal and then writes gets the usual reading.

Trial 35 (the rules in :mod:`bot.services.later_messages`): a draft begun as a fragment
(我们小区3号楼, asked 「请说说那里出了什么问题」; 就是我们村那条路) takes the short parts that
follow within :data:`PARTS_WINDOW`, whether or not the bot answered between them (D12);
a draft begun as a whole matter an office is sure of (我爸的低保申请一直没批下来) does not
take another office's matter told with its own subject words (邻居装修…打电钻): that is
a new proposal, the first draft kept (D11); 不是这个意思 is a correction like 不对 (D10).
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.services.cases import MAX_TEXT, Preview
from bot.services.later_messages import another_whole_matter, misread, only_a_place
from bot.services.lifecycle import CaseError
from bot.services.triage import Triage
from handlers import texts
from handlers.base import BotContext, is_stale, say, stamp, user_data
from handlers.office_choice import classify, is_unsure
from handlers.request_steps import PROPOSE
from handlers.texts import steps as st
from nlp.office_correction import is_office_correction

__all__ = [
    "INVITED",
    "JOINED_NOTE",
    "JOIN_WINDOW",
    "MAX_BURST",
    "MAX_FOLLOW_ON",
    "PARTS",
    "SHOWN",
    "TALK_SHOWN",
    "WHOLE",
    "bare_place",
    "continued",
    "corrects_office",
    "in_burst",
    "in_burst_reply",
    "join",
    "joinable",
    "joined_text",
    "unseen",
]

log = logging.getLogger(__name__)

#: How long after a proposal a short message still continues it.
JOIN_WINDOW = timedelta(minutes=2)
#: The longest message read as a continuation (a new problem is usually longer).
MAX_FOLLOW_ON = 20
#: The longest message that joins a draft as part of a burst (a fragment, not a story).
MAX_BURST = 60
#: Draft key: the message id of the draft's latest proposal (trial 33 D13).
SHOWN = "shown"
#: Draft key: the draft began as a fragment of a telling (a place alone, a few words no
#: office is sure of): the short messages that follow are its parts (trial 35 D12).
PARTS = "parts"
#: Draft key: the draft began as a whole matter an office is sure of (trial 35 D11).
WHOLE = "whole"
#: How long a draft told in parts waits for its next part (the citizen asked 「请说说是什么
#: 问题」 types it; the window restarts with each part).
PARTS_WINDOW = timedelta(minutes=10)
#: ``user_data`` key: the message id of the last small-talk answer.
TALK_SHOWN = "talk_shown"


def unseen(update: Update, shown: object) -> bool:
    """Whether the update's message was written before the citizen could see the bot's
    message ``shown`` (its id): a message id lower than it, in the same private chat."""
    message = update.effective_message
    return isinstance(shown, int) and message is not None and message.message_id < shown


def in_burst(update: Update, context: BotContext) -> bool:
    """Whether the update was sent before the citizen saw the open draft's proposal or
    the last small-talk answer: part of a burst, answered by what follows it."""
    data = user_data(context)
    draft = data.get("draft")
    shown = draft.get(SHOWN) if isinstance(draft, dict) and "step" not in draft else None
    return unseen(update, shown) or unseen(update, data.get(TALK_SHOWN))


#: Draft key: the office was corrected and more detail invited (trial 33 D12).
INVITED = "detail_invited"
#: Said above the proposal of a joined draft.
JOINED_NOTE = "已将您刚才补充的内容并入上一条描述。"

_ENDS = "，。！？；,.!?;、\n "


def joined_text(earlier: str, more: str) -> str:
    """The earlier description and what follows it, as one text."""
    head = earlier.rstrip()
    sep = "" if head.endswith(tuple(_ENDS)) else "，"
    return f"{head}{sep}{more.strip()}"


def joinable(
    context: BotContext,
    draft: object,
    text: str,
    preview: Preview | None,
    *,
    any_office: bool = False,
    burst: bool = False,
) -> dict[str, Any] | None:
    """The draft ``text`` continues, or ``None`` when ``text`` is a description of its own.

    ``preview`` is the office ``text`` alone would go to; ``any_office``: whatever it is
    (the caller judges the joined text instead, :func:`continued`); ``burst``: ``text``
    was written before the draft's proposal could be seen (:func:`unseen`).
    """
    if not isinstance(draft, dict) or "step" in draft or not draft.get("text"):
        return None
    if draft.get("which"):
        return None  # a /which consultation is not being written on (trial 30 #21)
    more = text.strip()
    # 在阳光社区5栋 after a proposal is where the problem is, never a problem of its own
    # (trial 34 #7): it joins the draft whatever office it alone would go to.
    if _place_of(context, draft, more):
        return draft
    if not isinstance(draft.get("at"), str):
        return None
    # A telling in parts (我们小区3号楼 / 楼道里堆满了纸箱杂物 / 消防通道都堵死了) is one
    # whether or not the bot answered between the parts (trial 35 D12).
    parts = bool(draft.get(PARTS)) and not is_stale(context, draft, PARTS_WINDOW)
    if not parts and is_stale(context, draft, JOIN_WINDOW):
        return None
    # After a place alone (我们小区3号楼, asked what happens there) the answer is the
    # problem itself, however long.
    asked = parts and only_a_place(str(draft["text"]))
    if (draft.get(INVITED) or asked or ((burst or parts) and len(more) <= MAX_BURST)) and more:
        if draft.get("text") == text:
            return None
        # The detail the office picker asked for (trial 33 D12), or a fragment of a burst
        # (D13): it amends this draft.
        if _NEW_MATTER_RE.search(more) or len(joined_text(str(draft["text"]), more)) > MAX_TEXT:
            return None
        return draft
    if preview is None or not more or len(more) > MAX_FOLLOW_ON or draft.get("text") == text:
        return None
    if not any_office and not (is_unsure(preview) or preview.bureau == draft.get("guess")):
        return None
    if any_office and _NEW_MATTER_RE.search(more):
        return None
    if len(joined_text(str(draft["text"]), more)) > MAX_TEXT:
        return None
    return draft


#: A place alone: 在阳光社区5栋, 地址是和平路3号, 就在菜市场门口 — an opening (在, 地址是)
#: and words ending in an address's shape (12号, 5栋, 路, 小区, 门口 …); no verbs.
_BARE_PLACE_RE = re.compile(
    r"^(?:我们?|我家|就|是)?(?:在|位于|地址|地点|位置|住址)(?:是|在|为)?[\s:：]*"
    r"(?P<place>[\w\-]{2,24}?(?:\d+\s*(?:号|栋|幢|楼|单元|室|层|弄)|号楼|路|街|巷|村|小区|"
    r"社区|门口|附近|对面|旁边|大厦|花园|广场|公园|市场|路口|楼下|楼上)"
    r"(?:[东西南北]侧|那边|这边|那里|这里|那儿|这儿)?)[\s。.！!]*$"
)
#: Words of a problem inside what looks like a place (在路边烧垃圾, 在小区门口乱停车).
_DOING_RE = re.compile(r"烧|堆|乱|吵|漏|堵|坏|臭|打|偷|停车|施工|摆摊|排放|占用|没人")


def bare_place(text: str) -> bool:
    """Whether ``text`` only says where (在阳光社区5栋, 地址是和平路3号): no problem.

    >>> bare_place("在阳光社区5栋"), bare_place("地址是和平路3号"), bare_place("在家")
    (True, True, False)
    >>> bare_place("在小区门口乱停车"), bare_place("路灯坏了")
    (False, False)
    """
    found = _BARE_PLACE_RE.match(text.strip())
    return found is not None and _DOING_RE.search(found.group("place")) is None


def _place_of(context: BotContext, draft: dict[str, Any], more: str) -> bool:
    """Whether ``more`` is a bare place for the (not stale) ``draft``."""
    if not isinstance(draft.get("at"), str) or is_stale(context, draft) or not bare_place(more):
        return False
    return draft.get("text") != more and len(joined_text(str(draft["text"]), more)) <= MAX_TEXT


#: The classifier's confidence from which a text alone of another office is a matter of
#: its own, not a detail of the draft (review 3 P5).
OTHER_MATTER_CONFIDENCE = 0.8
#: Letters and digits from which such a text is a description in full (我家门口的下水道堵了
#: 好几天，污水漫到路上: 22), not a detail naming a place (孩子是在东城第一小学集中接种的: 14).
OTHER_MATTER_CHARS = 20


def _other_matter(draft: dict[str, Any], preview: Preview | None, text: str) -> bool:
    """Whether ``text`` (``preview``: its office alone) is a matter of its own: it goes
    surely to another office than the draft's (a sure draft), and is told in full
    (:data:`OTHER_MATTER_CHARS`). The classifier cannot tell it by the joined text: the
    wage complaint with the sewer and the vaccine with its school both stay 0.92 sure of
    the draft's office; what differs is that the sewer is a description of its own."""
    if preview is None or is_unsure(preview) or draft.get("unsure"):
        return False
    guess = draft.get("guess")
    if not guess or guess == "unknown" or preview.bureau == guess:
        return False
    told = sum(ch.isalnum() for ch in text)
    return float(preview.confidence) >= OTHER_MATTER_CONFIDENCE and told >= OTHER_MATTER_CHARS


#: How much less sure the joined text may be than the draft alone (:func:`continued`).
JOIN_CONFIDENCE_DROP = 0.05
#: How another matter is opened: never a continuation of the one before.
_NEW_MATTER_RE = re.compile(r"^(?:还有|另外|对了|顺便|再反映|我还要|我还想)")


async def continued(
    context: BotContext, draft: object, text: str, preview: Preview, *, burst: bool = False
) -> dict[str, Any] | None:
    """The draft ``text`` continues (see :func:`joinable`), also when ``text`` alone names
    another office but the draft and ``text`` read together still go to the draft's
    (就是我们村那条路 / 坑坑洼洼的好几年了 / 下雨天孩子上学都没法走: the last one alone is
    教体局's, the three together the road's; trial 29 P13)."""
    if not burst and _whole_then_another(draft, preview):
        return None
    found = joinable(context, draft, text, preview, burst=burst)
    if found is not None:
        # After 不对 or in a burst, a matter of another office told surely and in full
        # (the sewer after a wage complaint) starts a draft of its own (review 3 P5).
        if _other_matter(found, preview, text):
            return None
        return found
    found = joinable(context, draft, text, preview, any_office=True)
    if found is None:
        return None
    return found if await _reads_as_one(context, found, text) else None


def _whole_then_another(draft: object, preview: Preview) -> bool:
    """Whether ``preview``'s text is a matter of its own beside ``draft``, begun as a whole
    matter (:func:`bot.services.later_messages.another_whole_matter`, trial 35 D11); the
    detail the office picker invited is not."""
    if not isinstance(draft, dict) or draft.get(INVITED) or "step" in draft:
        return False
    return another_whole_matter(
        draft_whole=bool(draft.get(WHOLE)),
        draft_bureau=str(draft.get("guess") or ""),
        bureau=preview.bureau,
        sure=not is_unsure(preview),
        keywords=preview.keywords_all or preview.keywords,
    )


async def _reads_as_one(context: BotContext, found: dict[str, Any], text: str) -> bool:
    """Whether the draft and ``text`` read together still go to the draft's office as
    surely as the draft alone: a new matter of its own (邻居家被盗了，派出所什么时候来看现场
    after a wage complaint) makes the joined text less sure (0.97 → 0.72), a consequence
    told after (下雨天…) does not (0.93 → 0.92)."""
    try:
        alone = await classify(context, str(found["text"]))
        together = await classify(context, joined_text(str(found["text"]), text))
    except CaseError:
        return False
    same = not is_unsure(together) and together.bureau == found.get("guess")
    return same and float(together.confidence) >= float(alone.confidence) - JOIN_CONFIDENCE_DROP


async def join(
    update: Update, context: BotContext, draft: dict[str, Any], text: str, *, burst: bool = False
) -> str | int | None:
    """``text`` continues ``draft``: one description, proposed again under the same number
    (``burst``: written before the proposal was seen; the proposal is edited in place)."""
    merged = joined_text(str(draft["text"]), text)
    try:
        preview = await classify(context, merged)
    except CaseError as exc:
        await say(update, exc.message if exc.code == "bad_input" else texts.EMPTY_TEXT)
        return None
    unsure = is_unsure(preview)
    draft.update(
        text=merged, at=stamp(context), room=None, bureau=None, unsure=unsure, guess=preview.bureau
    )
    draft.pop(INVITED, None)
    log.info(
        "description continued (draft %s) -> %s/%s", draft.get("n"), preview.room, preview.bureau
    )
    district = context.runtime.district
    text_ = f"{JOINED_NOTE}\n\n{texts.proposal(preview, merged, district, unsure=unsure)}"
    markup = texts.proposal_markup(preview, district, int(draft["n"]), unsure=unsure)
    shown = draft.get(SHOWN)
    chat = update.effective_chat
    if burst and isinstance(shown, int) and chat is not None:
        # A burst grows one proposal, edited in place, not one proposal a fragment (D13).
        try:
            await context.bot.edit_message_text(
                texts.fit(text_), chat.id, shown, reply_markup=markup
            )
            return PROPOSE
        except TelegramError:
            log.debug("could not edit the proposal of a burst", exc_info=True)
    draft[SHOWN] = await say(update, text_, markup)
    return PROPOSE


async def corrects_office(update: Update, context: BotContext, text: str) -> bool:
    """不是这个部门 / 不对 / 换一个 / 不是这个意思 (trial 35 D10) while a draft is open:
    the bureau picker for it.

    The text is not added to the draft. A draft already in its steps (after 提交) goes
    back to the proposal with what was entered kept (提交 asks the steps again); the
    step's reply keyboard goes. True: answered (the conversation is at ``PROPOSE``).
    """
    draft = user_data(context).get("draft")
    if not isinstance(draft, dict) or not draft.get("text") or not isinstance(draft.get("n"), int):
        return False
    if is_stale(context, draft) or not (is_office_correction(text) or misread(text)):
        return False  # a draft left hours ago: the text is read afresh
    in_steps = draft.pop("step", None) is not None
    draft.pop("extra", None)  # a photo step's question about this very text
    n = int(draft["n"])
    # The picker invites more detail: what is sent next amends this draft (trial 33 D12).
    draft[INVITED] = True
    draft["at"] = stamp(context)
    log.info("office corrected for draft %s%s", n, " (in its steps)" if in_steps else "")
    if in_steps:
        await say(update, st.OFFICE_CORRECTION_STEPS, texts.REMOVE_KEYBOARD)
    district = context.runtime.district
    await say(
        update,
        texts.fit(texts.bureaus_text(district, heading=st.OFFICE_CORRECTION)),
        texts.bureaus_markup(district, texts.BUREAU, f"{texts.BACK}:{n}", str(n)),
    )
    return True


async def in_burst_reply(
    update: Update, context: BotContext, person_id: int, text: str, verdict: Triage
) -> str | int | None:
    """Small talk or a vague fragment written before the citizen saw the bot's last
    answer (喂 / 人呢 / 你们管不管啊 in a burst, trial 33 D13): a vague fragment joins the
    open draft; small talk gets no menu of its own (what the bot sent after it answers
    it; the state stays, or ends when no draft is open). ``None``: not in a burst,
    read as usual."""
    if verdict.emergency is not None or not in_burst(update, context):
        return None
    draft = user_data(context).get("draft")
    if verdict.kind == "vague":
        joined = joinable(context, draft, text, None, burst=True)
        if joined is None:
            return None
        return await join(update, context, joined, text, burst=True)
    if not verdict.small_talk:
        return None
    log.info("small talk in a burst from %s not answered on its own", person_id)
    return PROPOSE if isinstance(draft, dict) else ConversationHandler.END
