"""The inbox: no Telegram update is lost between "received" and "handled".

Telegram considers an update delivered when the webhook answers 200, or when
the next ``getUpdates`` call moves the offset past it. Both can happen before
the bot has handled the update, so a crash in between would lose what a citizen
wrote. Every update is therefore written to the ``inbound_updates`` table
first — the webhook answers only after that commit, and in polling mode the
update queue's ``put`` (which the updater awaits before asking for more)
writes it — and marked handled once python-telegram-bot has run its handlers.

An update whose handler never finished (the process died) is leased back to a
running instance when its lease runs out (:meth:`UpdateInbox.reclaim`), at most
``max_attempts`` times. Guarantee: at least once. A crash after a handler's own
transaction committed but before the update was marked handled replays that
update once (the bot may answer twice; the services refuse what would change
a case twice, e.g. a stale button). The in-memory ``in flight`` set keeps one
process from replaying an update it is still handling; another instance
replays it only after the lease (:data:`DEFAULT_LEASE`) has run out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

from telegram import Update

from bot.services.clock import Clock
from storage import inbox as store
from storage.db import Database

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=30)
DEFAULT_MAX_ATTEMPTS = 3


class UpdateInbox:
    """Durable intake of Telegram updates, shared by the webhook and polling."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.lease = lease
        self.max_attempts = max_attempts
        #: Update id → when this process took it in (``time.perf_counter``).
        self._in_flight: dict[int, float] = {}

    async def accept(self, payload: dict[str, Any], source: str) -> bool:
        """Write a new update; False for an update id seen before (a retry)."""
        update_id = int(payload["update_id"])
        now = self.clock.now()
        async with self.db.session() as session:
            new = await store.accept(
                session,
                update_id=update_id,
                payload=payload,
                source=source,
                now=now,
                lease_until=now + self.lease,
            )
        if new:
            self._in_flight[update_id] = time.perf_counter()
        return new

    async def done(self, update_id: int) -> float | None:
        """The bot has handled ``update_id``; seconds since this process took it in."""
        async with self.db.session() as session:
            await store.mark_processed(session, update_id, self.clock.now())
        taken_in = self._in_flight.pop(update_id, None)
        return None if taken_in is None else time.perf_counter() - taken_in

    async def reclaim(self, limit: int = 100) -> list[dict[str, Any]]:
        """Lease back updates whose handling never finished; their payloads, oldest first."""
        now = self.clock.now()
        async with self.db.session() as session:
            claimed = await store.claim_unhandled(
                session,
                now=now,
                lease_until=now + self.lease,
                max_attempts=self.max_attempts,
                limit=limit,
                exclude=set(self._in_flight),
            )
        for update_id, _ in claimed:
            self._in_flight[update_id] = time.perf_counter()
            log.warning("replaying update %s: its handling never finished", update_id)
        return [payload for _, payload in claimed]


class DurableUpdateQueue(asyncio.Queue[object]):
    """python-telegram-bot's update queue, writing each polled update to the inbox.

    The updater awaits :meth:`put` before it fetches (and so confirms) more
    updates, so an update is in the database before Telegram forgets it.
    Updates already accepted elsewhere (the webhook, a replay) enter through
    :meth:`put_accepted`.
    """

    def __init__(self, inbox: UpdateInbox) -> None:
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
