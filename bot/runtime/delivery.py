"""Outbox delivery: every notification written to the outbox reaches Telegram.

The domain services write :class:`~storage.models.OutboxMessage` rows in the
same transaction as the case change that causes them. :class:`DeliveryWorker`
delivers them.

Guarantees
==========

* **Nothing is lost.** A row leaves the undelivered states (``pending`` /
  ``sending``) only when Telegram accepted it (``sent``), when a newer card for
  the same case and chat replaces it (``sent`` with a "superseded" note), or when
  it can never succeed (``failed``, with the reason in ``last_error``). Transient
  errors (network errors, timeouts, 5xx, 429) are retried forever, with
  exponential backoff and jitter capped at ``retry_cap``. When the recipient
  blocked the bot, the person is marked ``blocked_at`` and the owning unit's other
  members get the text instead, in the same transaction that fails the row (and
  the chat's other pending rows, which would fail the same way).
* **At least once, at most one repeat per failure.** A row is claimed (status
  ``sending`` with a lease: ``lease_owner``/``lease_until``) in one transaction,
  sent outside any transaction, and marked ``sent`` in a new one. If the process
  dies between Telegram's acceptance and that mark, the lease expires and another
  worker sends the row again: the recipient sees it twice. The same happens when
  Telegram executes a request but its answer is lost (timeout). Each such event
  repeats only the rows in flight at that moment, once; in normal operation every
  row is delivered exactly once (concurrent workers never share a row: on
  PostgreSQL the claim uses ``SELECT … FOR UPDATE SKIP LOCKED``, on SQLite
  ``BEGIN IMMEDIATE`` serialises claimers). A slow request is not abandoned and
  sent again: while it is in flight its lease is renewed every third of the lease
  (:class:`~bot.runtime.delivery_support._LeaseKeeper`), up to ``send_timeout``;
  a row whose lease is running out before its send starts is handed back unsent.
* **Priority and order.** Alerts (high and critical cases) go first, then replies
  a person waits for, then routine notices; within a class the chat served least
  recently goes first. In a chat only the oldest row of its most urgent class is
  claimable, so an alert overtakes routine notices queued before it, messages of
  one class arrive in the order they were written, and a retried row holds back
  the rest of its class in its chat (:mod:`storage.outbox_claim`).
* **Pacing.** At most one message per ``private_interval`` (1 s) to a private
  chat and one per ``group_interval`` (3 s, i.e. 20 a minute) to a group, measured
  from the chat's last ``sent_at`` in the database, so it holds across workers;
  about ``global_rate`` (30) messages a second overall per worker. A 429
  (``RetryAfter``) reschedules its row after ``retry_after`` (holding back the
  chat); when several chats are told to wait at about the same time the flood
  limit is taken as global and the worker pauses entirely.

Photos: a ``photos`` row sends a case's photos by file id (``sendPhoto``, or
``sendMediaGroup`` for 2-10) with the case number as caption, right after the card
that first reaches a person (:func:`~bot.runtime.delivery_support.send_photos`).

Cards: a ``card`` row shows the case card of (``case_id``, ``chat_id``). The first
one is sent and its message id kept in :class:`~storage.models.CaseCard`; later
ones edit that message in place ("message is not modified" counts as success;
a message that cannot be edited any more is replaced by a new one). When several
card rows of the same pair wait, only the newest is shown.

The worker's :class:`telegram.Bot` should have an HTTP connection pool at least
as large as ``concurrency`` (``HTTPXRequest(connection_pool_size=...)``).
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import timedelta

from telegram import Bot

from bot.runtime.delivery_send import DeliverySender
from bot.runtime.delivery_support import (
    DeliveryStats,
    _default_worker_id,
    _Delivered,
    _LeaseKeeper,
    _process_gone,
    _RateLimiter,
    _seconds,
    backlog,
)
from bot.services.clock import Clock, SystemClock
from storage import outbox
from storage.db import Database

__all__ = [
    "DeliveryStats",
    "DeliveryWorker",
    "_Delivered",
    "backlog",
]

log = logging.getLogger(__name__)


class DeliveryWorker(DeliverySender):
    """Delivers outbox rows to Telegram (see the module docstring for guarantees).

    Args:
        db: The database.
        bot: An initialised :class:`telegram.Bot` (``async with bot:``).
        clock: Time source for the database's timestamps.
        worker_id: Lease owner name (default: host, pid and a random suffix).
        lease: How long a claim lasts before another worker may take the row over.
        batch_size: Most rows claimed at once (one per chat).
        concurrency: Most sends in flight at once.
        private_interval: Minimum gap between two messages to one private chat.
        group_interval: Minimum gap between two messages to one group (3 s = 20/min).
        global_rate: Messages per second overall (this worker).
        retry_base: First backoff after a transient error (doubles per attempt).
        retry_cap: Longest backoff (a minute: after an outage alerts resume within about
            a minute, and one failing row per chat costs one request a minute meanwhile).
        poll_interval: How often :meth:`run_forever` looks for due rows unprompted (rows
            written by another process, or by a writer here that does not call
            :meth:`notify`). Looking is one read; the claiming write transaction runs
            only when a row is due or :meth:`notify` was called.
        send_timeout: Longest wait for one API call (default 30 s, beyond the HTTP
            client's own timeouts); the lease is renewed meanwhile.
        global_429_chats: Distinct chats told to wait within a ``retry_after``
            window that make the worker pause entirely.
        rng: Random source for the jitter (tests may seed it).
    """

    def __init__(
        self,
        db: Database,
        bot: Bot,
        *,
        clock: Clock | None = None,
        worker_id: str | None = None,
        lease: timedelta = timedelta(seconds=60),
        batch_size: int = 20,
        concurrency: int = 8,
        private_interval: timedelta = timedelta(seconds=1),
        group_interval: timedelta = timedelta(seconds=3),
        global_rate: float = 30.0,
        retry_base: timedelta = timedelta(seconds=1),
        retry_cap: timedelta = timedelta(seconds=60),
        poll_interval: timedelta = timedelta(seconds=1),
        send_timeout: timedelta | None = None,
        global_429_chats: int = 2,
        rng: random.Random | None = None,
    ) -> None:
        """Configure the worker; nothing runs until a ``run_*`` method is called."""
        if lease <= timedelta(0):
            raise ValueError("lease must be positive")
        self.db = db
        self.bot = bot
        self.clock: Clock = clock or SystemClock()
        self.worker_id = (worker_id or _default_worker_id())[:64]
        self.lease = lease
        self.batch_size = max(1, batch_size)
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.poll_interval = poll_interval
        self.send_timeout = send_timeout if send_timeout is not None else timedelta(seconds=30)
        if self.send_timeout <= timedelta(0):
            raise ValueError("send_timeout must be positive")
        self.global_429_chats = max(1, global_429_chats)
        self.stats = DeliveryStats()
        self._rng = rng or random.Random()
        self._limiter = _RateLimiter(global_rate)
        self._sem = asyncio.Semaphore(max(1, concurrency))
        self._wake = asyncio.Event()
        self._notified = False
        self._stopping = False
        self._stop_event: asyncio.Event | None = None
        self._hold_until = 0.0  # loop time until which the whole worker pauses (global 429)
        self._recent_429: dict[int, float] = {}  # chat -> loop time of its last 429
        self._leases = _LeaseKeeper(db, self.clock, self.worker_id, lease)

    # ------------------------------------------------------------------ public API

    async def run_once(self) -> int:
        """Deliver what is due now.

        Claims and sends rounds of due rows until none is left that may be sent
        now (pacing and backoff may leave rows for later).

        Returns:
            Rows handled: delivered, edited, superseded, failed or rescheduled.
        """
        handled = 0
        retried: set[int] = set()
        while not self._should_stop() and self._hold_remaining() <= 0:
            # Taken before the claim: the lease in the database runs from ``now``.
            claimed_at = asyncio.get_running_loop().time()
            now = self.clock.now()
            async with self.db.session() as session:
                result = await outbox.claim(
                    session,
                    worker_id=self.worker_id,
                    now=now,
                    lease=self.lease,
                    limit=self.batch_size,
                    private_interval=self.private_interval,
                    group_interval=self.group_interval,
                    exclude_ids=frozenset(retried),
                )
            self.stats.superseded += result.superseded
            handled += result.superseded
            if not result.claimed:
                if result.superseded:
                    continue
                break
            self._leases.hold([m.id for m in result.claimed], claimed_at)
            outcomes = await self._leases.during(
                asyncio.gather(*(self._process(m) for m in result.claimed))
            )
            handled += len(result.claimed)
            retried.update(m.id for m, again in zip(result.claimed, outcomes, strict=True) if again)
        return handled

    async def drain(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109 - a test helper
        """Deliver until no undelivered row is left (for tests and one-shot runs).

        Args:
            timeout: Seconds to give up after.

        Returns:
            Rows handled.

        Raises:
            TimeoutError: Rows were still undelivered after ``timeout``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        handled = 0
        while True:
            handled += await self.run_once()
            left = await backlog(self.db, self.clock)
            if left.count == 0:
                return handled
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{left.count} outbox rows still undelivered after {timeout} s")
            await self._sleep(min(await self._next_wake_delay(), remaining))

    async def run_forever(self, stop_event: asyncio.Event | None = None) -> None:
        """Deliver until ``stop_event`` is set or :meth:`stop` is called.

        Wakes up on :meth:`notify`, when the next row becomes due, or every
        ``poll_interval``; an idle worker (nothing due, nobody notified) only reads
        when the next row is due, and claims nothing. A stop lets the sends in
        flight finish and be marked; cancelling the task instead leaves them
        leased (they are re-sent after the lease expires).

        Args:
            stop_event: Set it to stop.
        """
        stop_event = stop_event or asyncio.Event()
        self._stopping = False
        self._stop_event = stop_event
        log.info("outbox delivery %s started", self.worker_id)
        try:
            await self._release_dead_workers()
            self._notified = True  # a first round at start
            while not self._should_stop():
                delay = _seconds(self.poll_interval)
                try:
                    delay = await self._round()
                except Exception:
                    log.exception("outbox delivery round failed; retrying in %.1f s", delay)
                await self._sleep(delay, stop_event)
        finally:
            self._stop_event = None
        log.info("outbox delivery %s stopped", self.worker_id)

    async def _release_dead_workers(self) -> None:
        """Hand back at once the rows in flight of dead workers of this host (never raises).

        A worker killed mid-send leaves its rows ``sending`` under a lease (60 s), and a
        chat with a row in flight gets nothing else, alerts included: after ``kill -9``
        and a restart, the chief of that chat waited out the lease (a critical warning
        arrived 50.8 s late). Worker names are ``host:pid:random``; a worker of this host
        whose process no longer exists is dead, so its rows are handed back unsent (a
        row Telegram had already accepted shows twice, as after the lease ran out).
        """
        parts = self.worker_id.split(":")
        if len(parts) != 3 or not parts[1].isdigit():
            return
        try:
            async with self.db.session() as session:
                owners = await outbox.lease_owners(session, parts[0] + ":")
                dead = [o for o in owners if o != self.worker_id and _process_gone(o)]
                released = await outbox.release_leases(session, dead)
        except Exception:
            log.warning("could not look for dead workers' rows", exc_info=True)
            return
        if released:
            log.warning("handed back %s row(s) in flight of dead worker(s) %s", released, dead)

    def stop(self) -> None:
        """Ask :meth:`run_forever` (and a running :meth:`run_once`) to stop soon."""
        self._stopping = True
        self._wake.set()

    # ------------------------------------------------------------------ scheduling

    def _should_stop(self) -> bool:
        return self._stopping or (self._stop_event is not None and self._stop_event.is_set())

    async def _round(self) -> float:
        """One turn of :meth:`run_forever`: deliver what may be due; seconds to sleep.

        The claim is a write transaction (SQLite: the write lock), so it runs only
        after :meth:`notify` or when the database says a row is due now; otherwise
        the turn is one read of the next due time (a poll costs no write).
        """
        if self._hold_remaining() > 0:
            return self._hold_remaining()
        notified, self._notified = self._notified, False
        if not notified:
            due_in = await self._due_in()
            if due_in is None or due_in > 0:
                return self._delay(due_in)
        await self.run_once()
        return await self._next_wake_delay()

    async def _due_in(self) -> float | None:
        """Seconds until the next undelivered row is due (≤ 0: due now; None: none)."""
        if self.db.is_sqlite:
            async with self.db.hot(write=False) as conn:  # one statement, no ORM session
                due = await outbox.next_due_at_hot(conn)
        else:
            async with self.db.read() as session:
                due = await outbox.next_due_at(session)
        return None if due is None else (due - self.clock.now()).total_seconds()

    def _delay(self, due_in: float | None) -> float:
        """Seconds to sleep when the next row is due in ``due_in`` (bounded by the poll)."""
        poll = _seconds(self.poll_interval)
        if due_in is None:
            return poll
        if due_in <= 0:
            # Due but not claimable: paced, or held by another worker.
            tick = min(_seconds(self.private_interval), _seconds(self.group_interval)) / 4
            return max(0.005, min(tick, poll))
        return max(0.001, min(due_in, poll))

    async def _next_wake_delay(self) -> float:
        """Seconds until something may be claimable (bounded by the poll interval)."""
        hold = self._hold_remaining()
        if hold > 0:
            return hold
        return self._delay(await self._due_in())

    async def _sleep(self, seconds: float, stop_event: asyncio.Event | None = None) -> None:
        """Sleep up to ``seconds``; :meth:`notify` or ``stop_event`` cut it short."""
        if seconds <= 0:
            return
        waiters = [asyncio.ensure_future(self._wake.wait())]
        if stop_event is not None:
            waiters.append(asyncio.ensure_future(stop_event.wait()))
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
            self._wake.clear()
