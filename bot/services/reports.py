"""The monthly assessment report (考核报表): scores, coverage, diary and residential files.

One row per unit, for one month:

* **scores** from :func:`bot.services.scores.unit_scores` — response, on-time,
  resolution, satisfaction, return and reopen rates and the weighted total
  (see that module for what counts in which month);
* **ranking** by the weighted total, highest first, over every unit that has
  one and at least ``[assessment] min_cases`` counted cases (ties share a rank:
  1, 1, 3); the others are listed, not ranked, with the reason in ``unranked``
  (``too_few_cases``, ``missing_data``, ``no_cases``). With a unit filter the
  rank is still the unit's place among all units;
* **network coverage** from :func:`bot.services.organisation.coverage` — the unit's
  staff and information officers against the seed's targets;
* **diary compliance** from :func:`bot.services.diary.compliance` — leaders of the unit
  and of the units below it who wrote their monthly entry;
* **residential files** from :func:`bot.services.residential_files.file_coverage` — for
  a work station the files of its communities, for a community or residential
  area its own file.

Rows: every work station (department, street, park), whether or not it got a
case, plus every other unit that got a case that month; ranked units first,
then the units listed but not ranked, then those without a case, each in config
order.

Scores and the diary are figures *of the month*; coverage and residential
files have no history and are *as of when the report runs*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.diary import DiaryCompliance, compliance
from bot.services.notifications import DISTRICT_TZ
from bot.services.organisation import Coverage, coverage
from bot.services.residential_files import FileStatus, ResidentialFileCoverage, file_coverage
from bot.services.scores import UnitScore, policy_lines, unit_scores
from config.district import STATION_KINDS, District, UnitKind
from storage.db import Database

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class ReportError(ValueError):
    """The report cannot be made.

    Attributes:
        reason: ``bad_month`` or ``unknown_unit``.
        message: what is wrong, for the operator.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → ``(year, month)``.

    Raises:
        ReportError: ``bad_month``.
    """
    match = _MONTH_RE.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ReportError("bad_month", f"expected a month as YYYY-MM (e.g. 2026-03), got {text!r}")
    return int(match.group(1)), int(match.group(2))


def _rate(num: int, den: int | None) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class UnitReport:
    """One unit's line of the report."""

    unit_id: str
    unit_name: str
    kind: str
    score: UnitScore | None
    rank: int | None
    unranked: str | None
    staff: int | None
    staff_target: int | None
    officers: int | None
    officer_target: int | None
    diary_leaders: int
    diary_met: int
    files_expected: int | None
    files_complete: int | None

    @property
    def diary_rate(self) -> float | None:
        """Share of the unit's leaders who wrote their entry (None without leaders)."""
        return _rate(self.diary_met, self.diary_leaders)

    @property
    def file_rate(self) -> float | None:
        """Share of the unit's residential files set up (None where none is kept)."""
        return _rate(self.files_complete or 0, self.files_expected)

    def as_dict(self, month: str) -> dict[str, Any]:
        """The line as plain values (rates 0..1, rounded to 4 places; total 0..100)."""
        s = self.score

        def r(value: float | None, places: int = 4) -> float | None:
            return None if value is None else round(value, places)

        return {
            "month": month,
            "rank": self.rank,
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "unit_kind": self.kind,
            "unranked": self.unranked,
            "dispatched": s.dispatched if s else 0,
            "returned": s.returned if s else 0,
            "counted": s.counted if s else 0,
            "ack_due": s.ack_due if s else 0,
            "acknowledged_on_time": s.acknowledged_on_time if s else 0,
            "resolve_due": s.resolve_due if s else 0,
            "resolved": s.resolved if s else 0,
            "resolved_on_time": s.resolved_on_time if s else 0,
            "standing": s.standing if s else 0,
            "explained": s.explained if s else 0,
            "reopened": s.reopened if s else 0,
            "extended": s.extended if s else 0,
            "followed_up": s.followed_up if s else 0,
            "disputed": s.disputed if s else 0,
            "response_rate": r(s.response_rate) if s else None,
            "on_time_rate": r(s.on_time_rate) if s else None,
            "resolution_rate": r(s.resolution_rate) if s else None,
            "satisfaction_rate": r(s.satisfaction_rate) if s else None,
            "return_rate": r(s.return_rate) if s else None,
            "reopen_rate": r(s.reopen_rate) if s else None,
            "total": r(s.total, 2) if s else None,
            "staff": self.staff,
            "staff_target": self.staff_target,
            "officers": self.officers,
            "officer_target": self.officer_target,
            "diary_leaders": self.diary_leaders,
            "diary_met": self.diary_met,
            "diary_rate": r(self.diary_rate),
            "files_expected": self.files_expected,
            "files_complete": self.files_complete,
            "file_rate": r(self.file_rate),
        }


#: The keys of :meth:`UnitReport.as_dict`, in order (the CSV header).
FIELDS: tuple[str, ...] = (
    "month",
    "rank",
    "unit_id",
    "unit_name",
    "unit_kind",
    "unranked",
    "dispatched",
    "returned",
    "counted",
    "ack_due",
    "acknowledged_on_time",
    "resolve_due",
    "resolved",
    "resolved_on_time",
    "standing",
    "explained",
    "reopened",
    "extended",
    "followed_up",
    "disputed",
    "response_rate",
    "on_time_rate",
    "resolution_rate",
    "satisfaction_rate",
    "return_rate",
    "reopen_rate",
    "total",
    "staff",
    "staff_target",
    "officers",
    "officer_target",
    "diary_leaders",
    "diary_met",
    "diary_rate",
    "files_expected",
    "files_complete",
    "file_rate",
)


@dataclass(frozen=True)
class MonthlyReport:
    """The whole report: unit lines and the district's figures."""

    month: str
    district_name: str
    unit_id: str | None
    units: list[UnitReport]
    policy: list[str]
    as_of: datetime
    coverage: Coverage
    diary: DiaryCompliance
    files: ResidentialFileCoverage

    def summary(self) -> dict[str, Any]:
        """The district's figures as plain values."""

        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "setup_rate": r(self.coverage.setup_rate),
            "staff_rate": r(self.coverage.staff_rate),
            "officer_rate": r(self.coverage.officer_rate),
            "diary_leaders": self.diary.leader_count,
            "diary_met": self.diary.met_count,
            "diary_rate": r(self.diary.rate),
            "files_expected": self.files.total,
            "files_complete": self.files.complete,
            "file_rate": r(self.files.rate),
        }

    def as_dict(self) -> dict[str, Any]:
        """The report as plain values (what ``--format json`` prints)."""
        return {
            "month": self.month,
            "district": self.district_name,
            "unit_filter": self.unit_id,
            "as_of": self.as_of.isoformat(),
            "policy": list(self.policy),
            "units": [u.as_dict(self.month) for u in self.units],
            "district_summary": self.summary(),
        }


def rank_units(totals: Mapping[str, float | None]) -> dict[str, int]:
    """Competition ranking by total, highest first (ties share a rank; None is unranked)."""
    ranked = sorted(
        ((round(t, 9), uid) for uid, t in totals.items() if t is not None),
        key=lambda pair: -pair[0],
    )
    out: dict[str, int] = {}
    previous: float | None = None
    rank = 0
    for position, (total, uid) in enumerate(ranked, start=1):
        if total != previous:
            rank, previous = position, total
        out[uid] = rank
    return out


def ranking(
    district: District, scores: Iterable[UnitScore]
) -> tuple[dict[str, int], dict[str, str]]:
    """Ranks of the units that may be ranked, and why the others are not.

    A unit is not ranked with fewer than ``min_cases`` counted cases
    (``too_few_cases``), or without a total (``missing_data`` under
    ``missing_data = "unranked"``; ``no_cases`` when every case was returned).
    """
    minimum = district.assessment.min_cases
    totals: dict[str, float | None] = {}
    why: dict[str, str] = {}
    for s in scores:
        if s.counted == 0:
            why[s.unit_id] = "no_cases"
        elif s.counted < minimum:
            why[s.unit_id] = "too_few_cases"
        elif s.total is None:
            why[s.unit_id] = "missing_data"
        else:
            totals[s.unit_id] = s.total
    return rank_units(totals), why


def _subtrees(district: District) -> dict[str, set[str]]:
    """Every unit id → the ids of the unit and all units below it."""
    out: dict[str, set[str]] = {uid: {uid} for uid in district.units}
    for uid, unit in district.units.items():
        parent = unit.parent_id
        while parent is not None:
            out[parent].add(uid)
            parent = district.units[parent].parent_id
    return out


def _row_units(district: District, scored: Iterable[str], unit_id: str | None) -> list[str]:
    wanted = set(scored) | {u.id for u in district.units.values() if u.kind in STATION_KINDS}
    ordered = [uid for uid in district.units if uid in wanted]
    ordered += sorted(wanted - set(ordered))  # units no longer in the config
    if unit_id is not None:
        ordered = [unit_id]
    return ordered


async def monthly_report(
    db: Database,
    district: District,
    month: str,
    *,
    as_of: datetime,
    unit_id: str | None = None,
    tz: ZoneInfo = DISTRICT_TZ,
) -> MonthlyReport:
    """Build the report of ``month`` (``YYYY-MM``) as of ``as_of`` (the service's clock).

    For every unit or only ``unit_id``.

    Raises:
        ReportError: ``bad_month`` or ``unknown_unit``.
    """
    year, mon = parse_month(month)
    if unit_id is not None and unit_id not in district.units:
        raise ReportError("unknown_unit", f"unknown unit {unit_id!r}")
    label = f"{year:04d}-{mon:02d}"
    scores = {s.unit_id: s for s in await unit_scores(db, district, year, mon, as_of=as_of, tz=tz)}
    ranks, unranked = ranking(district, scores.values())
    cover = await coverage(db, district)
    by_unit = {u.id: u for u in cover.units}
    diary = await compliance(db, label, tz=tz)
    files = await file_coverage(db, district)
    station_files = {st.station_id: st for st in files.stations}
    own_files = {f.unit_id: f for f in files.units}
    subtrees = _subtrees(district)

    rows: list[UnitReport] = []
    for uid in _row_units(district, scores, unit_id):
        spec = district.units.get(uid)
        cov = by_unit.get(uid)
        below = subtrees.get(uid, {uid})
        leaders = [leader for leader in diary.leaders if leader.unit_id in below]
        expected: int | None = None
        complete: int | None = None
        if uid in station_files:
            expected, complete = station_files[uid].total, station_files[uid].complete
        elif uid in own_files:
            expected, complete = 1, int(own_files[uid].status is FileStatus.COMPLETE)
        elif spec is not None and spec.kind in (UnitKind.STREET_STATION, UnitKind.PARK_STATION):
            expected, complete = 0, 0  # a station with no community: nothing to keep
        rows.append(
            UnitReport(
                unit_id=uid,
                unit_name=spec.name if spec else uid,
                kind=spec.kind.value if spec else "",
                score=scores.get(uid),
                rank=ranks.get(uid),
                unranked=unranked.get(uid, None if uid in ranks else "no_cases"),
                staff=cov.staff if cov else None,
                staff_target=cov.staff_target if cov else None,
                officers=cov.officers if cov else None,
                officer_target=cov.officer_target if cov else None,
                diary_leaders=len(leaders),
                diary_met=sum(1 for leader in leaders if leader.met),
                files_expected=expected,
                files_complete=complete,
            )
        )
    order = {uid: i for i, uid in enumerate(district.units)}
    rows.sort(
        key=lambda r: (
            r.rank is None,
            r.rank or 0,
            r.score is None,
            order.get(r.unit_id, len(order)),
            r.unit_id,
        )
    )
    return MonthlyReport(
        month=label,
        district_name=district.name,
        unit_id=unit_id,
        units=rows,
        policy=policy_lines(district),
        as_of=as_of,
        coverage=cover,
        diary=diary,
        files=files,
    )
