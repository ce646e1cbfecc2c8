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
from typing import Any

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

#: ``user_data`` key of the matters kept, by the danger case's number (review 1, R4):
#: ``{number: {"text", "at", "offered"}}``; one case's item never replaces another's.
KEY = "other_matter"
#: The buttons' data: ``ui:om:yes:NUMBER`` / ``ui:om:no:NUMBER`` (the danger case's number).
YES = texts.UI + "om:yes:"
NO = texts.UI + "om:no:"
#: The most matters kept waiting at once (the oldest goes first).
MAX_KEPT = 5

FILE_IT = "另行登记这件事"
NOT_NOW = "不用了"
GONE = "这条提示已过期。如需反映这件事，请直接发送问题描述。"
DROPPED = "好的，不另行登记。以后需要时，直接发送问题描述即可。"

Describe = Callable[[Update, BotContext, str], Awaitable[str | int | None]]


def question(number: str, matter: str) -> str:
    """The offer (Chinese); it does not judge what the matter is (no 日常诉求, R3)."""
    return (
        f"您刚才的留言中还提到：“{snippet(matter, 60)}”。\n"
        f"紧急情况已按 {number} 报送处理。这件事需要另行登记为一件诉求吗？"
    )


def _kept(context: BotContext) -> dict[str, dict[str, Any]]:
    """The kept matters by number (an item of the older single-slot shape is taken in)."""
    data = user_data(context)
    kept = data.get(KEY)
    if isinstance(kept, dict) and isinstance(kept.get("text"), str):
        kept = {str(kept.get("number", "")): kept}
    if not isinstance(kept, dict):
        kept = {}
    kept = {str(k): v for k, v in kept.items() if isinstance(v, dict)}
    data[KEY] = kept
    return kept


def remember(context: BotContext, text: str, number: str) -> None:
    """Keep the routine matter of a danger just filed as ``number`` (if ``text`` holds one);
    the matters kept for other cases stay."""
    matter = other_matter(text)
    if matter is None or not number:
        return
    kept = _kept(context)
    kept[number] = {"text": matter, "at": stamp(context)}
    for old in list(kept)[:-MAX_KEPT]:
        del kept[old]


async def offer(update: Update, context: BotContext, number: str | None = None) -> None:
    """Ask about the kept matters not yet offered (only ``number``'s, when given), once the
    emergency's step is over (nothing kept: nothing)."""
    kept = _kept(context)
    for key, item in list(kept.items()):
        if (number is not None and key != number) or item.get("offered"):
            continue
        if not isinstance(item.get("text"), str):
            kept.pop(key, None)
            continue
        try:
            preview = await classify(context, item["text"])
        except CaseError:
            preview = None
        if preview is None or not names_an_office(preview, unsure=is_unsure(preview)):
            kept.pop(key, None)  # no office's matter: nothing to offer
            continue
        item["offered"] = True
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(FILE_IT, callback_data=f"{YES}{key}")],
                [InlineKeyboardButton(NOT_NOW, callback_data=f"{NO}{key}")],
            ]
        )
        await reply(update, question(key, item["text"]), markup)


def buttons(describe: Describe) -> list[BaseHandler[Update, BotContext, object]]:
    """另行登记这件事 / 不用了 (entry points of the request conversation: the first
    proposes the matter)."""

    async def answered(update: Update, context: BotContext) -> str | int | None:
        query = update.callback_query
        assert query is not None
        data = query.data or ""
        number = data.split(":", 3)[3] if data.count(":") >= 3 else ""
        item = _kept(context).pop(number, None) if number else None
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            await query.answer(GONE, show_alert=True)
            return None
        await query.answer()
        if data.startswith(YES):
            return await describe(update, context, item["text"])
        await reply(update, DROPPED)
        return None

    # ``ui:om:yes`` without a number: a button from before numbers were kept, answered stale.
    pattern = rf"^({re.escape(YES[:-1])}|{re.escape(NO[:-1])})(:[A-Za-z0-9-]{{1,40}})?$"
    return [CallbackQueryHandler(answered, pattern=pattern)]
