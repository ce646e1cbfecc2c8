"""The guided warning's proposal message and its steps' answers to non-text.

:func:`propose` shows the proposal (room, bureau, level, the words behind them) as a
new message and takes the buttons off the one it replaces, whose 确认 would otherwise
file the newest draft under the older text. :func:`expects` answers a sticker, voice
message or file at a step with what that step wants.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters

from handlers import texts
from handlers.base import PRIVATE, BotContext, reply, stamp, who
from handlers.warning_steps import warn_draft


async def hold_proposal(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """A 重大 proposal waiting for 确认 is held by the service: the officer is reminded,
    then it is filed without him (trial 32 D27, :mod:`bot.services.cases.warning_unconfirmed`)."""
    person = await who(update, context)
    if person is None:
        return
    # The time shown and a few random characters: two proposals shown at the same
    # instant are two proposals (the key of its filing, review 32 S4).
    held_at = draft.setdefault("held_at", f"{stamp(context)}#{secrets.token_hex(4)}")
    auto = await context.runtime.cases.unconfirmed_filed(person.id, str(held_at))
    if auto is not None:
        # Filed for him already: an edit is no second warning (review 32 S4).
        await reply(update, texts.warning_edit_after_auto(auto.number))
        return
    await context.runtime.cases.hold_unconfirmed(person.id, draft, str(held_at))


async def release_proposal(update: Update, context: BotContext, *, withdrawn: bool = False) -> None:
    """The officer cancelled or dropped the proposal: nothing is filed for him."""
    person = await who(update, context)
    if person is not None:
        await context.runtime.cases.release_unconfirmed(person.id, withdrawn=withdrawn)


async def propose(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """Show the proposal as a new message; the one it replaces loses its buttons.

    确认 on an older proposal would file the newest draft under the older text. A 重大
    one is held (:func:`hold_proposal`).
    """
    await hold_proposal(update, context, draft)
    old = draft.get("msg")
    sent = await reply(
        update, texts.warning_proposal(draft, context.runtime.district), texts.warning_markup()
    )
    if sent is not None:
        draft["msg"] = sent.message_id
    chat = update.effective_chat
    if isinstance(old, int) and chat is not None and (sent is None or old != sent.message_id):
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_reply_markup(chat.id, old, reply_markup=None)


def expects(step: str) -> MessageHandler[BotContext, object]:
    """Non-text at ``step`` (a sticker, voice, a file): say what this step wants."""

    async def answer(update: Update, context: BotContext) -> None:
        draft = warn_draft(context) if step == "reason" else None
        # 不降级请点「保持」: with the button it names (trial 29 #13).
        keep = (
            texts.keep_level_markup(str(draft.get("rubric") or draft.get("severity") or "low"))
            if draft is not None
            else None
        )
        await reply(update, texts.WARN_STEP_EXPECTS[step], keep)

    return MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.TEXT, answer)
