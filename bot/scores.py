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

All counting happens in the database in one statement: the month's dispatch
events come from ``ix_case_events_type_time`` (type, created_at), each case's
later events by that unit from ``ix_case_events_case`` (case_id, id), and the
whole thing is aggregated twice (per case and unit, then per unit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Float, and_, case, cast, exists, func, select
from sqlalchemy.orm import aliased

from bot.lifecycle import EventType
from bot.notifications import DISTRICT_TZ
from config.district import District
from storage.db import Database
from storage.models import CaseEvent

WEIGHTED = ("response", "resolution", "satisfaction")


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
    earlier = aliased(CaseEvent, name="earlier")
    e = aliased(CaseEvent, name="e")

    pairs_q = select(d.case_id.label("case_id"), d.unit_id.label("unit_id")).where(
        d.type == EventType.DISPATCHED.value,
        d.created_at >= start,
        d.created_at < end,
        d.unit_id.is_not(None),
        ~exists().where(
            earlier.case_id == d.case_id,
            earlier.unit_id == d.unit_id,
            earlier.type == EventType.DISPATCHED.value,
            earlier.id < d.id,
        ),
    )
    if unit_ids is not None:
        pairs_q = pairs_q.where(d.unit_id.in_(list(unit_ids)))
    pairs = pairs_q.subquery("pairs")

    on_time = e.data["on_time"].as_boolean()
    solved = e.data["solved"].as_boolean()
    satisfaction = e.data["satisfaction"].as_string()
    scores = district.satisfaction_scores

    def flag(type_: EventType) -> ColumnElement[int]:
        return case((e.type == type_.value, 1), else_=0)

    def late(type_: EventType) -> ColumnElement[int]:
        return case((e.type != type_.value, 0), (on_time, 0), else_=1)

    points = case(
        (e.type != EventType.FOLLOWED_UP.value, 0.0),
        (satisfaction == "satisfied", scores["satisfied"]),
        (satisfaction == "basically_satisfied", scores["basically_satisfied"]),
        (satisfaction == "unsatisfied", scores["unsatisfied"]),
        else_=0.0,
    )
    solved_flag = case((e.type != EventType.FOLLOWED_UP.value, 0), (solved, 1), else_=0)
    counted_types = [
        t.value
        for t in (
            EventType.RETURNED,
            EventType.ACKNOWLEDGED,
            EventType.RESOLVED,
            EventType.REOPENED,
            EventType.FOLLOWED_UP,
        )
    ]
    per_case = (
        select(
            pairs.c.unit_id,
            func.max(flag(EventType.RETURNED)).label("returned"),
            func.sum(flag(EventType.ACKNOWLEDGED)).label("acks"),
            func.sum(late(EventType.ACKNOWLEDGED)).label("late_acks"),
            func.sum(flag(EventType.RESOLVED)).label("resolutions"),
            func.sum(late(EventType.RESOLVED)).label("late_resolutions"),
            func.max(flag(EventType.REOPENED)).label("reopened"),
            func.sum(flag(EventType.FOLLOWED_UP)).label("followed"),
            func.sum(solved_flag).label("solved"),
            func.sum(cast(points, Float)).label("points"),
        )
        .select_from(pairs)
        .outerjoin(
            e,
            and_(
                e.case_id == pairs.c.case_id,
                e.unit_id == pairs.c.unit_id,
                e.type.in_(counted_types),
            ),
        )
        .group_by(pairs.c.unit_id, pairs.c.case_id)
        .subquery("per_case")
    )
    pc = per_case.c
    kept = pc.returned == 0

    def when(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((cond, 1), else_=0))

    stmt = (
        select(
            pc.unit_id,
            func.count(),
            func.sum(pc.returned),
            when(and_(kept, pc.acks > 0, pc.late_acks == 0)),
            when(and_(kept, pc.resolutions > 0)),
            when(and_(kept, pc.resolutions > 0, pc.late_resolutions == 0)),
            when(and_(kept, pc.resolutions > 0, pc.reopened > 0)),
            func.sum(case((kept, pc.followed), else_=0)),
            func.sum(case((kept, pc.solved), else_=0)),
            func.sum(case((kept, pc.points), else_=0.0)),
        )
        .group_by(pc.unit_id)
        .order_by(pc.unit_id)
    )
    label = f"{year:04d}-{month:02d}"
    async with db.session() as s:
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
