"""The monthly scores computed from the event log alone: the reference for the summary.

:func:`bot.services.scores.unit_scores` reads the scores' summary
(``case_unit_scores``, maintained in the transaction that writes each event);
:func:`unit_scores_from_events` computes the same figures from ``case_events``
and ``cases`` only, with the definitions of ``docs/assessment.md``, so that
the tests can compare the two on any history (and an operator can check a
database). It is the query the scores ran before the summary existed: 0.5–3 s
at a million cases (``docs/performance.md``).

The statement's work is bounded by the month: the month's dispatch events come
from ``ix_case_events_type_time`` (type, created_at); for each of them one
lookup in ``ix_case_events_case`` (case_id, id) fetches that unit's events of
the case, which give both whether the unit had the case dispatched earlier
(then the event is not its first dispatch and is skipped) and the case's
figures; these are then summed per unit. On PostgreSQL the lookup is a
``LATERAL`` aggregate and JIT is off for the statement; SQLite, which has no
``LATERAL``, joins and groups per dispatch event with the same lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    Subquery,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import aliased

from bot.services.lifecycle import AWAITING_ACK, AWAITING_RESOLUTION, EventType
from bot.services.notifications import DISTRICT_TZ
from bot.services.scores import STANDING, UnitScore, month_bounds, scores_from_rows
from config.district import District
from storage.db import Database
from storage.models import Case, CaseEvent

#: Follow-up answers are coded 1..3 beside the event id (see :func:`unit_scores_from_events`).
ANSWER_CODES = 4
#: The event types the statement reads per case and unit.
_LINKED = (
    EventType.DISPATCHED,
    EventType.RETURNED,
    EventType.ACKNOWLEDGED,
    EventType.RESOLVED,
    EventType.REOPENED,
    EventType.FOLLOWED_UP,
    EventType.RENOTIFIED,
    EventType.REMINDED,
    EventType.ESCALATED,
    EventType.EXTENSION_APPROVED,
)


async def unit_scores_from_events(
    db: Database,
    district: District,
    year: int,
    month: int,
    *,
    as_of: datetime,
    unit_ids: Iterable[str] | None = None,
    tz: ZoneInfo = DISTRICT_TZ,
) -> list[UnitScore]:
    """Every unit's figures for a month as of ``as_of``, from the event log alone (the reference).

    The same figures as :func:`bot.services.scores.unit_scores`, which reads the
    summary instead (see the module docstring); its arguments and result are this one's.
    """
    start, end = month_bounds(year, month, tz)
    d = aliased(CaseEvent, name="d")
    e = aliased(CaseEvent, name="e")
    c = aliased(Case, name="c")

    # d: the month's dispatch events (ix_case_events_type_time).
    month_dispatches: list[ColumnElement[bool]] = [
        d.type == EventType.DISPATCHED.value,
        d.created_at >= start,
        d.created_at < end,
        d.unit_id.is_not(None),
    ]
    if unit_ids is not None:
        month_dispatches.append(d.unit_id.in_(list(unit_ids)))
    # e: everything the unit of d did with d's case, and d's unit's dispatches of
    # it (ix_case_events_case), fetched once per dispatch event of the month.
    link = and_(
        e.case_id == d.case_id,
        e.unit_id == d.unit_id,
        e.type.in_([t.value for t in _LINKED]),
    )

    on_time = e.data["on_time"].as_boolean()
    solved = e.data["solved"].as_boolean()
    satisfaction = e.data["satisfaction"].as_string()
    reason = e.data["reason"].as_string()
    scores = district.satisfaction_scores

    def of(type_: EventType) -> ColumnElement[bool]:
        return e.type == type_.value

    def count(*cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count().filter(and_(*cond))

    # A follow-up answer as a code 1..3 (0: none). A reopened case can be answered
    # twice; only its last answer is rated. max(id × 4 + code) over the unit's
    # follow-up events of the case picks the last answer in the same pass (ids
    # grow with time); ``% 4`` gives its code back.
    answer = case(
        (satisfaction == "satisfied", 1),
        (satisfaction == "basically_satisfied", 2),
        (satisfaction == "unsatisfied", 3),
        else_=0,
    )
    # Per dispatch event d: its case's figures for d's unit. The dispatch rows
    # count only in "earlier": d is the unit's first dispatch of the case when
    # there is none. A missing on_time counts as late.
    per_case_columns = (
        count(of(EventType.DISPATCHED), e.id < d.id).label("earlier"),
        # 1 when the unit's last 退单 came after its last dispatch: a case the desk
        # sent back to the unit after its 退单 counts for it (trial 32 D10).
        case(
            (
                func.max(e.id).filter(of(EventType.RETURNED))
                > func.max(e.id).filter(of(EventType.DISPATCHED)),
                1,
            ),
            else_=0,
        ).label("returned"),
        count(of(EventType.ACKNOWLEDGED)).label("acks"),
        count(of(EventType.ACKNOWLEDGED), on_time.is_not(True)).label("late_acks"),
        count(
            or_(
                of(EventType.RENOTIFIED),
                and_(of(EventType.ESCALATED), reason == "ack_overdue"),
            )
        ).label("ack_misses"),
        count(of(EventType.RESOLVED)).label("resolutions"),
        count(of(EventType.RESOLVED), on_time.is_not(True)).label("late_resolutions"),
        count(
            or_(
                of(EventType.REMINDED),
                and_(of(EventType.ESCALATED), reason == "resolve_overdue"),
            )
        ).label("resolve_misses"),
        count(of(EventType.REOPENED)).label("reopened"),
        count(of(EventType.EXTENSION_APPROVED)).label("extensions"),
        count(of(EventType.FOLLOWED_UP), solved.is_not(True)).label("disputed"),
        func.max(e.id * ANSWER_CODES + answer).filter(of(EventType.FOLLOWED_UP)).label("last"),
    )
    keys = (d.unit_id.label("unit_id"), d.case_id.label("case_id"))
    per_case: Subquery | CTE
    if db.is_sqlite:
        # No LATERAL in SQLite: join and group per dispatch event (its nested
        # loop looks each case up in ix_case_events_case as it goes).
        per_case = (
            select(*keys, *per_case_columns)
            .select_from(d)
            .join(e, link)
            .where(*month_dispatches)
            .group_by(d.id, d.unit_id, d.case_id)
            .subquery("per_case")
        )
    else:
        # A lateral aggregate is never turned into a join: the plan is a nested
        # loop with one index lookup per dispatch event of the month, whatever the
        # statistics say. MATERIALIZED keeps it in the order of the bitmap scan of
        # d (table order, so each case's lookup finds its page already read)
        # instead of sorting the dispatch events by unit before the loop.
        lateral = select(*per_case_columns).where(link).lateral("linked")
        per_case = (
            select(*keys, *lateral.c)
            .select_from(d)
            .join(lateral, true())
            .where(*month_dispatches)
            .cte("per_case")
            .prefix_with("MATERIALIZED")
        )
    pc = per_case.c
    # The case's state now (status, closure claim, deadlines in force): one
    # primary-key lookup per counted case, after the per-case aggregation.
    status, closure = c.status, c.closure_kind
    kept = pc.returned == 0
    was_returned = case((pc.returned > 0, 1), else_=0)
    waits_ack = status.in_([st.value for st in AWAITING_ACK])
    waits_resolution = status.in_([st.value for st in AWAITING_RESOLUTION])
    ack_late = or_(
        pc.late_acks > 0,
        pc.ack_misses > 0,
        and_(waits_ack, c.ack_due_at.is_not(None), c.ack_due_at < as_of),
    )
    resolve_late = or_(
        pc.late_resolutions > 0,
        pc.resolve_misses > 0,
        and_(waits_resolution, c.resolve_due_at.is_not(None), c.resolve_due_at < as_of),
    )
    resolved = pc.resolutions > 0
    stands = and_(resolved, status.in_([st.value for st in STANDING]))

    last_answer = pc.last % ANSWER_CODES
    points = case(
        (last_answer == 1, scores["satisfied"]),
        (last_answer == 2, scores["basically_satisfied"]),
        (last_answer == 3, scores["unsatisfied"]),
        else_=0.0,
    )

    def when(*cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((and_(kept, *cond), 1), else_=0))

    stmt = (
        select(
            pc.unit_id,
            func.count(),
            func.sum(was_returned),
            when(or_(pc.acks > 0, ack_late)),
            when(pc.acks > 0, ~ack_late),
            when(or_(resolved, resolve_late)),
            when(resolved),
            when(resolved, ~resolve_late),
            when(stands),
            when(stands, closure.in_(["explained", "unfounded"])),
            when(resolved, pc.reopened > 0),
            when(pc.extensions > 0),
            when(pc.last.is_not(None)),
            func.sum(case((kept, pc.disputed), else_=0)),
            func.sum(case((and_(kept, pc.last.is_not(None)), cast(points, Float)), else_=0.0)),
        )
        .select_from(per_case)
        .join(c, c.id == pc.case_id)
        .where(pc.earlier == 0)
        .group_by(pc.unit_id)
        .order_by(pc.unit_id)
    )
    label = f"{year:04d}-{month:02d}"
    async with db.session() as s:
        if not db.is_sqlite:
            # The plan's cost (one index lookup per dispatch event of the month)
            # is far above jit_above_cost, but JIT only adds its compile time
            # (0.2–1 s at a million cases) to a few hundred ms of lookups.
            await s.execute(text("SET LOCAL jit = off"))
        rows = (await s.execute(stmt)).all()
    return scores_from_rows(district, label, rows)


def same_figures(a: list[UnitScore], b: list[UnitScore], *, places: int = 9) -> bool:
    """Whether two lists of scores agree: every count exactly, satisfaction points to ``places``.

    (The two computations add the same satisfaction scores in different orders.)
    """
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if round(x.satisfaction_points - y.satisfaction_points, places) != 0:
            return False
        if replace(x, satisfaction_points=0.0) != replace(y, satisfaction_points=0.0):
            return False
    return True
