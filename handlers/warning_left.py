"""A 重大 warning proposal the officer left without 确认: what became of it (trial 33 D5).

A command in the middle of the proposal (``/status``) ends the warning conversation
(:func:`handlers.flow.leave_and_redo`), and an old proposal's 确认 pressed later finds no
conversation (:func:`handlers.common.stale_button`). Meanwhile the service may have filed
the proposal for the officer (trial 32 D27, :mod:`bot.services.cases.warning_unconfirmed`),
or will: both answers said 「还没有报送」 and 「请发送 /warn 重新报送」, which invited a
second warning of the same event. They now say that it was filed, with its number, or
that it will be; the old button files nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import MutableMapping
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from handlers.base import BotContext, stamp, user_data, who

#: ``user_data`` key of the proposal left by a command: its ``held_at`` and message.
LEFT_KEY = "left_warn"
#: The rubric's levels whose proposal the service holds and files if left unconfirmed.
HELD_LEVELS = ("high", "critical")


def _held(item: MutableMapping[str, Any]) -> bool:
    return str(item.get("rubric") or "") in HELD_LEVELS


async def settle(update: Update, context: BotContext, item: object) -> None:
    """Before the notice of a warning left behind: note on ``item`` the number the
    service filed it under (``auto``) or that it holds it (``held``), and remember the
    proposal for its old buttons."""
    if not isinstance(item, MutableMapping) or item.get("number"):
        return
    held_at = item.get("held_at")
    person = await who(update, context)
    if not isinstance(held_at, str) or person is None:
        return
    auto = await context.runtime.cases.unconfirmed_filed(person.id, held_at)
    if auto is not None:
        item["number"], item["auto"] = auto.number, True
    elif _held(item):
        item["held"] = True
    user_data(context)[LEFT_KEY] = {
        "held_at": held_at,
        "msg": item.get("msg"),
        "held": _held(item),
        "at": stamp(context),
    }


async def stale_answer(update: Update, context: BotContext, query: CallbackQuery) -> str | None:
    """The answer to a button of the proposal left by a command: filed (with the
    number; the button goes), to be filed, or None (not that proposal)."""
    left = user_data(context).get(LEFT_KEY)
    message = query.message
    if not isinstance(left, dict) or message is None:
        return None
    if left.get("msg") is not None and left.get("msg") != message.message_id:
        return None
    person = await who(update, context)
    if person is None:
        return None
    auto = await context.runtime.cases.unconfirmed_filed(person.id, str(left.get("held_at")))
    if auto is not None:
        user_data(context).pop(LEFT_KEY, None)
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        return (
            f"该预警已由系统自动报送（编号：{auto.number}），无需再次确认，也不要重新报送。"
            "发送 /mine 可查看办理情况。"
        )
    if left.get("held"):
        return (
            "这个按钮已失效（您已离开预警填写）。该预警为重大预警，系统会按研判结果自动报送"
            "并告诉您编号，请勿重复报送；发送 /mine 可查看。"
        )
    return None
