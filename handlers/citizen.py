"""Citizens: "which office?", filing a request with optional details, /status, follow-up.

Any free text in a private chat is taken as a description of a problem: the
bot answers with the office (room, bureau, address, hours, the keywords that
decided it) and the buttons 提交 / 换一个部门 / 只是咨询, or, when unsure, the
likely rooms. After 提交 come three skippable steps — place (a shared location,
a typed address or a community from the list), contact (the Telegram contact
button or a typed number) and photos — and then the case is filed.

The draft lives in ``user_data["draft"]`` as a plain dict and the step in a
persistent ConversationHandler, so a restart in the middle resumes it.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import re
import time
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services import notifications as nt
from bot.services.callbacks import CaseAction
from bot.services.cases import MAX_TEXT, Preview, RequestDraft, TimelineEntry
from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import (
    PRIVATE,
    PRIVATE_TEXT,
    App,
    BotContext,
    is_persistent,
    mark_saved,
    masked,
    message_text,
    quiet_per_message_warning,
    reply,
    stamp,
    who,
)
from handlers.flow import describe_prompt, expiring, leave_and_redo

log = logging.getLogger(__name__)

# Conversation states (strings: they are persisted as JSON).
PROPOSE = "propose"
LOCATION = "location"
CONTACT = "contact"
PHOTOS = "photos"
FU_COMMENT = "fu_comment"

MAX_PHOTOS = 10
_PHONE_RE = re.compile(r"^\+?[\d\- ]{5,20}$")


def unsure_below() -> float:
    """The classifier's own "unsure" threshold (``nlp.UNSURE_BELOW``), if it exports one."""
    value = getattr(importlib.import_module("nlp"), "UNSURE_BELOW", None)
    return float(value) if isinstance(value, int | float) else 0.0


def is_unsure(preview: Preview) -> bool:
    """Whether to offer choices instead of one office."""
    return preview.unsure or not preview.room_name or preview.confidence < unsure_below()


async def classify(context: BotContext, text: str) -> Preview:
    """The service's "which office?" answer, computed off the event loop.

    Raises:
        CaseError: ``bad_input`` for a text without words.
    """
    runtime = context.runtime
    started = time.perf_counter()
    preview = await asyncio.to_thread(runtime.cases.preview, text)
    runtime.metrics.classify_latency.observe(time.perf_counter() - started)
    runtime.metrics.classifications.inc(1, preview.room)
    return preview


def _draft(context: BotContext) -> dict[str, Any] | None:
    draft = context.user_data.get("draft") if context.user_data is not None else None
    return draft if isinstance(draft, dict) else None


def _user_data(context: BotContext) -> dict[str, Any]:
    if context.user_data is None:  # pragma: no cover - private chats always have a user
        raise RuntimeError("no user_data")
    return context.user_data


# --- describing and choosing the office ------------------------------------------


async def describe(update: Update, context: BotContext) -> str | None:
    """Free text: answer which office handles it and offer to file it."""
    text = message_text(update)
    person = await who(update, context)
    if person is None:
        return None
    if len(text.strip()) > MAX_TEXT:
        await reply(update, texts.too_long(len(text.strip()), MAX_TEXT))
        return None
    try:
        preview = await classify(context, text)
    except CaseError as exc:
        await reply(update, exc.message if exc.code == "bad_input" else texts.EMPTY_TEXT)
        return None
    data = _user_data(context)
    serial = int(data.get("draft_seq", 0)) + 1
    data["draft_seq"] = serial
    unsure = is_unsure(preview)
    data["draft"] = {
        "n": serial,
        "at": stamp(context),
        "text": text,
        "room": None,
        "bureau": None,
        "photos": [],
    }
    log.info(
        "description from %s -> %s/%s (%.2f%s): %s",
        person.id,
        preview.room,
        preview.bureau,
        preview.confidence,
        ", unsure" if unsure else "",
        masked(text),
    )
    district = context.runtime.district
    await reply(
        update,
        texts.proposal(preview, text, district, unsure=unsure),
        texts.proposal_markup(preview, district, serial, unsure=unsure),
    )
    return PROPOSE


def _serial_of(data: str) -> int | None:
    tail = data.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


async def _current(update: Update, context: BotContext) -> dict[str, Any] | None:
    """The draft a proposal button belongs to, or None (and the user told) if stale."""
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    if draft is None or _serial_of(query.data or "") != draft.get("n"):
        await query.answer(texts.STALE_DRAFT, show_alert=True)
        return None
    return draft


async def other_rooms(update: Update, context: BotContext) -> str | None:
    """换一个部门 / 其他部门: show all five rooms."""
    query = update.callback_query
    assert query is not None
    draft = await _current(update, context)
    if draft is None:
        return None
    await query.answer()
    await query.edit_message_reply_markup(
        texts.rooms_markup(context.runtime.district, texts.ROOM, str(draft["n"]))
    )
    return PROPOSE


async def choose_room(update: Update, context: BotContext) -> str | None:
    """A room chosen by hand."""
    query = update.callback_query
    assert query is not None
    draft = await _current(update, context)
    if draft is None:
        return None
    parts = (query.data or "").split(":")
    room_id = parts[2] if len(parts) == 4 else ""
    district = context.runtime.district
    if room_id not in district.rooms:
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return None
    draft["room"] = room_id
    draft["bureau"] = None
    await query.answer(f"已选择{district.rooms[room_id].name}")
    await query.edit_message_text(
        texts.fit(texts.chosen_room(district, room_id, str(draft["text"]))),
        reply_markup=texts.submit_markup(int(draft["n"])),
    )
    return PROPOSE


async def just_asking(update: Update, context: BotContext) -> int | None:
    """只是咨询: nothing is filed."""
    query = update.callback_query
    assert query is not None
    if await _current(update, context) is None:
        return None
    _user_data(context).pop("draft", None)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await reply(update, texts.JUST_ASKING)
    return ConversationHandler.END


async def submit(update: Update, context: BotContext) -> str | None:
    """提交 (or 交由工作人员分派): on to the optional steps."""
    query = update.callback_query
    assert query is not None
    draft = await _current(update, context)
    if draft is None:
        return None
    if (query.data or "").startswith(texts.DESK + ":"):
        draft["room"] = None
        draft["bureau"] = None
    await query.answer()
    await query.edit_message_reply_markup(None)
    await reply(update, texts.location_prompt(), texts.location_keyboard())
    return LOCATION


# --- the optional steps ---------------------------------------------------------------


async def location_shared(update: Update, context: BotContext) -> str | None:
    """A Telegram location."""
    message = update.effective_message
    draft = _draft(context)
    if message is None or message.location is None or draft is None:
        return None
    draft["lat"] = message.location.latitude
    draft["lon"] = message.location.longitude
    await reply(
        update, texts.LOCATION_SAVED + "\n" + texts.contact_prompt(), texts.contact_keyboard()
    )
    return CONTACT


async def location_text(update: Update, context: BotContext) -> str | None:
    """A typed address, 选择社区, or 跳过."""
    text = message_text(update).strip()
    draft = _draft(context)
    if draft is None:
        return None
    if text == texts.CHOOSE_COMMUNITY_LABEL or text in ("选择社區", "選擇社區"):
        places = context.runtime.people.places()
        await reply(update, "请选择社区或居民区：", texts.communities_markup(places))
        return LOCATION
    if not texts.is_skip(text):
        draft["address"] = text[:500]
    await reply(update, texts.contact_prompt(), texts.contact_keyboard())
    return CONTACT


async def community_chosen(update: Update, context: BotContext) -> str | None:
    """A community from the list."""
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    unit_id = (query.data or "").split(":", 2)[-1]
    place = context.runtime.people.place(unit_id)
    if draft is None or place is None:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return None
    draft["place"] = place.unit_id
    await query.answer(texts.place_saved(place.name))
    await query.edit_message_text(texts.place_saved(place.name))
    await reply(update, texts.contact_prompt(), texts.contact_keyboard())
    return CONTACT


async def contact_shared(update: Update, context: BotContext) -> str | None:
    """A Telegram contact."""
    message = update.effective_message
    draft = _draft(context)
    if message is None or message.contact is None or draft is None:
        return None
    contact = message.contact
    draft["contact_name"] = " ".join(x for x in (contact.first_name, contact.last_name) if x)
    draft["contact_phone"] = contact.phone_number[:32]
    await reply(update, texts.photos_prompt(), texts.photos_keyboard())
    return PHOTOS


async def contact_text(update: Update, context: BotContext) -> str | None:
    """A typed phone number, or 跳过."""
    text = message_text(update).strip()
    draft = _draft(context)
    if draft is None:
        return None
    if not texts.is_skip(text):
        if not _PHONE_RE.match(text):
            await reply(update, texts.BAD_PHONE)
            return CONTACT
        draft["contact_phone"] = text[:32]
        draft["contact_name"] = None
    await reply(update, texts.photos_prompt(), texts.photos_keyboard())
    return PHOTOS


async def photo_added(update: Update, context: BotContext) -> str | None:
    """A photo: keep its file id."""
    message = update.effective_message
    draft = _draft(context)
    if message is None or not message.photo or draft is None:
        return None
    photos = draft.setdefault("photos", [])
    if len(photos) >= MAX_PHOTOS:
        await reply(update, texts.TOO_MANY_PHOTOS)
        return PHOTOS
    photos.append(message.photo[-1].file_id)
    await reply(update, texts.photo_received(len(photos)))
    return PHOTOS


async def photos_text(update: Update, context: BotContext) -> str | int | None:
    """完成 / 跳过 files the case; anything else gets a hint."""
    text = message_text(update)
    if texts.is_done(text) or texts.is_skip(text):
        return await file_draft(update, context)
    await reply(update, texts.PHOTOS_EXPECTED)
    return PHOTOS


async def file_draft(update: Update, context: BotContext) -> int | None:
    """File the draft as a case and end the conversation."""
    draft = _draft(context)
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
    )
    runtime = context.runtime
    try:
        view = await runtime.cases.file_request(person.id, request)
    except CaseError as exc:
        log.info("request of %s refused: %s", person.id, exc.code)
        await reply(update, exc.message, texts.REMOVE_KEYBOARD)
        if exc.code != "bad_input":
            _user_data(context).pop("draft", None)
            return ConversationHandler.END
        return None
    mark_saved(update, context, f"编号 {view.number}")
    runtime.metrics.cases_filed.inc(1, "request", "telegram")
    _user_data(context).pop("draft", None)
    log.info("request %s filed by %s -> %s", view.number, person.id, view.owning_unit_id)
    await reply(update, texts.submitted(view), texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel inside the request conversation."""
    _user_data(context).pop("draft", None)
    await reply(update, texts.CANCELLED + "问题没有提交。", texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def restart(update: Update, context: BotContext) -> int:
    """/start inside the conversation: leave it and greet."""
    from handlers.common import start

    _user_data(context).pop("draft", None)
    await start(update, context)
    return ConversationHandler.END


async def menu_in_conversation(update: Update, context: BotContext) -> int:
    """A menu button inside the conversation: the draft is dropped."""
    _user_data(context).pop("draft", None)
    await reply(update, "已放弃未提交的问题。", texts.REMOVE_KEYBOARD)
    return await describe_prompt(update, context)


# --- /which, /status --------------------------------------------------------------------


async def which(update: Update, context: BotContext) -> None:
    """/which TEXT: the office, nothing filed."""
    text = " ".join(context.args or [])
    if not text.strip():
        await reply(update, "用法：/which 问题描述，例如：/which 单位拖欠工资怎么办")
        return
    if len(text) > MAX_TEXT:
        await reply(update, texts.too_long(len(text), MAX_TEXT))
        return
    try:
        preview = await classify(context, text)
    except CaseError:
        await reply(update, texts.EMPTY_TEXT)
        return
    await reply(
        update, texts.which_answer(preview, context.runtime.district, unsure=is_unsure(preview))
    )


async def show_status(update: Update, context: BotContext) -> None:
    """/status: the sender's own cases with their progress."""
    person = await who(update, context)
    if person is None:
        return
    runtime = context.runtime
    views = await runtime.cases.cases_of_reporter(person.id, limit=10)
    timelines: dict[int, list[TimelineEntry]] = {}
    for view in views:
        try:
            timelines[view.id] = await runtime.cases.timeline(view.id, person.id)
        except CaseError:
            timelines[view.id] = []
    await reply(update, texts.status_list(views, timelines, runtime.settings.timezone))


# --- follow-up (回访) ----------------------------------------------------------------------


async def follow_up(update: Update, context: BotContext) -> str | int | None:
    """A follow-up button: satisfied answers are recorded; the others ask for a comment."""
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    action = runtime.codec.decode(query.data)
    answer = nt.FOLLOW_UP_ANSWERS.get(action.arg or "") if action is not None else None
    if action is None or action.action != CaseAction.FOLLOW_UP or answer is None:
        log.warning("forged follow-up button from user %s refused", query.from_user.id)
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return None
    person = await who(update, context)
    if person is None:
        return None
    label, solved, satisfaction = answer
    if solved and satisfaction != "unsatisfied":
        try:
            await runtime.cases.answer_follow_up(
                action.case_id, person.id, solved, satisfaction, expected_version=action.version
            )
        except CaseError as exc:
            log.info("follow-up of %s on case %s refused: %s", person.id, action.case_id, exc.code)
            await query.answer(exc.message, show_alert=True)
            return ConversationHandler.END
        mark_saved(update, context, "您的评价")
        await query.answer(texts.FOLLOW_UP_THANKS)
        await _show_answer(update, label)
        return ConversationHandler.END
    try:
        view = await runtime.cases.get_case_view(action.case_id, person.id)
    except CaseError as exc:
        await query.answer(exc.message, show_alert=True)
        return ConversationHandler.END
    if view.reporter_id != person.id or view.status != "resolved" or view.version != action.version:
        await query.answer("该案件已完成回访或状态已变化。", show_alert=True)
        return ConversationHandler.END
    message = query.message
    _user_data(context)["fu"] = {
        "at": stamp(context),
        "case": action.case_id,
        "version": action.version,
        "answer": action.arg,
        "msg": message.message_id if message is not None else None,
    }
    await query.answer()
    await reply(update, texts.FOLLOW_UP_COMMENT, texts.skip_markup())
    return FU_COMMENT


async def _show_answer(update: Update, label: str) -> None:
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message):
        return
    await query.edit_message_text(texts.fit(texts.follow_up_answered(message.text or "", label)))


async def follow_up_comment(update: Update, context: BotContext) -> int | None:
    """The comment after 不满意 / 未解决 (or 跳过 / /cancel: none)."""
    data = _user_data(context)
    pending = data.pop("fu", None)
    person = await who(update, context)
    if not isinstance(pending, dict) or person is None:
        return ConversationHandler.END
    query = update.callback_query
    comment: str | None = None
    if query is None and update.effective_message is not None:
        text = message_text(update)
        comment = None if texts.is_skip(text) or text.startswith("/") else text
    label, solved, satisfaction = nt.FOLLOW_UP_ANSWERS[str(pending["answer"])]
    try:
        await context.runtime.cases.answer_follow_up(
            int(pending["case"]),
            person.id,
            solved,
            satisfaction,
            comment,
            expected_version=int(pending["version"]),
        )
    except CaseError as exc:
        if query is not None:
            await query.answer(exc.message, show_alert=True)
        else:
            await reply(update, exc.message)
        return ConversationHandler.END
    mark_saved(update, context, "您的评价和意见")
    if query is not None:
        await query.answer(texts.FOLLOW_UP_THANKS)
        await query.edit_message_reply_markup(None)
    else:
        await reply(update, "已记录您的意见，我们会重新办理。")
    chat = update.effective_chat
    if pending.get("msg") and chat is not None:
        try:
            await context.bot.edit_message_reply_markup(
                chat.id, int(pending["msg"]), reply_markup=None
            )
        except Exception:  # the question may be gone or already edited: not important
            log.debug("could not clear the follow-up buttons", exc_info=True)
    log.info("follow-up %s on case %s from %s", label, pending["case"], person.id)
    return ConversationHandler.END


async def follow_up_expected(update: Update, context: BotContext) -> str:
    """Non-text while a comment is expected."""
    await reply(update, "请用文字发送您的意见，或点「跳过」。")
    return FU_COMMENT


# --- registration --------------------------------------------------------------------------


def register(application: App) -> None:
    """Add the follow-up and request conversations, /which and /status."""
    persistent = is_persistent(application)
    fresh = expiring("draft")
    fresh_fu = expiring("fu")
    skip = f"^{re.escape(texts.SKIP)}$"
    with quiet_per_message_warning():
        follow_ups = ConversationHandler(
            entry_points=[CallbackQueryHandler(follow_up, pattern=r"^fu:")],
            states={
                FU_COMMENT: [
                    MessageHandler(PRIVATE_TEXT, fresh_fu(follow_up_comment)),
                    CallbackQueryHandler(fresh_fu(follow_up_comment), pattern=skip),
                    MessageHandler(PRIVATE & ~filters.COMMAND, follow_up_expected),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", follow_up_comment, filters=PRIVATE),
                MessageHandler(PRIVATE & filters.COMMAND, leave_and_redo),
                CallbackQueryHandler(leave_and_redo, pattern=r"^ui:menu:"),
            ],
            allow_reentry=True,
            name="follow_up",
            persistent=persistent,
        )
        ui = re.escape(texts.UI)
        requests = ConversationHandler(
            entry_points=[MessageHandler(PRIVATE_TEXT, describe)],
            states={
                PROPOSE: [
                    CallbackQueryHandler(fresh(submit), pattern=rf"^({ui}sub|{ui}desk):\d+$"),
                    CallbackQueryHandler(fresh(other_rooms), pattern=rf"^{ui}other:\d+$"),
                    CallbackQueryHandler(fresh(choose_room), pattern=rf"^{ui}room:[a-z0-9_]+:\d+$"),
                    CallbackQueryHandler(fresh(just_asking), pattern=rf"^{ui}ask:\d+$"),
                    MessageHandler(PRIVATE_TEXT, describe),
                ],
                LOCATION: [
                    MessageHandler(PRIVATE & filters.LOCATION, fresh(location_shared)),
                    MessageHandler(PRIVATE_TEXT, fresh(location_text)),
                    CallbackQueryHandler(
                        fresh(community_chosen), pattern=rf"^{ui}comm:[a-z0-9_]+$"
                    ),
                ],
                CONTACT: [
                    MessageHandler(PRIVATE & filters.CONTACT, fresh(contact_shared)),
                    MessageHandler(PRIVATE_TEXT, fresh(contact_text)),
                ],
                PHOTOS: [
                    MessageHandler(PRIVATE & filters.PHOTO, fresh(photo_added)),
                    MessageHandler(PRIVATE_TEXT, fresh(photos_text)),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", cancel, filters=PRIVATE),
                CommandHandler("start", restart, filters=PRIVATE),
                CallbackQueryHandler(menu_in_conversation, pattern=rf"^{ui}menu:(report|which)$"),
            ],
            name="citizen_request",
            persistent=persistent,
        )
    application.add_handler(follow_ups)
    application.add_handler(requests)
    application.add_handler(CommandHandler("which", which, filters=PRIVATE))
    application.add_handler(CommandHandler("status", show_status, filters=PRIVATE))
