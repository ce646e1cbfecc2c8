"""The scores' summary: one row per case and unit it was dispatched to (``case_unit_scores``).

A month's assessment (``bot.services.scores``) used to evaluate the whole event
history of every case dispatched that month — about 42,000 cases and a few
hundred thousand events at a million cases, 0.5–3 s. This table keeps, per case
and unit, what those events say (which month the case counts in, returned,
acknowledged, a missed acknowledgement or resolution deadline, resolved,
reopened, extended, disputed answers, the last follow-up answer) beside the
case's state now (status, closure claim, deadlines in force), so that a
month's scores read one row per case and unit. Whatever depends on the moment
the figures are taken ("as of": which deadlines have passed) and on the
district's config (satisfaction scores, weights) is left to the query.

**How it stays exact.** The rows are never updated piecemeal: whenever a
transaction writes a case or one of its events, the case's rows are deleted and
recomputed from its events and its row (:func:`facts`), inside that same
transaction, just before it commits. Every write to ``cases`` and
``case_events`` goes through an ORM session made by :class:`storage.db.Database`,
whose sessions are :class:`ScoredSession`: its ``after_flush`` hook notes the
cases flushed (a new or changed ``Case``, a new ``CaseEvent``), its
``before_commit`` hook flushes what is left and rewrites those cases' rows. So
there is no caller to forget, and the recomputation is the same statement as
the backfill (:func:`rebuild`: the migration ``0006_i16s`` and the scale
bench, which bulk-loads its events without the ORM). The definitions are those
of ``docs/assessment.md``; ``bot.services.scores_events`` computes the same
figures from the event log alone, and the tests compare the two.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Delete,
    Insert,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    event,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Session, UOWTransaction, aliased

from storage.models import Case, CaseEvent, CaseUnitScore

# Event types (``bot.services.lifecycle.EventType`` values; storage does not import bot).
DISPATCHED = "dispatched"
RETURNED = "returned"
ACKNOWLEDGED = "acknowledged"
RESOLVED = "resolved"
REOPENED = "reopened"
FOLLOWED_UP = "followed_up"
RENOTIFIED = "renotified"
REMINDED = "reminded"
ESCALATED = "escalated"
EXTENSION_APPROVED = "extension_approved"
#: The event types the summary reads per case and unit.
LINKED = (
    DISPATCHED,
    RETURNED,
    ACKNOWLEDGED,
    RESOLVED,
    REOPENED,
    FOLLOWED_UP,
    RENOTIFIED,
    REMINDED,
    ESCALATED,
    EXTENSION_APPROVED,
)
#: Follow-up answers as codes (``last_answer``): 0 means no satisfaction given.
ANSWER_CODES = {"satisfied": 1, "basically_satisfied": 2, "unsatisfied": 3}
#: Cases per statement when rewriting rows.
CHUNK = 500
_PENDING = "minqing_case_scores_pending"

TABLE: Table = CaseUnitScore.__table__  # type: ignore[assignment]
COLUMNS = (
    "case_id",
    "unit_id",
    "first_dispatch_id",
    "dispatched_at",
    "returned",
    "acked",
    "ack_missed",
    "resolved",
    "resolve_missed",
    "reopened",
    "extended",
    "disputed",
    "followed_up",
    "last_answer",
    "status",
    "closure_kind",
    "ack_due_at",
    "resolve_due_at",
)


def facts(case_ids: Collection[int] | BindParameter[Any] | None = None) -> Select[Any]:
    """The summary rows of ``case_ids`` (all cases: None), computed from the event log.

    ``case_ids`` may be an expanding bind parameter (the statement the sessions
    run, built once: :data:`_REWRITE`).

    Per case and unit with at least one ``dispatched`` event of that unit, over
    the unit's events of the case (all of them, whenever they happened):

    * ``first_dispatch_id`` / ``dispatched_at`` — the lowest-id ``dispatched``
      event and its time (the month the case counts in);
    * ``returned`` — 1 when the unit's last 退单 came after its last dispatch (a
      case the desk sent back to the unit after its 退单 is the unit's: trial 32 D10);
    * ``acked``, ``resolved``, ``reopened``, ``extended`` — 1 when there is such an
      event;
    * ``ack_missed`` — an acknowledgement not marked on time, a re-notification,
      or an escalation for ``ack_overdue``; ``resolve_missed`` — a 办结 not
      marked on time, a reminder (催办), or an escalation for ``resolve_overdue``
      (a missing ``on_time`` counts as late);
    * ``disputed`` — follow-up answers that did not say solved;
    * ``followed_up`` / ``last_answer`` — whether the unit's case was followed
      up, and the code of the last answer (highest event id);
    * the case's status, closure claim and deadlines now.
    """
    e = aliased(CaseEvent, name="e")
    on_time = e.data["on_time"].as_boolean()
    solved = e.data["solved"].as_boolean()
    reason = e.data["reason"].as_string()
    satisfaction = e.data["satisfaction"].as_string()

    def of(type_: str) -> ColumnElement[bool]:
        return e.type == type_

    def some(*cond: ColumnElement[bool]) -> ColumnElement[int]:
        return case((func.count().filter(or_(*cond)) > 0, 1), else_=0)

    answer = case(
        *((satisfaction == key, code) for key, code in ANSWER_CODES.items()),
        else_=0,
    )
    codes = len(ANSWER_CODES) + 1
    last = func.max(e.id * codes + answer).filter(of(FOLLOWED_UP))
    where: list[ColumnElement[bool]] = [e.unit_id.is_not(None), e.type.in_(LINKED)]
    if isinstance(case_ids, BindParameter):
        where.append(e.case_id.in_(case_ids))
    elif case_ids is not None:
        where.append(e.case_id.in_(list(case_ids)))
    g = (
        select(
            e.case_id.label("case_id"),
            e.unit_id.label("unit_id"),
            func.min(e.id).filter(of(DISPATCHED)).label("first_dispatch_id"),
            # A 退单 stands only when the case did not come back to the unit after it
            # (the desk sent it back: the return was unfounded, the case counts; D10).
            case(
                (func.max(e.id).filter(of(RETURNED)) > func.max(e.id).filter(of(DISPATCHED)), 1),
                else_=0,
            ).label("returned"),
            some(of(ACKNOWLEDGED)).label("acked"),
            some(
                and_(of(ACKNOWLEDGED), on_time.is_not(True)),
                of(RENOTIFIED),
                and_(of(ESCALATED), reason == "ack_overdue"),
            ).label("ack_missed"),
            some(of(RESOLVED)).label("resolved"),
            some(
                and_(of(RESOLVED), on_time.is_not(True)),
                of(REMINDED),
                and_(of(ESCALATED), reason == "resolve_overdue"),
            ).label("resolve_missed"),
            some(of(REOPENED)).label("reopened"),
            some(of(EXTENSION_APPROVED)).label("extended"),
            func.count().filter(of(FOLLOWED_UP), solved.is_not(True)).label("disputed"),
            case((last.is_(None), 0), else_=1).label("followed_up"),
            func.coalesce(last % codes, 0).label("last_answer"),
        )
        .where(*where)
        .group_by(e.case_id, e.unit_id)
        .subquery("g")
    )
    first = aliased(CaseEvent, name="fd")
    c = aliased(Case, name="c")
    return (
        select(
            g.c.case_id,
            g.c.unit_id,
            g.c.first_dispatch_id,
            first.created_at.label("dispatched_at"),
            g.c.returned,
            g.c.acked,
            g.c.ack_missed,
            g.c.resolved,
            g.c.resolve_missed,
            g.c.reopened,
            g.c.extended,
            g.c.disputed,
            g.c.followed_up,
            g.c.last_answer,
            c.status,
            c.closure_kind,
            c.ack_due_at,
            c.resolve_due_at,
        )
        .select_from(g)
        .join(first, first.id == g.c.first_dispatch_id)
        .join(c, c.id == g.c.case_id)
    )


@functools.cache
def _rewrite_statements() -> tuple[Delete, Insert]:
    """The rows of some cases, rewritten, with the cases as an expanding parameter ``ids``.

    Built once, on first use (building the statement costs more than running it for one
    case, and at import it would cost every command that opens the database, such as
    ``minqing units``, about 20 ms).
    """
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    return (
        delete(TABLE).where(TABLE.c.case_id.in_(ids)),
        insert(TABLE).from_select(COLUMNS, facts(ids)),
    )


def refresh(conn: Connection, case_ids: Iterable[int]) -> None:
    """Rewrite the summary rows of ``case_ids`` from their events, in ``conn``'s transaction."""
    rewrite_delete, rewrite_insert = _rewrite_statements()
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = {"ids": ids[start : start + CHUNK]}
        conn.execute(rewrite_delete, chunk)
        conn.execute(rewrite_insert, chunk)


def rebuild_sync(conn: Connection) -> int:
    """Recompute the whole summary from the event log; the number of rows written.

    The rows are written in the order of their month (``dispatched_at``), so that
    a month's rows sit together on disk: a month's scores then read a few hundred
    pages instead of a page or more per row of the whole table (the rows the
    service rewrites later are written at the time of their events, which keeps
    them roughly in that order).
    """
    conn.execute(delete(TABLE))
    everything = facts().subquery("facts")
    ordered = select(*everything.c).order_by(everything.c.dispatched_at)
    conn.execute(insert(TABLE).from_select(COLUMNS, ordered))
    return int(conn.scalar(select(func.count()).select_from(TABLE)) or 0)


async def rebuild(conn: AsyncConnection) -> int:
    """:func:`rebuild_sync` on an async connection."""
    return await conn.run_sync(rebuild_sync)


class ScoredSession(Session):
    """The ORM session of :class:`storage.db.Database`: keeps ``case_unit_scores`` in step.

    Cases flushed in a transaction (created, changed, or given an event) have
    their summary rows rewritten just before the transaction commits.
    """


@event.listens_for(ScoredSession, "after_flush")
def _note_cases(session: Session, _flush: UOWTransaction) -> None:
    pending: set[int] | None = session.info.get(_PENDING)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, CaseEvent):
            case_id = obj.case_id
        elif isinstance(obj, Case):
            case_id = obj.id
        else:
            continue
        if case_id is None:
            continue
        if pending is None:
            pending = session.info[_PENDING] = set()
        pending.add(case_id)


@event.listens_for(ScoredSession, "before_commit")
def _rewrite_rows(session: Session) -> None:
    session.flush()
    pending: set[int] | None = session.info.pop(_PENDING, None)
    if pending:
        refresh(session.connection(), pending)


@event.listens_for(ScoredSession, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
