"""The dashboard's frame (民情工作台): who is looking, the navigation, messages, month pickers.

:func:`layout` wraps every dashboard page in ``dash_base.html`` with the
viewer's name and title, the navigation their access allows and the message
after a form (:data:`FLASH`); :func:`message_page` is the one-message page for
login problems, refusals and pages not found. The pages themselves are in
:mod:`bot.web.dashboard_pages` (cases and figures) and
:mod:`bot.web.dashboard_record_pages` (diary and residential files).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.web.dashboard_export import pct, points
from bot.web.html import Page

SITE_NAME = "民情工作台"
HOME = "/dashboard"

#: Messages after a successful POST (``?ok=…``); never user text in URLs.
FLASH = {
    "ack": "已签收。",
    "start": "已标记为处理中。",
    "done": "已办结，系统将向群众发送回访。",
    "ret": "已退单，案件已退回分派台。",
    "esc": "已上报上一级。",
    "disp": "已派单。",
    "urge": "已催办，承办单位已收到督办提醒。",
    "ext": "延期申请已提交督查督办中心审批。",
    "xok": "已同意延期，已通知承办单位和群众。",
    "xno": "已不同意延期，已通知承办单位。",
    "split": "已拆分：另一件事已登记为新案件（编号见办理过程），群众已收到两个编号的通知。",
    "split_web": (
        "已拆分：另一件事已登记为新案件（编号见办理过程）。群众通过网页或Open311反映，"
        "系统无法向其推送通知：新编号和查询码显示在原编号的查询页上，必要时请电话告知。"
    ),
    "lvl": "等级已更改，承办单位和已收到预警的单位均已看到新等级。",
    "diary": "民情日记已保存。",
    "diary_uncounted": (
        "民情日记已保存。只有副科级以上领导干部的民情日记计入每月考核篇数（每月不少于1篇）；"
        "您尚未登记为副科级以上领导干部，本篇不计入。如您是，请联系管理员登记职级。"
    ),
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


def month_options(month: str, choices: Sequence[str]) -> list[tuple[str, str]]:
    """The month picker's options, (``2024-09``, 2024年9月): ``month`` first if not a choice."""
    options = [(m, f"{int(m[:4])}年{int(m[5:])}月") for m in choices]
    if month not in choices:
        options.insert(0, (month, f"{int(month[:4])}年{int(month[5:])}月"))
    return options
