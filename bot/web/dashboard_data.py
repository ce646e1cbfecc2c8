"""The dashboard's read side: which cases a viewer sees, overviews, assessment.

Everything here takes an :class:`~bot.web.access.AccessPolicy` (or the units it
allows) and never returns a case, a unit's figures or an identity the policy
does not allow. Nothing here renders HTML; :mod:`bot.web.dashboard_pages` does.
The CSV exports and the figures' formats are in :mod:`bot.web.dashboard_export`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select

from bot.services.cases import CaseService, CaseView
from bot.services.cases.order import by_attention, shown_deadline
from bot.services.lifecycle import is_overdue
from bot.services.reports import ranking
from bot.services.scores import UnitScore, month_bounds, policy_lines, unit_scores
from bot.web.access import AccessPolicy
from config.district import STATION_KINDS, District
from storage.db import Database
from storage.enums import OPEN_STATUSES, CaseKind, CaseStatus
from storage.models import Case, Person

#: Most cases one list page (or one CSV export) holds.
LIST_LIMIT = 300
EXPORT_LIMIT = 20_000
#: How many months the assessment trend covers.
TREND_MONTHS = 12


# --- months ---------------------------------------------------------------------------


def parse_month(text: str | None, today: date) -> tuple[int, int]:
    """``YYYY-MM`` → ``(year, month)``; empty → the month of ``today``.

    Raises:
        ValueError: not a month (the message is Chinese, for the page).
    """
    if not text or not text.strip():
        return today.year, today.month
    parts = text.strip().split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[0]) == 4:
        year, month = int(parts[0]), int(parts[1])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    raise ValueError("月份格式应为 YYYY-MM，例如 2026-03。")


def month_label(year: int, month: int) -> str:
    """``2026-03``."""
    return f"{year:04d}-{month:02d}"


def previous_months(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """``count`` months ending with (year, month), oldest first."""
    out: list[tuple[int, int]] = []
    y, m = year, month
    for _ in range(count):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


# --- cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is narrowed to (None: no narrowing)."""

    status: str | None = None
    kind: str | None = None
    open_only: bool = True

    @classmethod
    def parse(cls, status: str | None, kind: str | None, *, open_only: bool = True) -> CaseFilter:
        """Known values only; anything else is ignored."""
        statuses = {s.value for s in CaseStatus}
        kinds = {k.value for k in CaseKind}
        return cls(
            status=status if status in statuses else None,
            kind=kind if kind in kinds else None,
            open_only=open_only,
        )


def _case_query(policy: AccessPolicy, flt: CaseFilter) -> Select[Case]:
    stmt = select(Case).where(policy.case_clause())
    if flt.open_only and flt.status is None:
        stmt = stmt.where(Case.status.in_([s.value for s in OPEN_STATUSES]))
    if flt.status is not None:
        stmt = stmt.where(Case.status == flt.status)
    if flt.kind is not None:
        stmt = stmt.where(Case.kind == flt.kind)
    return stmt


async def visible_cases(
    cases: CaseService,
    viewer: Person,
    policy: AccessPolicy,
    flt: CaseFilter,
    *,
    limit: int = LIST_LIMIT,
) -> tuple[list[CaseView], bool]:
    """The cases ``policy`` allows, open critical first, then overdue, then by the
    nearest deadline (:func:`bot.services.cases.order.attention_key`).

    Returns:
        The views (contacts masked unless ``viewer`` owns the case or is
        the dispatcher desk, the rule of ``CaseService.sees_contact``) and
        whether the list was cut at ``limit``.
    """
    if not policy.dashboard:
        return [], False
    now = cases.clock.now()
    stmt = _case_query(policy, flt).order_by(Case.id.desc()).limit(limit + 1)
    async with cases.db.session() as s:
        rows = list((await s.scalars(stmt)).all())
    cut = len(rows) > limit
    rows = rows[:limit]
    # Open critical (danger-now) cases first, then overdue (trial 32 D22).
    views = by_attention([cases.view_for(c, viewer, now) for c in rows])
    return views, cut


async def visible_case(cases: CaseService, policy: AccessPolicy, case_id: int) -> Case | None:
    """The case if it exists and ``policy`` allows it; None otherwise (never tell which)."""
    if not policy.dashboard:
        return None
    async with cases.db.session() as s:
        case = await s.scalar(select(Case).where(Case.id == case_id, policy.case_clause()))
        if case is None:
            return None
        if policy.can_see_case(case):
            return case
        # Not the viewer's units' case: a copy of its card was sent to them (pf31 #3).
        copied = await s.scalar(select(Case.id).where(Case.id == case_id, policy.copy_clause()))
    return case if copied is not None else None


def case_deadline(view: CaseView) -> datetime | None:
    """The deadline the row's badge speaks of (办结时限 when 办理超期: trial 32 D22)."""
    return shown_deadline(view)


# --- the district overview ------------------------------------------------------------------


@dataclass
class OverviewRow:
    """Counts of one station (or room) for the overview."""

    key: str
    name: str
    open: int = 0
    overdue: int = 0
    resolved_month: int = 0


@dataclass
class Overview:
    """Open, overdue and resolved-this-month cases by station and by room."""

    month: str
    by_station: list[OverviewRow] = field(default_factory=list)
    by_room: list[OverviewRow] = field(default_factory=list)
    total: OverviewRow = field(default_factory=lambda: OverviewRow("total", "合计"))


def station_for(district: District, unit_id: str) -> str:
    """The work station a unit belongs to (itself if it is one, or if none is above it)."""
    current: str | None = unit_id
    while current is not None and current in district.units:
        spec = district.units[current]
        if spec.kind in STATION_KINDS:
            return current
        current = spec.parent_id
    return unit_id


async def overview(db: Database, district: District, now: datetime, tz: ZoneInfo) -> Overview:
    """The district's overview at ``now`` (every case; for district users only)."""
    local = now.astimezone(tz)
    start, end = month_bounds(local.year, local.month, tz)
    result = Overview(month=month_label(local.year, local.month))
    stations: dict[str, OverviewRow] = {}
    rooms: dict[str, OverviewRow] = {}

    def station_row(unit_id: str) -> OverviewRow:
        key = station_for(district, unit_id)
        if key not in stations:
            spec = district.units.get(key)
            stations[key] = OverviewRow(key, spec.name if spec else key)
        return stations[key]

    def room_row(room_id: str) -> OverviewRow:
        if room_id not in rooms:
            room = district.rooms.get(room_id)
            rooms[room_id] = OverviewRow(room_id, room.name if room else "未分类")
        return rooms[room_id]

    for unit in district.units.values():  # every station and room, with or without cases
        if unit.kind in STATION_KINDS:
            station_row(unit.id)
    for room_id in district.rooms:
        room_row(room_id)
    open_values = [s.value for s in OPEN_STATUSES]
    async with db.session() as s:
        open_cases = list((await s.scalars(select(Case).where(Case.status.in_(open_values)))).all())
        resolved = (
            await s.execute(
                select(Case.owning_unit_id, Case.room, func.count())
                .where(Case.resolved_at >= start, Case.resolved_at < end)
                .group_by(Case.owning_unit_id, Case.room)
            )
        ).all()
    for case in open_cases:
        late = is_overdue(case, now)
        for row in (station_row(case.owning_unit_id), room_row(case.room), result.total):
            row.open += 1
            row.overdue += int(late)
    for unit_id, room_id, count in resolved:
        for row in (station_row(str(unit_id)), room_row(str(room_id)), result.total):
            row.resolved_month += int(count)
    order = {uid: i for i, uid in enumerate(district.units)}
    room_order = {rid: i for i, rid in enumerate(district.rooms)}
    result.by_station = sorted(
        stations.values(), key=lambda r: (-r.overdue, -r.open, order.get(r.key, len(order)))
    )
    result.by_room = sorted(rooms.values(), key=lambda r: room_order.get(r.key, len(room_order)))
    return result


# --- assessment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    """One unit's monthly figures and its rank among all units of the district."""

    score: UnitScore
    rank: int | None
    #: Why a listed unit is not ranked: ``too_few_cases``, ``missing_data``, ``no_cases``.
    unranked: str | None = None

    @property
    def rank_text(self) -> str:
        """The rank, or why there is none (as the dashboard and the CSV show it)."""
        if self.rank is not None:
            return str(self.rank)
        return UNRANKED_TEXT.get(self.unranked or "", "—")


#: How an unranked unit's rank cell reads (the same words as ``minqing report``).
UNRANKED_TEXT = {"too_few_cases": "不排名(件少)", "missing_data": "不排名(缺数据)"}


@dataclass(frozen=True)
class Assessment:
    """A month's assessment as one viewer may see it, with the trend."""

    month: str
    rows: list[AssessmentRow]
    trend_labels: list[str]
    trend: list[UnitScore]
    trend_scope: str
    #: The formula, denominators, missing-data rule and minimum (as ``minqing report``).
    policy: list[str]


def combine(scores: Iterable[UnitScore], unit_id: str, name: str, month: str) -> UnitScore:
    """Several units' figures added up into one (rates recomputed from the sums)."""
    items = list(scores)
    weights = dict(items[0].weights) if items else {}
    return UnitScore(
        unit_id=unit_id,
        unit_name=name,
        month=month,
        dispatched=sum(s.dispatched for s in items),
        returned=sum(s.returned for s in items),
        ack_due=sum(s.ack_due for s in items),
        acknowledged_on_time=sum(s.acknowledged_on_time for s in items),
        resolve_due=sum(s.resolve_due for s in items),
        resolved=sum(s.resolved for s in items),
        resolved_on_time=sum(s.resolved_on_time for s in items),
        standing=sum(s.standing for s in items),
        explained=sum(s.explained for s in items),
        reopened=sum(s.reopened for s in items),
        extended=sum(s.extended for s in items),
        followed_up=sum(s.followed_up for s in items),
        disputed=sum(s.disputed for s in items),
        satisfaction_points=sum(s.satisfaction_points for s in items),
        weights=weights,
        missing=items[0].missing if items else "zero",
    )


async def assessment(
    db: Database,
    district: District,
    policy: AccessPolicy,
    year: int,
    month: int,
    tz: ZoneInfo,
    *,
    as_of: datetime,
    trend_months: int = TREND_MONTHS,
) -> Assessment:
    """The month's figures of the units ``policy`` may see, ranked among all units.

    ``as_of`` is the service's clock: which deadlines have passed.

    The trend is the district's (for district users) or the viewer's units'
    added up, over the ``trend_months`` months ending with this one.
    """
    label = month_label(year, month)
    scores = await unit_scores(db, district, year, month, as_of=as_of, tz=tz)
    ranks, unranked = ranking(district, scores)
    rows = [
        AssessmentRow(s, ranks.get(s.unit_id), unranked.get(s.unit_id))
        for s in scores
        if policy.sees_everything or policy.can_see_unit(s.unit_id)
    ]
    order = {uid: i for i, uid in enumerate(district.units)}
    rows.sort(
        key=lambda r: (
            r.rank is None,
            r.rank or 0,
            order.get(r.score.unit_id, len(order)),
            r.score.unit_id,
        )
    )
    months = previous_months(year, month, trend_months)
    scope_units = None if policy.sees_everything else sorted(policy.unit_ids)
    scope = "全区" if policy.sees_everything else "本单位"
    trend: list[UnitScore] = []
    for y, m in months:
        if scope_units is not None and not scope_units:
            monthly: list[UnitScore] = []
        else:
            monthly = await unit_scores(
                db, district, y, m, as_of=as_of, unit_ids=scope_units, tz=tz
            )
        trend.append(combine(monthly, "scope", scope, month_label(y, m)))
    return Assessment(
        month=label,
        rows=rows,
        trend_labels=[month_label(y, m) for y, m in months],
        trend=trend,
        trend_scope=scope,
        policy=policy_lines(district),
    )
