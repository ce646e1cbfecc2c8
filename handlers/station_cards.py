"""A case's card shown again as a new message (/pending 「查看」, a case number typed)."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import TelegramError

from bot.services.people import PersonInfo
from handlers import texts
from handlers.base import BotContext, reply


async def send_card(update: Update, context: BotContext, person: PersonInfo, case_id: int) -> None:
    """Show a case's card (with the viewer's buttons) as a new message, which becomes the
    chat's card: later changes edit it, and the older card loses its buttons (T14). The
    case's photos the chat has not got follow through the outbox (dfx21)."""
    cases = context.runtime.cases
    text, markup = await cases.render_card(case_id, person.id)
    sent = await reply(update, text, texts.inline_from_dict(markup))
    chat = update.effective_chat
    if sent is None or chat is None:
        return
    older = await cases.card_shown_again(case_id, person.id, chat.id, sent.message_id)
    # Photos this chat never got (its card was folded into a digest) follow the card.
    if await cases.photos_on_open(case_id, person.id, chat.id):
        context.runtime.outbox_written()
    if older is not None:
        with contextlib.suppress(TelegramError):  # gone or too old: nothing to take away
            await context.bot.edit_message_reply_markup(chat.id, older, reply_markup=None)
