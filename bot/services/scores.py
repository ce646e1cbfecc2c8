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
* ``returned`` — of those, cases U returned (退单) and that did not come back to U
  (U's last 退单 after its last dispatch: a case the desk sends back counts for U,
  trial 32 D10). Returned cases do not count against U: they are left out of every
  rate below except the return rate.
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

**Where the figures come from.** :func:`unit_scores` reads the scores' summary
``case_unit_scores`` (one row per case and unit it was dispatched to, kept in
step with the events in the transaction that writes them; see
:mod:`storage.case_scores`): the month's rows come from
``ix_case_unit_scores_month`` (dispatched_at, unit_id) and are summed per unit
in one statement, with the deadlines compared to ``as_of`` there. The event log
stays the reference: :func:`bot.services.scores_events.unit_scores_from_events`
computes the same figures from the events alone, and the tests compare the two
on generated histories.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select, text

from bot.services.lifecycle import AWAITING_ACK, AWAITING_RESOLUTION
from bot.services.notifications import DISTRICT_TZ
from config.district import District
from storage.db import Database
from storage.enums import CaseStatus
from storage.models import CaseUnitScore

WEIGHTED = ("response", "on_time", "resolution", "satisfaction")
#: The rates' names, in the order reports and exports show them.
RATE_LABELS = {
    "response": "响应率",
    "on_time": "按时办结率",
    "resolution": "解决率",
    "satisfaction": "满意率",
    "return": "退单率",
    "reopen": "重办率",
}
TOTAL_LABEL = "综合得分"
#: The rates and the total: the last columns of ``minqing report`` and the score export.
RATE_COLUMNS = (*RATE_LABELS.values(), TOTAL_LABEL)
#: Statuses in which the latest 办结 stands.
STANDING = (CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED)


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
    return f"{TOTAL_LABEL} = ({' + '.join(parts)}) ÷ {den:g} × 100"


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


def scores_from_rows(
    district: District, label: str, rows: Iterable[Sequence[Any]]
) -> list[UnitScore]:
    """:class:`UnitScore` objects from ``(unit_id, 13 counts…, satisfaction points)`` rows.

    The counts are, in order: dispatched, returned, ack_due, acknowledged_on_time,
    resolve_due, resolved, resolved_on_time, standing, explained, reopened,
    extended, followed_up, disputed.
    """
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

    Read from the scores' summary (``case_unit_scores``, see the module docstring).

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
    t = CaseUnitScore
    where: list[ColumnElement[bool]] = [t.dispatched_at >= start, t.dispatched_at < end]
    if unit_ids is not None:
        where.append(t.unit_id.in_(list(unit_ids)))
    kept = t.returned == 0
    ack_late = or_(
        t.ack_missed == 1,
        and_(
            t.status.in_([st.value for st in AWAITING_ACK]),
            t.ack_due_at.is_not(None),
            t.ack_due_at < as_of,
        ),
    )
    resolve_late = or_(
        t.resolve_missed == 1,
        and_(
            t.status.in_([st.value for st in AWAITING_RESOLUTION]),
            t.resolve_due_at.is_not(None),
            t.resolve_due_at < as_of,
        ),
    )
    resolved = t.resolved == 1
    stands = and_(resolved, t.status.in_([st.value for st in STANDING]))

    def when(*cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((and_(kept, *cond), 1), else_=0))

    stmt = (
        select(
            t.unit_id,
            func.count(),
            func.sum(t.returned),
            when(or_(t.acked == 1, ack_late)),
            when(t.acked == 1, ~ack_late),
            when(or_(resolved, resolve_late)),
            when(resolved),
            when(resolved, ~resolve_late),
            when(stands),
            when(stands, t.closure_kind.in_(["explained", "unfounded"])),
            when(resolved, t.reopened == 1),
            when(t.extended == 1),
            when(t.followed_up == 1),
            func.sum(case((kept, t.disputed), else_=0)),
            # Cases followed up, by their last answer (1, 2, 3): points in Python.
            *(when(t.followed_up == 1, t.last_answer == code) for code in (1, 2, 3)),
        )
        .where(*where)
        .group_by(t.unit_id)
        .order_by(t.unit_id)
    )
    async with db.read() as s:
        if not db.is_sqlite:
            # A few ten thousand rows: JIT's compile time would only add to them.
            await s.execute(text("SET LOCAL jit = off"))
        rows = (await s.execute(stmt)).all()
    scores = district.satisfaction_scores
    points = (scores["satisfied"], scores["basically_satisfied"], scores["unsatisfied"])
    label = f"{year:04d}-{month:02d}"
    return scores_from_rows(
        district,
        label,
        (
            (*row[:14], sum(int(n or 0) * p for n, p in zip(row[14:17], points, strict=True)))
            for row in rows
        ),
    )
