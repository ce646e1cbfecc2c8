"""Typed data access for the outbox: claiming, marking, case cards and backlog.

The delivery worker (:mod:`bot.runtime.delivery`) is the only caller of the claim/mark
functions; the domain services only *add* rows (see :func:`enqueue`).

A row moves ``pending`` → ``sending`` (claimed, with a lease) → ``sent`` or
``failed``; a transient error puts it back to ``pending`` with a later
``next_attempt_at``. A ``sending`` row whose lease has expired is claimable
again (its worker died or hung).

Which row goes next (priority classes, per-chat order, round-robin across chats) is
decided by :func:`claim`, in :mod:`storage.outbox_claim`; what the delivery worker writes on
the rows it claimed (:func:`mark_sent`, :func:`reschedule`, leases, whole chats) is in
:mod:`storage.outbox_mark`. Both are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import RAW_SQLITE, HotConnection, add_flushed
from storage.enums import OutboxStatus
from storage.models import CaseCard, OutboxMessage
from storage.outbox_claim import (
    ALERT_SEVERITIES,
    KIND_CARD,
    KIND_MEDIA,
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
from storage.outbox_mark import (
    fail_pending_for_chat,
    lease_owners,
    mark_failed,
    mark_sent,
    move_chat,
    release_leases,
    renew,
    reschedule,
)

__all__ = [
    "ALERT_SEVERITIES",
    "KIND_CARD",
    "KIND_MEDIA",
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
    "lease_owners",
    "mark_failed",
    "mark_sent",
    "move_chat",
    "next_due_at",
    "next_due_at_hot",
    "priority_for",
    "release_leases",
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


def outbox_row(
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
    """A pending outbox row, not yet added to a session (see :func:`enqueue` for the
    arguments); due at ``now`` by the service's clock, or at the database's now.
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
    return row


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
    row = outbox_row(
        chat_id=chat_id,
        text=text,
        kind=kind,
        person_id=person_id,
        case_id=case_id,
        reply_markup=reply_markup,
        now=now,
        priority=priority,
    )
    return await add_flushed(session, row)


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
