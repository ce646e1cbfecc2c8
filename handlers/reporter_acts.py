"""A reporter's acts on a filed case: 补充说明 (add information) and 撤回 (withdraw).

The buttons are under /status (citizens), /mine (officers) and a one-shot
``/warn TEXT`` receipt. 补充说明 asks for the text in the next message (a small
persistent conversation, ``reporter_note``); 撤回 asks for a confirmation first.
The service (:mod:`bot.services.cases.reporter_acts`) checks that the presser is
the reporter, tells the units that handle the case, and refuses to withdraw a
critical case by a tap (the station is asked to verify instead).
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import (
    PRIVATE,
    PRIVATE_TEXT,
    App,
    BotContext,
    is_persistent,
    mark_saved,
    message_text,
    quiet_per_message_warning,
    reply,
    stamp,
    user_data,
    who,
)
from handlers.flow import expiring, leave_and_redo
from handlers.texts import reporter_acts as rt

log = logging.getLogger(__name__)

#: The conversation state while the 补充说明 text is awaited.
RA_NOTE = "ra_note"
#: ``user_data`` key of the case the text is awaited for.
KEY = "cnote"


def _ids(data: str | None) -> list[int]:
    return [int(p) for p in (data or "").split(":")[2:] if p.isdigit()]


async def note_button(update: Update, context: BotContext) -> str | int | None:
    """补充说明: ask for the text."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    ids = _ids(query.data)
    if person is None or not ids:
        return ConversationHandler.END
    try:
        view = await context.runtime.cases.get_case_view(ids[0], person.id)
    except CaseError as exc:
        await query.answer(exc.message, show_alert=True)
        return ConversationHandler.END
    if view.reporter_id != person.id or view.status in rt.FINAL:
        await query.answer(rt.NOT_WITHDRAWABLE if view.status in rt.FINAL else "", True)
        return ConversationHandler.END
    await query.answer()
    user_data(context)[KEY] = {"at": stamp(context), "case": view.id, "number": view.number}
    await reply(update, rt.note_prompt(view.number), texts.REMOVE_KEYBOARD)
    return RA_NOTE


async def note_text(update: Update, context: BotContext) -> str | int:
    """The 补充说明 itself: on the case, the station told (the receipt comes from the outbox)."""
    pending = user_data(context).pop(KEY, None)
    person = await who(update, context)
    if not isinstance(pending, dict) or person is None:
        return ConversationHandler.END
    try:
        view = await context.runtime.cases.add_reporter_note(
            person.id, int(pending["case"]), message_text(update)
        )
    except CaseError as exc:
        log.info("note of %s on case %s refused: %s", person.id, pending["case"], exc.code)
        await reply(update, exc.message)
        if exc.code == "bad_input":
            user_data(context)[KEY] = pending
            return RA_NOTE
        return ConversationHandler.END
    mark_saved(update, context, f"{view.number} 的补充说明")
    log.info("note added to %s by %s", view.number, person.id)
    return ConversationHandler.END


async def note_cancel(update: Update, context: BotContext) -> int:
    user_data(context).pop(KEY, None)
    await reply(update, rt.NOTE_CANCELLED)
    return ConversationHandler.END


async def note_left(update: Update, context: BotContext) -> int:
    """A command or a menu button while the text is awaited: say so, then handle it."""
    if user_data(context).pop(KEY, None) is not None:
        await reply(update, rt.NOTE_LEFT)
    return await leave_and_redo(update, context)


async def withdraw_button(update: Update, context: BotContext) -> None:
    """撤回: ask for a confirmation."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    ids = _ids(query.data)
    if person is None or not ids:
        return
    try:
        view = await context.runtime.cases.get_case_view(ids[0], person.id)
        if view.reporter_id != person.id or view.status not in rt.WITHDRAWABLE:
            await query.answer(rt.NOT_WITHDRAWABLE, show_alert=True)
            return
        verified = await context.runtime.cases.withdrawal_needs_verification(person.id, view.id)
    except CaseError as exc:
        await query.answer(exc.message, show_alert=True)
        return
    await query.answer()
    await reply(update, rt.withdraw_confirm(view, verified), rt.withdraw_markup(view, verified))


async def withdraw_confirmed(update: Update, context: BotContext) -> None:
    """确认撤回: withdraw (or, for a critical case, ask the station to verify)."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    ids = _ids(query.data)
    if person is None or len(ids) != 2:
        return
    try:
        view = await context.runtime.cases.withdraw(person.id, ids[0], expected_version=ids[1])
    except CaseError as exc:
        log.info("withdrawal of case %s by %s refused: %s", ids[0], person.id, exc.code)
        await query.answer(exc.message, show_alert=True)
        await query.edit_message_reply_markup(None)
        return
    mark_saved(update, context, f"{view.number} 撤回")
    log.info("withdrawal of %s by %s -> %s", view.number, person.id, view.status)
    await query.answer(rt.withdraw_done(view))
    await query.edit_message_text(rt.withdraw_done(view))


async def withdraw_declined(update: Update, context: BotContext) -> None:
    """不撤回: nothing changes."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(rt.WITHDRAW_KEPT)


def register(application: App) -> None:
    """Add the 补充说明 conversation and the 撤回 buttons (before the request
    conversation, which would read the awaited text as a new problem)."""
    with quiet_per_message_warning():
        notes: ConversationHandler[BotContext] = ConversationHandler(
            entry_points=[
                CallbackQueryHandler(note_button, pattern=rf"^{re.escape(rt.NOTE)}:\d+$")
            ],
            states={
                RA_NOTE: [MessageHandler(PRIVATE_TEXT, expiring(KEY)(note_text))],
            },
            fallbacks=[
                CommandHandler("cancel", note_cancel, filters=PRIVATE),
                MessageHandler(PRIVATE & filters.COMMAND, note_left),
                CallbackQueryHandler(note_left, pattern=r"^ui:menu:"),
            ],
            allow_reentry=True,
            name="reporter_note",
            persistent=is_persistent(application),
        )
    application.add_handler(notes)
    for prefix, callback in (
        (rt.WITHDRAW, withdraw_button),
        (rt.WITHDRAW_YES, withdraw_confirmed),
        (rt.WITHDRAW_NO, withdraw_declined),
    ):
        application.add_handler(
            CallbackQueryHandler(callback, pattern=rf"^{re.escape(prefix)}(:\d+)+$")
        )
