"""HTML of the dashboard (民情工作台): layout, navigation and one function per page.

Every value that comes from a person (case text, names, notes, file sections,
diary entries) goes through :func:`bot.web.html.render`, which escapes it;
only markup written here is trusted. Pages are server-rendered, without
JavaScript, and usable on a phone: tables scroll sideways inside their card,
and the case list turns into one card per case on narrow screens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    OverviewRow,
    case_deadline,
    pct,
    points,
)
from bot.web.html import Markup, attrs, join, page, render
from config.district import District, UnitKind
from storage.enums import CaseKind, CaseStatus, ResidentialSection
from storage.models import DiaryEntry

SITE_NAME = "民情工作台"
HOME = "/dashboard"

ROLE_LABELS = {"chief": "站长", "staff": "工作人员", "admin": "管理员", "officer": "信息员"}
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
    "diary": "民情日记已保存。",
    "file": "档案栏目已保存。",
}

DASHBOARD_CSS = """
main,footer{max-width:1120px}
td.nowrap{white-space:nowrap}
dl.kv{display:grid;grid-template-columns:7em 1fr;gap:6px 12px}
dl.kv dt{margin:0;padding-top:1px}
.quick{display:flex;flex-wrap:wrap;gap:8px}
.quick button{margin:0 0 8px}
.actions details{border-top:1px solid #e5e7eb;padding:6px 0}
.actions summary{font-weight:600;padding:6px 0}
.filters a.step{padding:10px 4px;white-space:nowrap}
.filters a{align-self:center}
nav.dash{display:flex;flex-wrap:wrap;align-items:center;gap:4px 6px;margin:0 0 12px;
padding:8px;background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
nav.dash a{padding:6px 10px;border-radius:6px;color:#1f2328;text-decoration:none;
white-space:nowrap}
nav.dash a.on{background:#b71c1c;color:#fff}
nav.dash .me{margin-left:auto;color:#57606a;font-size:.9em;display:flex;align-items:center;
gap:8px;flex-wrap:wrap}
nav.dash form{margin:0}
nav.dash button{margin:0;padding:6px 12px;font-size:.9em}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.95em}
th,td{padding:8px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
tr.late td{background:#fff5f5}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8em;
background:#e7e9ed;color:#1f2328;white-space:nowrap;margin:1px 2px 1px 0}
.badge.late{background:#d93025;color:#fff}
.badge.warn{background:#f9a825;color:#1f2328}
.badge.good{background:#2e7d32;color:#fff}
.badge.sev-high,.badge.sev-critical{background:#8a1c12;color:#fff}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
.filters label{margin:0;font-weight:400;font-size:.9em}
.filters select,.filters input{width:auto;min-width:8em;padding:6px 8px}
.filters button{margin:0}
.summary{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 16px}
.summary .stat{background:#fff;border-radius:8px;padding:10px 16px;min-width:9em;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
.stat b{display:block;font-size:1.5em}
.actions form{border-top:1px solid #e5e7eb;padding:8px 0 4px}
.actions form:first-of-type{border-top:0}
.actions textarea{min-height:4em}
.actions button{margin-top:8px}
.pre{white-space:pre-wrap;word-break:break-word}
.chart svg{max-width:100%;height:auto}
.chart{overflow-x:auto;margin:0 0 16px}
details{margin:8px 0}
summary{cursor:pointer;color:#0b57d0}
a{color:#0b57d0}
.indent-1{padding-left:1.2em}.indent-2{padding-left:2.4em}.indent-3{padding-left:3.6em}
@media (max-width:700px){
 dl.kv{display:block}
 dl.kv dt{margin-top:8px}
 table.cases thead{display:none}
 table.cases,table.cases tbody,table.cases tr,table.cases td{display:block;width:100%}
 table.cases tr{border-bottom:8px solid #f5f6f8;padding:6px 0}
 table.cases td{border:0;padding:3px 10px}
 table.cases td::before{content:attr(data-label) "：";color:#57606a;font-size:.85em}
 nav.dash .me{margin-left:0}
}
"""


@dataclass(frozen=True)
class ViewerInfo:
    """Who is looking, as the layout shows them."""

    name: str
    role: str
    unit_name: str
    district_user: bool
    csrf: str


def _nav(viewer: ViewerInfo, active: str) -> Markup:
    items = [("cases", HOME, "案件")]
    if viewer.district_user:
        items.append(("overview", "/dashboard/overview", "全区概况"))
    items += [
        ("assessment", "/dashboard/assessment", "考核"),
        ("coverage", "/dashboard/coverage", "网络覆盖"),
        ("diary", "/dashboard/diary", "民情日记"),
        ("files", "/dashboard/files", "居情档案"),
    ]
    links = [
        render(
            "<a {a}>{label}</a>",
            a=attrs(href=href, class_="on" if key == active else None),
            label=label,
        )
        for key, href, label in items
    ]
    who = f"{viewer.name}（{viewer.unit_name}·{ROLE_LABELS.get(viewer.role, viewer.role)}）"
    return render(
        '<nav class="dash" aria-label="工作台导航">{links}<span class="me">{who}'
        '<form method="post" action="/logout"><input type="hidden" name="csrf_token" '
        'value="{csrf}"><button type="submit" class="secondary">退出</button></form>'
        "</span></nav>",
        links=join(links),
        who=who,
        csrf=viewer.csrf,
    )


def layout(
    viewer: ViewerInfo,
    title: str,
    body: Markup,
    *,
    active: str,
    ok: str | None = None,
    error: str | None = None,
) -> Markup:
    """A dashboard page: navigation, title, messages, content."""
    messages = [
        render('<div class="ok" role="status">{m}</div>', m=ok) if ok else Markup(""),
        render('<div class="error" role="alert">{m}</div>', m=error) if error else Markup(""),
    ]
    content = render(
        "{nav}<h1>{title}</h1>{messages}{body}",
        nav=_nav(viewer, active),
        title=title,
        messages=join(messages),
        body=body,
    )
    return page(
        title,
        content,
        site_name=SITE_NAME,
        home=HOME,
        footer="民情工作台 · 页面内容仅供工作使用，请勿截图外传群众个人信息。",
        extra_css=DASHBOARD_CSS,
    )


def message_page(title: str, message: str, *, link: tuple[str, str] | None = None) -> Markup:
    """A page with one message (login problems, refusals, not found)."""
    extra = render('<p><a href="{h}">{t}</a></p>', h=link[0], t=link[1]) if link else Markup("")
    return page(
        title,
        render(
            '<h1>{title}</h1><div class="card"><p>{message}</p>{extra}</div>',
            title=title,
            message=message,
            extra=extra,
        ),
        site_name=SITE_NAME,
        home=HOME,
        extra_css=DASHBOARD_CSS,
    )


def _table(
    headers: Sequence[str | tuple[str, str]], rows: Iterable[Markup], *, cls: str = ""
) -> Markup:
    heads = []
    for h in headers:
        label, hcls = (h, "") if isinstance(h, str) else h
        heads.append(render("<th {a}>{label}</th>", a=attrs(class_=hcls or None), label=label))
    return render(
        '<div class="table-wrap"><table {a}><thead><tr>{heads}</tr></thead>'
        "<tbody>{rows}</tbody></table></div>",
        a=attrs(class_=cls or None),
        heads=join(heads),
        rows=join(rows),
    )


def _badge(text: str, cls: str = "") -> Markup:
    return render("<span {a}>{t}</span>", a=attrs(class_=f"badge {cls}".strip()), t=text)


def _options(choices: Iterable[tuple[str, str]], selected: str | None) -> Markup:
    return join(
        render(
            "<option {a}>{label}</option>",
            a=attrs(value=value, selected=value == (selected or "")),
            label=label,
        )
        for value, label in choices
    )


# --- cases -----------------------------------------------------------------------------------


def case_link(view: CaseView) -> str:
    """The case page of a case."""
    return f"/dashboard/cases/{view.id}"


def _office(view: CaseView) -> str:
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
) -> Markup:
    """``/dashboard``: the viewer's cases, overdue first."""
    statuses = [("", "全部在办")] + [(s.value, STATUS_LABELS_CN[s]) for s in CaseStatus]
    kinds = [("", "全部类型")] + [(k.value, label) for k, label in KIND_FILTER_LABELS.items()]
    query = {k: v for k, v in (("status", flt.status), ("kind", flt.kind)) if v}
    export = "/dashboard/export/cases.csv" + (f"?{urlencode(query)}" if query else "")
    filters = render(
        '<form class="card filters" method="get" action="/dashboard">'
        '<label>状态<br><select name="status">{statuses}</select></label>'
        '<label>类型<br><select name="kind">{kinds}</select></label>'
        '<button type="submit">筛选</button>'
        '<a href="{export}">导出 CSV</a></form>',
        statuses=_options(statuses, flt.status),
        kinds=_options(kinds, flt.kind),
        export=export,
    )
    late = sum(1 for v in views if v.overdue)
    summary = render(
        '<div class="summary"><div class="stat">案件<b>{n}</b></div>'
        '<div class="stat">超期<b>{late}</b></div></div>',
        n=len(views),
        late=late,
    )
    if not views:
        listing = render('<div class="card"><p>{t}</p></div>', t="暂无符合条件的案件。")
    else:
        rows = []
        for v in views:
            badges = [_badge(v.status_label)]
            if v.overdue:
                badges.append(_badge("超期", "late"))
            if v.escalation_level:
                badges.append(_badge(f"已上报{v.escalation_level}级", "warn"))
            rows.append(
                render(
                    "<tr {a}>"
                    '<td data-label="编号" class="nowrap"><a href="{href}">{number}</a></td>'
                    '<td data-label="类型" class="nowrap">{kind}</td>'
                    '<td data-label="状态">{badges}</td>'
                    '<td data-label="服务室/局">{office}</td>'
                    '<td data-label="严重程度">{sev}</td>'
                    '<td data-label="承办单位">{unit}</td>'
                    '<td data-label="时限">{due}</td>'
                    '<td data-label="内容">{text}</td>'
                    "</tr>",
                    a=attrs(class_="late" if v.overdue else None),
                    href=case_link(v),
                    number=v.number,
                    kind=v.kind_label,
                    badges=join(badges),
                    office=_office(v),
                    sev=_badge(v.severity_label, f"sev-{v.severity}"),
                    unit=v.owning_unit_name,
                    due=fmt_time(case_deadline(v), tz),
                    text=v.text if len(v.text) <= 40 else v.text[:40] + "…",
                )
            )
        listing = _table(
            ["编号", "类型", "状态", "服务室/局", "严重程度", "承办单位", "时限", "内容"],
            rows,
            cls="cases",
        )
    more = (
        render('<p class="muted">{t}</p>', t="只显示了前一部分案件，请用筛选条件缩小范围。")
        if cut
        else Markup("")
    )
    return layout(
        viewer,
        "案件",
        render("{f}{s}{l}{m}", f=filters, s=summary, l=listing, m=more),
        active="cases",
        ok=ok,
    )


@dataclass(frozen=True)
class ActionForm:
    """One action the viewer may take on a case."""

    action: CaseAction
    targets: Sequence[tuple[str, str]] = ()


def _hidden(csrf: str, version: int, act: CaseAction) -> Markup:
    return render(
        '<input type="hidden" name="csrf_token" value="{csrf}">'
        '<input type="hidden" name="version" value="{version}">'
        '<input type="hidden" name="action" value="{act}">',
        csrf=csrf,
        version=version,
        act=act.value,
    )


#: Actions that need a text (or a choice) first: label of the field, required, hint.
_NOTE_FIELDS: dict[CaseAction, tuple[str, bool, str]] = {
    CaseAction.RESOLVE: ("办理结果", True, "必填，将告知群众"),
    CaseAction.RETURN: ("退单理由", True, "必填；案件将退回分派台重新派单"),
    CaseAction.ESCALATE: ("上报说明", False, "可选；案件将上报上一级督办"),
}


def _action_forms(view: CaseView, actions: Sequence[ActionForm], csrf: str, note: str) -> Markup:
    post = f"/dashboard/cases/{view.id}/act"
    quick: list[Markup] = []
    detailed: list[Markup] = []
    for item in actions:
        act = item.action
        hidden = _hidden(csrf, view.version, act)
        if act in (CaseAction.ACKNOWLEDGE, CaseAction.START):
            quick.append(
                render(
                    '<form method="post" action="{post}">{hidden}'
                    '<button type="submit">{label}</button></form>',
                    post=post,
                    hidden=hidden,
                    label=ACTION_LABELS[act],
                )
            )
        elif act is CaseAction.DISPATCH:
            detailed.append(
                render(
                    '<details open><summary>派单</summary><form method="post" action="{post}">'
                    '{hidden}<label for="target">派至</label>'
                    '<select id="target" name="target" required>{options}</select>'
                    '<button type="submit">派单</button></form></details>',
                    post=post,
                    hidden=hidden,
                    options=_options(item.targets, None),
                )
            )
        elif act in _NOTE_FIELDS:
            label, required, hint = _NOTE_FIELDS[act]
            kept = note if act is CaseAction.RESOLVE else ""
            detailed.append(
                render(
                    "<details {open}><summary>{action}</summary>"
                    '<form method="post" action="{post}">{hidden}'
                    '<label for="note-{act}">{label} <span class="hint">（{hint}）</span></label>'
                    '<textarea id="note-{act}" name="note" maxlength="2000" {req}>{kept}</textarea>'
                    '<button type="submit" {cls}>{action}</button></form></details>',
                    open=attrs(open=bool(kept)),
                    action=ACTION_LABELS[act],
                    post=post,
                    hidden=hidden,
                    act=act.value,
                    label=label,
                    hint=hint,
                    req=attrs(required=required),
                    kept=kept,
                    cls=attrs(class_="secondary" if act is CaseAction.RETURN else None),
                )
            )
    if not quick and not detailed:
        return render(
            '<section class="card"><h2>办理</h2><p class="muted">{t}</p></section>',
            t="您可以查看此案件，但当前没有可由您办理的操作。",
        )
    return render(
        '<section class="card actions"><h2>办理</h2><div class="quick">{quick}</div>{detailed}'
        "</section>",
        quick=join(quick),
        detailed=join(detailed),
    )


def _timeline(entries: Sequence[TimelineEntry], tz: ZoneInfo, names: Mapping[str, str]) -> Markup:
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
            render(
                "<li><b>{at}</b> {what}{who}{channel}{note}</li>",
                at=fmt_time(e.at, tz),
                what=" ".join(bits),
                who=f" · {who}" if who else "",
                channel=f"（{CHANNEL_LABELS.get(e.channel, e.channel)}）",
                note=render('<div class="pre muted">{n}</div>', n=e.note) if e.note else Markup(""),
            )
        )
    if not items:
        return render('<p class="muted">暂无记录。</p>')
    return render('<ol class="timeline">{i}</ol>', i=join(items))


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
) -> Markup:
    """``/dashboard/cases/{id}``: the card, the actions and the timeline."""
    badges = [_badge(view.status_label), _badge(view.severity_label, f"sev-{view.severity}")]
    if view.overdue:
        badges.append(_badge("超期", "late"))
    rows: list[tuple[str, object]] = [
        ("类型", view.kind_label),
        ("状态", join(badges, " ")),
        ("服务室/局", _office(view)),
        ("承办单位", view.owning_unit_name),
    ]
    if view.territorial_unit_name:
        rows.append(("属地", view.territorial_unit_name))
    if view.escalated_to_unit_name:
        rows.append(("已上报至", f"{view.escalated_to_unit_name}（第{view.escalation_level}级）"))
    rows += [
        ("登记时间", fmt_time(view.created_at, tz)),
        ("签收时限", fmt_time(view.ack_due_at, tz)),
        ("办结时限", fmt_time(view.resolve_due_at, tz)),
    ]
    if view.resolved_at:
        rows.append(("办结时间", fmt_time(view.resolved_at, tz)))
    rows.append(("反映内容", render('<div class="pre">{t}</div>', t=view.text)))
    if view.address:
        rows.append(("地址", view.address))
    if view.head_count:
        rows.append(("涉及人数", f"{view.head_count}人"))
    if view.contact_name or view.contact_phone:
        contact = " ".join(x for x in (view.contact_name, view.contact_phone) if x)
        rows.append(("联系人", contact + ("（已隐去部分信息）" if view.masked else "")))
    if view.photo_count:
        rows.append(("照片", f"{view.photo_count}张（请在机器人中查看）"))
    if view.keywords:
        rows.append(("分类依据", "、".join(view.keywords)))
    if view.resolution_note:
        rows.append(("办理结果", render('<div class="pre">{t}</div>', t=view.resolution_note)))
    card = render(
        '<section class="card"><dl class="kv">{rows}</dl></section>',
        rows=join(render("<dt>{k}</dt><dd>{v}</dd>", k=k, v=v) for k, v in rows),
    )
    body = render(
        '<p><a href="/dashboard">← 返回案件列表</a></p>{card}{actions}'
        '<section class="card"><h2>办理过程</h2>{timeline}</section>',
        card=card,
        actions=_action_forms(view, actions, viewer.csrf, note),
        timeline=_timeline(entries, tz, names),
    )
    return layout(viewer, f"案件 {view.number}", body, active="cases", ok=ok, error=error)


# --- overview --------------------------------------------------------------------------------


def _overview_rows(rows: Sequence[OverviewRow], total: OverviewRow) -> list[Markup]:
    out = [
        render(
            '<tr {a}><td>{name}</td><td class="num">{open}</td><td class="num">{late}</td>'
            '<td class="num">{done}</td></tr>',
            a=attrs(class_="late" if r.overdue else None),
            name=r.name,
            open=r.open,
            late=r.overdue,
            done=r.resolved_month,
        )
        for r in rows
    ]
    out.append(
        render(
            '<tr><th>{name}</th><th class="num">{open}</th><th class="num">{late}</th>'
            '<th class="num">{done}</th></tr>',
            name=total.name,
            open=total.open,
            late=total.overdue,
            done=total.resolved_month,
        )
    )
    return out


def overview_page(viewer: ViewerInfo, data: Overview) -> Markup:
    """``/dashboard/overview``: open, overdue and resolved this month, by station and room."""
    heads: list[str | tuple[str, str]] = [
        "单位",
        ("在办", "num"),
        ("超期", "num"),
        (f"本月办结（{data.month}）", "num"),
    ]
    room_heads: list[str | tuple[str, str]] = ["服务室", *heads[1:]]
    summary = render(
        '<div class="summary"><div class="stat">在办<b>{o}</b></div>'
        '<div class="stat">超期<b>{l}</b></div><div class="stat">本月办结<b>{d}</b></div></div>',
        o=data.total.open,
        l=data.total.overdue,
        d=data.total.resolved_month,
    )
    body = render(
        "{summary}"
        '<section class="card"><h2>按工作站</h2>'
        '<p class="muted">社区、居民区工作室的案件计入其所属街道（园区）工作站。</p>{st}</section>'
        '<section class="card"><h2>按服务室</h2>{rm}</section>',
        summary=summary,
        st=_table(heads, _overview_rows(data.by_station, data.total)),
        rm=_table(room_heads, _overview_rows(data.by_room, data.total)),
    )
    return layout(viewer, "全区概况", body, active="overview")


# --- assessment ------------------------------------------------------------------------------


def _month_nav(path: str, month: str, prev: str, nxt: str, choices: Sequence[str]) -> Markup:
    options = [(m, f"{int(m[:4])}年{int(m[5:])}月") for m in choices]
    if month not in choices:
        options.insert(0, (month, f"{int(month[:4])}年{int(month[5:])}月"))
    return render(
        '<form class="card filters" method="get" action="{path}">'
        '<a class="step" href="{path}?month={prev}">← 上月</a>'
        '<label>月份<br><select name="month">{options}</select></label>'
        '<button type="submit">查看</button>'
        '<a class="step" href="{path}?month={nxt}">下月 →</a></form>',
        path=path,
        prev=prev,
        nxt=nxt,
        options=_options(options, month),
    )


def assessment_page(
    viewer: ViewerInfo,
    data: Assessment,
    *,
    prev: str,
    nxt: str,
    weights: Mapping[str, float],
    months: Sequence[str],
    error: str | None = None,
) -> Markup:
    """``/dashboard/assessment``: the month's figures per unit, the ranking and the trend."""
    heads: list[str | tuple[str, str]] = [
        ("排名", "num"),
        "单位",
        ("派单", "num"),
        ("退单", "num"),
        ("响应率", "num"),
        ("按时办结率", "num"),
        ("解决率", "num"),
        ("满意率", "num"),
        ("退单率", "num"),
        ("重办率", "num"),
        ("综合得分", "num"),
    ]
    rows = [
        render(
            '<tr><td class="num">{rank}</td><td>{name}</td><td class="num">{d}</td>'
            '<td class="num">{r}</td><td class="num">{resp}</td><td class="num">{ot}</td>'
            '<td class="num">{res}</td><td class="num">{sat}</td><td class="num">{ret}</td>'
            '<td class="num">{reo}</td><td class="num"><b>{total}</b></td></tr>',
            rank=r.rank if r.rank is not None else "—",
            name=r.score.unit_name,
            d=r.score.dispatched,
            r=r.score.returned,
            resp=pct(r.score.response_rate),
            ot=pct(r.score.on_time_rate),
            res=pct(r.score.resolution_rate),
            sat=pct(r.score.satisfaction_rate),
            ret=pct(r.score.return_rate),
            reo=pct(r.score.reopen_rate),
            total=points(r.score.total),
        )
        for r in data.rows
    ]
    table = (
        _table(heads, rows)
        if rows
        else render('<p class="muted">{t}</p>', t="本月没有派给可见单位的案件。")
    )
    bars = [
        charts.Bar(f"{r.rank}. {r.score.unit_name}", r.score.total)
        for r in data.rows
        if r.score.total is not None and r.rank is not None
    ]
    bar_svg = charts.bar_chart(f"{data.month} 综合得分排名", bars, ranked=False, chart_id="ranking")
    trend_svg = charts.line_chart(
        f"{data.trend_scope}近{len(data.trend_labels)}个月走势",
        data.trend_labels,
        [
            charts.Series("响应率", [s.response_rate for s in data.trend]),
            charts.Series("解决率", [s.resolution_rate for s in data.trend]),
            charts.Series("满意率", [s.satisfaction_rate for s in data.trend]),
            charts.Series("按时办结率", [s.on_time_rate for s in data.trend]),
        ],
        chart_id="trend",
    )
    weight_text = (
        "综合得分 = 响应率×{a} + 解决率×{b} + 满意率×{c}（按权重加权平均，满分100）。".format(
            a=f"{weights.get('response', 0):g}",
            b=f"{weights.get('resolution', 0):g}",
            c=f"{weights.get('satisfaction', 0):g}",
        )
    )
    body = render(
        "{nav}"
        '<section class="card"><h2>{month} 各单位考核</h2><p class="muted">{wt} '
        '<a href="/dashboard/export/scores.csv?month={month}">导出 CSV</a></p>{table}</section>'
        '<section class="card chart">{bar}</section>'
        '<section class="card chart">{trend}</section>',
        nav=_month_nav("/dashboard/assessment", data.month, prev, nxt, months),
        month=data.month,
        wt=weight_text,
        table=table,
        bar=Markup(bar_svg),
        trend=Markup(trend_svg),
    )
    return layout(viewer, "考核", body, active="assessment", error=error)


# --- coverage --------------------------------------------------------------------------------


def _target(have: int, target: int | None) -> Markup:
    if target is None:
        return render("{h}", h=have)
    cls = "good" if have >= target else "late"
    return render(
        "{h} / {t} {b}", h=have, t=target, b=_badge("达标" if have >= target else "未达标", cls)
    )


def coverage_page(viewer: ViewerInfo, cover: Coverage) -> Markup:
    """``/dashboard/coverage``: the network against the seed's targets."""
    summary = render(
        '<div class="summary"><div class="stat">设置率<b>{s}</b></div>'
        '<div class="stat">工作人员达标率<b>{st}</b></div>'
        '<div class="stat">信息员配备率<b>{o}</b></div></div>',
        s=pct(cover.setup_rate),
        st=pct(cover.staff_rate),
        o=pct(cover.officer_rate),
    )
    base = min((u.depth for u in cover.units), default=0)
    rows = [
        render(
            '<tr><td><span {a}>{name}</span>{sample}</td><td>{kind}</td><td class="num">{chiefs}'
            "</td><td>{staff}</td><td>{officers}</td></tr>",
            a=attrs(class_=f"indent-{min(u.depth - base, 3)}" if u.depth > base else None),
            name=u.name,
            sample=_badge("示例") if u.sample else Markup(""),
            kind=UNIT_KIND_LABELS.get(u.kind, u.kind.value),
            chiefs=u.chiefs,
            staff=_target(u.staff, u.staff_target),
            officers=_target(u.officers, u.officer_target),
        )
        for u in cover.units
    ]
    body = render(
        '{summary}<section class="card"><p class="muted">{t}</p>{table}</section>',
        summary=summary,
        t="目标：街道（园区）工作站专兼职工作人员不少于5人，社区（居民区）工作室不少于3人；"
        "信息员街道、园区、社区、居民区、学校各不少于3名，区直部门不少于1名；"
        "工作站（室）设置率、信息员配备率均达到100%。工作站（室）有站长（主任）即视为已设置。",
        table=_table(["单位", "类型", ("站长", "num"), "工作人员（含站长）", "信息员"], rows),
    )
    return layout(viewer, "网络覆盖", body, active="coverage")


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
) -> Markup:
    """``/dashboard/diary``: the month's compliance, and a form for a new entry."""
    visited, content = draft
    summary = render(
        '<div class="summary"><div class="stat">应记领导<b>{n}</b></div>'
        '<div class="stat">已记<b>{m}</b></div><div class="stat">完成率<b>{r}</b></div></div>',
        n=data.leader_count,
        m=data.met_count,
        r=pct(data.rate),
    )
    rows = [
        render(
            '<tr {a}><td>{name}</td><td>{rank}</td><td>{unit}</td><td class="num">{n}</td>'
            "<td>{state}</td></tr>",
            a=attrs(class_=None if leader.met else "late"),
            name=leader.name,
            rank=LEADER_RANKS.get(leader.leader_rank, leader.leader_rank),
            unit=leader.unit_name,
            n=leader.entries,
            state=_badge("已完成", "good") if leader.met else _badge("未记", "late"),
        )
        for leader in data.leaders
    ]
    table = (
        _table(["姓名", "职级", "单位", ("篇数", "num"), "情况"], rows)
        if rows
        else render('<p class="muted">{t}</p>', t="没有需要记民情日记的领导干部。")
    )
    form = render(
        '<section class="card"><h2>写民情日记</h2>'
        '<form method="post" action="/dashboard/diary">'
        '<input type="hidden" name="csrf_token" value="{csrf}">'
        '<label for="visited_on">走访日期</label>'
        '<select id="visited_on" name="visited_on" required>{days}</select>'
        '<label for="content">走访情况 '
        '<span class="hint">（群众所想、所需、所盼，及解决方案）</span></label>'
        '<textarea id="content" name="content" required maxlength="5000">{content}'
        "</textarea>"
        '<button type="submit">保存日记</button></form></section>',
        csrf=viewer.csrf,
        days=_options(_visit_days(today), visited or today.isoformat()),
        content=content,
    )
    entries = [
        render(
            '<li><b>{day}</b>（{ch}）<div class="pre">{text}</div></li>',
            day=e.visited_on.isoformat(),
            ch=CHANNEL_LABELS.get(e.channel, e.channel),
            text=e.content,
        )
        for e in mine
    ]
    mine_html = render(
        '<section class="card"><h2>我的日记</h2>{list}</section>',
        list=render('<ol class="timeline">{i}</ol>', i=join(entries))
        if entries
        else render('<p class="muted">{t}</p>', t="您还没有写过民情日记。"),
    )
    body = render(
        "{nav}{summary}"
        '<section class="card"><h2>{month} 完成情况</h2><p class="muted">{rule}</p>{table}'
        "</section>"
        "{form}{mine}",
        nav=_month_nav("/dashboard/diary", data.month, prev, nxt, months),
        summary=summary,
        month=data.month,
        rule="副科级以上领导干部每月“民情日记”不少于1篇，结合每月28日“民情日”走访。",
        table=table,
        form=form,
        mine=mine_html,
    )
    return layout(viewer, "民情日记", body, active="diary", ok=ok, error=error)


# --- residential files -----------------------------------------------------------------------


def _file_status_badge(status: FileStatus) -> Markup:
    cls = {FileStatus.COMPLETE: "good", FileStatus.PARTIAL: "warn", FileStatus.EMPTY: "late"}
    return _badge(STATUS_LABELS[status], cls[status])


def files_page(viewer: ViewerInfo, units: Sequence[UnitFileCoverage], district: District) -> Markup:
    """``/dashboard/files``: the files the viewer may read and how far each is set up."""
    rows = [
        render(
            '<tr><td><a href="/dashboard/files/{uid}">{name}</a></td><td>{station}</td>'
            '<td>{status}</td><td class="num">{n}/6</td><td>{missing}</td></tr>',
            uid=u.unit_id,
            name=u.unit_name,
            station=district.units[u.station_id].name if u.station_id else "—",
            status=_file_status_badge(u.status),
            n=len(u.filled),
            missing="、".join(SECTION_LABELS[s] for s in u.missing) or "—",
        )
        for u in units
    ]
    complete = sum(1 for u in units if u.status is FileStatus.COMPLETE)
    summary = render(
        '<div class="summary"><div class="stat">档案数<b>{n}</b></div>'
        '<div class="stat">已建档<b>{c}</b></div><div class="stat">建档率<b>{r}</b></div></div>',
        n=len(units),
        c=complete,
        r=pct(complete / len(units)) if units else "—",
    )
    table = (
        _table(["社区/居民区", "所属工作站", "状态", ("栏目", "num"), "缺少栏目"], rows)
        if rows
        else render('<p class="muted">{t}</p>', t="没有您可以查看的居情档案。")
    )
    body = render(
        '{summary}<section class="card"><p class="muted">{t}</p>{table}</section>',
        summary=summary,
        t="居情档案包括党务工作、重大事务、财务收支、土地流转、计划生育、困难救助六个栏目；"
        "六个栏目都有内容即为已建档。",
        table=table,
    )
    return layout(viewer, "居情档案", body, active="files")


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
) -> Markup:
    """``/dashboard/files/{unit_id}``: the six sections, edit forms and history."""
    sections = []
    for section in SECTIONS:
        current = file.sections.get(section)
        label = SECTION_LABELS[section]
        if current is not None:
            shown = render(
                '<div class="pre">{c}</div><p class="muted">最后修改：{who} {at}</p>',
                c=current.content,
                who=current.editor_name or "—",
                at=fmt_time(current.created_at, tz),
            )
        else:
            shown = render('<p class="muted">{t}</p>', t="尚未填写。")
        form = Markup("")
        if editable:
            text = current.content if current is not None else ""
            if draft is not None and draft[0] == section.value:
                text = draft[1]
            form = render(
                "<details><summary>编辑“{label}”</summary>"
                '<form method="post" action="/dashboard/files/{uid}">'
                '<input type="hidden" name="csrf_token" value="{csrf}">'
                '<input type="hidden" name="section" value="{section}">'
                '<input type="hidden" name="base_revision_id" value="{base}">'
                '<textarea name="content" required maxlength="20000" aria-label="{label}">{text}'
                "</textarea>"
                '<button type="submit">保存</button></form></details>',
                label=label,
                uid=file.unit_id,
                csrf=viewer.csrf,
                section=section.value,
                base=current.id if current is not None else 0,
                text=text,
            )
        revs = history.get(section, ())
        hist = Markup("")
        if len(revs) > 1:
            hist = render(
                '<details><summary>修改记录（{n}）</summary><ol class="timeline">{items}</ol>'
                "</details>",
                n=len(revs),
                items=join(
                    render(
                        '<li><b>{at}</b> {who}<div class="pre muted">{c}</div></li>',
                        at=fmt_time(r.created_at, tz),
                        who=r.editor_name or "—",
                        c=r.content,
                    )
                    for r in revs
                ),
            )
        sections.append(
            render(
                '<section class="card" id="{sid}"><h2>{label}</h2>{shown}{form}{hist}</section>',
                sid=section.value,
                label=label,
                shown=shown,
                form=form,
                hist=hist,
            )
        )
    head = render(
        '<p><a href="/dashboard/files">← 返回档案列表</a></p>'
        '<div class="summary"><div class="stat">状态<b>{status}</b></div>'
        '<div class="stat">已填栏目<b>{n}/6</b></div></div>',
        status=STATUS_LABELS[file.status],
        n=len(file.filled),
    )
    return layout(
        viewer,
        f"居情档案：{file.unit_name}",
        render("{head}{sections}", head=head, sections=join(sections)),
        active="files",
        ok=ok,
        error=error,
    )
