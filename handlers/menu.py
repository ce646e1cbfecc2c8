"""The main menu's buttons (those that do not start a conversation).

Kept apart from :mod:`handlers.flow` so that the conversations can import
``flow`` and this module can import the conversations' ``show_*`` views without
a circle.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler

from handlers import texts
from handlers.base import App, BotContext, reply, user_data
from handlers.followup import show_status
from handlers.office_choice import ASK_WHICH, ask_which
from handlers.officer import show_mine
from handlers.station import show_pending


async def menu(update: Update, context: BotContext) -> int:
    """A main-menu button (from the /start greeting)."""
    query = update.callback_query
    if query is None:
        return ConversationHandler.END
    await query.answer()
    data = query.data or ""
    if data == texts.MENU_REPORT:
        user_data(context).pop(ASK_WHICH, None)
        await reply(update, texts.DESCRIBE_PROMPT)
    elif data == texts.MENU_WHICH:
        # A question, not a report: the next message gets its office, no 提交 (pf29).
        await ask_which(update, context)
    elif data == texts.MENU_STATUS:
        await show_status(update, context)
    elif data == texts.MENU_MINE:
        await show_mine(update, context)
    elif data == texts.MENU_PENDING:
        await show_pending(update, context)
    return ConversationHandler.END


def register(application: App) -> None:
    """Add the main-menu buttons (those that do not start a conversation)."""
    application.add_handler(
        CallbackQueryHandler(menu, pattern=r"^ui:menu:(report|which|status|mine|pending)$")
    )
