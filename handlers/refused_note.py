"""Text right after a refused 办结 / 退单 / 上报 / 不予受理 button is asked about, not filed.

A chief or staff member who pressed 退单 on an out-of-date card (refused: 「…请在最新的案件
卡片上操作」) often types the reason anyway. That text reached the citizens' side and was
filed as a report — a sentence naming 持刀伤人 even as a critical emergency (trial 26 T13).
Now the next text within :data:`WINDOW` is kept and the person asked whether it is a new
situation to report (是，作为新情况反映 files it as any text would be) or not (nothing is
filed, and the newest card is pointed to). Danger now still gets the emergency line first.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.triage import emergency_of
from handlers import texts
from handlers.base import BotContext, reply, stamp, user_data
from handlers.texts import stations as tx

#: ``user_data`` keys: the refused note button, and the text waiting for the answer.
REFUSED = "refused_note"
HELD = "held_text"
#: How long after the refused button a text is asked about.
WINDOW = timedelta(minutes=15)
YES = texts.UI + "asnew:yes"
NO = texts.UI + "asnew:no"

Describe = Callable[[Update, BotContext, str], Awaitable[str | int | None]]


def remember(context: BotContext, number: str, action: str) -> None:
    """A note button (退单 …) of ``number`` was refused: the next text is asked about."""
    user_data(context)[REFUSED] = {"at": stamp(context), "number": number, "action": action}


async def asked(update: Update, context: BotContext, text: str) -> bool:
    """Ask about ``text`` if a note button was refused just before (True: asked)."""
    item = user_data(context).pop(REFUSED, None)
    if not isinstance(item, dict) or not text.strip():
        return False
    try:
        at = datetime.fromisoformat(str(item.get("at")))
    except ValueError:
        return False
    if context.runtime.clock.now() - at > WINDOW:
        return False
    found = emergency_of(text)
    if found is not None:
        await reply(update, found.line)  # the line never waits for the question
    user_data(context)[HELD] = {"at": stamp(context), "text": text}
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(tx.AS_NEW_YES, callback_data=YES)],
            [InlineKeyboardButton(tx.AS_NEW_NO, callback_data=NO)],
        ]
    )
    await reply(update, tx.as_new_question(str(item["number"]), str(item["action"]), text), markup)
    return True


def buttons(describe: Describe) -> list[BaseHandler[Update, BotContext, object]]:
    """是 / 不是 (entry points of the request conversation: 是 may start a proposal)."""

    async def answered(update: Update, context: BotContext) -> str | int | None:
        query = update.callback_query
        assert query is not None
        held = user_data(context).pop(HELD, None)
        await query.answer()
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        if not isinstance(held, dict) or not isinstance(held.get("text"), str):
            await reply(update, tx.AS_NEW_GONE)
            return None
        if query.data == YES:
            return await describe(update, context, held["text"])
        await reply(update, tx.AS_NEW_DROPPED)
        return None

    return [CallbackQueryHandler(answered, pattern=rf"^({re.escape(YES)}|{re.escape(NO)})$")]
