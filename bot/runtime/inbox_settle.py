"""The inbox's small parts: who a first contact is, a settling, the polled queue.

Split from :mod:`bot.runtime.inbox` (which re-exports :func:`first_contact` and
:class:`DurableUpdateQueue`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from telegram import Update

from bot.services.people import display_name
from storage import inbox as store
from storage.db import HotConnection
from storage.state import StateWrite, apply_writes


class Accepting(Protocol):
    """What the polled queue needs of :class:`bot.runtime.inbox.UpdateInbox`."""

    async def accept(self, payload: dict[str, Any], source: str) -> bool:
        """Write a new update; False for an update id seen before."""
        ...


def first_contact(payload: dict[str, Any]) -> tuple[int, str, int] | None:
    """(user id, name, chat id) of the sender of a plain-text message in a private chat.

    What a new citizen sends first: the handlers answer it only after
    ``PeopleService.touch`` has found or created the sender's ``people`` row, so
    :meth:`UpdateInbox.accept` creates a missing row in the accepting transaction
    (the same row, written the same way: ``storage.org.add_citizen_hot``) and the
    first contact costs no write transaction of its own. The name is the
    first and last name, else the username (``bot.services.people.display_name``,
    the rule the handlers use too).
    Commands, buttons, groups and bots are left to the handlers as before.
    """
    message = payload.get("message")
    if not isinstance(message, dict):
        return None
    chat, sender, text = message.get("chat"), message.get("from"), message.get("text")
    if not isinstance(chat, dict) or not isinstance(sender, dict) or not isinstance(text, str):
        return None
    if chat.get("type") != "private" or sender.get("is_bot") or text.startswith("/"):
        return None
    user_id, chat_id = sender.get("id"), chat.get("id")
    if not isinstance(user_id, int) or not isinstance(chat_id, int):
        return None
    name = display_name(sender.get("first_name"), sender.get("last_name"), sender.get("username"))
    return user_id, name, chat_id


async def write_settles(conn: HotConnection, settles: list[Settle], now: datetime) -> None:
    """Mark ``settles`` handled and write their state changes, in ``conn``'s transaction."""
    if not settles:
        return
    await store.mark_processed(conn, [s.update_id for s in settles], now)
    writes = [w for s in settles for w in s.writes]
    if writes:
        await apply_writes(conn, writes)


@dataclass
class Settle:
    """A handled update whose settling (mark and state) waits for the next write."""

    update_id: int
    writes: list[StateWrite]
    on_written: Callable[[], None] | None = None


class DurableUpdateQueue(asyncio.Queue[object]):
    """python-telegram-bot's update queue, writing each polled update to the inbox.

    The updater awaits :meth:`put` before it fetches (and so confirms) more
    updates, so an update is in the database before Telegram forgets it.
    Updates already accepted elsewhere (the webhook, a replay) enter through
    :meth:`put_accepted`.
    """

    def __init__(self, inbox: Accepting) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: object) -> None:
        """Write a polled update to the inbox, then queue it (a repeat is dropped)."""
        if isinstance(item, Update) and not await self.inbox.accept(item.to_dict(), "polling"):
            return
        await super().put(item)

    def put_accepted(self, item: object) -> None:
        """Queue an update that is already in the inbox."""
        self.put_nowait(item)
