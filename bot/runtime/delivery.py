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
  ``BEGIN IMMEDIATE`` serialises claimers). Sends are cut off after
  ``send_timeout`` (less than the lease), and a row whose lease is running out is
  handed back unsent, so a slow worker does not race its successor.
* **Per-chat order.** Only the oldest undelivered row of a chat is claimable,
  so a chat's messages arrive in the order they were written, and a retried row
  holds back the rest of its chat.
* **Pacing.** At most one message per ``private_interval`` (1 s) to a private
  chat and one per ``group_interval`` (3 s, i.e. 20 a minute) to a group, measured
  from the chat's last ``sent_at`` in the database, so it holds across workers;
  about ``global_rate`` (30) messages a second overall per worker. A 429
  (``RetryAfter``) reschedules its row after ``retry_after`` (holding back the
  chat); when several chats are told to wait at about the same time the flood
  limit is taken as global and the worker pauses entirely.

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
import os
import random
import socket
import uuid
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)

from bot.runtime.metrics import GaugeSample
from bot.services.clock import Clock, SystemClock
from nlp import mask_sensitive
from storage import outbox
from storage.db import Database
from storage.enums import Role
from storage.models import Case, CaseCard, Person, Unit
from storage.outbox import Backlog, ClaimedMessage

__all__ = [
    "DeliveryStats",
    "DeliveryWorker",
    "backlog",
]

log = logging.getLogger(__name__)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply

#: Telegram's limit on a message's text.
MAX_TEXT = 4096

#: Roles of a unit's members who are told when a recipient cannot be reached.
NOTIFY_ROLES = (Role.CHIEF.value, Role.STAFF.value)

_ROLE_LABELS = {
    Role.CITIZEN.value: "群众",
    Role.OFFICER.value: "信息员",
    Role.STAFF.value: "工作人员",
    Role.CHIEF.value: "负责人",
    Role.ADMIN.value: "管理员",
}

_EDIT_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


@dataclass
class DeliveryStats:
    """Counters for metrics (monotonic, per worker).

    Attributes:
        sent: New messages Telegram accepted.
        edited: Cards edited in place (including "not modified").
        retried: Transient errors (network, timeout, 5xx) that will be retried.
        rate_limited: 429 answers (``RetryAfter``).
        failed: Rows given up for a permanent error (bad request).
        blocked: Rows failed because the recipient blocked the bot (or left).
        superseded: Card rows replaced by a newer card before being shown.
        notices: Messages written to a unit because a recipient was unreachable.
        lease_lost: Deliveries whose lease another worker had already taken over.
    """

    sent: int = 0
    edited: int = 0
    retried: int = 0
    rate_limited: int = 0
    failed: int = 0
    blocked: int = 0
    superseded: int = 0
    notices: int = 0
    lease_lost: int = 0

    def samples(self) -> list[GaugeSample]:
        """These counters as Prometheus samples (for ``/metrics``)."""
        results = ("sent", "edited", "superseded", "failed", "blocked", "notices")
        out = [
            GaugeSample(
                "minqing_deliveries_total",
                "Outbox rows handled by this process's delivery worker, by result",
                float(getattr(self, r)),
                ("result",),
                (r,),
                kind="counter",
            )
            for r in results
        ]
        out += [
            GaugeSample(
                "minqing_delivery_retries_total",
                "Deliveries to be retried, by cause",
                float(n),
                ("cause",),
                (cause,),
                kind="counter",
            )
            for cause, n in (("transient", self.retried), ("rate_limited", self.rate_limited))
        ]
        return out

    def as_dict(self) -> dict[str, int]:
        """The counters by name."""
        return asdict(self)


async def backlog(db: Database, clock: Clock | None = None) -> Backlog:
    """Undelivered outbox rows and the age of the oldest (for /metrics and health).

    Args:
        db: The database.
        clock: Time source (default: the system clock).

    Returns:
        The backlog.
    """
    now = (clock or SystemClock()).now()
    async with db.session() as session:
        return await outbox.backlog(session, now)


@dataclass(frozen=True, slots=True)
class _Delivered:
    message_id: int | None
    edited: bool
    note: str | None = None


class _PermanentError(Exception):
    """A row that can never be delivered as written (e.g. invalid markup)."""


class _RateLimiter:
    """Spaces calls ``1/rate`` seconds apart (a leaky bucket without bursts)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        if self._interval <= 0:
            return
        async with self._lock:
            loop = asyncio.get_running_loop()
            now = loop.time()
            wait = self._next - now
            self._next = max(now, self._next) + self._interval
        if wait > 0:
            await asyncio.sleep(wait)


def _default_worker_id() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _seconds(value: timedelta | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _retry_after_seconds(exc: RetryAfter) -> float:
    raw = getattr(exc, "_retry_after", None)
    if isinstance(raw, timedelta):
        return max(raw.total_seconds(), 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return max(_seconds(value), 0.0)


def _truncate(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to Telegram's limit, counted in UTF-16 units as Telegram counts."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    marker = "…（已截断）"
    budget, units = limit - len(marker), 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            return text[:i] + marker
    return text


class DeliveryWorker:
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
        poll_interval: How often :meth:`run_forever` looks for due rows unprompted.
        send_timeout: Longest wait for one API call (default: half the lease).
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
        self.send_timeout = send_timeout if send_timeout is not None else lease / 2
        if self.send_timeout >= lease:
            raise ValueError("send_timeout must be shorter than the lease")
        self.global_429_chats = max(1, global_429_chats)
        self.stats = DeliveryStats()
        self._rng = rng or random.Random()
        self._limiter = _RateLimiter(global_rate)
        self._sem = asyncio.Semaphore(max(1, concurrency))
        self._wake = asyncio.Event()
        self._stopping = False
        self._stop_event: asyncio.Event | None = None
        self._hold_until = 0.0  # loop time until which the whole worker pauses (global 429)
        self._recent_429: dict[int, float] = {}  # chat -> loop time of its last 429

    # ------------------------------------------------------------------ public API

    def notify(self) -> None:
        """Wake :meth:`run_forever` now (call after writing outbox rows)."""
        self._wake.set()

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
            claimed_at = asyncio.get_running_loop().time()
            outcomes = await asyncio.gather(*(self._process(m, claimed_at) for m in result.claimed))
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
        ``poll_interval``. A stop lets the sends in flight finish and be marked;
        cancelling the task instead leaves them leased (they are re-sent after
        the lease expires).

        Args:
            stop_event: Set it to stop.
        """
        stop_event = stop_event or asyncio.Event()
        self._stopping = False
        self._stop_event = stop_event
        log.info("outbox delivery %s started", self.worker_id)
        try:
            while not self._should_stop():
                delay = _seconds(self.poll_interval)
                try:
                    await self.run_once()
                    delay = await self._next_wake_delay()
                except Exception:
                    log.exception("outbox delivery round failed; retrying in %.1f s", delay)
                await self._sleep(delay, stop_event)
        finally:
            self._stop_event = None
        log.info("outbox delivery %s stopped", self.worker_id)

    def stop(self) -> None:
        """Ask :meth:`run_forever` (and a running :meth:`run_once`) to stop soon."""
        self._stopping = True
        self._wake.set()

    # ------------------------------------------------------------------ scheduling

    def _should_stop(self) -> bool:
        return self._stopping or (self._stop_event is not None and self._stop_event.is_set())

    def _hold_remaining(self) -> float:
        return self._hold_until - asyncio.get_running_loop().time()

    async def _next_wake_delay(self) -> float:
        """Seconds until something may be claimable (bounded by the poll interval)."""
        poll = _seconds(self.poll_interval)
        hold = self._hold_remaining()
        if hold > 0:
            return hold
        async with self.db.session() as session:
            due = await outbox.next_due_at(session)
        if due is None:
            return poll
        delta = (due - self.clock.now()).total_seconds()
        if delta <= 0:
            # Due but not claimable: paced, or held by another worker.
            tick = min(_seconds(self.private_interval), _seconds(self.group_interval)) / 4
            return max(0.005, min(tick, poll))
        return max(0.001, min(delta, poll))

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

    def _backoff(self, attempts: int) -> timedelta:
        base = _seconds(self.retry_base) * (2 ** max(0, min(attempts - 1, 30)))
        capped = min(base, _seconds(self.retry_cap))
        return timedelta(seconds=capped * (0.5 + 0.5 * self._rng.random()))

    # ------------------------------------------------------------------ one row

    async def _process(self, m: ClaimedMessage, claimed_at: float) -> bool:
        """Send one claimed row and record the outcome.

        Returns:
            ``True`` if the row was put back for a retry.
        """
        try:
            async with self._sem:
                await self._limiter.acquire()
                loop = asyncio.get_running_loop()
                hold = self._hold_remaining()
                lease_left = claimed_at + _seconds(self.lease) - loop.time()
                if hold > 0 or lease_left <= _seconds(self.send_timeout):
                    # Paused by a global flood wait, or too close to losing the lease:
                    # hand the row back unsent.
                    when = self.clock.now() + timedelta(seconds=max(hold, 0.0))
                    async with self.db.session() as session:
                        await outbox.reschedule(
                            session,
                            m.id,
                            worker_id=self.worker_id,
                            next_attempt_at=when,
                            error=None,
                            count_attempt=False,
                        )
                    return True
                try:
                    delivered = await asyncio.wait_for(self._send(m), _seconds(self.send_timeout))
                except RetryAfter as exc:
                    await self._on_retry_after(m, exc)
                    return True
                except ChatMigrated as exc:
                    await self._on_migrated(m, exc.new_chat_id)
                    return True
                except Forbidden as exc:
                    await self._on_blocked(m, exc.message)
                    return False
                except (BadRequest, _PermanentError) as exc:
                    await self._on_permanent(m, str(exc))
                    return False
                except (TelegramError, TimeoutError) as exc:
                    # NetworkError, TimedOut, 5xx, and (misconfiguration) InvalidToken,
                    # Conflict...: never give up, back off.
                    await self._on_transient(m, f"{type(exc).__name__}: {exc}")
                    return True
                except Exception as exc:  # a bug or an unexpected library error
                    log.exception("outbox #%s: unexpected error while sending", m.id)
                    await self._on_transient(m, f"{type(exc).__name__}: {exc}")
                    return True
                await self._on_delivered(m, delivered)
                return False
        except Exception:
            # Recording the outcome failed (database down?): the lease will expire and
            # the row will be tried again.
            log.exception("outbox #%s: could not record the delivery outcome", m.id)
            return True

    def _markup(self, data: dict[str, Any] | None) -> ReplyMarkup | None:
        if not data:
            return None
        try:
            if "inline_keyboard" in data:
                return InlineKeyboardMarkup.de_json(data, self.bot)
            if "keyboard" in data:
                return ReplyKeyboardMarkup.de_json(data, self.bot)
            if "remove_keyboard" in data:
                return ReplyKeyboardRemove.de_json(data, self.bot)
            if "force_reply" in data:
                return ForceReply.de_json(data, self.bot)
        except (KeyError, TypeError, ValueError) as exc:
            raise _PermanentError(f"invalid reply_markup: {exc}") from exc
        raise _PermanentError("invalid reply_markup: unknown kind")

    async def _send(self, m: ClaimedMessage) -> _Delivered:
        # The row keeps the full text; Telegram takes at most MAX_TEXT characters.
        text = _truncate(m.text)
        markup = self._markup(m.reply_markup)
        if m.is_card and m.card_message_id is not None:
            inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
            try:
                await self.bot.edit_message_text(
                    text=text,
                    chat_id=m.chat_id,
                    message_id=m.card_message_id,
                    reply_markup=inline,
                )
                return _Delivered(m.card_message_id, edited=True)
            except BadRequest as exc:
                reason = exc.message.lower()
                if "not modified" in reason:
                    return _Delivered(m.card_message_id, edited=True, note="not modified")
                if not any(gone in reason for gone in _EDIT_GONE):
                    raise
                log.info("outbox #%s: card message gone (%s); sending a new one", m.id, reason)
        message = await self.bot.send_message(chat_id=m.chat_id, text=text, reply_markup=markup)
        return _Delivered(message.message_id, edited=False)

    # ------------------------------------------------------------------ outcomes

    async def _on_delivered(self, m: ClaimedMessage, d: _Delivered) -> None:
        now = self.clock.now()
        async with self.db.session() as session:
            ok = await outbox.mark_sent(
                session,
                m.id,
                worker_id=self.worker_id,
                now=now,
                telegram_message_id=d.message_id,
                note=d.note,
            )
            if ok and m.is_card and d.message_id is not None and m.case_id is not None:
                await outbox.save_card(session, m.case_id, m.chat_id, d.message_id, now=now)
        if not ok:
            self.stats.lease_lost += 1
            log.warning(
                "outbox #%s: delivered, but the lease had passed to another worker "
                "(the message may show twice)",
                m.id,
            )
            return
        if d.edited:
            self.stats.edited += 1
        else:
            self.stats.sent += 1

    async def _on_transient(self, m: ClaimedMessage, error: str) -> None:
        delay = self._backoff(m.attempts)
        async with self.db.session() as session:
            await outbox.reschedule(
                session,
                m.id,
                worker_id=self.worker_id,
                next_attempt_at=self.clock.now() + delay,
                error=mask_sensitive(error)[:1000],
            )
        self.stats.retried += 1
        log.warning(
            "outbox #%s to chat %s: attempt %d failed (%s); retrying in %.1f s",
            m.id,
            m.chat_id,
            m.attempts,
            mask_sensitive(error)[:200],
            delay.total_seconds(),
        )

    async def _on_retry_after(self, m: ClaimedMessage, exc: RetryAfter) -> None:
        wait = _retry_after_seconds(exc)
        loop = asyncio.get_running_loop()
        now_loop = loop.time()
        self._recent_429 = {
            chat: at for chat, at in self._recent_429.items() if now_loop - at <= max(wait, 1.0)
        }
        self._recent_429[m.chat_id] = now_loop
        if len(self._recent_429) >= self.global_429_chats:
            self._hold_until = max(self._hold_until, now_loop + wait)
            log.warning(
                "flood control on %d chats: pausing all sends for %.1f s",
                len(self._recent_429),
                wait,
            )
        async with self.db.session() as session:
            await outbox.reschedule(
                session,
                m.id,
                worker_id=self.worker_id,
                next_attempt_at=self.clock.now() + timedelta(seconds=wait),
                error=f"429 retry after {wait:g} s",
            )
        self.stats.rate_limited += 1
        log.info("outbox #%s to chat %s: flood control, retry in %g s", m.id, m.chat_id, wait)

    async def _on_migrated(self, m: ClaimedMessage, new_chat_id: int) -> None:
        async with self.db.session() as session:
            await outbox.move_chat(session, m.chat_id, new_chat_id)
            people = await session.scalars(select(Person).where(Person.chat_id == m.chat_id))
            for person in people:
                person.chat_id = new_chat_id
            cards = await session.scalars(select(CaseCard).where(CaseCard.chat_id == m.chat_id))
            for card in cards:
                card.chat_id = new_chat_id
            await outbox.reschedule(
                session,
                m.id,
                worker_id=self.worker_id,
                next_attempt_at=self.clock.now(),
                error=f"chat migrated to {new_chat_id}",
            )
        log.info("outbox: chat %s migrated to %s", m.chat_id, new_chat_id)

    async def _on_permanent(self, m: ClaimedMessage, error: str) -> None:
        masked = mask_sensitive(error)[:1000]
        async with self.db.session() as session:
            ok = await outbox.mark_failed(session, m.id, worker_id=self.worker_id, error=masked)
        if ok:
            self.stats.failed += 1
        log.error(
            "outbox #%s to chat %s failed permanently: %s; text: %r",
            m.id,
            m.chat_id,
            masked,
            mask_sensitive(m.text[:80]),
        )

    async def _on_blocked(self, m: ClaimedMessage, reason: str) -> None:
        """Fail the chat's rows, mark its person blocked, tell the owning units instead."""
        now = self.clock.now()
        error = f"recipient unreachable: {reason}"
        async with self.db.session() as session:
            if not await outbox.mark_failed(session, m.id, worker_id=self.worker_id, error=error):
                self.stats.lease_lost += 1
                return
            others = await outbox.fail_pending_for_chat(session, m.chat_id, error=error)
            conditions = [Person.chat_id == m.chat_id]
            if m.person_id is not None:
                conditions.append(Person.id == m.person_id)
            people = list((await session.scalars(select(Person).where(or_(*conditions)))).all())
            # Only whoever is behind this chat is marked (a group's 403 says nothing of
            # the person the row was meant for).
            for person in people:
                if person.chat_id == m.chat_id and person.blocked_at is None:
                    person.blocked_at = now
            recipient = next((p for p in people if p.id == m.person_id), None) or next(
                iter(people), None
            )
            failed = [(m.case_id, m.text)] + [(row.case_id, row.text) for row in others]
            notices = await self._write_unreachable_notices(
                session, recipient, m.chat_id, reason, failed, now
            )
        self.stats.blocked += 1 + len(others)
        self.stats.notices += notices
        log.warning(
            "outbox #%s: chat %s unreachable (%s); %d rows failed, %d notices written",
            m.id,
            m.chat_id,
            reason,
            1 + len(others),
            notices,
        )
        if notices:
            self.notify()

    async def _write_unreachable_notices(
        self,
        session: AsyncSession,
        recipient: Person | None,
        chat_id: int,
        reason: str,
        failed: Sequence[tuple[int | None, str]],
        now: datetime,
    ) -> int:
        """Write outbox rows telling each case's owning unit what could not be delivered.

        Returns:
            Notices written.
        """
        by_case: dict[int, list[str]] = {}
        for case_id, text in failed:
            if case_id is not None:
                by_case.setdefault(case_id, []).append(text)
        written = 0
        for case_id, texts in by_case.items():
            case = await session.get(Case, case_id)
            if case is None:
                continue
            exclude_ids = {recipient.id} if recipient is not None else set()
            members = await _reachable_members(session, case.owning_unit_id, exclude_ids, chat_id)
            if not members:
                log.error(
                    "outbox: nobody reachable in unit %s (or above) for case %s",
                    case.owning_unit_id,
                    case_id,
                )
                continue
            text = _unreachable_text(recipient, chat_id, reason, case, texts)
            for member in members:
                assert member.chat_id is not None
                await outbox.enqueue(
                    session,
                    chat_id=member.chat_id,
                    person_id=member.id,
                    case_id=case_id,
                    text=text,
                    now=now,
                )
                written += 1
        return written


async def _reachable_members(
    session: AsyncSession, unit_id: str | None, exclude_ids: Iterable[int], exclude_chat: int
) -> list[Person]:
    """Chiefs and staff of the unit (or, if none, of the nearest unit above) with a chat."""
    excluded = set(exclude_ids)
    seen: set[str] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        people = (
            await session.scalars(
                select(Person)
                .where(
                    Person.unit_id == unit_id,
                    Person.active.is_(True),
                    Person.role.in_(NOTIFY_ROLES),
                    Person.chat_id.is_not(None),
                    Person.blocked_at.is_(None),
                )
                .order_by(Person.id)
            )
        ).all()
        found = [p for p in people if p.id not in excluded and p.chat_id != exclude_chat]
        if found:
            return found
        unit = await session.get(Unit, unit_id)
        unit_id = unit.parent_id if unit is not None else None
    return []


def _unreachable_text(
    recipient: Person | None, chat_id: int, reason: str, case: Case, texts: Sequence[str]
) -> str:
    """The notice (Simplified Chinese) sent to a unit instead of an undeliverable message."""
    lowered = reason.lower()
    if "deactivated" in lowered:
        what = "的 Telegram 账号已注销"
    elif "kicked" in lowered or "not a member" in lowered:
        what = "已将机器人移出群聊"
    else:
        what = "已屏蔽机器人"
    if recipient is not None:
        label = _ROLE_LABELS.get(recipient.role, "用户")
        who = f"{label}「{recipient.name or '未留姓名'}」"
        phone = recipient.phone or (
            case.contact_phone if case.reporter_id == recipient.id else None
        )
    else:
        who = f"接收人（会话 {chat_id}）"
        phone = None
    call = f"请电话联系（{phone}）" if phone else "请电话联系（电话见案件登记信息）"
    number = case.number or f"#{case.id}"
    head = f"⚠️ 消息无法送达\n{who}{what}，无法通过 Telegram 联系，{call}。\n案件：{number}\n"
    body = "\n———\n".join(texts)
    plural = f"原消息（{len(texts)} 条）：\n" if len(texts) > 1 else "原消息：\n"
    return _truncate(head + plural + body)
