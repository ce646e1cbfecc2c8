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
``max_attempts`` times. A handler that failed for a transient reason (the
database went away) hands its update back at once, for a retry after a short
back-off (:meth:`UpdateInbox.failed`). An update out of attempts, or one that
cannot be parsed, is *dead-lettered*: kept with its payload, counted on
``/healthz``, never replayed again, and no longer in the way of the others.
Guarantee: at least once, or a dead letter. A crash after a handler's own
transaction committed but before the update was marked handled replays that
update once (the bot may answer twice; the services refuse what would change
a case twice, e.g. a stale button, and a case the update filed is found by its
intake key, ``storage.intake_keys``, and not filed again). The in-memory ``in flight`` set keeps one
process from replaying an update it is still handling; another instance
replays it only after the lease (:data:`DEFAULT_LEASE`) has run out — or at once
when the row's owner (``lease_owner``, ``host:pid:boot:pidns``) is a process of the same
host that no longer exists (:meth:`UpdateInbox.release_dead_owners`, run when the
bot starts: a service restarted after ``kill -9`` takes its predecessor's updates
back without waiting).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.runtime.inbox_owner import default_owner, owner_gone
from bot.runtime.inbox_settle import DurableUpdateQueue, Settle, first_contact, write_settles
from bot.services.clock import Clock
from storage import inbox as store
from storage.db import Database
from storage.org import add_citizen_hot
from storage.state import StateWrite

__all__ = ["DurableUpdateQueue", "UpdateInbox", "first_contact"]

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=30)
DEFAULT_MAX_ATTEMPTS = 3
#: Wait before retrying an update whose handler failed transiently, per attempt so far.
DEFAULT_RETRY_BACKOFF = timedelta(seconds=2)
#: How long a lazy settling waits for the next update's write before it is written alone.
DEFAULT_SETTLE_DELAY = 0.5
#: Senders remembered as having a ``people`` row (a bound: memory must not grow with citizens).
KNOWN_SENDERS = 4096


class UpdateInbox:
    """Durable intake of Telegram updates, shared by the webhook and polling.

    **One write per ordinary update.** Every update costs the write that takes it
    in (:meth:`accept`, before Telegram is answered). An update whose handling
    wrote nothing else (no case, no outbox row: ``lazy``) is then settled
    *lazily*: its "handled" mark and its conversation/draft state changes wait
    in memory and ride in the next update's accepting transaction, or are
    written ``settle_delay`` seconds later when no update comes. An update that
    did write (a filing, a warning) is settled at once, carrying whatever waits.
    A crash loses at most ``settle_delay`` of lazy settlings; their updates are
    replayed from the inbox with the state they started from (mark and state
    are written together or not at all), so a citizen may see an answer twice
    but nothing is filed twice. Transactions that carry state are serialised
    (``_write_lock``) so that a user's newer state is never overwritten by an
    older one.
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry_backoff: timedelta = DEFAULT_RETRY_BACKOFF,
        settle_delay: float = DEFAULT_SETTLE_DELAY,
        owner: str | None = None,
    ) -> None:
        self.db = db
        #: The lease owner this process writes (``host:pid:boot:pidns``).
        self.owner = (owner or default_owner())[:64]
        self.clock = clock
        self.lease = lease
        self.max_attempts = max_attempts
        self.retry_backoff = retry_backoff
        self.settle_delay = settle_delay
        #: Update id → when this process took it in (``time.perf_counter``).
        self._in_flight: dict[int, float] = {}
        #: Update id → attempts so far, for the updates in flight here.
        self._attempts: dict[int, int] = {}
        #: Handled updates whose settling waits for the next write, in handling order.
        self._unsettled: list[Settle] = []
        self._write_lock = asyncio.Lock()
        #: Telegram ids whose ``people`` row this process has seen written (newest last).
        self._known_senders: OrderedDict[int, None] = OrderedDict()
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None

    async def accept(self, payload: dict[str, Any], source: str) -> bool:
        """Write a new update; False for an update id seen before (a retry).

        Lazy settlings waiting in memory ride in the same transaction.
        """
        if self._unsettled and not self._write_lock.locked():
            async with self._write_lock:
                return await self._accept(payload, source, self._take_unsettled())
        return await self._accept(payload, source, [])

    async def _accept(self, payload: dict[str, Any], source: str, carried: list[Settle]) -> bool:
        update_id = int(payload["update_id"])
        now = self.clock.now()
        sender = first_contact(payload)
        if sender is not None and sender[0] in self._known_senders:
            self._known_senders.move_to_end(sender[0])
            sender = None
        try:
            async with self.db.hot() as conn:
                new = await store.accept(
                    conn,
                    update_id=update_id,
                    payload=payload,
                    source=source,
                    now=now,
                    lease_until=now + self.lease,
                    owner=self.owner,
                )
                if sender is not None:
                    # A no-op when the row exists (a sender this process has not seen yet).
                    await add_citizen_hot(conn, sender[0], sender[1], sender[2], now)
                await write_settles(conn, carried, now)
        except BaseException:
            self._give_back(carried)
            raise
        if sender is not None:
            self._known_senders[sender[0]] = None
            if len(self._known_senders) > KNOWN_SENDERS:
                self._known_senders.popitem(last=False)
        if new:
            self._in_flight[update_id] = time.perf_counter()
            self._attempts[update_id] = 1
        self._settled(carried)
        return new

    async def hold(self, payload: dict[str, Any], source: str) -> bool:
        """Write a new update that no bot here can handle yet; False for a repeat.

        Used while the Bot API is unreachable: the update is durable at once (Telegram
        need not retry it on its own, slower, schedule) and is claimable at once, with
        no attempt counted, by the first replay of whichever instance runs a bot.
        """
        now = self.clock.now()
        async with self.db.hot() as conn:
            return await store.accept(
                conn,
                update_id=int(payload["update_id"]),
                payload=payload,
                source=source,
                now=now,
                lease_until=None,
                attempts=0,
            )

    async def done(
        self,
        update_id: int,
        state: list[StateWrite] | None = None,
        *,
        lazy: bool = False,
        on_written: Callable[[], None] | None = None,
    ) -> float | None:
        """The bot has handled ``update_id``; seconds since this process took it in.

        ``state`` (conversation and user state the handling changed) is written
        in the same transaction as the "handled" mark. ``lazy``: the handling
        wrote nothing else, so both may wait for the next write (see the class);
        otherwise they are written now, with every settling still waiting.
        ``on_written`` runs once they are committed.
        """
        taken_in = self._in_flight.get(update_id)
        seconds = None if taken_in is None else time.perf_counter() - taken_in
        settle = Settle(update_id, list(state or []), on_written)
        if lazy:
            self._unsettled.append(settle)
            self._arm_timer()
            return seconds
        async with self._write_lock:
            carried = self._take_unsettled()
            try:
                async with self.db.hot() as conn:
                    await write_settles(conn, [*carried, settle], self.clock.now())
            except BaseException:
                self._give_back(carried)
                raise
            self._settled([*carried, settle])
        return seconds

    async def flush(self) -> None:
        """Write the lazy settlings now (the delay ran out, or at shutdown)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        async with self._write_lock:
            carried = self._take_unsettled()
            if not carried:
                return
            try:
                async with self.db.hot() as conn:
                    await write_settles(conn, carried, self.clock.now())
            except BaseException:
                self._give_back(carried)
                raise
            self._settled(carried)

    def unsettled(self) -> set[int]:
        """Handled updates whose settling has not been written yet."""
        return {s.update_id for s in self._unsettled}

    def _take_unsettled(self) -> list[Settle]:
        carried, self._unsettled = self._unsettled, []
        return carried

    def _give_back(self, carried: list[Settle]) -> None:
        if carried:
            self._unsettled[:0] = carried
            self._arm_timer()

    def _settled(self, settles: list[Settle]) -> None:
        for settle in settles:
            self._forget(settle.update_id)
            if settle.on_written is not None:
                try:
                    settle.on_written()
                except Exception:  # pragma: no cover - a callback's bug must not undo the write
                    log.exception("after settling update %s", settle.update_id)

    def _arm_timer(self) -> None:
        if self._timer is None and self._unsettled:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.settle_delay, self._flush_later)

    def _flush_later(self) -> None:
        self._timer = None
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush_quietly(), name="inbox-settle")

    async def _flush_quietly(self) -> None:
        try:
            await self.flush()
        except Exception as exc:
            # Kept in memory and retried; after a crash the updates are replayed.
            log.warning("could not settle handled updates: %s", type(exc).__name__)
            self._arm_timer()

    def let_go(self, update_id: int) -> None:
        """Stop treating ``update_id`` as in flight here (it could not be settled).

        Its row keeps its lease; once that runs out, this instance's replay takes it up
        again like any other instance's (in flight, it would be excluded for ever).
        """
        self._forget(update_id)

    def _forget(self, update_id: int) -> float | None:
        self._attempts.pop(update_id, None)
        taken_in = self._in_flight.pop(update_id, None)
        return None if taken_in is None else time.perf_counter() - taken_in

    async def failed(self, update_id: int, error: str, *, wait: timedelta | None = None) -> bool:
        """A handler failed for a transient reason; True when the update is now dead-lettered.

        With attempts left, the update is handed back for a retry after
        ``retry_backoff`` × attempts so far, or after ``wait`` when that is longer
        (the ``retry_after`` of Telegram's 429); otherwise it is dead-lettered.
        ``error`` is an exception type name (never user text).
        """
        attempts = self._attempts.get(update_id, self.max_attempts)
        now = self.clock.now()
        backoff = max(self.retry_backoff * attempts, wait or timedelta(0))
        async with self.db.session() as session:
            if attempts >= self.max_attempts:
                await store.dead_letter(session, update_id, now=now, error=error)
            else:
                await store.retry_later(session, update_id, lease_until=now + backoff, error=error)
        self._forget(update_id)
        if attempts >= self.max_attempts:
            log.error("update %s dead-lettered after %s attempts (%s)", update_id, attempts, error)
            return True
        log.warning("update %s failed (%s), attempt %s: will retry", update_id, error, attempts)
        return False

    async def dead_letter(self, update_id: int, error: str) -> None:
        """Give up on ``update_id`` now (e.g. it cannot be parsed)."""
        async with self.db.session() as session:
            await store.dead_letter(session, update_id, now=self.clock.now(), error=error)
        self._forget(update_id)
        log.error("update %s dead-lettered: %s", update_id, error)

    async def release_dead_owners(self) -> int:
        """Hand back at once the updates that dead processes of this host had leased.

        A restarted service need not wait out the lease (30 s) of the updates its
        killed predecessor had taken in: that process is gone (its pid no longer
        exists, or the machine has restarted), so nobody is handling them. Their
        attempt stays counted. Returns how many were handed back (never raises).
        """
        host = self.owner.split(":", 1)[0] + ":"
        try:
            async with self.db.session() as session:
                owners = await store.lease_owners(session, now=self.clock.now(), prefix=host)
                dead = [o for o in owners if owner_gone(o, self.owner)]
                released = await store.release_leases(session, dead)
        except Exception:
            log.warning("could not look for updates of dead processes", exc_info=True)
            return 0
        if released:
            log.warning("took back %s update(s) of dead process(es) %s", released, dead)
        return released

    async def reclaim(self, limit: int = 100) -> list[dict[str, Any]]:
        """Lease back updates whose handling never finished; their payloads, oldest first."""
        now = self.clock.now()
        async with self.db.session() as session:
            exhausted = await store.dead_letter_exhausted(
                session, now=now, max_attempts=self.max_attempts, exclude=set(self._in_flight)
            )
            claimed = await store.claim_unhandled(
                session,
                now=now,
                lease_until=now + self.lease,
                max_attempts=self.max_attempts,
                limit=limit,
                exclude=set(self._in_flight),
                owner=self.owner,
            )
        if exhausted:
            log.error("%s update(s) dead-lettered: out of attempts", exhausted)
        for update_id, _, attempts in claimed:
            self._in_flight[update_id] = time.perf_counter()
            self._attempts[update_id] = attempts
            log.warning("replaying update %s (attempt %s)", update_id, attempts)
        return [payload for _, payload, _ in claimed]
