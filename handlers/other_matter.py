"""After a danger is filed: offer to file the routine matter told beside it (trial 32 D16).

A message that tells a routine matter and a danger now (物业乱收停车费… 三楼闻到很大的煤气味)
is filed at once as one critical case, for the danger. The routine matter's words
(:func:`bot.services.other_matter.other_matter`) are kept when the case is filed, and once
the emergency's details step is over the citizen is asked, with one button, whether to
file them as a request of their own: 另行登记这件事 proposes them as any description is
proposed (office, 提交); 不用了 drops them. Nothing is filed without the citizen's word.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.lifecycle import CaseError
from bot.services.other_matter import other_matter
from bot.services.routine_problems import names_an_office
from handlers import texts
from handlers.base import BotContext, reply, stamp, user_data
from handlers.office_choice import classify, is_unsure
from handlers.texts.common import snippet

__all__ = ["KEY", "NO", "YES", "buttons", "offer", "remember"]

#: ``user_data`` key of the matter waiting to be offered, then for the answer.
KEY = "other_matter"
YES = texts.UI + "om:yes"
NO = texts.UI + "om:no"

FILE_IT = "另行登记这件事"
NOT_NOW = "不用了"
GONE = "这件事已处理过。如需反映，请直接发送问题描述。"
DROPPED = "好的，不另行登记。以后需要时，直接发送问题描述即可。"

Describe = Callable[[Update, BotContext, str], Awaitable[str | int | None]]


def question(number: str, matter: str) -> str:
    """The offer (Chinese)."""
    return (
        f"您刚才的留言中还提到：“{snippet(matter, 60)}”。\n"
        f"紧急情况已按 {number} 报送处理；这件事属于日常诉求，和紧急情况分开办理。"
        "需要另行登记为一件诉求吗？"
    )


def remember(context: BotContext, text: str, number: str) -> None:
    """Keep the routine matter of a danger just filed as ``number`` (if ``text`` holds one)."""
    matter = other_matter(text)
    if matter is None:
        user_data(context).pop(KEY, None)
        return
    user_data(context)[KEY] = {"text": matter, "number": number, "at": stamp(context)}


async def offer(update: Update, context: BotContext) -> None:
    """Ask about the kept matter once the emergency's step is over (nothing kept: nothing)."""
    item = user_data(context).get(KEY)
    if not isinstance(item, dict) or item.get("offered") or not isinstance(item.get("text"), str):
        return
    try:
        preview = await classify(context, item["text"])
    except CaseError:
        preview = None
    if preview is None or not names_an_office(preview, unsure=is_unsure(preview)):
        user_data(context).pop(KEY, None)  # no office's matter: nothing to offer
        return
    item["offered"] = True
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(FILE_IT, callback_data=YES)],
            [InlineKeyboardButton(NOT_NOW, callback_data=NO)],
        ]
    )
    await reply(update, question(str(item.get("number", "")), item["text"]), markup)


def buttons(describe: Describe) -> list[BaseHandler[Update, BotContext, object]]:
    """另行登记这件事 / 不用了 (entry points of the request conversation: the first
    proposes the matter)."""

    async def answered(update: Update, context: BotContext) -> str | int | None:
        query = update.callback_query
        assert query is not None
        item = user_data(context).pop(KEY, None)
        await query.answer()
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            await reply(update, GONE)
            return None
        if query.data == YES:
            return await describe(update, context, item["text"])
        await reply(update, DROPPED)
        return None

    return [CallbackQueryHandler(answered, pattern=rf"^({re.escape(YES)}|{re.escape(NO)})$")]
