"""Data access for cases, their events, timers and outbox rows.

Locking rules (PostgreSQL; on SQLite ``BEGIN IMMEDIATE`` serialises writers and
``FOR UPDATE`` is not emitted):

* a service transaction locks exactly one case row (:func:`lock_case`) and never
  waits for a timer row: it cancels timers with ``SKIP LOCKED``
  (:func:`cancel_timers`), so a timer the scheduler holds is left alone and the
  scheduler, which then waits for the case, finds it stale and ignores it;
* the scheduler claims one timer with ``FOR UPDATE SKIP LOCKED``
  (:func:`claim_due_timer`) and then locks its case.

So no transaction ever waits for a timer lock while holding a case lock the
other side wants: no deadlocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import OPEN_STATUSES
from storage.models import Case, CaseEvent, OutboxMessage, Person, Timer


async def lock_case(session: AsyncSession, case_id: int) -> Case | None:
    """The case with ``case_id``, locked for the rest of the transaction."""
    return await session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def get_case(session: AsyncSession, case_id: int) -> Case | None:
    """The case with ``case_id`` (no lock)."""
    return await session.get(Case, case_id)


async def case_events(session: AsyncSession, case_id: int) -> list[CaseEvent]:
    """All events of a case, oldest first."""
    rows = await session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    )
    return list(rows.all())


async def cases_of_reporter(session: AsyncSession, reporter_id: int, limit: int = 50) -> list[Case]:
    """A reporter's cases, newest first (uses ``ix_cases_reporter``)."""
    rows = await session.scalars(
        select(Case)
        .where(Case.reporter_id == reporter_id)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(rows.all())


def pending_query(
    unit_id: str,
    now: datetime,
    awaiting_ack: Iterable[str],
    awaiting_resolution: Iterable[str],
) -> Select[Case]:
    """Open cases owned by or escalated to ``unit_id``: critical first, then overdue, then
    by deadline (a limit never cuts a danger-now case off the list).

    The deadline of a case is its acknowledgement deadline while it waits to be
    taken and its resolution deadline afterwards.
    """
    ack = list(awaiting_ack)
    res = list(awaiting_resolution)
    overdue = or_(
        and_(Case.status.in_(ack), Case.ack_due_at < now),
        and_(Case.status.in_(res), Case.resolve_due_at < now),
    )
    deadline = case((Case.status.in_(ack), Case.ack_due_at), else_=Case.resolve_due_at)
    statuses = [s.value for s in OPEN_STATUSES]
    return (
        select(Case)
        .where(
            Case.status.in_(statuses),
            or_(Case.owning_unit_id == unit_id, Case.escalated_to_unit_id == unit_id),
        )
        .order_by(
            case((Case.severity == "critical", 0), else_=1),
            case((overdue, 0), else_=1),
            deadline.is_(None),
            deadline,
            Case.id,
        )
    )


async def add_timer(
    session: AsyncSession,
    case_id: int,
    kind: str,
    due_at: datetime,
    payload: Mapping[str, Any] | None = None,
    *,
    now: datetime,
) -> Timer:
    """Schedule a timer for a case."""
    timer = Timer(
        case_id=case_id, kind=kind, due_at=due_at, payload=dict(payload or {}), created_at=now
    )
    session.add(timer)
    return timer


async def cancel_timers(
    session: AsyncSession,
    case_id: int,
    kinds: Sequence[str] | None,
    *,
    now: datetime,
    except_id: int | None = None,
) -> int:
    """Cancel the pending timers of a case (optionally only some kinds).

    Timers locked by a scheduler right now are skipped: the scheduler will find
    them stale once it gets the case lock.

    Returns:
        How many were cancelled.
    """
    stmt = select(Timer.id).where(
        Timer.case_id == case_id, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None)
    )
    if kinds is not None:
        stmt = stmt.where(Timer.kind.in_(list(kinds)))
    if except_id is not None:
        stmt = stmt.where(Timer.id != except_id)
    ids = list((await session.scalars(stmt.with_for_update(skip_locked=True))).all())
    if not ids:
        return 0
    await session.execute(
        update(Timer)
        .where(Timer.id.in_(ids))
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    return len(ids)


async def claim_due_timer(session: AsyncSession, now: datetime) -> Timer | None:
    """The next due, unfired, uncancelled timer, locked (``SKIP LOCKED``).

    Uses ``ix_timers_due`` (fired_at, due_at).
    """
    return await session.scalar(
        select(Timer)
        .where(Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at <= now)
        .order_by(Timer.due_at, Timer.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


async def pending_timers(session: AsyncSession, case_id: int) -> list[Timer]:
    """Unfired, uncancelled timers of a case, soonest first."""
    rows = await session.scalars(
        select(Timer)
        .where(Timer.case_id == case_id, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))
        .order_by(Timer.due_at, Timer.id)
    )
    return list(rows.all())


async def people_of_units(
    session: AsyncSession, unit_ids: Iterable[str], roles: Iterable[str]
) -> list[Person]:
    """Active, unblocked people of these units with these roles, by unit order then id."""
    ids = list(dict.fromkeys(unit_ids))
    if not ids:
        return []
    rows = await session.scalars(
        select(Person)
        .where(
            Person.unit_id.in_(ids),
            Person.role.in_(list(roles)),
            Person.active.is_(True),
            Person.blocked_at.is_(None),
        )
        .order_by(Person.id)
    )
    people = list(rows.all())
    order = {u: i for i, u in enumerate(ids)}
    return sorted(people, key=lambda p: (order.get(p.unit_id or "", 0), p.id))


async def card_holders(session: AsyncSession, case_id: int) -> list[Person]:
    """People who have been sent the card of this case (uses ``ix_outbox_case_id``)."""
    sub = (
        select(OutboxMessage.person_id)
        .where(
            OutboxMessage.case_id == case_id,
            OutboxMessage.kind == "card",
            OutboxMessage.person_id.is_not(None),
        )
        .distinct()
    )
    rows = await session.scalars(select(Person).where(Person.id.in_(sub)).order_by(Person.id))
    return list(rows.all())
