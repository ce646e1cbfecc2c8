"""Danger now: after the emergency line and the immediate filing, one skippable step.

A citizen whose message describes danger now gets the emergency line and the
case is filed at once (:mod:`handlers.citizen`). Then, in the same
conversation, one step asks where they are and a number to call back — typed
together in one message, or a shared location — and puts what they give on
the case at once (:meth:`bot.services.cases.CaseService.add_emergency_details`).
The step lives :data:`STEP_TTL` by the service's clock; later (or a question,
or a thank-you) the text is handled as a new message, never stored as the place.
Someone who writes of self-harm first gets a human sentence and the district's
mental-health crisis line (``District.crisis_hotline``).
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.services.cases import CaseView
from bot.services.later_messages import tells_a_scene
from bot.services.lifecycle import CaseError
from bot.services.triage import SELF_HARM, emergency_of
from handlers import crisis, other_matter, texts
from handlers.base import (
    PRIVATE,
    PRIVATE_TEXT,
    BotContext,
    is_stale,
    mark_saved,
    message_text,
    reply,
    stamp,
    user_data,
    who,
)
from handlers.drafts import looks_like_place, looks_like_problem
from handlers.flow import expiring, leave_and_redo
from handlers.phones import find_phone
from handlers.texts import steps as st
from nlp.office_correction import is_office_correction
from storage.enums import OPEN_STATUSES

log = logging.getLogger(__name__)

#: Conversation state of the step (a string: persisted as JSON).
EMERGENCY = "emergency"
#: ``user_data`` key of the filed emergency the step belongs to.
KEY = "emerg"

#: Words of someone declining to give details (我不想留电话, 不方便说).
_DECLINE_RE = re.compile(r"不想|不留|不方便|不用|不要|算了|不说")
#: Words that name the details the step asks for (declining them is 跳过, trial 31 #4).
_DETAILS_RE = re.compile(r"电话|手机|号码|地址|地点|位置|在哪|住址|联系方式")
#: A question or an acknowledgement, not a place (请问…怎么样了, 收到，马上处理).
_NOT_A_PLACE_RE = re.compile(
    r"[?？吗呢]\s*$|请问|怎么样|怎么办|什么时候|为什么|有没有|进展|结果|收到|谢谢|好的"
)

#: A chat word alone (不对, 嗯, 好, 哈哈), no place: the step's hint again (trial 34 #4).
_CHAT_ONLY_RE = re.compile(
    r"(?:不对|不是|对|对的|是|是的|嗯+|哦+|噢+|喔+|啊+|呃+|好|行|可以|ok|okay|哈+|呵+|"
    r"什么|啥|干嘛|\?+|？+)[\s。.！!，,~～…?？]*",
    re.IGNORECASE,
)

#: How long the step waits for "where are you now": past this (by the service's clock),
#: the answer is no longer "now" and the next text is a new message (trial 26 T28).
STEP_TTL = timedelta(minutes=30)


async def ask_details(update: Update, context: BotContext, view: CaseView, text: str) -> str:
    """After the filing: the crisis line for self-harm, then ask for the place and a phone."""
    found = emergency_of(text)
    if found is not None and found.kind == SELF_HARM:
        words = st.crisis_words(context.runtime.district.crisis_hotline)
        if "炭" in text:  # charcoal named: the fumes first (review 35d F2)
            words = f"{words}\n{st.CHARCOAL_CARE}"
        await reply(update, words)
        crisis.remember(context, view)
    user_data(context)[KEY] = {"case_id": view.id, "number": view.number, "at": stamp(context)}
    await reply(
        update, st.emergency_details_prompt(view.number or ""), st.emergency_details_keyboard()
    )
    return EMERGENCY


async def cancelled(update: Update, context: BotContext) -> bool:
    """/cancel at the details step: the emergency stays filed, and the citizen is told so."""
    item = user_data(context).pop(KEY, None)
    if not isinstance(item, dict):
        return False
    await reply(update, st.emergency_skipped(str(item.get("number", ""))), texts.REMOVE_KEYBOARD)
    await other_matter.offer(update, context)
    return True


def _pending(context: BotContext) -> dict[str, Any] | None:
    item = user_data(context).get(KEY)
    return item if isinstance(item, dict) else None


@expiring(KEY, STEP_TTL)
async def location(update: Update, context: BotContext) -> int | None:
    """A shared location: on the case at once."""
    message = update.effective_message
    if message is None or message.location is None:
        return None
    loc = message.location
    return await _amend(update, context, ["位置"], location=(loc.latitude, loc.longitude))


@expiring(KEY, STEP_TTL)
async def sticker(update: Update, context: BotContext) -> int | None:
    """A sticker at the step: this step's hint (trial 34 #17); from someone in crisis it
    goes to their helpers as anywhere else (trial 27 N18)."""
    item = _pending(context)
    if item is None:
        return await leave_and_redo(update, context)
    person = await who(update, context)
    in_crisis = crisis.open_case(context) == item.get("case_id")
    if (
        in_crisis
        and person is not None
        and await crisis.media_passed_on(update, context, person.id)
    ):
        return None
    await reply(update, st.emergency_details_hint(str(item["number"])))
    return None


@expiring(KEY, STEP_TTL)
async def contact(update: Update, context: BotContext) -> int | None:
    """A shared contact (the phone): on the case at once (trial 31 #2)."""
    message = update.effective_message
    if message is None or message.contact is None:
        return None
    return await _amend(update, context, ["电话"], phone=message.contact.phone_number[:32])


async def details_text(update: Update, context: BotContext) -> str | int | None:
    """The place and / or a phone number typed in one message, or 跳过."""
    text = message_text(update).strip()
    item = _pending(context)
    if item is None:
        return await leave_and_redo(update, context)
    if is_stale(context, item, STEP_TTL) or await _case_over(update, context, item):
        # The step is over (past STEP_TTL, or the case was closed meanwhile): its
        # keyboard goes (trial 26 T6) and the text is read afresh.
        await _end_step(update, context, item)
        return await leave_and_redo(update, context)
    # 算了 你们别管我了 from someone in crisis is no 跳过: it goes to their helpers with a
    # human answer (trial 31 #4), as anything else they say at the step; declining the
    # details themselves (我不想留电话) is still 跳过.
    in_crisis = crisis.open_case(context) == item.get("case_id")
    declined = (
        _DECLINE_RE.search(text)
        and not looks_like_problem(text)
        and (not in_crisis or _DETAILS_RE.search(text) is not None)
    )
    if texts.is_skip(text) or (declined and find_phone(text) is None):
        user_data(context).pop(KEY, None)
        await reply(update, st.emergency_skipped(str(item["number"])), texts.REMOVE_KEYBOARD)
        await other_matter.offer(update, context)
        return ConversationHandler.END
    if emergency_of(text) is not None:
        # A new danger now: handled as its own message (its own details step follows);
        # the matter kept beside the first danger stays kept and is offered once that
        # step is over, after the new danger (review 1, R4).
        user_data(context).pop(KEY, None)
        if in_crisis:
            # It goes to the open self-harm case, whose answer comes from the outbox
            # without a keyboard: the step's 📍 / 跳过 goes here (trial 33 D16).
            await reply(update, st.emergency_step_over(str(item["number"])), texts.REMOVE_KEYBOARD)
        return await leave_and_redo(update, context)
    if await _farewell(update, context, text):
        # A farewell from someone in crisis or aftercare is never a place or a phone, with a
        # number in it or not: it reaches their helpers (review left34 #2), before any
        # reading of the step's own words below.
        await _end_step(update, context, item)
        return await leave_and_redo(update, context)
    if find_phone(text) is None and not in_crisis and _CHAT_ONLY_RE.fullmatch(text):
        # 不对 alone is no place (trial 34 #4): the step's hint, the step stays.
        await reply(update, st.emergency_details_hint(str(item["number"])))
        return EMERGENCY
    if find_phone(text) is None and is_office_correction(text):
        # 不对，应该是环保局管: about the case, not its place; the step ends and the
        # open emergency takes it as 补充说明 (handlers.emergency_open, trial 34 #4).
        await _end_step(update, context, item, offer=False)
        return await leave_and_redo(update, context)
    if find_phone(text) is None and _not_details(context, item, text):
        # Another problem, or what someone in crisis says next: the step ends (its
        # keyboard goes, trial 26 T6) and the text is handled as its own message.
        await _end_step(update, context, item)
        return await leave_and_redo(update, context)
    phone = find_phone(text)
    if phone is not None and not phone.valid:
        await reply(update, st.BAD_PHONE_DIGITS)
        return EMERGENCY
    place = place_without_phone(text, phone.raw if phone is not None else None)
    what = (["地点"] if place else []) + (["电话"] if phone is not None else [])
    return await _amend(
        update,
        context,
        what,
        place=place or None,
        phone=phone.number if phone is not None else None,
    )


#: The words that label a phone number (电话13900001111, 手机号：…, 联系方式是…): they go
#: with the number, not into the address (trial 29 P8).
_PHONE_LABEL_RE = re.compile(
    r"(?:我的|我|本人)?(?:联系)?(?:电话号码|电话|手机号码|手机号|手机|号码|联系方式)"
    r"(?:是|为)?\s*[:：]?\s*$"
)


def place_without_phone(text: str, raw_phone: str | None) -> str:
    """The place in a details message: the text without the phone number and its label.

    >>> place_without_phone("西湖街道金桥小区5栋 电话13900001111", "13900001111")
    '西湖街道金桥小区5栋'
    >>> place_without_phone("手机：13900001111，在和平路口", "13900001111")
    '在和平路口'
    """
    if raw_phone is None:
        return text.strip(" ，,。；;")
    before, _, after = text.partition(raw_phone)
    before = _PHONE_LABEL_RE.sub("", before.rstrip(" ，,。；;"))
    parts = (p.strip(" ，,。；;:：") for p in (before, after))
    return "，".join(p for p in parts if p)


async def _case_over(update: Update, context: BotContext, item: dict[str, Any]) -> bool:
    """Whether the emergency the step belongs to is no longer open (办结, 结案, 撤回)."""
    person = await who(update, context)
    if person is None:
        return False
    try:
        view = await context.runtime.cases.get_case_view(int(item["case_id"]), person.id)
    except CaseError:
        return True
    return view.status not in OPEN_STATUSES


async def _farewell(update: Update, context: BotContext, text: str) -> bool:
    """Whether ``text`` is a farewell their helpers must hear
    (:func:`crisis.is_crisis_farewell`)."""
    person = await who(update, context)
    return person is not None and await crisis.is_crisis_farewell(context, person.id, text)


#: Where the first phrase of a text ends.
_PHRASE_END_RE = re.compile(r"[，,。；;！!？?\s]")


def _place_first(text: str) -> bool:
    """Whether ``text`` opens with a place that tells no scene (金桥小区5栋，楼上还有人没下来)."""
    first = _PHRASE_END_RE.split(text.strip(), maxsplit=1)[0]
    return looks_like_place(first) and not tells_a_scene(first)


def _not_details(context: BotContext, item: dict[str, Any], text: str) -> bool:
    """Whether text at the step is no place: another problem, a scene, or, from someone in
    crisis, anything without an address's words (it goes to their helpers, T2); a
    question or a thank-you is never the place (T28)."""
    if looks_like_problem(text) or _NOT_A_PLACE_RE.search(text):
        return True
    if tells_a_scene(text) and not _place_first(text):
        # 我们楼顶有个人, 有人在路边焚烧秸秆: what happens, never the place (trial 35 D2,
        # D6); 金桥小区5栋，楼上还有人没下来 is the place, the rest told to the police with
        # it (review 35b F2).
        return True
    return crisis.open_case(context) == item.get("case_id") and not looks_like_place(text)


async def _end_step(
    update: Update, context: BotContext, item: dict[str, Any], *, offer: bool = True
) -> None:
    """The step is over without details: say so, and take its keyboard away."""
    user_data(context).pop(KEY, None)
    await reply(update, st.emergency_step_over(str(item.get("number", ""))), texts.REMOVE_KEYBOARD)
    if offer:
        await other_matter.offer(update, context)


async def _amend(
    update: Update,
    context: BotContext,
    what: list[str],
    *,
    place: str | None = None,
    phone: str | None = None,
    location: tuple[float, float] | None = None,
) -> int:
    item = user_data(context).pop(KEY, None)
    person = await who(update, context)
    if not isinstance(item, dict) or person is None:
        await reply(update, texts.NO_DRAFT, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    try:
        view = await context.runtime.cases.add_emergency_details(
            person.id, int(item["case_id"]), place=place, phone=phone, location=location
        )
    except CaseError as exc:
        log.info("emergency details of %s refused: %s", person.id, exc.code)
        await reply(update, exc.message, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    mark_saved(update, context, f"编号 {view.number}")
    await reply(update, st.emergency_details_saved(view.number or "", what), texts.REMOVE_KEYBOARD)
    await other_matter.offer(update, context)
    return ConversationHandler.END


def states() -> dict[object, list[BaseHandler[Update, BotContext, object]]]:
    """The step's state for the ``citizen_request`` conversation."""
    return {
        EMERGENCY: [
            MessageHandler(PRIVATE & filters.LOCATION, location),
            MessageHandler(PRIVATE & filters.CONTACT, contact),
            MessageHandler(PRIVATE & filters.Sticker.ALL, sticker),
            MessageHandler(PRIVATE_TEXT, details_text),
        ]
    }
