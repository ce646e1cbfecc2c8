"""Outbox rows held back for a digest (the scheduler's reminders, trial 28 P4).

A scheduler pass that fires many timers would write one notice per case to each
person (催签收, 上报督办, 催办 …): dozens of messages at once that bury the one
that matters. The rows a timer writes are therefore *held*: still ``pending``,
marked with :data:`HELD_NOTE` and due only at a later ``next_attempt_at``, so
the delivery worker leaves them alone. At the end of the pass the scheduler
either *releases* a chat's held rows (they concern one case: sent as they are,
with their buttons) or *folds* them into one digest row (they are kept, marked
``sent`` with :data:`FOLDED_NOTE`, like a superseded card). If the process dies
in between, the next pass folds them, and at worst they fall due by themselves:
nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import OutboxStatus
from storage.models import CaseCard, OutboxMessage
from storage.outbox import KIND_CARD, KIND_PHOTOS

#: ``last_error`` of a pending row held for a digest.
HELD_NOTE = "held for a digest"
#: ``last_error`` of a row delivered as a line of a digest message.
FOLDED_NOTE = "folded into a digest"


async def has_card(session: AsyncSession, case_id: int, chat_id: int) -> bool:
    """Whether the chat shows the case's card already (a card row then edits it quietly)."""
    found = await session.scalar(
        select(CaseCard.id).where(CaseCard.case_id == case_id, CaseCard.chat_id == chat_id)
    )
    return found is not None


async def card_folded_before(
    session: AsyncSession, case_id: int, chat_id: int, before_id: int
) -> bool:
    """Whether an earlier card row of the case for the chat was folded into a digest
    (the chat was told of the case then, and its 查看 brings the card)."""
    o = OutboxMessage
    found = await session.scalar(
        select(o.id)
        .where(
            o.case_id == case_id,
            o.chat_id == chat_id,
            o.kind == KIND_CARD,
            o.last_error == FOLDED_NOTE,
            o.id < before_id,
        )
        .limit(1)
    )
    return found is not None


def hold(rows: Iterable[OutboxMessage], until: datetime) -> None:
    """Hold pending ``rows`` (of the open transaction) for a digest until ``until``."""
    for row in rows:
        row.next_attempt_at = until
        row.last_error = HELD_NOTE


async def held_rows(session: AsyncSession) -> list[OutboxMessage]:
    """Every row held for a digest, oldest first (locked on PostgreSQL)."""
    o = OutboxMessage
    stmt = (
        select(o)
        .where(o.status == OutboxStatus.PENDING.value, o.last_error == HELD_NOTE)
        .order_by(o.id)
        .with_for_update(skip_locked=True, of=o)
    )
    return list((await session.scalars(stmt)).all())


def release(rows: Sequence[OutboxMessage], now: datetime) -> None:
    """Send held ``rows`` as they are, from ``now`` (in their order)."""
    for row in rows:
        row.last_error = None
        row.next_attempt_at = now


def fold(rows: Sequence[OutboxMessage], now: datetime) -> None:
    """Mark held ``rows`` delivered as lines of a digest (the caller adds the digest row)."""
    for row in rows:
        row.status = OutboxStatus.SENT.value
        row.sent_at = now
        row.last_error = FOLDED_NOTE


async def photos_on_their_way(
    session: AsyncSession, case_id: int, chat_id: int | None = None, *, retry_failed: bool = False
) -> dict[int, set[str]]:
    """The photos of a case sent to each chat, or still to be sent: photo rows that
    were folded into a digest never arrived and are not counted, and failed ones
    neither when ``retry_failed`` (a person asking for the card again)."""
    o = OutboxMessage
    stmt = select(o.chat_id, o.reply_markup).where(
        o.case_id == case_id,
        o.kind == KIND_PHOTOS,
        o.last_error.is_(None) | (o.last_error != FOLDED_NOTE),
    )
    if chat_id is not None:
        stmt = stmt.where(o.chat_id == chat_id)
    if retry_failed:
        stmt = stmt.where(o.status != OutboxStatus.FAILED.value)
    found: dict[int, set[str]] = {}
    for chat, markup in (await session.execute(stmt)).all():
        photos = (markup or {}).get("photos")
        if isinstance(photos, list):
            found.setdefault(int(chat), set()).update(str(p) for p in photos)
    return found
