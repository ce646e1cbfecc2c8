"""Information officers (信息员): early warnings and their status.

``/warn`` (or the 报送预警 button) asks for the text, proposes room, bureau and
severity from it (confirm, or change them with buttons). 确认 files and sends
the warning at once (:meth:`bot.services.cases.CaseService.file_warning`); the
place, the number of people and photos — all skippable — are asked afterwards
and amend the filed warning (``add_warning_details``). ``/warn TEXT`` files at
once with the proposed values. Danger now shows the emergency line first;
small talk files nothing. A citizen's ``/warn TEXT`` is not refused: the text is
proposed as a request (:func:`handlers.citizen.warn_by_citizen`). The proposal
says why the level (定级依据); a level may be raised freely, but lowering a
critical one asks for a reason (the next message, or 保持 / /cancel to keep the
level), which the service records.
``/mine`` lists the warnings the officer filed.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services.cases import MAX_TEXT, CaseView, WarningDraft
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from bot.services.triage import emergency_of, needs_reason, triage
from handlers import officer_phone, texts
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
from handlers.citizen import warn_by_citizen
from handlers.flow import expiring, leave_and_redo
from handlers.office_choice import classify, is_unsure
from handlers.warning_proposal import expects, propose
from handlers.warning_steps import (
    W_COUNT,
    W_PHOTOS,
    W_PLACE,
    count_text,
    photo_added,
    photos_text,
    place_location,
    place_text,
    warn_data,
    warn_draft,
)

log = logging.getLogger(__name__)

W_TEXT = "w_text"
W_CONFIRM = "w_confirm"
W_REASON = "w_reason"


async def _officer(update: Update, context: BotContext) -> PersonInfo | None:
    """The sender if they may file warnings; otherwise they are told how to bind."""
    person = await who(update, context)
    if person is None:
        return None
    if not person.may_warn:
        # A citizen who typed /warn with a text: the text is offered as a request.
        text = message_text(update).split(maxsplit=1)
        if len(text) == 2 and update.callback_query is None:
            await warn_by_citizen(update, context, text[1].strip())
        else:
            await reply(update, texts.WARN_NOT_ALLOWED)
        return None
    return person


async def _danger_line(update: Update, text: str) -> None:
    """Danger now: the officer reads the number to call first (a warning is not a 110 call)."""
    emergency = emergency_of(text)
    if emergency is not None:
        await reply(update, texts.officer_emergency_line(emergency.line))


def _not_a_description(text: str) -> bool:
    """A greeting, thanks, noise or a vague opening: nothing to warn about yet."""
    verdict = triage(text)
    return verdict.small_talk or verdict.kind == "vague"


async def warn_command(update: Update, context: BotContext) -> str | int | None:
    """/warn: ask for the text; /warn TEXT: file at once."""
    person = await _officer(update, context)
    if person is None:
        return ConversationHandler.END
    text = message_text(update).split(maxsplit=1)
    if len(text) == 2 and text[1].strip():
        if _not_a_description(text[1]):
            await reply(update, texts.WARN_NEEDS_DESCRIPTION)
            return ConversationHandler.END
        await _danger_line(update, text[1])
        await _file(update, context, person, {"text": text[1].strip(), "photos": []})
        return ConversationHandler.END
    warn_data(context)["warn"] = {"at": stamp(context), "photos": []}
    await reply(update, texts.WARN_PROMPT, texts.REMOVE_KEYBOARD)
    return W_TEXT


async def warn_button(update: Update, context: BotContext) -> str | int | None:
    """The 报送预警 menu button."""
    query = update.callback_query
    if query is not None:
        await query.answer()
    person = await _officer(update, context)
    if person is None:
        return ConversationHandler.END
    warn_data(context)["warn"] = {"at": stamp(context), "photos": []}
    await reply(update, texts.WARN_PROMPT, texts.REMOVE_KEYBOARD)
    return W_TEXT


async def warning_text(update: Update, context: BotContext) -> str | None:
    """The warning's text: propose room, bureau and severity."""
    text = message_text(update).strip()
    if len(text) > MAX_TEXT:
        await reply(update, texts.too_long(len(text), MAX_TEXT))
        return None
    if _not_a_description(text):
        await reply(update, texts.WARN_NEEDS_DESCRIPTION)
        return None
    try:
        preview = await classify(context, text)
    except CaseError:
        await reply(update, texts.EMPTY_TEXT)
        return None
    await _danger_line(update, text)
    draft = {
        "at": stamp(context),
        "text": text,
        "room": preview.room if preview.room in context.runtime.district.rooms else None,
        "bureau": preview.bureau if preview.bureau in context.runtime.district.bureaus else None,
        "severity": preview.severity,
        "rubric": preview.severity,
        "why": preview.severity_why,
        "unsure": is_unsure(preview),
        "keywords": list(preview.keywords),
        "photos": [],
    }
    previous = warn_draft(context)
    if previous is not None and isinstance(previous.get("msg"), int):
        draft["msg"] = previous["msg"]
    warn_data(context)["warn"] = draft
    await propose(update, context, draft)
    return W_CONFIRM


async def confirm_button(update: Update, context: BotContext) -> str | int | None:
    """确认 / 更改部门 / 更改等级 / 取消 and the room and severity choices."""
    query = update.callback_query
    assert query is not None
    draft = warn_draft(context)
    data = query.data or ""
    district = context.runtime.district
    if draft is None or "text" not in draft:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return ConversationHandler.END
    shown = query.message.message_id if query.message is not None else None
    if isinstance(draft.get("msg"), int) and shown is not None and shown != draft["msg"]:
        await query.answer(texts.OLDER_PROPOSAL, show_alert=True)
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        return W_CONFIRM
    if data == texts.W_OK:
        # Filed and sent now; the optional steps amend the filed warning.
        await query.answer()
        await query.edit_message_reply_markup(None)
        person = await _officer(update, context)
        if person is None:
            return ConversationHandler.END
        view = await _file(update, context, person, draft)
        if view is None:
            return ConversationHandler.END
        with contextlib.suppress(TelegramError):
            await query.edit_message_text(
                texts.fit(texts.warning_proposal(draft, district, confirmed=True))
            )
        warn_data(context)["warn"] = {
            "at": stamp(context),
            "case_id": view.id,
            "number": view.number,
        }
        await reply(update, texts.place_prompt(), texts.place_keyboard())
        return W_PLACE
    if data == texts.W_CANCEL:
        warn_data(context).pop("warn", None)
        await query.answer()
        await query.edit_message_reply_markup(None)
        await reply(update, texts.WARN_CANCELLED, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    if data == texts.W_ROOMS:
        await query.answer()
        await query.edit_message_text(
            texts.fit(texts.bureaus_text(district)),
            reply_markup=texts.bureaus_markup(district, texts.W_BUREAU, texts.W_BACK),
        )
        return W_CONFIRM
    if data == texts.W_BACK:
        await query.answer()
        await query.edit_message_text(
            texts.fit(texts.warning_proposal(draft, district)), reply_markup=texts.warning_markup()
        )
        return W_CONFIRM
    if data == texts.W_SEVS:
        await query.answer()
        await query.edit_message_reply_markup(texts.severity_markup())
        return W_CONFIRM
    kind, _, value = data.rpartition(":")
    if kind == texts.W_BUREAU and value in district.bureaus:
        # The officer's choice replaces the classifier's: its keywords no longer apply.
        draft["room"] = district.bureaus[value].room_id
        draft["bureau"] = value
        draft["unsure"] = False
        draft["chosen"] = True
        draft["keywords"] = []
    elif kind == texts.W_ROOM and value in district.rooms:
        draft["room"] = value
        draft["unsure"] = False
        draft["chosen"] = True
        draft["keywords"] = []
        if draft.get("bureau") not in district.rooms[value].bureaus:
            draft["bureau"] = None
    elif kind == texts.W_SEV and value in texts.SEVERITY_ORDER:
        rubric = str(draft.get("rubric") or draft.get("severity") or "low")
        if needs_reason(rubric, value):
            draft["lowering"] = value
            await query.answer()
            await query.edit_message_reply_markup(None)
            await reply(
                update, texts.lower_reason_prompt(rubric, value), texts.keep_level_markup(rubric)
            )
            return W_REASON
        draft["severity"] = value
        draft.pop("severity_reason", None)
    else:
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return W_CONFIRM
    await query.answer()
    await query.edit_message_text(
        texts.fit(texts.warning_proposal(draft, district)), reply_markup=texts.warning_markup()
    )
    return W_CONFIRM


async def lowering_reason(update: Update, context: BotContext) -> str | None:
    """The reason for lowering a critical level; then the proposal again."""
    text = message_text(update).strip()
    draft = warn_draft(context)
    if draft is None or "lowering" not in draft:
        return None
    if not text:
        await reply(update, texts.EMPTY_REASON)
        return W_REASON
    draft["severity"] = draft.pop("lowering")
    draft["severity_reason"] = text[:500]
    await propose(update, context, draft)
    return W_CONFIRM


async def keep_level(update: Update, context: BotContext) -> str | int:
    """「保持」 (or /cancel) while a reason is asked for: the level stays, the warning too."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_reply_markup(None)
    draft = warn_draft(context)
    if draft is None or "text" not in draft:
        await reply(update, texts.WARN_CANCELLED, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    draft.pop("lowering", None)
    rubric = str(draft.get("rubric") or draft.get("severity") or "low")
    await reply(update, texts.level_kept(rubric))
    await propose(update, context, draft)
    return W_CONFIRM


async def _file(
    update: Update, context: BotContext, person: PersonInfo, draft: dict[str, Any]
) -> CaseView | None:
    """File a warning from a draft dict and tell the officer."""
    runtime = context.runtime
    head_count = draft.get("head_count")
    warning = WarningDraft(
        text=str(draft["text"]),
        room=draft.get("room"),
        bureau=draft.get("bureau"),
        severity=draft.get("severity"),
        place=draft.get("place"),
        head_count=int(head_count) if isinstance(head_count, int) else None,
        photo_file_ids=tuple(str(p) for p in draft.get("photos") or ()),
        severity_reason=draft.get("severity_reason"),
    )
    try:
        view = await runtime.cases.file_warning(person.id, warning, receipt=False)
    except CaseError as exc:
        log.info("warning of %s refused: %s", person.id, exc.code)
        await reply(update, exc.message, texts.REMOVE_KEYBOARD)
        return None
    finally:
        warn_data(context).pop("warn", None)
    mark_saved(update, context, f"预警编号 {view.number}")
    runtime.metrics.cases_filed.inc(1, "warning", "telegram")
    log.info(
        "warning %s (%s) filed by %s: %s",
        view.number,
        view.severity,
        person.id,
        masked(warning.text),
    )
    await reply(update, texts.warning_filed(view, runtime.district), texts.REMOVE_KEYBOARD)
    return view


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel inside the warning conversation (after 确认 the warning stays filed)."""
    draft = warn_data(context).pop("warn", None)
    if isinstance(draft, dict) and draft.get("number"):
        await reply(update, texts.WARNING_DETAILS_DONE, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    await reply(update, texts.WARN_CANCELLED, texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def not_expected(update: Update, context: BotContext) -> None:
    """Something other than what the current step asks for (the place or the head count)."""
    await reply(update, texts.WARN_STEP_EXPECTS["other"])


async def show_mine(update: Update, context: BotContext) -> None:
    """/mine: the warnings this person filed, with their progress."""
    person = await who(update, context)
    if person is None:
        return
    runtime = context.runtime
    views = [
        v for v in await runtime.cases.cases_of_reporter(person.id, limit=30) if v.kind == "warning"
    ][:10]
    if not views:
        await reply(update, texts.NO_WARNINGS if person.may_warn else texts.MINE_FOR_OFFICERS)
        return
    timelines = {}
    for view in views:
        try:
            timelines[view.id] = await runtime.cases.timeline(view.id, person.id)
        except CaseError:
            timelines[view.id] = []
    await reply(
        update,
        texts.status_list(views, timelines, runtime.settings.timezone, title="您报送的预警"),
    )


def register(application: App) -> None:
    """Add the warning conversation and /mine."""
    ui = re.escape(texts.UI)
    fresh = expiring("warn")
    keep = rf"^{re.escape(texts.W_KEEP)}$"
    with quiet_per_message_warning():
        warnings_conv = ConversationHandler(
            entry_points=[
                CommandHandler("warn", warn_command, filters=PRIVATE),
                CallbackQueryHandler(warn_button, pattern=rf"^{ui}menu:warn$"),
            ],
            states={
                W_TEXT: [MessageHandler(PRIVATE_TEXT, fresh(warning_text)), expects("text")],
                W_CONFIRM: [
                    CallbackQueryHandler(fresh(confirm_button), pattern=rf"^{ui}w:"),
                    MessageHandler(PRIVATE_TEXT, fresh(warning_text)),
                    expects("confirm"),
                ],
                W_REASON: [
                    CallbackQueryHandler(fresh(keep_level), pattern=keep),
                    CommandHandler("cancel", keep_level, filters=PRIVATE),
                    MessageHandler(PRIVATE_TEXT, fresh(lowering_reason)),
                    expects("reason"),
                ],
                W_PLACE: [
                    MessageHandler(PRIVATE & filters.LOCATION, fresh(place_location)),
                    MessageHandler(PRIVATE_TEXT, fresh(place_text)),
                ],
                W_COUNT: [MessageHandler(PRIVATE_TEXT, fresh(count_text))],
                W_PHOTOS: [
                    MessageHandler(PRIVATE & filters.PHOTO, fresh(photo_added)),
                    MessageHandler(PRIVATE_TEXT, fresh(photos_text)),
                    expects("photos"),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", cancel, filters=PRIVATE),
                MessageHandler(PRIVATE & filters.COMMAND, leave_and_redo),
                CallbackQueryHandler(leave_and_redo, pattern=rf"^{ui}menu:"),
                MessageHandler(PRIVATE & ~filters.COMMAND, not_expected),
            ],
            allow_reentry=True,
            name="officer_warning",
            persistent=is_persistent(application),
        )
    application.add_handler(warnings_conv)
    application.add_handler(CommandHandler("mine", show_mine, filters=PRIVATE))
    officer_phone.register(application)
