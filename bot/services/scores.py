"""Assessment (考核): per unit and month, computed from the event log in SQL.

**Which month a case counts in.** A case counts for a unit in the month (in the
district's time zone, Asia/Shanghai by default) of its *first* ``dispatched``
event to that unit. Everything that unit later does with the case counts in
that same month, whenever it happens, so every rate is "of the cases the unit
got that month" and never exceeds 100 %. (Figures for a recent month can
still improve or worsen while its cases are being handled.) A case that is
re-dispatched to another unit counts for that unit too, in the month it got it.

**Definitions** (per unit U and month M; "cases" = cases first dispatched to U
in M):

* ``dispatched`` — cases.
* ``returned`` — of those, cases U returned (退单). Returned cases do not count
  against U: they are left out of every rate below except the return rate.
* ``counted`` = dispatched − returned.
* response rate (响应率) = cases U acknowledged, every time within the
  acknowledgement deadline in force (a reopened case must be acknowledged in
  time again) ÷ counted. Never acknowledged counts as not responded.
* on-time resolution rate (按时办结率) = cases U resolved, every time within
  the resolution deadline in force ÷ counted.
* resolution rate (解决率) = follow-up answers "solved" ÷ follow-up answers
  (each answer counts; a reopened case can be answered twice).
* satisfaction rate (满意率) = Σ score ÷ follow-up answers, where the score
  is ``district.satisfaction_scores`` (满意 1, 基本满意 0.8, 不满意 0 by
  default). Cases closed for no response are not rated.
* return rate (退单率) = returned ÷ dispatched.
* reopen rate (重办率) = cases reopened at least once ÷ cases resolved.
* total (综合得分, 0–100) = Σ weightᵢ·rateᵢ ÷ Σ weightᵢ over response,
  resolution and satisfaction (``district.score_weights``, default 30/35/35);
  a rate without a denominator is left out and the weights of the others are
  rescaled; None when none of the three has one.

All counting happens in the database in one statement whose work is bounded
by the month: the month's dispatch events come from ``ix_case_events_type_time``
(type, created_at); for each of them one lookup in ``ix_case_events_case``
(case_id, id) fetches that unit's events of the case, which give both whether
the unit had the case dispatched earlier (then the event is not its first
dispatch and is skipped) and the case's figures; these are then summed per unit.
On PostgreSQL the lookup is a ``LATERAL`` aggregate, which the planner cannot
turn into a hash join over all dispatch events ever made, and JIT is off for
the statement (its compile time would exceed the lookups' time); SQLite, which
has no ``LATERAL``, joins and groups per dispatch event with the same lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
    select,
    text,
    true,
)
from sqlalchemy.orm import aliased

from bot.services.lifecycle import EventType
from bot.services.notifications import DISTRICT_TZ
from config.district import District
from storage.db import Database
from storage.models import CaseEvent

WEIGHTED = ("response", "resolution", "satisfaction")
#: The event types the statement reads per case and unit.
_LINKED = (
    EventType.DISPATCHED,
    EventType.RETURNED,
    EventType.ACKNOWLEDGED,
    EventType.RESOLVED,
    EventType.REOPENED,
    EventType.FOLLOWED_UP,
)


def month_bounds(year: int, month: int, tz: ZoneInfo = DISTRICT_TZ) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in UTC.

    Raises:
        ValueError: month outside 1..12.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class UnitScore:
    """One unit's figures for one month (see the module docstring)."""

    unit_id: str
    unit_name: str
    month: str
    dispatched: int
    returned: int
    acknowledged_on_time: int
    resolved: int
    resolved_on_time: int
    reopened: int
    followed_up: int
    solved: int
    satisfaction_points: float
    weights: Mapping[str, float] = field(default_factory=dict)

    @property
    def counted(self) -> int:
        """Cases that count against the unit (dispatched minus returned)."""
        return self.dispatched - self.returned

    @property
    def response_rate(self) -> float | None:
        """响应率."""
        return _ratio(self.acknowledged_on_time, self.counted)

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率."""
        return _ratio(self.resolved_on_time, self.counted)

    @property
    def resolution_rate(self) -> float | None:
        """解决率."""
        return _ratio(self.solved, self.followed_up)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率."""
        return _ratio(self.satisfaction_points, self.followed_up)

    @property
    def return_rate(self) -> float | None:
        """退单率."""
        return _ratio(self.returned, self.dispatched)

    @property
    def reopen_rate(self) -> float | None:
        """重办率."""
        return _ratio(self.reopened, self.resolved)

    @property
    def total(self) -> float | None:
        """综合得分 0–100: the weighted mean of the available weighted rates."""
        rates = {
            "response": self.response_rate,
            "resolution": self.resolution_rate,
            "satisfaction": self.satisfaction_rate,
        }
        num = den = 0.0
        for key in WEIGHTED:
            rate, weight = rates[key], self.weights.get(key, 0.0)
            if rate is not None and weight > 0:
                num += weight * rate
                den += weight
        return 100.0 * num / den if den else None


async def unit_scores(
    db: Database,
    district: District,
    year: int,
    month: int,
    *,
    unit_ids: Iterable[str] | None = None,
    tz: ZoneInfo = DISTRICT_TZ,
) -> list[UnitScore]:
    """Every unit's figures for a month (units that got no case are left out).

    Args:
        db: the database.
        district: for unit names, satisfaction scores and weights.
        year: the year.
        month: the month, 1..12, in ``tz``.
        unit_ids: only these units (default: all).
        tz: the district's time zone.

    Returns:
        One :class:`UnitScore` per unit, ordered by unit id.
    """
    start, end = month_bounds(year, month, tz)
    d = aliased(CaseEvent, name="d")
    e = aliased(CaseEvent, name="e")

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
    scores = district.satisfaction_scores

    def of(type_: EventType) -> ColumnElement[bool]:
        return e.type == type_.value

    def count(*cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count().filter(and_(*cond))

    points = case(
        (satisfaction == "satisfied", scores["satisfied"]),
        (satisfaction == "basically_satisfied", scores["basically_satisfied"]),
        (satisfaction == "unsatisfied", scores["unsatisfied"]),
        else_=0.0,
    )
    # Per dispatch event d: its case's figures for d's unit. The dispatch rows
    # count only in "earlier": d is the unit's first dispatch of the case when
    # there is none. A missing on_time counts as late.
    per_case_columns = (
        count(of(EventType.DISPATCHED), e.id < d.id).label("earlier"),
        count(of(EventType.RETURNED)).label("returned"),
        count(of(EventType.ACKNOWLEDGED)).label("acks"),
        count(of(EventType.ACKNOWLEDGED), on_time.is_not(True)).label("late_acks"),
        count(of(EventType.RESOLVED)).label("resolutions"),
        count(of(EventType.RESOLVED), on_time.is_not(True)).label("late_resolutions"),
        count(of(EventType.REOPENED)).label("reopened"),
        count(of(EventType.FOLLOWED_UP)).label("followed"),
        count(of(EventType.FOLLOWED_UP), solved.is_(True)).label("solved"),
        func.sum(cast(points, Float)).filter(of(EventType.FOLLOWED_UP)).label("points"),
    )
    keys = (d.unit_id.label("unit_id"),)
    per_case: Subquery | CTE
    if db.is_sqlite:
        # No LATERAL in SQLite: join and group per dispatch event (its nested
        # loop looks each case up in ix_case_events_case as it goes).
        per_case = (
            select(*keys, *per_case_columns)
            .select_from(d)
            .join(e, link)
            .where(*month_dispatches)
            .group_by(d.id, d.unit_id)
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
    kept = pc.returned == 0
    was_returned = case((pc.returned > 0, 1), else_=0)

    def when(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((cond, 1), else_=0))

    stmt = (
        select(
            pc.unit_id,
            func.count(),
            func.sum(was_returned),
            when(and_(kept, pc.acks > 0, pc.late_acks == 0)),
            when(and_(kept, pc.resolutions > 0)),
            when(and_(kept, pc.resolutions > 0, pc.late_resolutions == 0)),
            when(and_(kept, pc.resolutions > 0, pc.reopened > 0)),
            func.sum(case((kept, pc.followed), else_=0)),
            func.sum(case((kept, pc.solved), else_=0)),
            func.sum(case((kept, pc.points), else_=0.0)),
        )
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
    out: list[UnitScore] = []
    for row in rows:
        unit_id = str(row[0])
        unit = district.units.get(unit_id)
        out.append(
            UnitScore(
                unit_id=unit_id,
                unit_name=unit.name if unit else unit_id,
                month=label,
                dispatched=int(row[1] or 0),
                returned=int(row[2] or 0),
                acknowledged_on_time=int(row[3] or 0),
                resolved=int(row[4] or 0),
                resolved_on_time=int(row[5] or 0),
                reopened=int(row[6] or 0),
                followed_up=int(row[7] or 0),
                solved=int(row[8] or 0),
                satisfaction_points=float(row[9] or 0.0),
                weights=dict(district.score_weights),
            )
        )
    return out
