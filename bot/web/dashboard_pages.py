"""The dashboard's pages (民情工作台): what each template is given.

One function per page returns a :class:`~bot.web.html.Page` — the template in
``bot/web/templates/dash_*.html`` and its context. The templates escape every
value (autoescape), so case text, names, notes, file sections and diary
entries are shown as text; only the SVG charts, drawn by :mod:`bot.web.charts`
(which escapes its own text), are inserted as markup. Pages are
server-rendered, without JavaScript, and usable on a phone: tables scroll
sideways inside their card, and the case list turns into one card per case on
narrow screens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bot.services.callbacks import CaseAction
from bot.services.cases import CaseView, TimelineEntry
from bot.services.diary import DIARY_DAY, MAX_BACKDATE_DAYS, DiaryCompliance
from bot.services.notifications import ACTION_LABELS, CHANNEL_LABELS, ESCALATION_REASONS, fmt_time
from bot.services.organisation import Coverage
from bot.services.residential_files import (
    SECTION_LABELS,
    SECTIONS,
    STATUS_LABELS,
    FileStatus,
    ResidentialFile,
    SectionRevision,
    UnitFileCoverage,
)
from bot.web import charts
from bot.web.dashboard_data import (
    Assessment,
    CaseFilter,
    Overview,
    case_deadline,
)
from bot.web.dashboard_export import pct, points
from bot.web.html import Page
from config.district import District, UnitKind
from storage.enums import CaseKind, CaseStatus, ResidentialSection
from storage.models import DiaryEntry

SITE_NAME = "民情工作台"
HOME = "/dashboard"

UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.OFFICE: "群工办",
    UnitKind.CENTRE: "中心",
    UnitKind.SERVICE_ROOM: "服务室",
    UnitKind.SPECIAL_ROOM: "专门接待室",
    UnitKind.DEPARTMENT_STATION: "部门工作站",
    UnitKind.STREET_STATION: "街道工作站",
    UnitKind.PARK_STATION: "园区工作站",
    UnitKind.COMMUNITY_ROOM: "社区工作室",
    UnitKind.RESIDENTIAL_ROOM: "居民区工作室",
    UnitKind.SCHOOL: "学校",
}
LEADER_RANKS = {
    "deputy_section": "副科级",
    "section": "正科级",
    "deputy_division": "副处级",
    "division": "正处级",
}
STATUS_LABELS_CN: dict[str, str] = {
    CaseStatus.REGISTERED: "已登记",
    CaseStatus.DISPATCHED: "已派单",
    CaseStatus.ACKNOWLEDGED: "已签收",
    CaseStatus.IN_PROGRESS: "处理中",
    CaseStatus.RESOLVED: "已办结",
    CaseStatus.FOLLOWED_UP: "已回访",
    CaseStatus.CLOSED: "已结案",
    CaseStatus.RETURNED: "已退单",
    CaseStatus.REOPENED: "重办中",
}
KIND_FILTER_LABELS = {CaseKind.REQUEST: "群众诉求", CaseKind.WARNING: "预警信息"}
#: Messages after a successful POST (``?ok=…``); never user text in URLs.
FLASH = {
    "ack": "已签收。",
    "start": "已标记为处理中。",
    "done": "已办结，系统将向群众发送回访。",
    "ret": "已退单，案件已退回分派台。",
    "esc": "已上报上一级。",
    "disp": "已派单。",
    "ext": "延期申请已提交督查督办中心审批。",
    "xok": "已同意延期，已通知承办单位和群众。",
    "xno": "已不同意延期，已通知承办单位。",
    "diary": "民情日记已保存。",
    "file": "档案栏目已保存。",
}


@dataclass(frozen=True)
class ViewerInfo:
    """Who is looking, as the layout shows them."""

    name: str
    #: The role in Chinese (a chief's title follows the unit kind).
    role: str
    unit_name: str
    district_user: bool
    csrf: str


def _nav(viewer: ViewerInfo) -> list[tuple[str, str, str]]:
    items = [("cases", HOME, "案件")]
    if viewer.district_user:
        items.append(("overview", "/dashboard/overview", "全区概况"))
        items.append(("routing", "/dashboard/routing", "分派准确率"))
        items.append(("dead", "/dashboard/dead-letters", "未处理消息"))
    items += [
        ("assessment", "/dashboard/assessment", "考核"),
        ("coverage", "/dashboard/coverage", "网络覆盖"),
        ("diary", "/dashboard/diary", "民情日记"),
        ("files", "/dashboard/files", "居情档案"),
    ]
    return items


def viewer_label(viewer: ViewerInfo) -> str:
    """王主任（群工办）, 刘芳（东城街道群众工作站·站长）: the unit and title, each said once."""
    name, unit, role = viewer.name.strip(), viewer.unit_name, viewer.role
    if not name:
        return f"{unit}·{role}" if unit else role
    if name.endswith(role) or unit in name:
        return f"{name}（{unit}）" if unit and unit not in name else name
    return f"{name}（{unit}·{role}）" if unit else f"{name}（{role}）"


def layout(
    template: str,
    viewer: ViewerInfo,
    *,
    active: str,
    ok: str | None = None,
    error: str | None = None,
    **context: object,
) -> Page:
    """A dashboard page (``dash_base.html``): navigation, title, messages, content."""
    who = viewer_label(viewer)
    return Page(
        template,
        {
            "viewer": viewer,
            "nav": _nav(viewer),
            "who": who,
            "active": active,
            "ok": ok,
            "error": error,
            "pct": pct,
            "points": points,
            **context,
        },
    )


def message_page(title: str, message: str, *, link: tuple[str, str] | None = None) -> Page:
    """A page with one message (login problems, refusals, not found)."""
    return Page("dash_message.html", {"title": title, "message": message, "link": link})


# --- cases -----------------------------------------------------------------------------------


def case_link(view: CaseView) -> str:
    """The case page of a case."""
    return f"/dashboard/cases/{view.id}"


def office(view: CaseView) -> str:
    """The room and bureau of a case, or 未分类."""
    if not view.room_name:
        return "未分类"
    return view.room_name + (f" · {view.bureau_name}" if view.bureau_name else "")


def case_list_page(
    viewer: ViewerInfo,
    views: Sequence[CaseView],
    flt: CaseFilter,
    tz: ZoneInfo,
    *,
    cut: bool,
    ok: str | None = None,
) -> Page:
    """``/dashboard``: the viewer's cases, overdue first."""
    query = {k: v for k, v in (("status", flt.status), ("kind", flt.kind)) if v}
    return layout(
        "dash_cases.html",
        viewer,
        active="cases",
        ok=ok,
        statuses=[("", "全部在办")] + [(s.value, STATUS_LABELS_CN[s]) for s in CaseStatus],
        kinds=[("", "全部类型")] + [(k.value, label) for k, label in KIND_FILTER_LABELS.items()],
        flt=flt,
        export="/dashboard/export/cases.csv" + (f"?{urlencode(query)}" if query else ""),
        views=views,
        late=sum(1 for v in views if v.overdue),
        cut=cut,
        tz=tz,
        office=office,
        deadline=case_deadline,
    )


@dataclass(frozen=True)
class ActionForm:
    """One action the viewer may take on a case."""

    action: CaseAction
    targets: Sequence[tuple[str, str]] = ()


#: Actions that need a text (or a choice) first: label of the field, required, hint.
_NOTE_FIELDS: dict[CaseAction, tuple[str, bool, str]] = {
    CaseAction.RESOLVE: ("办理结果", True, "必填，将告知群众"),
    CaseAction.RETURN: ("退单理由", True, "必填；案件将退回分派台重新派单"),
    CaseAction.ESCALATE: ("上报说明", False, "可选；案件将上报上一级督办"),
    CaseAction.EXTEND: ("延期理由", True, "必填；须在办结时限前申请，由督查督办中心审批"),
}
#: The supervision centre's one-click decisions on a pending 延期申请.
_DECIDE = (CaseAction.EXTEND_OK, CaseAction.EXTEND_NO)


#: A warning's 办结 is told to the officer who filed it; there is no follow-up.
_WARNING_RESOLVE_HINT = "必填，将告知报送人"


def _action_forms(
    actions: Sequence[ActionForm], note: str, *, warning: bool = False
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The one-click actions, and those that need a text or a choice first."""
    quick: list[dict[str, object]] = []
    detailed: list[dict[str, object]] = []
    for item in actions:
        act = item.action
        if act in (CaseAction.ACKNOWLEDGE, CaseAction.START, *_DECIDE):
            quick.append({"act": act.value, "label": ACTION_LABELS[act]})
        elif act is CaseAction.DISPATCH:
            detailed.append({"act": act.value, "targets": list(item.targets)})
        elif act in _NOTE_FIELDS:
            field_label, required, hint = _NOTE_FIELDS[act]
            if warning and act is CaseAction.RESOLVE:
                hint = _WARNING_RESOLVE_HINT
            detailed.append(
                {
                    "act": act.value,
                    "targets": [],
                    "label": ACTION_LABELS[act],
                    "field": field_label,
                    "required": required,
                    "hint": hint,
                    "kept": note if act is CaseAction.RESOLVE else "",
                    "secondary": act is CaseAction.RETURN,
                }
            )
    return quick, detailed


def _timeline(
    entries: Sequence[TimelineEntry], tz: ZoneInfo, names: Mapping[str, str]
) -> list[dict[str, str]]:
    items = []
    for e in entries:
        bits = [e.label]
        if e.status_label and e.label not in e.status_label:
            bits.append(f"（状态：{e.status_label}）")
        reason = e.data.get("reason") if e.type == "escalated" else None
        if isinstance(reason, str) and reason in ESCALATION_REASONS:
            bits.append(f"（{ESCALATION_REASONS[reason]}）")
        target = e.data.get("to_unit_id") if e.type in ("escalated", "returned") else None
        if isinstance(target, str):
            bits.append(f"至{names.get(target, target)}")
        who = "、".join(x for x in (e.unit_name, e.actor_name or "") if x)
        items.append(
            {
                "at": fmt_time(e.at, tz),
                "what": " ".join(bits),
                "who": f" · {who}" if who else "",
                "channel": f"（{CHANNEL_LABELS.get(e.channel, e.channel)}）",
                "note": e.note or "",
            }
        )
    return items


def case_page(
    viewer: ViewerInfo,
    view: CaseView,
    entries: Sequence[TimelineEntry],
    actions: Sequence[ActionForm],
    tz: ZoneInfo,
    names: Mapping[str, str],
    *,
    ok: str | None = None,
    error: str | None = None,
    note: str = "",
) -> Page:
    """``/dashboard/cases/{id}``: the card, the actions and the timeline."""
    quick, detailed = _action_forms(actions, note, warning=view.kind == "warning")
    return layout(
        "dash_case.html",
        viewer,
        active="cases",
        ok=ok,
        error=error,
        view=view,
        tz=tz,
        office=office,
        contact=" ".join(x for x in (view.contact_name, view.contact_phone) if x),
        post=f"/dashboard/cases/{view.id}/act",
        quick=quick,
        detailed=detailed,
        timeline=_timeline(entries, tz, names),
    )


# --- overview, assessment, coverage ----------------------------------------------------------


def overview_page(viewer: ViewerInfo, data: Overview) -> Page:
    """``/dashboard/overview``: open, overdue and resolved this month, by station and room."""
    return layout("dash_overview.html", viewer, active="overview", data=data)


def _month_choices(month: str, choices: Sequence[str]) -> list[tuple[str, str]]:
    options = [(m, f"{int(m[:4])}年{int(m[5:])}月") for m in choices]
    if month not in choices:
        options.insert(0, (month, f"{int(month[:4])}年{int(month[5:])}月"))
    return options


def assessment_page(
    viewer: ViewerInfo,
    data: Assessment,
    *,
    prev: str,
    nxt: str,
    months: Sequence[str],
    error: str | None = None,
) -> Page:
    """``/dashboard/assessment``: the month's figures per unit, the ranking and the trend.

    The formula, the denominators, the missing-data rule and the minimum are
    printed beside the table (``data.policy``, the same lines as ``minqing report``).
    """
    bars = [
        charts.Bar(f"{r.rank}. {r.score.unit_name}", r.score.total)
        for r in data.rows
        if r.score.total is not None and r.rank is not None
    ]
    series = [
        charts.Series("响应率", [s.response_rate for s in data.trend]),
        charts.Series("解决率", [s.resolution_rate for s in data.trend]),
        charts.Series("满意率", [s.satisfaction_rate for s in data.trend]),
        charts.Series("按时办结率", [s.on_time_rate for s in data.trend]),
    ]
    return layout(
        "dash_assessment.html",
        viewer,
        active="assessment",
        error=error,
        data=data,
        prev=prev,
        nxt=nxt,
        months=_month_choices(data.month, months),
        bars=bars,
        series=series,
    )


def coverage_page(viewer: ViewerInfo, cover: Coverage) -> Page:
    """``/dashboard/coverage``: the network against the seed's targets."""
    return layout(
        "dash_coverage.html",
        viewer,
        active="coverage",
        cover=cover,
        base=min((u.depth for u in cover.units), default=0),
        kind_labels=UNIT_KIND_LABELS,
    )


# --- diary -----------------------------------------------------------------------------------


WEEKDAYS = "一二三四五六日"


def _visit_days(today: date) -> list[tuple[str, str]]:
    """The visiting days a new entry may have: today and the days the diary allows back."""
    out = []
    for back in range(MAX_BACKDATE_DAYS + 1):
        day = today - timedelta(days=back)
        label = f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"
        if back == 0:
            label += " 今天"
        if day.day == DIARY_DAY:
            label += " 民情日"
        out.append((day.isoformat(), label))
    return out


def diary_page(
    viewer: ViewerInfo,
    data: DiaryCompliance,
    mine: Sequence[DiaryEntry],
    today: date,
    tz: ZoneInfo,
    *,
    prev: str,
    nxt: str,
    months: Sequence[str],
    ok: str | None = None,
    error: str | None = None,
    draft: tuple[str, str] = ("", ""),
) -> Page:
    """``/dashboard/diary``: the month's compliance, and a form for a new entry."""
    del tz  # entries show their visiting day only
    visited, content = draft
    return layout(
        "dash_diary.html",
        viewer,
        active="diary",
        ok=ok,
        error=error,
        data=data,
        prev=prev,
        nxt=nxt,
        months=_month_choices(data.month, months),
        ranks=LEADER_RANKS,
        days=_visit_days(today),
        visited=visited or today.isoformat(),
        content=content,
        mine=mine,
        channels=CHANNEL_LABELS,
    )


# --- residential files -----------------------------------------------------------------------


def _file_status_badge(status: FileStatus) -> tuple[str, str]:
    cls = {FileStatus.COMPLETE: "good", FileStatus.PARTIAL: "warn", FileStatus.EMPTY: "late"}
    return STATUS_LABELS[status], cls[status]


def files_page(viewer: ViewerInfo, units: Sequence[UnitFileCoverage], district: District) -> Page:
    """``/dashboard/files``: the files the viewer may read and how far each is set up."""

    def station(u: UnitFileCoverage) -> str:
        return district.units[u.station_id].name if u.station_id else "—"

    def missing(u: UnitFileCoverage) -> str:
        return "、".join(SECTION_LABELS[s] for s in u.missing) or "—"

    return layout(
        "dash_files.html",
        viewer,
        active="files",
        units=units,
        complete=sum(1 for u in units if u.status is FileStatus.COMPLETE),
        station=station,
        missing=missing,
        status_badge=_file_status_badge,
    )


def file_page(
    viewer: ViewerInfo,
    file: ResidentialFile,
    history: Mapping[ResidentialSection, Sequence[SectionRevision]],
    tz: ZoneInfo,
    *,
    editable: bool,
    ok: str | None = None,
    error: str | None = None,
    draft: tuple[str, str] | None = None,
) -> Page:
    """``/dashboard/files/{unit_id}``: the six sections, edit forms and history."""
    sections = []
    for section in SECTIONS:
        current = file.sections.get(section)
        text = current.content if current is not None else ""
        if draft is not None and draft[0] == section.value:
            text = draft[1]
        sections.append(
            {
                "id": section.value,
                "label": SECTION_LABELS[section],
                "current": current,
                "text": text,
                "history": list(history.get(section, ())),
            }
        )
    return layout(
        "dash_file.html",
        viewer,
        active="files",
        ok=ok,
        error=error,
        file=file,
        status_label=STATUS_LABELS[file.status],
        sections=sections,
        editable=editable,
        tz=tz,
    )
