"""The dashboard's case and figure pages (民情工作台): what each template is given.

One function per page returns a :class:`~bot.web.html.Page` — the template in
``bot/web/templates/dash_*.html`` and its context — wrapped by
:func:`bot.web.dashboard_layout.layout`. The templates escape every value
(autoescape), so case text, names and notes are shown as text; only the SVG
charts, drawn by :mod:`bot.web.charts` (which escapes its own text), are
inserted as markup. Pages are server-rendered, without JavaScript, and usable
on a phone: tables scroll sideways inside their card, and the case list turns
into one card per case on narrow screens. The diary and residential-file pages
are in :mod:`bot.web.dashboard_record_pages`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bot.services.callbacks import CaseAction
from bot.services.cases import CaseView, TimelineEntry
from bot.services.notifications import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    ESCALATION_REASONS,
    fmt_time,
    level_change,
)
from bot.services.organisation import Coverage
from bot.services.triage import danger_sentence
from bot.web import charts
from bot.web.dashboard_data import (
    Assessment,
    CaseFilter,
    Overview,
    case_deadline,
)
from bot.web.dashboard_layout import ViewerInfo, layout, month_options
from bot.web.html import Page
from config.district import UnitKind
from storage.enums import CaseKind, CaseStatus

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
    CaseStatus.REJECTED: "不予受理",
    CaseStatus.WITHDRAWN: "已撤回",
}
KIND_FILTER_LABELS = {CaseKind.REQUEST: "群众诉求", CaseKind.WARNING: "预警信息"}


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
        gist=case_gist,
    )


#: Characters of a case's text the case list shows.
LIST_WIDTH = 40


def case_gist(view: CaseView, width: int = LIST_WIDTH) -> str:
    """The case list's 内容: the text's start, or for a critical case whose danger
    sentence is not in it, that sentence (4,000 characters about a 物业 ending
    现在三楼着火了，有人被困在里面！ lists as the fire: trial 30 #2)."""
    text = view.text
    cue = danger_sentence(text) if view.severity == "critical" and not view.summary_only else None
    if cue is not None and cue not in text[:width]:
        return f"【危险】{cue[:width]}{'…' if len(cue) > width else ''}（全文{len(text)}字）"
    return text if len(text) <= width else text[:width] + "…"


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
        if act in (CaseAction.ACKNOWLEDGE, CaseAction.START, CaseAction.URGE, *_DECIDE):
            quick.append({"act": act.value, "label": ACTION_LABELS[act]})
        elif act is CaseAction.DISPATCH:
            detailed.append({"act": act.value, "targets": list(item.targets)})
        elif act is CaseAction.LEVEL:
            detailed.append(
                {
                    "act": act.value,
                    "targets": [],
                    "levels": list(item.targets),
                    "label": ACTION_LABELS[act],
                    "field": "理由",
                    "required": False,
                    "hint": "上调无需理由；下调须写明核实了什么，“特别重大”最多下调至“较大”",
                    "kept": "",
                    "secondary": False,
                }
            )
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


#: Statuses in which the case waits at the dispatcher desk: its deadline is 派单时限,
#: its reminder 催派单 and a missed one 超时未派单, as the bot says (trial 26 T21).
AT_DESK = frozenset({CaseStatus.REGISTERED.value, CaseStatus.RETURNED.value})


def ack_deadline_label(status: str, escalation_level: int = 0) -> str:
    """The name of the acknowledgement deadline: 派单时限 at the desk, else 签收时限.

    After an escalation it is the new round's (督办派单时限, 督办签收时限), as the
    bot's card says: the first deadline was missed (trial 27 N3).
    """
    round_ = "督办" if escalation_level else ""
    return round_ + ("派单时限" if status in AT_DESK else "签收时限")


def _event_words(e: TimelineEntry) -> list[str]:
    """The event's label and the reason of an escalation, in the bot's words."""
    at_desk = (e.to_status or e.from_status or "") in AT_DESK
    if e.type == "renotified":
        bits = ["催派单" if at_desk else e.label]
        round_ = e.data.get("round")
        if isinstance(round_, int):
            bits[0] += f"（第{round_}次）"
        return bits
    bits = [e.label]
    reason = e.data.get("reason") if e.type == "escalated" else None
    if reason == "ack_overdue" and at_desk:
        bits.append("（超时未派单）")
    elif isinstance(reason, str) and reason in ESCALATION_REASONS:
        bits.append(f"（{ESCALATION_REASONS[reason]}）")
    return bits


def _timeline(
    entries: Sequence[TimelineEntry],
    tz: ZoneInfo,
    names: Mapping[str, str],
    reporter_id: int | None = None,
    reporter_word: str = "反映人",
) -> list[dict[str, str]]:
    items = []
    for e in entries:
        words = _event_words(e)
        bits = words[:1]
        if e.type == "severity_changed":
            # Who changed the level: the reporter, or the unit of whoever did (pf31 #5).
            by = "报送人" if e.actor_id == reporter_id else (e.actor_unit_name or "工作人员")
            bits[0] += level_change(e.data, by)
        if e.status_label and e.label not in e.status_label:
            bits.append(f"（状态：{e.status_label}）")
        bits += words[1:]
        target = e.data.get("to_unit_id") if e.type in ("escalated", "returned") else None
        if isinstance(target, str):
            bits.append(f"至{names.get(target, target)}")
        who = "、".join(
            x for x in (_actor_unit(e, reporter_id, reporter_word), e.actor_name or "") if x
        )
        note = e.note or ""
        if e.type == "severity_changed" and note:
            note = f"理由：{note}"
        items.append(
            {
                "at": fmt_time(e.at, tz),
                "what": " ".join(bits),
                "who": f" · {who}" if who else "",
                "channel": f"（{CHANNEL_LABELS.get(e.channel, e.channel)}）",
                "note": note,
            }
        )
    return items


def _actor_unit(e: TimelineEntry, reporter_id: int | None, reporter_word: str) -> str:
    """Whom an event is credited to: the unit of the person who acted (a dispatcher's
    派单 is the desk's, a supervisor's 催办 the supervision centre's, trial 32 D7), the
    reporter as 反映人, and the event's unit only when no person acted (the system)."""
    if e.actor_id is None:
        return e.unit_name
    if e.actor_id == reporter_id:
        return reporter_word
    return e.actor_unit_name or "工作人员"


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
    split: Sequence[tuple[str, str]] | None = None,
) -> Page:
    """``/dashboard/cases/{id}``: the card, the actions and the timeline; ``split``: the
    destinations of the 拆分 form when the viewer may split the case (else None)."""
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
        split=split,
        split_post=f"/dashboard/cases/{view.id}/split",
        links=split_links(entries),
        quick=quick,
        detailed=detailed,
        timeline=_timeline(
            entries,
            tz,
            names,
            view.reporter_id,
            "报送人" if view.kind == "warning" else "反映人",
        ),
        ack_label=ack_deadline_label(view.status, view.escalation_level),
    )


def split_links(entries: Sequence[TimelineEntry]) -> list[tuple[str, str, int]]:
    """拆分自 / 已拆分出 of a case, from its timeline: (label, number, case id)."""
    out: list[tuple[str, str, int]] = []
    for e in entries:
        if e.type == "split_from" and e.data.get("from_number"):
            out.append(("拆分自", str(e.data["from_number"]), int(e.data.get("from_case_id", 0))))
        elif e.type == "split" and e.data.get("into_number"):
            out.append(("已拆分出", str(e.data["into_number"]), int(e.data.get("into_case_id", 0))))
    return out


# --- overview, assessment, coverage ----------------------------------------------------------


def overview_page(viewer: ViewerInfo, data: Overview) -> Page:
    """``/dashboard/overview``: open, overdue and resolved this month, by station and room."""
    return layout("dash_overview.html", viewer, active="overview", data=data)


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
        months=month_options(data.month, months),
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
