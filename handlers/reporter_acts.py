"""A reporter's acts on a filed case: 补充说明 (add information) and 撤回 (withdraw).

The buttons are under /status (citizens), /mine (officers) and a one-shot
``/warn TEXT`` receipt. 补充说明 asks for the text in the next message (a small
persistent conversation, ``reporter_note``); 撤回 asks for a confirmation first,
then for an optional short reason (the next message, or 跳过), which the service
records on the ``withdrawn`` event and passes on to the station. A command, a menu
button or danger now typed instead of the reason withdraws nothing (the user is told).
Danger now typed as a 补充说明 is kept on the case and also handled as a report of its own
(the emergency line, a critical case), as a fresh message would be.
The service (:mod:`bot.services.cases.reporter_acts`) checks that the presser is
the reporter, tells the units that handle the case, and refuses to withdraw a
critical case by a tap (the station is asked to verify instead).
"""

from __future__ import annotations

import contextlib
import logging
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.services.cases import CaseView
from bot.services.cases.withdrawal import reason_reports_danger
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from handlers import emergency_open, texts
from handlers.base import (
    PRIVATE,
    PRIVATE_TEXT,
    App,
    BotContext,
    mark_saved,
    message_text,
    reply,
    stamp,
    user_data,
    who,
)
from handlers.flow import expiring, leave_and_redo, redo, step_conversation
from handlers.reporter_media import note_media
from handlers.texts import reporter_acts as rt

log = logging.getLogger(__name__)

#: The conversation state while the 补充说明 text is awaited.
RA_NOTE = "ra_note"
#: The conversation state while the optional reason of a confirmed 撤回 is awaited.
RA_WITHDRAW = "ra_withdraw"
#: ``user_data`` key of the case the text is awaited for.
KEY = "cnote"
#: ``user_data`` key of the withdrawal waiting for its reason.
WKEY = "wdreason"


def _ids(data: str | None) -> list[int]:
    return [int(p) for p in (data or "").split(":")[2:] if p.isdigit()]


async def _pressed_case(
    update: Update, context: BotContext, size: int | None = None
) -> tuple[PersonInfo, CaseView, list[int]] | None:
    """The presser, the case a reporter's button names (as the presser may see it) and
    the button's numbers (the case id first; ``size`` of them when given, else at least
    one). None when the presser is unknown or the button malformed, or, with the refusal
    answered, when the case is not there for them to see."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    ids = _ids(query.data)
    if person is None or not ids or (size is not None and len(ids) != size):
        return None
    try:
        view = await context.runtime.cases.get_case_view(ids[0], person.id)
    except CaseError as exc:
        await query.answer(exc.message, show_alert=True)
        return None
    return person, view, ids


async def note_button(update: Update, context: BotContext) -> str | int | None:
    """补充说明: ask for the text."""
    query = update.callback_query
    assert query is not None
    pressed = await _pressed_case(update, context)
    if pressed is None:
        return ConversationHandler.END
    person, view, _ = pressed
    if view.reporter_id != person.id or view.status in rt.FINAL:
        await query.answer(rt.NOT_SUPPLEMENTABLE if view.status in rt.FINAL else "", True)
        return ConversationHandler.END
    await query.answer()
    await _withdrawal_left(update, context)  # a reason asked for meanwhile: not withdrawn
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
        # The service decides where danger now in the note goes (review 32 S7).
        outcome = await context.runtime.cases.add_note_checked(
            person.id, int(pending["case"]), message_text(update)
        )
    except CaseError as exc:
        log.info("note of %s on case %s refused: %s", person.id, pending["case"], exc.code)
        await reply(update, exc.message)
        if exc.code == "bad_input":
            user_data(context)[KEY] = pending
            return RA_NOTE
        return ConversationHandler.END
    view = outcome.view
    log.info("note added to %s by %s (%s)", view.number, person.id, outcome.danger or "-")
    if outcome.danger == "filed" and outcome.emergency is not None:
        # Filed by the service as an emergency of its own: the update is read again to
        # render it (the line, the details step), which finds that case by the update's
        # intake key and neither files nor joins anything (emergency_open.rendering).
        # Delivery is woken there, right before the line, so the line comes first.
        emergency_open.render_filed(update, context, outcome.emergency.id)
        return redo(update, context)
    mark_saved(update, context, f"{view.number} 的补充说明")
    # ``in_case`` / ``joined``: 【紧急补充】 on a critical case; the line and the answer
    # come from the outbox (trial 31 #1).
    return ConversationHandler.END


async def _note_media(update: Update, context: BotContext) -> str | int:
    """The 补充说明 sent as a voice, photo, video or file (trial 27 N18)."""
    return await note_media(update, context, KEY, RA_NOTE)


async def note_cancel(update: Update, context: BotContext) -> int:
    """/cancel: no 补充说明, or no 撤回 when its reason was asked."""
    user_data(context).pop(KEY, None)
    if user_data(context).pop(WKEY, None) is not None:
        await reply(update, rt.WITHDRAW_CANCELLED)
        return ConversationHandler.END
    await reply(update, rt.NOTE_CANCELLED)
    return ConversationHandler.END


async def note_left(update: Update, context: BotContext) -> int:
    """A command or a menu button while the text is awaited: say so, then handle it."""
    if user_data(context).pop(KEY, None) is not None:
        await reply(update, rt.NOTE_LEFT)
    await _withdrawal_left(update, context)
    return await leave_and_redo(update, context)


async def _withdrawal_left(update: Update, context: BotContext) -> None:
    """The withdrawal waiting for its reason is not made: the user is told."""
    pending = user_data(context).pop(WKEY, None)
    if isinstance(pending, dict):
        await reply(update, rt.withdraw_left(str(pending.get("number") or "")))


async def withdraw_button(update: Update, context: BotContext) -> None:
    """撤回: ask for a confirmation."""
    query = update.callback_query
    assert query is not None
    pressed = await _pressed_case(update, context)
    if pressed is None:
        return
    person, view, _ = pressed
    if view.reporter_id != person.id or view.status not in rt.WITHDRAWABLE:
        await query.answer(rt.NOT_WITHDRAWABLE, show_alert=True)
        return
    await query.answer()
    verify = await context.runtime.cases.withdrawal_needs_verification(view.id)
    await reply(update, rt.withdraw_confirm(view, verify), rt.withdraw_markup(view, verify))


async def withdraw_confirmed(update: Update, context: BotContext) -> str | int | None:
    """确认撤回: ask for an optional short reason (the next message, or 跳过)."""
    query = update.callback_query
    assert query is not None
    pressed = await _pressed_case(update, context, size=2)
    if pressed is None:
        return ConversationHandler.END
    person, view, ids = pressed
    if view.reporter_id != person.id or view.status not in rt.WITHDRAWABLE:
        await query.answer(rt.NOT_WITHDRAWABLE, show_alert=True)
        await query.edit_message_reply_markup(None)
        return ConversationHandler.END
    verify = await context.runtime.cases.withdrawal_needs_verification(view.id)
    if view.version != ids[1]:  # the case changed since the question was drawn
        await query.answer(rt.WITHDRAW_CHANGED, show_alert=True)
        await query.edit_message_text(
            rt.withdraw_confirm(view, verify), reply_markup=rt.withdraw_markup(view, verify)
        )
        return ConversationHandler.END
    await query.answer()
    message = query.message
    if user_data(context).pop(KEY, None) is not None:  # a 补充说明 awaited meanwhile
        await reply(update, rt.NOTE_LEFT)
    await _withdrawal_left(update, context)  # another withdrawal's reason: not withdrawn
    user_data(context)[WKEY] = {
        "at": stamp(context),
        "case": view.id,
        "number": view.number,
        "msg": message.message_id if message is not None else None,
    }
    await query.edit_message_text(
        rt.withdraw_reason_prompt(view, verify), reply_markup=rt.withdraw_reason_markup(view)
    )
    return RA_WITHDRAW


async def withdraw_reason(update: Update, context: BotContext) -> str | int | None:
    """The reason typed: withdraw with it. Danger now is no reason: handled as a report."""
    text = message_text(update).strip()
    pending = user_data(context).get(WKEY)
    if not isinstance(pending, dict):
        return ConversationHandler.END
    # A threat as the reason (他威胁我说报警就杀了我) goes to this case (trial 31 #3).
    if reason_reports_danger(text):
        await _withdrawal_left(update, context)
        return redo(update, context)
    if len(text) > rt.MAX_WITHDRAW_REASON:
        await reply(update, rt.withdraw_reason_too_long(len(text)))
        return None
    user_data(context).pop(WKEY, None)
    await _withdraw(update, context, pending, None if texts.is_skip(text) else text)
    return ConversationHandler.END


async def withdraw_skip(update: Update, context: BotContext) -> int | None:
    """跳过: withdraw without a reason."""
    query = update.callback_query
    assert query is not None
    pending = user_data(context).get(WKEY)
    ids = _ids(query.data)
    if not isinstance(pending, dict) or not ids or pending.get("case") != ids[0]:
        # An older question's 跳过: nothing is withdrawn by it.
        await withdraw_skip_late(update, context)
        return None if isinstance(pending, dict) else ConversationHandler.END
    user_data(context).pop(WKEY, None)
    await query.answer()
    await _withdraw(update, context, pending, None)
    return ConversationHandler.END


async def _withdraw(
    update: Update, context: BotContext, pending: dict[str, object], reason: str | None
) -> None:
    """Withdraw (or, for a critical case, ask the station to verify) with ``reason``; the
    question's message says what was done (the receipt comes from the outbox)."""
    person = await who(update, context)
    case_id = pending.get("case")
    if person is None or not isinstance(case_id, int):
        return
    msg = pending.get("msg")
    chat = update.effective_chat
    try:
        view = await context.runtime.cases.withdraw(person.id, case_id, reason)
    except CaseError as exc:
        log.info("withdrawal of case %s by %s refused: %s", case_id, person.id, exc.code)
        await reply(update, exc.message)
        if isinstance(msg, int) and chat is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.edit_message_reply_markup(chat.id, msg, reply_markup=None)
        return
    mark_saved(update, context, f"{view.number} 撤回")
    log.info("withdrawal of %s by %s -> %s", view.number, person.id, view.status)
    done = rt.withdraw_done(view, reason)
    if update.callback_query is not None:
        await update.callback_query.edit_message_text(done)
    elif isinstance(msg, int) and chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(done, chat.id, msg, reply_markup=None)


async def withdraw_not(update: Update, context: BotContext) -> int | None:
    """不撤回 under the reason's question: nothing changes, the reason is no longer awaited
    (under an older confirmation while a 补充说明 is awaited: that wait goes on)."""
    waiting = user_data(context).pop(WKEY, None) is not None
    await withdraw_declined(update, context)
    return ConversationHandler.END if waiting else None


async def withdraw_declined(update: Update, context: BotContext) -> None:
    """不撤回: nothing changes."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(rt.WITHDRAW_KEPT)


async def withdraw_skip_late(update: Update, context: BotContext) -> None:
    """跳过 under a question no longer awaited (answered, left or expired): nothing done."""
    query = update.callback_query
    assert query is not None
    await query.answer(rt.WITHDRAW_STALE, show_alert=True)
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)


def register(application: App) -> None:
    """Add the 补充说明 conversation and the 撤回 buttons (before the request
    conversation, which would read the awaited text as a new problem)."""
    notes = step_conversation(
        application,
        "reporter_note",
        entry_points=[
            CallbackQueryHandler(note_button, pattern=rf"^{re.escape(rt.NOTE)}:\d+$"),
            CallbackQueryHandler(
                withdraw_confirmed, pattern=rf"^{re.escape(rt.WITHDRAW_YES)}:\d+:\d+$"
            ),
        ],
        states={
            RA_NOTE: [
                MessageHandler(PRIVATE_TEXT, expiring(KEY)(note_text)),
                MessageHandler(PRIVATE & ~filters.COMMAND, expiring(KEY)(_note_media)),
            ],
            RA_WITHDRAW: [
                MessageHandler(PRIVATE_TEXT, expiring(WKEY)(withdraw_reason)),
                CallbackQueryHandler(
                    withdraw_skip, pattern=rf"^{re.escape(rt.WITHDRAW_SKIP)}:\d+:\d+$"
                ),
            ],
        },
        cancel=note_cancel,
        leave=note_left,
        fallbacks=[
            CallbackQueryHandler(withdraw_not, pattern=rf"^{re.escape(rt.WITHDRAW_NO)}:\d+$")
        ],
    )
    application.add_handler(notes)
    for prefix, callback in (
        (rt.WITHDRAW, withdraw_button),
        (rt.WITHDRAW_NO, withdraw_declined),
        (rt.WITHDRAW_SKIP, withdraw_skip_late),
    ):
        application.add_handler(
            CallbackQueryHandler(callback, pattern=rf"^{re.escape(prefix)}(:\d+)+$")
        )
