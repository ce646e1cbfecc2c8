"""What the bot says when intake slows a user down or gives up on an update.

* A throttled citizen is told once per burst, politely, that their messages
  are handled in order (nothing is dropped); the dispatcher desk gets one
  outbox message about the flood, so a person can look at it.
* The sender of a dead-lettered update is told the truth: it could not be
  handled, it is recorded, and staff will look at it.

Logs carry user ids only, never what was written.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.runtime.assembly import Runtime
from handlers import texts
from storage import outbox
from storage.enums import Role
from storage.models import Person

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]


async def tell_desk_of_flood(runtime: Runtime, user_id: int, name: str) -> int:
    """Write one outbox message to each member of the dispatcher desk; how many."""
    desk = runtime.district.dispatcher
    text = texts.DESK_FLOOD.format(name=name or "未知", user_id=user_id)
    async with runtime.db.session() as session:
        members = await session.scalars(
            select(Person).where(
                Person.unit_id == desk,
                Person.role.in_((Role.CHIEF.value, Role.STAFF.value)),
                Person.chat_id.is_not(None),
                Person.active.is_(True),
            )
        )
        written = 0
        for person in members:
            assert person.chat_id is not None
            await outbox.enqueue(
                session, chat_id=person.chat_id, text=text, person_id=person.id, now=None
            )
            written += 1
    if written:
        runtime.outbox_written()
    return written


async def announce_throttle(application: AnyApp, runtime: Runtime, update: Update) -> None:
    """The first throttled update of a burst: answer the citizen, tell the desk."""
    user = update.effective_user
    chat = update.effective_chat
    log.warning("throttling user %s", user.id if user is not None else None)
    if chat is not None and chat.type == "private":
        try:
            await application.bot.send_message(chat.id, texts.THROTTLED)
        except TelegramError:
            log.warning("could not tell a throttled user", exc_info=True)
    if user is not None:
        await tell_desk_of_flood(runtime, user.id, user.full_name)


async def tell_dead_letter(application: AnyApp, update: Update) -> None:
    """Tell the sender of a dead-lettered update that it is recorded, not handled."""
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.DEAD_LETTERED[:200], show_alert=True)
            return
        chat = update.effective_chat
        if chat is not None and chat.type == "private":
            await application.bot.send_message(chat.id, texts.DEAD_LETTERED)
    except TelegramError:
        log.warning("could not tell the sender of update %s", update.update_id, exc_info=True)
