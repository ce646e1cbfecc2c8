"""Station chiefs and staff: the buttons on case cards, 办结/退单/上报/不予受理 notes, /pending.

Case cards are written by the services to the outbox and shown (and edited in
place) by the delivery worker. A button press here is decoded and verified
with the installation's :class:`~bot.services.callbacks.CallbackCodec`: forged or
malformed data is refused and logged and changes nothing. The service then
checks the person's permission and the card's version (a button on an
out-of-date card is refused as stale; one pressed by someone it was not drawn
for, as not theirs). 办结, 退单, 上报 and the desk's 不予受理 take a note: the
next text message (or /cancel) — a small persistent conversation
(:mod:`handlers.station_notes`; the shared decoding and refusals are in
:mod:`handlers.station_common`). A card button pressed while a note is awaited
cancels the note and says so (:func:`note_interrupted`).
"""

from __future__ import annotations

import logging
import re

from telegram import CallbackQuery, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services import notifications as nt
from bot.services.callbacks import CallbackAction, CaseAction
from bot.services.cases import CaseView
from bot.services.cases.settle import PRESSED
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from handlers import station_split, texts
from handlers.base import PRIVATE, PRIVATE_TEXT, App, BotContext, mark_saved, reply, who
from handlers.flow import expiring, step_conversation
from handlers.station_cards import send_card as _send_card
from handlers.station_common import _data, _decode, _on_a_card, _refused, _settle_message
from handlers.station_notes import (
    CLOSURE,
    NOTE,
    NOTE_ACTIONS,
    _abandoned,
    ask_keep_reason,
    closure_text,
    note_button,
    note_cancel,
    note_expected,
    note_skip,
    note_text,
)
from handlers.warning_level import level_picker

log = logging.getLogger(__name__)

__all__ = [
    "CLOSURE",
    "NOTE",
    "NOTE_ACTIONS",
    "card_button",
    "closure_text",
    "dispatch_button",
    "note_button",
    "note_cancel",
    "note_expected",
    "note_interrupted",
    "note_text",
    "register",
    "show_pending",
]


async def card_button(update: Update, context: BotContext) -> str | None:
    """签收 / 处理中 / 派单 / 选择服务室 / 查看 on a case card. Returns the note step
    when a reason must be asked for first (维持派单, b33 #4), else None."""
    decoded = await _decode(update, context)
    if decoded is None:
        return None
    query, action = decoded
    # The pressed message is this handler's to answer; the actor's other notices of the
    # case (the desk's 【退单】 after a dispatch from the card) are settled by the outbox.
    message = query.message
    token = PRESSED.set((message.chat.id, message.message_id) if message is not None else None)
    try:
        return await _card_button(update, context, query, action)
    finally:
        PRESSED.reset(token)


async def dispatch_button(update: Update, context: BotContext) -> str | int:
    """派至…: dispatched at once; sent back to the unit that returned it, the desk's
    reason is asked for first (b33 #4) — then the note step."""
    asked = await card_button(update, context)
    return asked if asked is not None else ConversationHandler.END


async def _card_button(
    update: Update, context: BotContext, query: CallbackQuery, action: CallbackAction
) -> str | None:
    """The press's work; the note step when a reason must be asked for first."""
    person = await who(update, context)
    if person is None:
        return None
    cases = context.runtime.cases
    act = action.action
    try:
        if act == CaseAction.REFRESH and action.arg == nt.CLOSE_PICKER:
            await query.answer()
            await query.delete_message()
            return None
        if act == CaseAction.REFRESH:
            await _send_card(update, context, person, action.case_id)
            await query.answer()
            return None
        if act == CaseAction.CHOOSE_ROOM:
            await _choose_bureau(update, context, person, action)
            return None
        if act == CaseAction.LEVEL:  # the district office's 更改等级 (trial 27 N10)
            await level_picker(update, context, person.id, action.case_id)
            return None
        view: CaseView
        if act == CaseAction.ACKNOWLEDGE:
            view = await cases.acknowledge(
                action.case_id, person.id, expected_version=action.version
            )
        elif act == CaseAction.START:
            view = await cases.start_progress(
                action.case_id, person.id, expected_version=action.version
            )
        elif act in (CaseAction.EXTEND_OK, CaseAction.EXTEND_NO):
            view = await cases.decide_extension(
                action.case_id,
                person.id,
                act == CaseAction.EXTEND_OK,
                expected_version=action.version,
            )
        elif act == CaseAction.URGE:
            view = await cases.urge(action.case_id, person.id, expected_version=action.version)
        elif act == CaseAction.DISPATCH and action.arg:
            view = await cases.dispatch(
                action.case_id, person.id, action.arg, expected_version=action.version
            )
        else:
            log.warning("button %s not usable here (user %s)", act.value, person.id)
            await query.answer(texts.FORGED_BUTTON, show_alert=True)
            return None
    except CaseError as exc:
        if exc.code == "reason_required" and act == CaseAction.DISPATCH and action.arg:
            await query.answer()
            return await ask_keep_reason(
                update, context, person.id, action.case_id, action.version, action.arg
            )
        retried = await _from_an_older_notice(query, context, person, action, exc)
        if retried is None:
            await _refused(query, person, action, exc, context)
            return None
        view = retried
    mark_saved(update, context, f"{view.number} {texts.ACTION_DONE.get(act, '')}")
    log.info("%s on %s by person %s", act.value, view.number, person.id)
    done = texts.ACTION_DONE.get(act, "已完成")
    if act == CaseAction.DISPATCH:
        # 「已派单至X（李主任）」 read as if 李主任 were at X (trial 28 P10): the actor first.
        await query.answer(f"已派单至{view.owning_unit_name}：{view.number}")
        await _settle_message(query, f"✔ 由{person.name}派单至{view.owning_unit_name}")
        if await cases.keep_reason_due(view.id, person.id):
            # Danger now went back in one tap: the desk's reason follows (b33 #4).
            return await ask_keep_reason(
                update, context, person.id, view.id, view.version, action.arg or "", after=True
            )
        return None
    await query.answer(f"{done}：{view.number}")
    await _settle_message(query, f"✔ {done}（{person.name}）")
    return None


async def _from_an_older_notice(
    query: CallbackQuery,
    context: BotContext,
    person: PersonInfo,
    action: CallbackAction,
    exc: CaseError,
) -> CaseView | None:
    """签收 / 处理中 pressed on an older message of the case (a 【定级说明】, a
    reminder) drawn before a later change: the act means the same on the newest
    card, so it is done there if it is still possible (else None: refused)."""
    if exc.code != "stale" or _on_a_card(query):
        return None
    if action.action not in (CaseAction.ACKNOWLEDGE, CaseAction.START):
        return None
    cases = context.runtime.cases
    try:
        now = await cases.get_case_view(action.case_id, person.id)
        if action.action == CaseAction.ACKNOWLEDGE:
            return await cases.acknowledge(action.case_id, person.id, expected_version=now.version)
        return await cases.start_progress(action.case_id, person.id, expected_version=now.version)
    except CaseError:
        return None


async def _choose_bureau(
    update: Update, context: BotContext, person: PersonInfo, action: CallbackAction
) -> None:
    """The dispatcher desk chose a room: offer its bureaus as 派单 buttons."""
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    room_id = action.arg or ""
    if room_id not in runtime.district.rooms and room_id != nt.STATIONS_CHOICE:
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return
    # Only someone who may dispatch it now gets the picker (the service checks 派单 again).
    await runtime.people.check_action(person.id, action.case_id, action.version, action.action)
    view = await runtime.cases.get_case_view(action.case_id, person.id)
    markup = nt.dispatch_markup(runtime.codec, view.id, view.version, runtime.district, room_id)
    await query.answer()
    await reply(
        update,
        texts.choose_dispatch_target(view.number, runtime.district, room_id),
        texts.inline_from_dict(markup),
    )


async def note_interrupted(update: Update, context: BotContext) -> str | int:
    """Another card button (签收, 派单 …) while a note is awaited: the awaited
    办结 / 退单 / 上报 is cancelled (and said so), then the button does its work."""
    pending = _data(context).pop("note", None)
    asked = await card_button(update, context)
    dropped = _abandoned(pending, 0, CaseAction.REFRESH)
    if dropped:
        await reply(update, dropped.strip("（）"), texts.REMOVE_KEYBOARD)
    return asked if asked is not None else ConversationHandler.END


async def show_pending(update: Update, context: BotContext) -> None:
    """/pending: the unit's open cases, overdue first."""
    person = await who(update, context)
    if person is None:
        return
    if not person.handles_cases or person.unit_id is None:
        await reply(update, texts.NOT_HANDLER)
        return
    runtime = context.runtime
    views = await runtime.cases.pending_for_unit(person.unit_id, viewer_id=person.id)
    await reply(
        update,
        texts.pending_list(person.unit_name, views, runtime.settings.timezone),
        texts.pending_markup(runtime.codec, views),
    )


def register(application: App) -> None:
    """Add the note conversation, the card buttons and /pending."""
    note_pattern = "^(" + "|".join(re.escape(a.value) for a in NOTE_ACTIONS) + "):"
    # Every signed button that is neither a conversation button nor a follow-up answer.
    card_buttons = re.compile(rf"^(?!{re.escape(texts.UI)}|fu:)")
    notes = step_conversation(
        application,
        "station_note",
        entry_points=[
            CallbackQueryHandler(note_button, pattern=note_pattern),
            # 派至 the unit that returned the case asks the desk's reason (b33 #4).
            CallbackQueryHandler(
                dispatch_button, pattern=f"^{re.escape(CaseAction.DISPATCH.value)}:"
            ),
        ],
        states={
            NOTE: [
                MessageHandler(PRIVATE_TEXT, expiring("note")(note_text)),
                MessageHandler(PRIVATE & ~filters.COMMAND, note_expected),
                CallbackQueryHandler(note_interrupted, pattern=card_buttons),
            ],
            CLOSURE: [
                MessageHandler(PRIVATE_TEXT, expiring("note")(closure_text)),
                MessageHandler(PRIVATE & ~filters.COMMAND, note_expected),
                CallbackQueryHandler(note_interrupted, pattern=card_buttons),
            ],
        },
        cancel=note_cancel,
        # /skip is answered in the step, not by leaving it (trial 30 #14).
        fallbacks=[CommandHandler("skip", expiring("note")(note_skip), filters=PRIVATE)],
    )
    application.add_handler(notes)
    application.add_handler(CallbackQueryHandler(card_button, pattern=card_buttons))
    application.add_handler(CommandHandler("pending", show_pending, filters=PRIVATE))
    station_split.register(application)
