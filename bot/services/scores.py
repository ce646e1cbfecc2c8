"""Assessment (考核): per unit and month, computed from the event log in SQL.

**Which month a case counts in.** A case counts for a unit in the month (in the
district's time zone, Asia/Shanghai by default) of its *first* ``dispatched``
event to that unit. Everything that unit later does with the case counts in
that same month, whenever it happens, so every rate is "of the cases the unit
got that month" and never exceeds 100 %. (Figures for a recent month can
still change while its cases are being handled: a case becomes *due* when its
deadline passes.) Figures are computed *as of* a moment — the service's clock.

**Definitions** (per unit U and month M; "cases" = cases first dispatched to U
in M):

* ``dispatched`` — cases.
* ``returned`` — of those, cases U returned (退单). Returned cases do not count
  against U: they are left out of every rate below except the return rate.
* ``counted`` = dispatched − returned.
* **An acknowledgement is late** when U acknowledged after the deadline, or the
  deadline passed while the case waited (the timers re-notified U or escalated
  the case for it: ``renotified`` / ``escalated`` with reason ``ack_overdue``),
  or the case waits for acknowledgement now past its deadline. A miss stays a
  miss: escalation, which gives the next level a fresh deadline, and a later
  acknowledgement do not erase it.
* **A resolution is late** when U's 办结 came after the resolution deadline in
  force, or the deadline passed while the case was open (``reminded``, 催办),
  or the case is open now past its deadline. An approved extension moves the
  deadline in force; the original one is kept in the event log.
* 响应率 (response rate) = cases acknowledged, never late ÷ cases *due for
  acknowledgement* (acknowledged, or with the acknowledgement deadline passed).
  A case not yet acknowledged and not yet due is in neither.
* 按时办结率 (on-time rate) = cases resolved, never late ÷ cases *due for
  resolution* (resolved by U at least once, or with a resolution deadline
  passed). A case still open past its deadline is in the denominator, not in
  the numerator; a case not yet due and not resolved is in neither.
* 解决率 (resolution rate) = cases whose 办结 by U *stands* ÷ cases due for
  resolution. A 办结 stands when the case is resolved, followed up or closed
  now — the reporter's follow-up did not say "not solved" (that reopens the
  case, 重办, and it stays against U until U resolves it again and that 办结 is
  not contested). The station's own claim (实际解决 / 解释说明 / 不属实) is kept
  beside it: ``explained`` counts the standing 办结 that were explanations or
  found untrue, ``disputed`` the follow-up answers that said "not solved".
* 满意率 (satisfaction rate) = Σ score ÷ cases followed up, where the score is
  ``district.satisfaction_scores`` (满意 1, 基本满意 0.8, 不满意 0 by default)
  of the case's last follow-up answer: a case answered 未解决, reopened (重办)
  and then answered 已解决·满意 scores 1, not the average of both answers.
  ``followed_up`` counts the cases answered; ``disputed`` still counts every
  answer that said "not solved".
  Cases closed for no response are not rated.
* ``extended`` — cases whose resolution deadline the supervision centre
  extended (延期, approved), counted apart; on time is judged against the
  extended deadline, the original one stays in the event log.
* 退单率 (return rate) = returned ÷ dispatched.
* 重办率 (reopen rate) = cases reopened at least once ÷ cases resolved.
* 综合得分 (total, 0–100) = Σ weightᵢ·rateᵢ ÷ Σ weightᵢ over response, on-time,
  resolution and satisfaction (``[assessment] weights``).

**Missing data and the minimum** (``[assessment]`` in the district config): a
weighted rate without a denominator either scores 0 (``missing_data =
"zero"``, the default: a unit cannot climb by not finishing or by having
nothing followed up) or makes the unit unranked (``"unranked"``). A unit with
fewer than ``min_cases`` counted cases is listed with its figures but not
ranked. The dashboard and ``minqing report`` print this policy with the formula
(:func:`policy_lines`).

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
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import aliased

from bot.services.lifecycle import AWAITING_ACK, AWAITING_RESOLUTION, EventType
from bot.services.notifications import DISTRICT_TZ
from config.district import District
from storage.db import Database
from storage.enums import CaseStatus
from storage.models import Case, CaseEvent

#: Follow-up answers are coded 1..3 beside the event id (see :func:`unit_scores`).
ANSWER_CODES = 4
WEIGHTED = ("response", "on_time", "resolution", "satisfaction")
RATE_LABELS = {
    "response": "响应率",
    "on_time": "按时办结率",
    "resolution": "解决率",
    "satisfaction": "满意率",
}
#: Statuses in which the latest 办结 stands.
STANDING = (CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED)
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


def formula_text(weights: Mapping[str, float]) -> str:
    """The weighted total as a line of Chinese text (what the dashboard and the report print)."""
    parts = [
        f"{RATE_LABELS[k]}×{weights.get(k, 0.0):g}" for k in WEIGHTED if weights.get(k, 0.0) > 0
    ]
    den = sum(weights.get(k, 0.0) for k in WEIGHTED)
    return f"综合得分 = ({' + '.join(parts)}) ÷ {den:g} × 100"


def policy_lines(district: District) -> list[str]:
    """The formula, the denominators, the missing-data rule and the minimum, in Chinese."""
    policy = district.assessment
    missing = (
        "缺少数据的指标按0分计（不办结、无回访不会得高分）"
        if policy.missing == "zero"
        else "任一计分指标缺少数据的单位不参加排名"
    )
    return [
        formula_text(district.score_weights),
        "统计口径：当月首次派至本单位的案件，退单案件不计入（退单率除外）。",
        "响应率 = 按时签收件数 ÷ 已签收或已过签收时限件数；超时签收后再上报，仍计超时。",
        "按时办结率 = 按时办结件数 ÷ 已办结或已过办结时限件数；逾期未办结计未按时，未到期不计入。",
        "解决率 = 办结后未被群众回访否定的件数 ÷ 已办结或已过办结时限件数。",
        "满意率 = 各案件最后一次回访的满意度得分之和 ÷ 回访案件数（重办后只计最后一次回访）。",
        f"缺数据：{missing}；当月计分案件少于{policy.min_cases}件的单位列出但不排名。",
    ]


@dataclass(frozen=True)
class UnitScore:
    """One unit's figures for one month (see the module docstring)."""

    unit_id: str
    unit_name: str
    month: str
    dispatched: int
    returned: int
    ack_due: int
    acknowledged_on_time: int
    resolve_due: int
    resolved: int
    resolved_on_time: int
    standing: int
    explained: int
    reopened: int
    extended: int
    followed_up: int
    disputed: int
    satisfaction_points: float
    weights: Mapping[str, float] = field(default_factory=dict)
    missing: str = "zero"

    @property
    def counted(self) -> int:
        """Cases that count against the unit (dispatched minus returned)."""
        return self.dispatched - self.returned

    @property
    def response_rate(self) -> float | None:
        """响应率."""
        return _ratio(self.acknowledged_on_time, self.ack_due)

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率."""
        return _ratio(self.resolved_on_time, self.resolve_due)

    @property
    def resolution_rate(self) -> float | None:
        """解决率."""
        return _ratio(self.standing, self.resolve_due)

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

    def rates(self) -> dict[str, float | None]:
        """The weighted rates by key."""
        return {
            "response": self.response_rate,
            "on_time": self.on_time_rate,
            "resolution": self.resolution_rate,
            "satisfaction": self.satisfaction_rate,
        }

    @property
    def missing_rates(self) -> list[str]:
        """Weighted rates (weight > 0) without a denominator."""
        rates = self.rates()
        return [k for k in WEIGHTED if self.weights.get(k, 0.0) > 0 and rates[k] is None]

    @property
    def total(self) -> float | None:
        """综合得分 0–100; a rate without data scores 0 (``unranked``: None)."""
        if self.counted == 0:
            return None
        if self.missing == "unranked" and self.missing_rates:
            return None
        rates = self.rates()
        num = den = 0.0
        for key in WEIGHTED:
            weight = self.weights.get(key, 0.0)
            if weight > 0:
                num += weight * (rates[key] or 0.0)
                den += weight
        return 100.0 * num / den if den else None


async def unit_scores(
    db: Database,
    district: District,
    year: int,
    month: int,
    *,
    as_of: datetime,
    unit_ids: Iterable[str] | None = None,
    tz: ZoneInfo = DISTRICT_TZ,
) -> list[UnitScore]:
    """Every unit's figures for a month as of ``as_of`` (units that got no case are left out).

    Args:
        db: the database.
        district: for unit names, satisfaction scores, weights and the policy.
        year: the year.
        month: the month, 1..12, in ``tz``.
        as_of: the moment the figures are taken (the service's clock): which
            deadlines have passed.
        unit_ids: only these units (default: all).
        tz: the district's time zone.

    Returns:
        One :class:`UnitScore` per unit, ordered by unit id.
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
        count(of(EventType.RETURNED)).label("returned"),
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
    out: list[UnitScore] = []
    for row in rows:
        unit_id = str(row[0])
        unit = district.units.get(unit_id)
        n = [int(v or 0) for v in row[1:14]]
        out.append(
            UnitScore(
                unit_id=unit_id,
                unit_name=unit.name if unit else unit_id,
                month=label,
                dispatched=n[0],
                returned=n[1],
                ack_due=n[2],
                acknowledged_on_time=n[3],
                resolve_due=n[4],
                resolved=n[5],
                resolved_on_time=n[6],
                standing=n[7],
                explained=n[8],
                reopened=n[9],
                extended=n[10],
                followed_up=n[11],
                disputed=n[12],
                satisfaction_points=float(row[14] or 0.0),
                weights=dict(district.score_weights),
                missing=district.assessment.missing,
            )
        )
    return out
