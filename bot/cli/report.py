"""CLI command ``report``: the monthly assessment (考核报表) as a table, CSV or JSON.

``minqing report --month YYYY-MM [--format table|csv|json] [--unit ID] [--as-of ISO]``

Figures are taken as of now (the system clock) or ``--as-of`` (an ISO 8601
moment with a zone): which deadlines have passed decides the denominators.
The formula, the denominators, the missing-data rule and the minimum number
of cases are printed under the table, as on the dashboard.

* ``table`` (default): aligned columns for a terminal (CJK characters count
  as two columns), then the district's coverage, diary and file figures.
* ``csv``: one line per unit under a header of the stable field names of
  :data:`bot.services.reports.FIELDS`; rates are fractions 0..1, empty when undefined.
* ``json``: one object: ``month``, ``district``, ``unit_filter``, ``units``
  (the CSV fields) and ``district_summary``.

A malformed month or an unknown unit exits with status 2 and a message.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from datetime import datetime

from bot.cli.common import db_clock, display_width, fail, pad, with_db
from bot.services.reports import (
    FIELDS,
    MonthlyReport,
    ReportError,
    UnitReport,
    monthly_report,
    parse_month,
)
from bot.services.scores import RATE_COLUMNS
from config.district import District
from config.settings import Settings
from storage.db import Database

FORMATS = ("table", "csv", "json")
NONE = "—"
#: The rank cell of a unit that is listed but not ranked.
UNRANKED = {"too_few_cases": "不排名(件少)", "missing_data": "不排名(缺数据)"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` command."""
    p = subparsers.add_parser(
        "report",
        help="the monthly assessment per unit: scores, ranking, coverage, diary, residential files",
    )
    p.add_argument("--month", required=True, help="the month, YYYY-MM (district time)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (table)")
    p.add_argument("--unit", help="only this unit id (its rank is still among all units)")
    p.add_argument("--as-of", help="take the figures as of this ISO 8601 moment (default: now)")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """Print the report of ``--month``."""
    try:
        parse_month(args.month)
    except ReportError as exc:
        return fail(f"--month: {exc.message}")
    as_of: datetime | None = None  # default: now on the service's clock
    if args.as_of:
        try:
            as_of = datetime.fromisoformat(args.as_of)
        except ValueError:
            return fail(f"--as-of: not an ISO 8601 moment: {args.as_of!r}")
        if as_of.tzinfo is None:
            return fail("--as-of: give a time zone, e.g. 2026-11-01T00:00+08:00")

    async def work(settings: Settings, district: District, db: Database) -> int:
        try:
            moment = as_of or (await db_clock(settings, db)).now()
            report = await monthly_report(
                db, district, args.month, as_of=moment, unit_id=args.unit, tz=settings.timezone
            )
        except ReportError as exc:
            if exc.reason == "unknown_unit":
                return fail(f"--unit: {exc.message} (see `minqing units`)")
            return fail(exc.message)
        sys.stdout.write(render(report, args.format))
        return 0

    return with_db(work)


def render(report: MonthlyReport, fmt: str) -> str:
    """The report in ``fmt`` (``table``, ``csv`` or ``json``), ending with a newline."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return render_csv(report)
    return render_table(report)


def render_csv(report: MonthlyReport) -> str:
    """One line per unit under a header of field names."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for unit in report.units:
        writer.writerow({k: "" if v is None else v for k, v in unit.as_dict(report.month).items()})
    return out.getvalue()


# --- the table -----------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return NONE if value is None else f"{value:.1%}"


def _of(count: int | None, target: int | None) -> str:
    if count is None:
        return NONE
    if target is None:
        return str(count)
    return f"{count}/{target}{'✓' if count >= target else '✗'}"


def _cells(unit: UnitReport) -> list[str]:
    s = unit.score
    return [
        str(unit.rank) if unit.rank is not None else UNRANKED.get(unit.unranked or "", NONE),
        unit.unit_name,
        unit.unit_id,
        str(s.dispatched) if s else "0",
        str(s.returned) if s else "0",
        _pct(s.response_rate) if s else NONE,
        _pct(s.on_time_rate) if s else NONE,
        _pct(s.resolution_rate) if s else NONE,
        _pct(s.satisfaction_rate) if s else NONE,
        _pct(s.return_rate) if s else NONE,
        _pct(s.reopen_rate) if s else NONE,
        f"{s.total:.1f}" if s and s.total is not None else NONE,
        _of(unit.staff, unit.staff_target),
        _of(unit.officers, unit.officer_target),
        f"{unit.diary_met}/{unit.diary_leaders}" if unit.diary_leaders else NONE,
        f"{unit.files_complete}/{unit.files_expected}" if unit.files_expected else NONE,
    ]


HEADERS = (
    "排名",
    "单位",
    "编号",
    "派单",
    "退单",
    *RATE_COLUMNS,
    "工作人员",
    "信息员",
    "民情日记",
    "居情档案",
)
#: Columns aligned left (the rest are numbers, aligned right).
LEFT = frozenset({0, 1, 2})


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: frozenset[int]) -> str:
    """Rows under headers, each column as wide as its widest cell, two spaces apart."""
    widths = [
        max(display_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)
    ]
    lines = []
    for cells in (headers, *rows):
        parts = [
            pad(c, w, right=i not in left)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def render_table(report: MonthlyReport) -> str:
    """The report for a terminal."""
    title = f"{report.district_name} {report.month} 考核报表"
    if report.unit_id is not None:
        title += f"（单位 {report.unit_id}）"
    lines = [title, ""]
    lines.append(table(HEADERS, [_cells(u) for u in report.units], LEFT))
    s = report.summary()
    lines += [
        "",
        "全区网络覆盖（当前）：设置率 {}  人员达标率 {}  配备率 {}".format(
            _pct(s["setup_rate"]), _pct(s["staff_rate"]), _pct(s["officer_rate"])
        ),
        "民情日记（{}）：应写 {} 人，已写 {} 人，完成率 {}".format(
            report.month, s["diary_leaders"], s["diary_met"], _pct(s["diary_rate"])
        ),
        "居情档案（当前）：应建 {} 份，已建 {} 份，建档率 {}".format(
            s["files_expected"], s["files_complete"], _pct(s["file_rate"])
        ),
        "",
        f"计算时点：{report.as_of.isoformat()}",
        *report.policy,
        "“—”表示无数据。",
    ]
    return "\n".join(lines) + "\n"
