"""Typed data access for the outbox: claiming, marking, case cards and backlog.

The delivery worker (:mod:`bot.runtime.delivery`) is the only caller of the claim/mark
functions; the domain services only *add* rows (see :func:`enqueue`).

A row moves ``pending`` → ``sending`` (claimed, with a lease) → ``sent`` or
``failed``; a transient error puts it back to ``pending`` with a later
``next_attempt_at``. A ``sending`` row whose lease has expired is claimable
again (its worker died or hung).

Which row goes next (priority classes, per-chat order, round-robin across chats) is
decided by :func:`claim`, in :mod:`storage.outbox_claim` and re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import RAW_SQLITE, HotConnection
from storage.enums import OutboxStatus
from storage.models import CaseCard, OutboxMessage
from storage.outbox_claim import (
    ALERT_SEVERITIES,
    KIND_CARD,
    KIND_MESSAGE,
    KIND_PHOTOS,
    MAX_PHOTOS_PER_ROW,
    PRIORITY_ALERT,
    PRIORITY_INTERACTIVE,
    PRIORITY_NAMES,
    PRIORITY_ROUTINE,
    SUPERSEDED_NOTE,
    UNDELIVERED,
    ClaimedMessage,
    ClaimResult,
    claim,
    get_card,
    priority_for,
)

__all__ = [
    "ALERT_SEVERITIES",
    "KIND_CARD",
    "KIND_MESSAGE",
    "KIND_PHOTOS",
    "MAX_PHOTOS_PER_ROW",
    "PRIORITY_ALERT",
    "PRIORITY_INTERACTIVE",
    "PRIORITY_NAMES",
    "PRIORITY_ROUTINE",
    "SUPERSEDED_NOTE",
    "UNDELIVERED",
    "Backlog",
    "ClaimResult",
    "ClaimedMessage",
    "backlog",
    "claim",
    "enqueue",
    "fail_pending_for_chat",
    "get_card",
    "get_row",
    "mark_failed",
    "mark_sent",
    "move_chat",
    "next_due_at",
    "priority_for",
    "renew",
    "reschedule",
    "save_card",
]


@dataclass(frozen=True, slots=True)
class Backlog:
    """Undelivered outbox rows.

    Attributes:
        count: Rows ``pending`` or ``sending``.
        oldest_age: Age of the oldest of them (``None`` when there are none).
    """

    count: int
    oldest_age: timedelta | None


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    text: str,
    kind: str = KIND_MESSAGE,
    person_id: int | None = None,
    case_id: int | None = None,
    reply_markup: dict[str, Any] | None = None,
    now: datetime | None = None,
    priority: int = PRIORITY_ROUTINE,
) -> OutboxMessage:
    """Add one outbox row in the caller's transaction.

    Args:
        session: The transaction that also writes the change the message is about.
        chat_id: Telegram chat.
        text: Message text.
        kind: ``"message"`` (send a new message), ``"card"`` (show the case card) or
            ``"photos"`` (send the photos in ``reply_markup["photos"]``, ``text`` as caption).
        person_id: The recipient, if known.
        case_id: The case, if any (required for a card).
        reply_markup: Telegram reply markup dict.
        now: When the row becomes due (default: the database's default, now).
        priority: Delivery class (:data:`PRIORITY_ROUTINE` unless told).

    Returns:
        The new row (flushed, so it has an id).
    """
    row = OutboxMessage(
        chat_id=chat_id,
        person_id=person_id,
        case_id=case_id,
        kind=kind,
        text=text,
        reply_markup=reply_markup,
        status=OutboxStatus.PENDING.value,
        priority=priority,
    )
    if now is not None:
        row.next_attempt_at = now
        row.created_at = now
    session.add(row)
    await session.flush()
    return row


def _leased(message_id: int, worker_id: str) -> Any:
    o = OutboxMessage
    return and_(
        o.id == message_id,
        o.status == OutboxStatus.SENDING.value,
        o.lease_owner == worker_id,
    )


async def mark_sent(
    session: AsyncSession,
    message_id: int,
    *,
    worker_id: str,
    now: datetime,
    telegram_message_id: int | None,
    note: str | None = None,
) -> bool:
    """Record a delivery; only the lease holder may.

    Args:
        session: An open transaction.
        message_id: The outbox row.
        worker_id: The lease holder.
        now: Delivery time (``sent_at``).
        telegram_message_id: The Telegram message that shows it.
        note: Stored in ``last_error`` (e.g. ``"not modified"``); without one, the
            error of an earlier attempt, if any, stays for the record.

    Returns:
        ``False`` if the lease was lost (another worker took the row over).
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(_leased(message_id, worker_id))
        .values(
            status=OutboxStatus.SENT.value,
            sent_at=now,
            message_id=telegram_message_id,
            lease_owner=None,
            lease_until=None,
            **({"last_error": note} if note is not None else {}),
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def lease_owners(session: AsyncSession, prefix: str) -> list[str]:
    """Workers (``lease_owner``) whose name starts with ``prefix`` holding rows in flight."""
    rows = await session.scalars(
        select(OutboxMessage.lease_owner)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING.value,
            OutboxMessage.lease_owner.startswith(prefix, autoescape=True),
        )
        .distinct()
    )
    return [r for r in rows if r]


async def release_leases(session: AsyncSession, owners: list[str]) -> int:
    """Hand the rows in flight of ``owners`` (dead workers) back at once, unsent."""
    if not owners:
        return 0
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING.value,
            OutboxMessage.lease_owner.in_(owners),
        )
        .values(status=OutboxStatus.PENDING.value, lease_owner=None, lease_until=None)
    )
    return _rowcount(result)


async def reschedule(
    session: AsyncSession,
    message_id: int,
    *,
    worker_id: str,
    next_attempt_at: datetime,
    error: str | None,
    count_attempt: bool = True,
) -> bool:
    """Put a leased row back to ``pending`` for a later attempt.

    Args:
        session: An open transaction.
        message_id: The outbox row.
        worker_id: The lease holder.
        next_attempt_at: When to try again.
        error: Why (kept in ``last_error``); ``None`` keeps the previous one.
        count_attempt: ``False`` when nothing was tried (undo the claim's count).

    Returns:
        ``False`` if the lease was lost.
    """
    values: dict[str, Any] = {
        "status": OutboxStatus.PENDING.value,
        "next_attempt_at": next_attempt_at,
        "lease_owner": None,
        "lease_until": None,
    }
    if error is not None:
        values["last_error"] = error
    if not count_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    result = await session.execute(
        update(OutboxMessage)
        .where(_leased(message_id, worker_id))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def mark_failed(
    session: AsyncSession, message_id: int, *, worker_id: str, error: str
) -> bool:
    """Give up on a leased row (permanent error).

    Args:
        session: An open transaction.
        message_id: The outbox row.
        worker_id: The lease holder.
        error: Why (kept in ``last_error``).

    Returns:
        ``False`` if the lease was lost.
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(_leased(message_id, worker_id))
        .values(
            status=OutboxStatus.FAILED.value,
            last_error=error,
            lease_owner=None,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def fail_pending_for_chat(
    session: AsyncSession, chat_id: int, *, error: str
) -> list[OutboxMessage]:
    """Fail every ``pending`` row of a chat (its recipient cannot be reached).

    Args:
        session: An open transaction.
        chat_id: The chat.
        error: Why.

    Returns:
        The rows failed, oldest first.
    """
    o = OutboxMessage
    rows = list(
        (
            await session.scalars(
                select(o)
                .where(o.chat_id == chat_id, o.status == OutboxStatus.PENDING.value)
                .order_by(o.id)
                .with_for_update(of=o)
            )
        ).all()
    )
    for row in rows:
        row.status = OutboxStatus.FAILED.value
        row.last_error = error
    await session.flush()
    return rows


async def move_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> int:
    """Point undelivered rows of a chat at its new id (a group became a supergroup).

    Args:
        session: An open transaction.
        old_chat_id: The group's old id.
        new_chat_id: The supergroup's id.

    Returns:
        Rows moved.
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == old_chat_id, OutboxMessage.status.in_(UNDELIVERED))
        .values(chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def get_row(session: AsyncSession, message_id: int) -> OutboxMessage | None:
    """One outbox row by id."""
    return await session.get(OutboxMessage, message_id)


async def save_card(
    session: AsyncSession, case_id: int, chat_id: int, message_id: int, *, now: datetime
) -> CaseCard:
    """Record which message shows a case's card in a chat (insert or update).

    Args:
        session: An open transaction.
        case_id: The case.
        chat_id: The chat.
        message_id: The Telegram message.
        now: Update time.

    Returns:
        The card row.
    """
    card = await get_card(session, case_id, chat_id)
    if card is None:
        card = CaseCard(case_id=case_id, chat_id=chat_id, message_id=message_id, updated_at=now)
        session.add(card)
    else:
        card.message_id = message_id
        card.updated_at = now
    await session.flush()
    return card


async def backlog(session: AsyncSession, now: datetime) -> Backlog:
    """How many rows wait for delivery and how old the oldest is.

    Args:
        session: Any session.
        now: Current time.

    Returns:
        The backlog.
    """
    o = OutboxMessage
    count, oldest = (
        await session.execute(
            select(func.count(o.id), func.min(o.created_at)).where(o.status.in_(UNDELIVERED))
        )
    ).one()
    if not count:
        return Backlog(count=0, oldest_age=None)
    oldest_at = _aware(oldest)
    age = max(now - oldest_at, timedelta(0)) if oldest_at is not None else None
    return Backlog(count=int(count), oldest_age=age)


async def next_due_at(session: AsyncSession) -> datetime | None:
    """The earliest time an undelivered row becomes due (ignoring pacing).

    Args:
        session: Any session.

    Returns:
        The earliest ``next_attempt_at`` of pending rows or ``lease_until`` of
        sending rows; ``None`` when nothing is undelivered.
    """
    o = OutboxMessage
    pending = await session.scalar(
        select(func.min(o.next_attempt_at)).where(o.status == OutboxStatus.PENDING.value)
    )
    leased = await session.scalar(
        select(func.min(o.lease_until)).where(o.status == OutboxStatus.SENDING.value)
    )
    times = [t for t in (_aware(pending), _aware(leased)) if t is not None]
    return min(times) if times else None


async def next_due_at_hot(conn: HotConnection) -> datetime | None:
    """:func:`next_due_at` as one plain statement on the hot path (SQLite, while idle).

    The delivery worker asks this every second when nothing happens: through an ORM
    session it was two statements and a dozen thread hand-offs, the largest part of
    an idle service's CPU. Same answer (``tests/test_delivery_worker.py``).
    """
    if not isinstance(conn, RAW_SQLITE):
        raise TypeError("next_due_at_hot reads SQLite's raw connection; use next_due_at")
    rows = await conn.execute_fetchall(
        "SELECT (SELECT min(next_attempt_at) FROM outbox WHERE status = ?),"
        " (SELECT min(lease_until) FROM outbox WHERE status = ?)",
        (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value),
    )
    pending, leased = next(iter(rows), (None, None))
    times = [t for t in (_aware(pending), _aware(leased)) if t is not None]
    return min(times) if times else None


def _aware(value: Any) -> datetime | None:
    """Aggregates (``min``) bypass the column type on some backends: make them aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def renew(
    session: AsyncSession, message_ids: list[int], *, worker_id: str, until: datetime
) -> int:
    """Extend the leases of rows this worker is still sending (a slow request in flight).

    Args:
        session: An open transaction.
        message_ids: The rows.
        worker_id: The lease holder; rows it no longer holds are left alone.
        until: The new end of the lease.

    Returns:
        Rows renewed.
    """
    if not message_ids:
        return 0
    o = OutboxMessage
    result = await session.execute(
        update(o)
        .where(
            o.id.in_(sorted(message_ids)),
            o.status == OutboxStatus.SENDING.value,
            o.lease_owner == worker_id,
        )
        .values(lease_until=until)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)
