"""更改等级 on a filed warning: from its receipt or from /mine (issue 13 "Officers").

The presser picks a level (the service says which they may pick, and refuses anyone
but the warning's officer and the district office); any lowering asks
for the reason in the next message (a small persistent conversation,
``warning_level``): whatever that message says is the reason, never a new
report. The service (:mod:`bot.services.cases.level`) records the change,
re-computes the deadlines and tells every unit holding the card.
"""

from __future__ import annotations

import contextlib
import logging
import re

from telegram import ReplyKeyboardRemove, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.services.lifecycle import CaseError
from handlers.base import (
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
from handlers.flow import expiring, leave_and_redo, step_conversation
from handlers.texts import warning_level as lt

log = logging.getLogger(__name__)

#: The conversation state while the reason of a lowering is awaited.
LV_REASON = "lv_reason"
#: ``user_data`` key of the lowering waiting for its reason.
KEY = "lvreason"


def _parts(data: str | None) -> list[str]:
    return (data or "").split(":")[2:]


async def level_button(update: Update, context: BotContext) -> None:
    """更改等级: the levels the presser may choose (refused in Chinese otherwise)."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    parts = _parts(query.data)
    if person is None or not parts or not parts[0].isdigit():
        await query.answer()
        return
    try:
        choice = await context.runtime.cases.level_choice(person.id, int(parts[0]))
    except CaseError as exc:
        log.info("level picker of case %s for %s refused: %s", parts[0], person.id, exc.code)
        await query.answer(exc.message, show_alert=True)
        return
    await query.answer()
    await reply(update, lt.picker(choice), lt.picker_markup(choice))


async def level_picker(update: Update, context: BotContext, person_id: int, case_id: int) -> None:
    """更改等级 pressed on a warning's card (the district office, trial 27 N10): the
    levels it may choose, as a new message under the card (refused in Chinese otherwise)."""
    query = update.callback_query
    assert query is not None
    try:
        choice = await context.runtime.cases.level_choice(person_id, case_id)
    except CaseError as exc:
        log.info("level picker of case %s for %s refused: %s", case_id, person_id, exc.code)
        await query.answer(exc.message, show_alert=True)
        return
    await query.answer()
    await reply(update, lt.picker(choice), lt.picker_markup(choice))


async def level_chosen(update: Update, context: BotContext) -> str | int | None:
    """A level pressed: changed at once, or its reason asked for (a critical one lowered)."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    parts = _parts(query.data)
    if person is None or len(parts) != 3 or not (parts[0].isdigit() and parts[1].isdigit()):
        await query.answer()
        return ConversationHandler.END
    case_id, version, level = int(parts[0]), int(parts[1]), parts[2]
    cases = context.runtime.cases
    try:
        choice = await cases.level_choice(person.id, case_id)
    except CaseError as exc:
        log.info("level of case %s by %s refused: %s", case_id, person.id, exc.code)
        await query.answer(exc.message, show_alert=True)
        return ConversationHandler.END
    if choice.version != version or level not in choice.levels:
        await query.answer(lt.LEVEL_CHANGED_MEANWHILE, show_alert=True)
        with contextlib.suppress(TelegramError):
            await query.edit_message_text(lt.picker(choice), reply_markup=lt.picker_markup(choice))
        return ConversationHandler.END
    await query.answer()
    user_data(context).pop(KEY, None)
    if choice.needs_reason(level):
        message = query.message
        user_data(context)[KEY] = {
            "at": stamp(context),
            "case": case_id,
            "level": level,
            "was": choice.severity,
            "msg": message.message_id if message is not None else None,
        }
        await query.edit_message_text(lt.reason_prompt(choice.number, level))
        if isinstance(user_data(context).get("warn"), dict):
            # A warning's steps left their 跳过 on screen; it answers nothing here
            # (trial 33 D16): the reason is typed.
            await reply(update, lt.REASON_TYPED, ReplyKeyboardRemove())
        return LV_REASON
    try:
        view = await cases.change_level(person.id, case_id, level)
    except CaseError as exc:
        await query.edit_message_text(exc.message)
        return ConversationHandler.END
    mark_saved(update, context, f"{view.number} 等级")
    log.info("level of %s changed by %s: %s -> %s", view.number, person.id, choice.severity, level)
    await query.edit_message_text(lt.changed(view, choice.severity, None))
    return ConversationHandler.END


async def level_reason(update: Update, context: BotContext) -> str | int | None:
    """The reason typed: lowered with it; not a real reason: asked again."""
    pending = user_data(context).get(KEY)
    person = await who(update, context)
    if not isinstance(pending, dict) or person is None:
        return ConversationHandler.END
    # Whatever it says, the text asked for here is the reason (trial 27 N5): a
    # verification note names 伤者/送医/民警/刀 and is never a new report.
    text = message_text(update).strip()
    try:
        view = await context.runtime.cases.change_level(
            person.id, int(pending["case"]), str(pending["level"]), text
        )
    except CaseError as exc:
        await reply(update, exc.message)
        if exc.code == "reason_required":
            return None
        user_data(context).pop(KEY, None)
        return ConversationHandler.END
    user_data(context).pop(KEY, None)
    mark_saved(update, context, f"{view.number} 等级")
    log.info("level of %s lowered by %s with a reason", view.number, person.id)
    await reply(update, lt.changed(view, str(pending["was"]), text))
    return ConversationHandler.END


async def level_cancel(update: Update, context: BotContext) -> int:
    """/cancel while the reason is awaited: the level stays."""
    user_data(context).pop(KEY, None)
    await reply(update, lt.LEVEL_CANCELLED)
    return ConversationHandler.END


async def level_left(update: Update, context: BotContext) -> int:
    """A command or a menu button while the reason is awaited: the level stays."""
    if user_data(context).pop(KEY, None) is not None:
        await reply(update, lt.LEVEL_LEFT)
    return await leave_and_redo(update, context)


def register(application: App) -> None:
    """Add 更改等级 (before the warning and request conversations, which would read
    the awaited reason as a place or a new problem)."""
    conversation = step_conversation(
        application,
        "warning_level",
        entry_points=[
            CallbackQueryHandler(
                level_chosen, pattern=rf"^{re.escape(lt.LEVEL_SET)}:\d+:\d+:[a-z]+$"
            ),
        ],
        states={LV_REASON: [MessageHandler(PRIVATE_TEXT, expiring(KEY)(level_reason))]},
        cancel=level_cancel,
        leave=level_left,
    )
    application.add_handler(conversation)
    application.add_handler(
        CallbackQueryHandler(level_button, pattern=rf"^{re.escape(lt.LEVEL)}:\d+$")
    )
