"""The delivery worker's writes to outbox rows: leases, outcomes and chat-wide moves.

Only the lease holder (the worker that claimed a row, see :func:`storage.outbox_claim.claim`)
may record its outcome: :func:`mark_sent`, :func:`reschedule`, :func:`mark_failed` and
:func:`renew` answer ``False`` (or 0) once the lease is lost. :func:`lease_owners` and
:func:`release_leases` hand a dead worker's rows back; :func:`fail_pending_for_chat` and
:func:`move_chat` act on a whole chat. :mod:`storage.outbox` re-exports everything here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import rowcount
from storage.enums import OutboxStatus
from storage.models import OutboxMessage
from storage.outbox_claim import UNDELIVERED

__all__ = [
    "fail_pending_for_chat",
    "lease_owners",
    "mark_failed",
    "mark_sent",
    "move_chat",
    "release_leases",
    "renew",
    "reschedule",
]


async def _end_lease(
    session: AsyncSession,
    message_id: int,
    worker_id: str,
    status: OutboxStatus,
    values: dict[str, Any],
) -> bool:
    """Move a ``sending`` row to ``status`` and clear its lease; only the lease holder may.

    Returns:
        ``False`` if the lease was lost (another worker took the row over).
    """
    o = OutboxMessage
    result = await session.execute(
        update(o)
        .where(
            o.id == message_id, o.status == OutboxStatus.SENDING.value, o.lease_owner == worker_id
        )
        .values(status=status.value, lease_owner=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


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
    values: dict[str, Any] = {"sent_at": now, "message_id": telegram_message_id}
    if note is not None:
        values["last_error"] = note
    return await _end_lease(session, message_id, worker_id, OutboxStatus.SENT, values)


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
    return rowcount(result)


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
    values: dict[str, Any] = {"next_attempt_at": next_attempt_at}
    if error is not None:
        values["last_error"] = error
    if not count_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    return await _end_lease(session, message_id, worker_id, OutboxStatus.PENDING, values)


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
    return await _end_lease(
        session, message_id, worker_id, OutboxStatus.FAILED, {"last_error": error}
    )


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
    return rowcount(result)


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
    return rowcount(result)
