"""The dashboard's CSV exports (cases, assessment) and the formats of its figures.

Cells are safe for Excel and WPS: a formula-like cell is quoted, a phone number
is written as those programs show it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.cases import CaseView
from bot.services.lifecycle import AT_DESK
from bot.services.notifications import fmt_time
from bot.services.scores import RATE_COLUMNS
from bot.web.dashboard_data import AssessmentRow

#: Cells starting with these could run as formulas in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A phone number as stored (typed, possibly masked): digits, * and separators only.
_PHONE_CELL = re.compile(r"^\+?[0-9*()\s-]+$")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def sheet_phone(phone: str | None) -> str:
    """A phone number written so that Excel and WPS show it as it is dialled.

    A cell starting with ``+`` would be run as a formula (so :func:`_cell`
    would prefix it with an apostrophe, which the sheet shows) and a bare
    digit string would lose its leading 0 or turn into ``1.38E+10``. So the
    country code +86/0086 is dropped (a mainland number is dialled without
    it), another country's ``+`` becomes ``00``, and the digits are grouped
    by spaces (``138 1234 5678``, ``0571 8765 4321``): a digit first and a
    space inside make the cell text. Anything that is not a plain phone
    number is left to the formula guard.
    """
    text = (phone or "").strip()
    if not text or not _PHONE_CELL.match(text):
        return text
    body = "".join(ch for ch in text if ch.isdigit() or ch == "*")
    if text.startswith("+"):
        body = body[2:] if body.startswith("86") and len(body) == 13 else "00" + body
    elif body.startswith("0086") and len(body) == 15:
        body = body[4:]
    if len(body) == 11 and body.startswith("1"):
        return f"{body[:3]} {body[3:7]} {body[7:]}"
    if len(body) <= 8 and not body.startswith("0"):
        return body
    head = len(body) % 4 or 4
    groups = [body[:head]] + [body[i : i + 4] for i in range(head, len(body), 4)]
    if len(groups[0]) == 1 and len(groups) > 1:
        groups[:2] = [groups[0] + groups[1]]
    return " ".join(groups)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so that Excel reads Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


CASE_CSV_HEADER = (
    "案件编号",
    "类型",
    "状态",
    "服务室",
    "承办局",
    "严重程度",
    "承办单位",
    "属地",
    "上报至",
    "登记时间",
    "派单时限",
    "签收时限",
    "办结时限",
    "办结时间",
    "是否超期",
    "反映内容",
    "地址",
    "联系人",
    "联系电话",
    "办理结果",
)


def case_csv_rows(views: Iterable[CaseView], tz: ZoneInfo) -> list[list[object]]:
    """The rows of the case export (identities as the views carry them; the deadlines
    named as the dashboard's case page names them)."""

    def t(when: datetime | None) -> str:
        return "" if when is None else fmt_time(when, tz)

    return [
        [
            v.number,
            v.kind_label,
            v.status_label,
            v.room_name or "未分类",
            v.bureau_name,
            v.severity_label,
            v.owning_unit_name,
            v.territorial_unit_name,
            v.escalated_to_unit_name,
            t(v.created_at),
            # At the dispatcher desk the deadline is 派单时限 (as the case page and the
            # bot's card say); there is no 签收时限 until it is dispatched (trial 27).
            t(v.ack_due_at) if v.status in AT_DESK else "",
            "待派单" if v.status in AT_DESK else t(v.ack_due_at),
            t(v.resolve_due_at),
            t(v.resolved_at),
            "是" if v.overdue else "否",
            v.text,
            v.address or "",
            v.contact_name or "",
            sheet_phone(v.contact_phone),
            _outcome(v),
        ]
        for v in views
    ]


def _outcome(view: CaseView) -> str:
    """The 办理结果 cell: the station's result, or what else the note is, named (a
    withdrawal's reason is no 办理结果: trial 29 P12; nor is the result a reopened case's
    reporter did not accept: trial 32 D8)."""
    note, label = view.resolution_note or "", view.note_label
    if not note:
        return ""
    return note if label == "办理结果" else f"（{label}）{note}"


SCORE_CSV_HEADER = (
    "月份",
    "排名",
    "单位编号",
    "单位",
    "派单数",
    "退单数",
    "计入考核",
    "应签收",
    "按时签收",
    "应办结",
    "已办结",
    "按时办结",
    "办结维持",
    "其中解释说明",
    "回访否定",
    "延期件数",
    *RATE_COLUMNS,
)


def pct(value: float | None) -> str:
    """A rate as ``87.5%`` (``—`` when there is nothing to divide by)."""
    return "—" if value is None else f"{value * 100:.1f}%"


def points(value: float | None) -> str:
    """A total as ``87.5`` (``—`` when there is none)."""
    return "—" if value is None else f"{value:.1f}"


def score_csv_rows(rows: Iterable[AssessmentRow]) -> list[list[object]]:
    """The rows of the score export."""
    return [
        [
            r.score.month,
            r.rank_text if r.rank is not None or r.unranked else "",
            r.score.unit_id,
            r.score.unit_name,
            r.score.dispatched,
            r.score.returned,
            r.score.counted,
            r.score.ack_due,
            r.score.acknowledged_on_time,
            r.score.resolve_due,
            r.score.resolved,
            r.score.resolved_on_time,
            r.score.standing,
            r.score.explained,
            r.score.disputed,
            r.score.extended,
            pct(r.score.response_rate),
            pct(r.score.on_time_rate),
            pct(r.score.resolution_rate),
            pct(r.score.satisfaction_rate),
            pct(r.score.return_rate),
            pct(r.score.reopen_rate),
            points(r.score.total),
        ]
        for r in rows
    ]
