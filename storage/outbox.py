"""Typed data access for the outbox: claiming, marking, case cards and backlog.

The delivery worker (:mod:`bot.runtime.delivery`) is the only caller of the claim/mark
functions; the domain services only *add* rows (see :func:`enqueue`).

A row moves ``pending`` → ``sending`` (claimed, with a lease) → ``sent`` or
``failed``; a transient error puts it back to ``pending`` with a later
``next_attempt_at``. A ``sending`` row whose lease has expired is claimable
again (its worker died or hung).

Per-chat order: only the *head* of a chat's queue (its oldest ``pending`` or
``sending`` row) is ever claimable, so a newer row never overtakes an older one,
and one chat never has two rows in flight at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.enums import OutboxStatus
from storage.models import CaseCard, OutboxMessage

#: Row kinds.
KIND_MESSAGE = "message"
KIND_CARD = "card"

#: Note stored on a card row that was not sent because a newer one replaced it.
SUPERSEDED_NOTE = "superseded by a newer card"

UNDELIVERED = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """A snapshot of one claimed outbox row, safe to use outside its session.

    Attributes:
        id: The outbox row.
        chat_id: Telegram chat to deliver to.
        person_id: The recipient, if known.
        case_id: The case the message is about, if any.
        kind: ``"message"`` or ``"card"``.
        text: Message text.
        reply_markup: A Telegram reply markup as a dict, or ``None``.
        attempts: Attempts so far, this one included.
        card_message_id: For a card row: the message currently showing the card in
            this chat (edit it), or ``None`` (send a new one).
    """

    id: int
    chat_id: int
    person_id: int | None
    case_id: int | None
    kind: str
    text: str
    reply_markup: dict[str, Any] | None
    attempts: int
    card_message_id: int | None = None

    @property
    def is_card(self) -> bool:
        """Whether this row shows a case card (edited in place)."""
        return self.kind == KIND_CARD and self.case_id is not None


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """What one claim round took.

    Attributes:
        claimed: Rows now leased to the caller, oldest first (at most one per chat).
        superseded: Card rows marked done without sending because a newer card for
            the same case and chat is waiting.
    """

    claimed: list[ClaimedMessage]
    superseded: int


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
) -> OutboxMessage:
    """Add one outbox row in the caller's transaction.

    Args:
        session: The transaction that also writes the change the message is about.
        chat_id: Telegram chat.
        text: Message text.
        kind: ``"message"`` (send a new message) or ``"card"`` (show the case card).
        person_id: The recipient, if known.
        case_id: The case, if any (required for a card).
        reply_markup: Telegram reply markup dict.
        now: When the row becomes due (default: the database's default, now).

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
    )
    if now is not None:
        row.next_attempt_at = now
        row.created_at = now
    session.add(row)
    await session.flush()
    return row


def _due(now: datetime) -> Any:
    o = OutboxMessage
    return or_(
        and_(o.status == OutboxStatus.PENDING.value, o.next_attempt_at <= now),
        and_(o.status == OutboxStatus.SENDING.value, o.lease_until < now),
    )


async def claim(
    session: AsyncSession,
    *,
    worker_id: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    private_interval: timedelta,
    group_interval: timedelta,
    exclude_ids: frozenset[int] = frozenset(),
) -> ClaimResult:
    """Lease up to ``limit`` due rows, at most one per chat, oldest first.

    A row is claimable when it is due (``pending`` and ``next_attempt_at`` passed,
    or ``sending`` with an expired lease), it is the head of its chat's queue,
    and its chat was not sent to within its pacing interval (private chats:
    ``private_interval``, groups: ``group_interval``; measured from the newest
    ``sent_at`` of the chat, so that it holds across workers).

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so that
    concurrent claimers take disjoint rows; on SQLite ``BEGIN IMMEDIATE`` makes
    claimers take turns. Claimed rows become ``sending`` with a lease owned by
    ``worker_id`` until ``now + lease``; their ``attempts`` goes up by one.

    A due head that is a card with a newer pending card for the same case and
    chat is not sent: it and every older pending card of that pair are marked
    ``sent`` with :data:`SUPERSEDED_NOTE` (the newer card shows the latest state).

    Args:
        session: An open transaction (commit it to publish the lease).
        worker_id: The claimer.
        now: Current time.
        lease: How long the claim lasts.
        limit: Most rows to claim.
        private_interval: Minimum gap between two messages to a private chat.
        group_interval: Minimum gap between two messages to a group.
        exclude_ids: Rows not to claim (e.g. already retried in this round).

    Returns:
        The claimed rows and the number of superseded ones.
    """
    o = OutboxMessage
    undelivered = aliased(OutboxMessage)
    newer = aliased(OutboxMessage)
    last = aliased(OutboxMessage)
    # The head of each chat's queue. Grouping the undelivered rows (found through the
    # status index) costs the size of the backlog, not of the chats' history.
    heads = (
        select(func.min(undelivered.id))
        .where(undelivered.status.in_(UNDELIVERED))
        .group_by(undelivered.chat_id)
    )
    is_head = o.id.in_(heads)
    last_sent = (
        select(last.sent_at)
        .where(last.chat_id == o.chat_id, last.sent_at.is_not(None))
        .order_by(last.id.desc())
        .limit(1)
        .correlate(o)
        .scalar_subquery()
    )
    paced = or_(
        last_sent.is_(None),
        and_(o.chat_id > 0, last_sent <= now - private_interval),
        and_(o.chat_id < 0, last_sent <= now - group_interval),
    )
    stmt = select(o).where(_due(now), is_head, paced)
    if exclude_ids:
        stmt = stmt.where(o.id.not_in(sorted(exclude_ids)))
    stmt = stmt.order_by(o.id).limit(limit).with_for_update(skip_locked=True, of=o)
    rows = list((await session.scalars(stmt)).all())

    claimed: list[ClaimedMessage] = []
    superseded = 0
    lease_until = now + lease
    for row in rows:
        if row.kind == KIND_CARD and row.case_id is not None:
            newest = await session.scalar(
                select(func.max(newer.id)).where(
                    newer.kind == KIND_CARD,
                    newer.case_id == row.case_id,
                    newer.chat_id == row.chat_id,
                    newer.status == OutboxStatus.PENDING.value,
                    newer.id > row.id,
                )
            )
            if newest is not None:
                superseded += await _supersede(session, row, newest, now)
                continue
        row.status = OutboxStatus.SENDING.value
        row.lease_owner = worker_id
        row.lease_until = lease_until
        row.attempts = (row.attempts or 0) + 1
        card_message_id: int | None = None
        if row.kind == KIND_CARD and row.case_id is not None:
            card = await get_card(session, row.case_id, row.chat_id)
            card_message_id = card.message_id if card is not None else None
        claimed.append(
            ClaimedMessage(
                id=row.id,
                chat_id=row.chat_id,
                person_id=row.person_id,
                case_id=row.case_id,
                kind=row.kind,
                text=row.text,
                reply_markup=row.reply_markup,
                attempts=row.attempts,
                card_message_id=card_message_id,
            )
        )
    await session.flush()
    return ClaimResult(claimed=claimed, superseded=superseded)


async def _supersede(session: AsyncSession, head: OutboxMessage, newest: int, now: datetime) -> int:
    """Mark ``head`` and the older pending cards of its (case, chat) as superseded."""
    o = OutboxMessage
    head.status = OutboxStatus.SENT.value
    head.sent_at = now
    head.last_error = SUPERSEDED_NOTE
    head.lease_owner = None
    head.lease_until = None
    # The others are not heads of their chat, so no other claimer is holding them;
    # SKIP LOCKED merely avoids waiting on a concurrent supersede of the same pair.
    others = (
        await session.scalars(
            select(o)
            .where(
                o.kind == KIND_CARD,
                o.case_id == head.case_id,
                o.chat_id == head.chat_id,
                o.status == OutboxStatus.PENDING.value,
                o.id > head.id,
                o.id < newest,
            )
            .with_for_update(skip_locked=True, of=o)
        )
    ).all()
    for row in others:
        row.status = OutboxStatus.SENT.value
        row.sent_at = now
        row.last_error = SUPERSEDED_NOTE
    return 1 + len(others)


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


async def get_card(session: AsyncSession, case_id: int, chat_id: int) -> CaseCard | None:
    """The message showing a case's card in a chat, if any."""
    return await session.scalar(
        select(CaseCard).where(CaseCard.case_id == case_id, CaseCard.chat_id == chat_id)
    )


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
