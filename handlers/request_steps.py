"""A citizen's request after 提交: place, contact and photos (each skippable), then filing.

The steps of the ``citizen_request`` conversation that follow the office
proposal (:mod:`handlers.citizen`); :func:`file_draft` files the case through
:meth:`bot.services.cases.CaseService.file_request`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services.cases import MAX_TEXT, RequestDraft
from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import (
    PRIVATE,
    BotContext,
    mark_saved,
    message_text,
    reply,
    user_data,
    who,
)
from handlers.drafts import keep_next, location_guard, looks_like_place, next_problems
from handlers.phones import find_phone, parse_phone
from handlers.texts import steps as st

log = logging.getLogger(__name__)

# Conversation states (strings: they are persisted as JSON).
PROPOSE = "propose"
LOCATION = "location"
CONTACT = "contact"
PHOTOS = "photos"

#: A conversation step's callback.
Step = Callable[[Update, BotContext], Coroutine[Any, Any, Any]]

MAX_PHOTOS = 10
#: ``user_data`` key of a problem typed during the photo step, proposed after filing.
NEXT_PROBLEM = "next_problem"


def forget_older(data: dict[str, Any], serial: object) -> None:
    """A draft filed: its copy among the older drafts (:mod:`handlers.drafts`) goes."""
    older = data.get("older_drafts")
    if isinstance(older, list):
        data["older_drafts"] = [d for d in older if isinstance(d, dict) and d.get("n") != serial]


def draft_of(context: BotContext) -> dict[str, Any] | None:
    """The request being written, if any."""
    draft = context.user_data.get("draft") if context.user_data is not None else None
    return draft if isinstance(draft, dict) else None


# --- the optional steps ---------------------------------------------------------------


async def location_shared(update: Update, context: BotContext) -> str | None:
    """A Telegram location."""
    message = update.effective_message
    draft = draft_of(context)
    if message is None or message.location is None or draft is None:
        return None
    draft["lat"] = message.location.latitude
    draft["lon"] = message.location.longitude
    draft["step"] = CONTACT
    await reply(
        update, texts.LOCATION_SAVED + "\n" + texts.contact_prompt(), texts.contact_keyboard()
    )
    return CONTACT


async def location_text(update: Update, context: BotContext) -> str | None:
    """A typed address, 选择社区, or 跳过."""
    text = message_text(update).strip()
    draft = draft_of(context)
    if draft is None:
        return None
    if text == texts.CHOOSE_COMMUNITY_LABEL or text in ("选择社區", "選擇社區"):
        places = context.runtime.people.places()
        # A community not listed: the way on is said and offered (trial 28 P9).
        await reply(update, texts.CHOOSE_COMMUNITY, texts.communities_markup(places))
        return LOCATION
    if await location_guard(update, draft, text):
        return LOCATION
    if not texts.is_skip(text) and text not in (st.ADDRESS_LABEL, st.ANOTHER_PROBLEM_LABEL):
        draft["address"] = text[:500]
    draft["step"] = CONTACT
    await reply(update, texts.contact_prompt(), texts.contact_keyboard())
    return CONTACT


async def community_chosen(update: Update, context: BotContext) -> str | None:
    """A community from the list."""
    query = update.callback_query
    assert query is not None
    draft = draft_of(context)
    unit_id = (query.data or "").split(":", 2)[-1]
    if unit_id == texts.COMMUNITY_SKIP and draft is not None:
        draft["step"] = CONTACT
        await query.answer()
        await query.edit_message_text(texts.COMMUNITY_SKIPPED)
        await reply(update, texts.contact_prompt(), texts.contact_keyboard())
        return CONTACT
    place = context.runtime.people.place(unit_id)
    if draft is None or place is None:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return None
    draft["place"] = place.unit_id
    draft["step"] = CONTACT
    await query.answer(texts.place_saved(place.name))
    await query.edit_message_text(texts.place_saved(place.name))
    await reply(update, texts.contact_prompt(), texts.contact_keyboard())
    return CONTACT


async def contact_shared(update: Update, context: BotContext) -> str | None:
    """A Telegram contact."""
    message = update.effective_message
    draft = draft_of(context)
    if message is None or message.contact is None or draft is None:
        return None
    contact = message.contact
    draft["contact_name"] = " ".join(x for x in (contact.first_name, contact.last_name) if x)
    draft["contact_phone"] = contact.phone_number[:32]
    draft["step"] = PHOTOS
    await reply(update, texts.photos_prompt(), texts.photos_keyboard())
    return PHOTOS


async def contact_text(update: Update, context: BotContext) -> str | None:
    """A typed phone number, or 跳过."""
    text = message_text(update).strip()
    draft = draft_of(context)
    if draft is None:
        return None
    declined = False
    if not texts.is_skip(text):
        phone = parse_phone(text)
        found = find_phone(text)
        if phone is None and found is not None and found.valid:
            phone = found  # a number in a sentence: 我的电话是13800001111
        if phone is None and found is None and declines_phone(text):
            declined = True  # 不方便留电话: as 跳过 (trial 29 P13)
        elif phone is None and found is None and (place := address_correction(text)):
            # 不对，地址是和平路5号 at the contact step: the place is corrected, the step
            # stays (trial 34 #5).
            draft["address"] = place[:500]
            await reply(update, st.address_corrected(place) + "\n" + texts.contact_prompt())
            return CONTACT
        elif phone is None:
            await reply(update, texts.BAD_PHONE)
            return CONTACT
        elif not phone.valid:
            await reply(update, st.BAD_PHONE_DIGITS)
            return CONTACT
        else:
            draft["contact_phone"] = phone.number
            draft["contact_name"] = None
            # 我电话13812345678，晚上打: the remark goes with the problem (trial 29 P13).
            remark = contact_remark(text, phone.raw)
            if remark and len(str(draft.get("text", ""))) + len(remark) + 6 <= MAX_TEXT:
                draft["text"] = f"{draft['text']}\n联系说明：{remark}"
    draft["step"] = PHOTOS
    if declined:
        await reply(update, st.PHONE_DECLINED)
    await reply(update, texts.photos_prompt(), texts.photos_keyboard())
    return PHOTOS


#: A refusal to give a number: 不方便留电话, 不想留, 保密 …
_DECLINE_RE = re.compile(
    r"不方便|不想留|不愿|不留|不要留|不用留|不给电话|保密|匿名|没有电话|没电话"
)
#: Words that only say "here is my number".
_PHONE_WORDS_RE = re.compile(
    r"^(?:我的?|本人)?(?:联系)?(?:电话|手机|手机号|号码)(?:号码?)?(?:是|为)?[：:，,\s]*"
)


#: A correction opening an address (不对，地址是…; 更正一下，地点在…) or the address words
#: alone (地址是…, 地点改为…).
_ADDRESS_FIX_RE = re.compile(
    r"^(?:(?P<cue>不对|错了|搞错了|写错了|说错了|弄错了|更正一下|更正|改一下|改下)"
    r"[\s，,。.！!：:]*)?"
    r"(?:(?P<word>(?:刚才的?|上面的?)?(?:地址|地点|位置|住址))(?:应该|应)?"
    r"(?:是|为|在|改为|改成|改到)?|(?:应该)?(?:是|在))?[\s：:]*(?P<place>.+)$"
)


def address_correction(text: str) -> str | None:
    """The corrected place in text typed at the contact step, or None.

    >>> address_correction("不对，地址是和平路5号")
    '和平路5号'
    >>> address_correction("地点改为人民路12号3单元")
    '人民路12号3单元'
    >>> address_correction("不对，是和平路5号")
    '和平路5号'
    >>> address_correction("不对") is None, address_correction("在家") is None
    (True, True)
    """
    found = _ADDRESS_FIX_RE.match(text.strip())
    if found is None or not (found.group("cue") or found.group("word")):
        return None
    place = found.group("place").strip(" ，,。.；;！!")
    return place if place and looks_like_place(place) else None


def declines_phone(text: str) -> bool:
    """Whether text at the contact step declines to give a number."""
    return _DECLINE_RE.search(text) is not None


def contact_remark(text: str, raw_phone: str) -> str:
    """What is said with a number besides it (晚上打, 找王女士), or ''."""
    rest = text.replace(raw_phone, " ", 1).strip()
    rest = _PHONE_WORDS_RE.sub("", rest).strip(" ，,。.：:；;！!")
    meaningful = [ch for ch in rest if ch.isalnum()]
    return rest[:100] if len(meaningful) >= 2 else ""


async def photo_added(update: Update, context: BotContext) -> str | None:
    """A photo: keep its file id."""
    message = update.effective_message
    draft = draft_of(context)
    if message is None or not message.photo or draft is None:
        return None
    photos = draft.setdefault("photos", [])
    if len(photos) >= MAX_PHOTOS:
        await reply(update, texts.TOO_MANY_PHOTOS)
        return PHOTOS
    photos.append(message.photo[-1].file_id)
    await reply(update, texts.photo_received(len(photos)))
    caption = (message.caption or "").strip()
    if caption and len(draft["text"]) + len(caption) + 6 <= MAX_TEXT:
        draft["text"] = f"{draft['text']}\n照片说明：{caption}"
        await reply(update, st.photo_caption_added(caption))
    return PHOTOS


async def photo_step_location(update: Update, context: BotContext) -> str | None:
    """A location at the photo step: kept as the place (trial 28 P8), the keyboard stays."""
    message = update.effective_message
    draft = draft_of(context)
    if message is None or message.location is None or draft is None:
        return None
    draft["lat"] = message.location.latitude
    draft["lon"] = message.location.longitude
    await reply(update, texts.LOCATION_AT_PHOTOS, texts.photos_keyboard())
    return PHOTOS


async def photo_step_other(update: Update, context: BotContext) -> str | None:
    """A sticker, voice message, file … at the photo step: what the step takes, in one
    line, with its keyboard (it used to get the idle chat's answer; trial 28 P8)."""
    if draft_of(context) is None:
        return None
    await reply(update, texts.PHOTOS_EXPECTED, texts.photos_keyboard())
    return PHOTOS


def photo_step_media(wrap: Callable[[Step], Step]) -> list[MessageHandler[BotContext, Any]]:
    """The photo step's handlers of a location and of any other non-text message."""
    return [
        MessageHandler(PRIVATE & filters.LOCATION, wrap(photo_step_location)),
        MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.TEXT, wrap(photo_step_other)),
    ]


async def photos_text(update: Update, context: BotContext) -> str | int | None:
    """完成 / 跳过 files the case; other text is asked about, never dropped.

    Text typed here is either more about this problem (added to the
    description) or another problem (kept in ``user_data[NEXT_PROBLEM]`` and
    proposed once this one is filed): the citizen is asked which.
    """
    text = message_text(update).strip()
    draft = draft_of(context)
    if texts.is_done(text) or texts.is_skip(text):
        if draft is not None and isinstance(draft.get("extra"), str):
            keep_next(draft, draft.pop("extra"))  # unanswered: not lost, proposed next
        return await file_draft(update, context)
    if draft is None:
        await reply(update, texts.PHOTOS_EXPECTED)
        return PHOTOS
    extra = draft.get("extra")
    if text == texts.ADD_TO_CASE_LABEL and isinstance(extra, str):
        combined = f"{draft['text']}\n补充：{extra}"
        if len(combined) > MAX_TEXT:
            await reply(update, texts.too_long(len(combined), MAX_TEXT))
            return PHOTOS
        draft["text"] = combined
        draft.pop("extra", None)
        await reply(update, texts.EXTRA_ADDED, texts.photos_keyboard())
        return PHOTOS
    if text == texts.NEXT_PROBLEM_LABEL and isinstance(extra, str):
        keep_next(draft, extra)
        draft.pop("extra", None)
        await reply(update, texts.NEXT_PROBLEM_KEPT, texts.photos_keyboard())
        return PHOTOS
    if not text:
        await reply(update, texts.PHOTOS_EXPECTED)
        return PHOTOS
    draft["extra"] = text[:MAX_TEXT]
    await reply(update, texts.extra_text_question(), texts.extra_text_keyboard())
    return PHOTOS


async def file_draft(update: Update, context: BotContext) -> int | None:
    """File the draft as a case and end the conversation."""
    draft = draft_of(context)
    person = await who(update, context)
    if person is None:
        return ConversationHandler.END
    if draft is None:
        await reply(update, texts.NO_DRAFT, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    photos = draft.get("photos") or []
    request = RequestDraft(
        text=str(draft["text"]),
        room=draft.get("room"),
        bureau=draft.get("bureau"),
        address=draft.get("address"),
        latitude=draft.get("lat"),
        longitude=draft.get("lon"),
        territorial_unit_id=draft.get("place"),
        contact_name=draft.get("contact_name"),
        contact_phone=draft.get("contact_phone"),
        photo_file_ids=tuple(str(p) for p in photos),
        to_desk=bool(draft.get("desk")),
    )
    runtime = context.runtime
    try:
        view = await runtime.cases.file_request(person.id, request, receipt=False)
    except CaseError as exc:
        log.info("request of %s refused: %s", person.id, exc.code)
        await reply(update, exc.message, texts.REMOVE_KEYBOARD)
        if exc.code != "bad_input":
            user_data(context).pop("draft", None)
            _keep_following(context, draft)  # the matters kept for later are not lost
            return ConversationHandler.END
        return None
    mark_saved(update, context, f"编号 {view.number}")
    runtime.metrics.cases_filed.inc(1, "request", "telegram")
    user_data(context).pop("draft", None)
    forget_older(user_data(context), draft.get("n"))
    _keep_following(context, draft)
    log.info("request %s filed by %s -> %s", view.number, person.id, view.owning_unit_id)
    await reply(
        update,
        texts.submitted(view, runtime.district, runtime.settings.timezone),
        texts.REMOVE_KEYBOARD,
    )
    return ConversationHandler.END


def _keep_following(context: BotContext, draft: dict[str, Any]) -> None:
    """The problems kept for after ``draft`` (a list), proposed one by one from now."""
    following = next_problems(draft.get("next"))
    if following:
        user_data(context)[NEXT_PROBLEM] = following
