"""Every Chinese text and button that a case change sends, in one place.

The Telegram outbox and the web pages render cases with these functions, so the
wording stays the same everywhere. Nothing here does I/O; the functions take a
:class:`bot.services.cases.CaseView` (already masked as the recipient may see it).

Buttons are Telegram ``InlineKeyboardMarkup`` dicts
``{"inline_keyboard": [[{"text": ..., "callback_data": ...}, ...], ...]}`` whose
data is signed with :class:`bot.services.callbacks.CallbackCodec` and carries the case
version the card was drawn at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.services.callbacks import CallbackCodec, CaseAction
from config.workdays import Span

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView
    from config.district import District

#: The district's time zone: deadlines are shown and months are counted in it.
DISTRICT_TZ = ZoneInfo("Asia/Shanghai")

KIND_LABELS = {"request": "群众诉求", "warning": "预警信息"}
SEVERITY_LABELS = {"low": "一般", "medium": "较大", "high": "重大", "critical": "特别重大"}
SATISFACTION_LABELS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
}
CHANNEL_LABELS = {
    "telegram": "Telegram",
    "web": "网页",
    "open311": "开放接口",
    "cli": "命令行",
    "system": "系统",
}
EVENT_LABELS = {
    "registered": "登记",
    "dispatched": "派单",
    "acknowledged": "签收",
    "in_progress": "开始处理",
    "resolved": "办结",
    "returned": "退单",
    "followed_up": "回访",
    "reopened": "重办",
    "closed": "结案",
    "escalated": "上报督办",
    "renotified": "催签收",
    "reminded": "催办",
    "extension_requested": "申请延期",
    "extension_approved": "批准延期",
    "extension_refused": "不予延期",
    "severity_changed": "调整等级",
    "details_added": "补充情况",
}
#: What a reporter (citizen or officer who does not handle the case) sees of the
#: timeline: no internal steps (催签收, 催办, 等级, 延期申请) and no office jargon.
PUBLIC_EVENT_LABELS = {
    "registered": "登记",
    "dispatched": "派单",
    "acknowledged": "签收",
    "in_progress": "开始处理",
    "resolved": "办结",
    "returned": "重新分派承办单位",
    "followed_up": "回访",
    "reopened": "重办",
    "closed": "结案",
    "escalated": "提请督办",
    "extension_approved": "延期办理",
}
ESCALATION_REASONS = {
    "manual": "承办人员主动上报",
    "ack_overdue": "超时未签收",
    "resolve_overdue": "超过办结时限",
}

#: The follow-up buttons: callback argument -> (label, solved, satisfaction).
FOLLOW_UP_ANSWERS: dict[str, tuple[str, bool, str]] = {
    "satisfied": ("已解决·满意", True, "satisfied"),
    "basically_satisfied": ("已解决·基本满意", True, "basically_satisfied"),
    "unsatisfied": ("已解决·不满意", True, "unsatisfied"),
    "unsolved": ("未解决", False, "unsatisfied"),
}

#: Labels of the card buttons.
ACTION_LABELS: dict[CaseAction, str] = {
    CaseAction.ACKNOWLEDGE: "签收",
    CaseAction.START: "处理中",
    CaseAction.RESOLVE: "办结",
    CaseAction.RETURN: "退单",
    CaseAction.ESCALATE: "上报",
    CaseAction.REFRESH: "刷新",
    CaseAction.EXTEND: "申请延期",
    CaseAction.EXTEND_OK: "同意延期",
    CaseAction.EXTEND_NO: "不同意延期",
}


def fmt_time(when: datetime | None, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """A time as the district reads it, e.g. ``2026-11-28 14:00``."""
    if when is None:
        return "—"
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def fmt_duration(delta: timedelta | Span) -> str:
    """A duration in words: ``7天``, ``24小时``, ``1天12小时``, ``30分钟``, ``5个工作日``."""
    if isinstance(delta, Span):
        if delta.delta is None:
            return delta.label()
        delta = delta.delta
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if minutes == 24 * 60:
        return "24小时"
    parts = []
    if days:
        parts.append(f"{days}天")
    if hours:
        parts.append(f"{hours}小时")
    if mins:
        parts.append(f"{mins}分钟")
    return "".join(parts) or "不到1分钟"


def short_room_name(name: str) -> str:
    """``城建规划服务室`` → ``城建规划``: a room name short enough for a button."""
    return name.removesuffix("服务室")


def _subject(view: CaseView) -> str:
    return "预警" if view.kind == "warning" else "诉求"


# --- markup -----------------------------------------------------------------


def button(
    codec: CallbackCodec,
    text: str,
    action: CaseAction,
    case_id: int,
    version: int,
    arg: str | None = None,
) -> dict[str, str]:
    """One inline button with signed callback data."""
    return {"text": text, "callback_data": codec.encode(action, case_id, version, arg)}


def keyboard(rows: Iterable[Sequence[dict[str, str]]]) -> dict[str, Any] | None:
    """An ``InlineKeyboardMarkup`` dict, or None when there is no button."""
    kept = [list(r) for r in rows if r]
    return {"inline_keyboard": kept} if kept else None


def card_markup(
    codec: CallbackCodec,
    view: CaseView,
    actions: Sequence[CaseAction],
    district: District | None = None,
) -> dict[str, Any] | None:
    """The buttons of a case card for someone allowed ``actions``.

    Status actions (签收 / 处理中 / 办结 / 退单) share the first row and 上报 gets a
    row of its own. For the dispatcher desk, ``DISPATCH`` becomes a button
    "派至<proposed bureau>" (when the case has a bureau) and ``CHOOSE_ROOM`` a row
    of the five rooms and one of the street/park stations (the handler then offers
    that room's bureaus, or the stations, with :func:`dispatch_markup`).
    """
    cid, ver = view.id, view.version
    first = [
        button(codec, ACTION_LABELS[a], a, cid, ver)
        for a in (CaseAction.ACKNOWLEDGE, CaseAction.START, CaseAction.RESOLVE, CaseAction.RETURN)
        if a in actions
    ]
    rows: list[list[dict[str, str]]] = []
    if CaseAction.DISPATCH in actions and view.bureau_name and view.bureau != "unknown":
        rows.append(
            [button(codec, f"派至{view.bureau_name}", CaseAction.DISPATCH, cid, ver, view.bureau)]
        )
    if CaseAction.CHOOSE_ROOM in actions and district is not None:
        rows.append(
            [
                button(codec, short_room_name(room.name), CaseAction.CHOOSE_ROOM, cid, ver, rid)
                for rid, room in district.rooms.items()
            ]
        )
        if territorial_stations(district):
            rows.append(
                [button(codec, STATIONS_LABEL, CaseAction.CHOOSE_ROOM, cid, ver, STATIONS_CHOICE)]
            )
    rows.append(first)
    if CaseAction.ESCALATE in actions:
        rows.append(
            [button(codec, ACTION_LABELS[CaseAction.ESCALATE], CaseAction.ESCALATE, cid, ver)]
        )
    return keyboard(rows)


#: The pseudo room of the desk's picker that lists the street and park stations.
STATIONS_CHOICE = "stations"
STATIONS_LABEL = "街道/园区工作站"


def territorial_stations(district: District) -> list[tuple[str, str]]:
    """``(unit id, name)`` of every street and park work station, in the district's order."""
    return [
        (uid, unit.name)
        for uid, unit in district.units.items()
        if unit.kind in ("street_station", "park_station")
    ]


def dispatch_targets(district: District) -> list[tuple[str, str]]:
    """Everything the desk may 派至: every bureau (by room), then the street/park stations."""
    bureaus = [
        (b.id, f"{district.rooms[b.room_id].name} · {b.name}") for b in district.bureaus.values()
    ]
    return bureaus + [
        (uid, f"{STATIONS_LABEL} · {name}") for uid, name in territorial_stations(district)
    ]


#: The way back from a picker sent under a card (the picker is taken away).
BACK_LABEL = "« 返回"
#: ``REFRESH`` with this argument: close the picker instead of redrawing the card.
CLOSE_PICKER = "close"


def dispatch_markup(
    codec: CallbackCodec, case_id: int, version: int, district: District, room_id: str
) -> dict[str, Any] | None:
    """The bureaus of one room (or, for :data:`STATIONS_CHOICE`, the street and park
    stations) as 派单 buttons, two per row (for the dispatcher desk)."""
    if room_id == STATIONS_CHOICE:
        targets = territorial_stations(district)
    else:
        room = district.rooms.get(room_id)
        if room is None:
            return None
        targets = [(b.id, b.name) for b in room.bureaus.values()]
    buttons = [
        button(codec, name, CaseAction.DISPATCH, case_id, version, uid) for uid, name in targets
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([button(codec, BACK_LABEL, CaseAction.REFRESH, case_id, version, CLOSE_PICKER)])
    return keyboard(rows)


def follow_up_markup(codec: CallbackCodec, case_id: int, version: int) -> dict[str, Any]:
    """The four follow-up answers, two per row."""
    buttons = [
        button(codec, label, CaseAction.FOLLOW_UP, case_id, version, arg)
        for arg, (label, _solved, _sat) in FOLLOW_UP_ANSWERS.items()
    ]
    return {"inline_keyboard": [buttons[:2], buttons[2:]]}


# --- the card -----------------------------------------------------------------


def map_link(latitude: float, longitude: float) -> str:
    """A map page of a shared location (Amap: opens on phones in China; Telegram's
    WGS-84 degrees are said so, Amap converts them)."""
    return f"https://uri.amap.com/marker?position={longitude:.5f},{latitude:.5f}&coordinate=wgs84"


def card_text(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """The case card shown to the people who handle or watch a case."""
    head = f"【{view.kind_label}】{view.number}"
    if view.kind == "warning" or view.severity == "critical":
        head += f"（{view.severity_label}）"
    lines = [head, f"状态：{view.status_label}"]
    if view.overdue:
        lines[-1] += "【已超期】"
    lines.append(f"承办单位：{view.owning_unit_name}")
    if view.escalated_to_unit_name:
        lines.append(f"已上报：{view.escalated_to_unit_name}（第{view.escalation_level}级督办）")
    if view.room_name:
        category = view.room_name + (f" · {view.bureau_name}" if view.bureau_name else "")
        lines.append(f"分类：{category}")
    if view.territorial_unit_name:
        lines.append(f"属地：{view.territorial_unit_name}")
    if view.status in ("registered", "returned"):
        lines.append(f"派单时限：{fmt_time(view.ack_due_at, tz)}")
    elif view.status in ("dispatched", "reopened"):
        lines.append(f"签收时限：{fmt_time(view.ack_due_at, tz)}")
    if view.resolve_due_at is not None and view.status not in ("closed",):
        lines.append(f"办结时限：{fmt_time(view.resolve_due_at, tz)}")
    content_at = len(lines)
    lines.append(f"内容：{view.text}")
    if view.address:
        lines.append(f"地点：{view.address}")
    if view.latitude is not None and view.longitude is not None:
        lines.append(f"位置：{map_link(view.latitude, view.longitude)}")
    if view.head_count:
        lines.append(f"涉及人数：约{view.head_count}人")
    who = "报送人" if view.kind == "warning" else "联系人"
    if view.contact_name:
        lines.append(f"{who}：{view.contact_name}")
    if view.contact_phone:
        lines.append(
            f"{'报送人电话' if view.kind == 'warning' else '联系电话'}：{view.contact_phone}"
        )
    if view.photo_count:
        lines.append(f"照片：{view.photo_count}张")
    if view.resolution_note and view.status in ("resolved", "followed_up", "closed"):
        lines.append(f"办理结果：{view.resolution_note}")
    lines.append(f"登记时间：{fmt_time(view.created_at, tz)}")
    text = "\n".join(lines)
    if _units(text) <= CARD_LIMIT:
        return text
    # Too long for one message: cut the content, keep every field after it.
    rest = _units(text) - _units(lines[content_at])
    tail = f"…（全文共{len(view.text)}字，请发送 /web 在网页工作台查看）"
    budget = CARD_LIMIT - rest - _units("内容：") - _units(tail)
    lines[content_at] = f"内容：{_cut_units(view.text, max(budget, 0))}{tail}"
    return "\n".join(lines)


#: Telegram's limit on one message, in UTF-16 code units.
CARD_LIMIT = 4096


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _cut_units(text: str, budget: int) -> str:
    """The longest start of ``text`` within ``budget`` UTF-16 units."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            return text[:i]
    return text


def details_added(view: CaseView, added: Mapping[str, Any]) -> str:
    """The ping when the reporting officer adds details to a filed warning."""
    lines = [f"【预警补充】{view.number}（{view.severity_label}）"]
    if "place" in added:
        lines.append(f"地点：{added['place']}")
    if "location" in added:
        latitude, longitude = added["location"]
        lines.append(f"位置：{map_link(latitude, longitude)}")
    if "head_count" in added:
        lines.append(f"涉及人数：约{added['head_count']}人")
    if "photos" in added:
        lines.append(f"新增照片：{added['photos']}张（共{view.photo_count}张）")
    return "\n".join(lines)


# --- messages to the reporter ---------------------------------------------------


def reporter_registered(view: CaseView, district: District, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """The confirmation a reporter gets when the case is filed."""
    subject = _subject(view)
    lines = [f"您的{subject}已登记。", f"编号：{view.number}"]
    if view.status in ("registered", "returned"):
        resolve = district.deadlines[view.priority].resolve
        lines.append(
            f"正在由{view.owning_unit_name}分派承办单位（{fmt_time(view.ack_due_at, tz)}前）。"
        )
        lines.append(f"办结时限：派单后{fmt_duration(resolve)}内")
    else:
        lines.append(f"承办单位：{view.owning_unit_name}")
        lines.append(f"办结时限：{fmt_time(view.resolve_due_at, tz)}")
    lines.append("您将收到每一次进展的通知。可随时发送 /status 查询办理情况。")
    return "\n".join(lines)


def reporter_dispatched(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """The case was dispatched by hand (or re-dispatched after a return)."""
    return (
        f"您的{_subject(view)}（{view.number}）已转交{view.owning_unit_name}办理，"
        f"办结时限：{fmt_time(view.resolve_due_at, tz)}。"
    )


def reporter_acknowledged(view: CaseView, by: str | None = None) -> str:
    """The owning unit (or ``by``, the unit it was escalated to) acknowledged (签收)."""
    return f"您的{_subject(view)}（{view.number}）已由{by or view.owning_unit_name}签收。"


def reporter_extended(view: CaseView, due: datetime, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """督查督办中心 approved more time (延期)."""
    return (
        f"您的{_subject(view)}（{view.number}）经督查督办中心同意延期办理，"
        f"办结时限调整为{fmt_time(due, tz)}。"
    )


def reporter_in_progress(view: CaseView) -> str:
    """Work has started."""
    return f"您的{_subject(view)}（{view.number}）正在处理中。"


def reporter_returned(view: CaseView) -> str:
    """The case went back to the dispatcher desk (the reason stays internal)."""
    return (
        f"您的{_subject(view)}（{view.number}）需要重新分派承办单位，"
        f"已转回{view.owning_unit_name}，我们会尽快处理。"
    )


def reporter_escalated(view: CaseView) -> str:
    """The case was escalated (督办)."""
    return f"您的{_subject(view)}（{view.number}）已提交{view.escalated_to_unit_name}督办。"


def follow_up_question(view: CaseView) -> str:
    """办结 notice and the follow-up (回访) question, sent with :func:`follow_up_markup`."""
    lines = [f"您的{_subject(view)}（{view.number}）已办结。"]
    if view.resolution_note:
        lines.append(f"办理结果：{view.resolution_note}")
    lines.append("请问问题解决了吗？您对办理结果满意吗？请点击下方按钮回复。")
    return "\n".join(lines)


def warning_resolved(view: CaseView) -> str:
    """办结 notice to the officer who sent a warning (no survey on one's own warning)."""
    lines = [f"您报送的{_subject(view)}（{view.number}）已办结。"]
    if view.resolution_note:
        lines.append(f"办理结果：{view.resolution_note}")
    lines.append("如现场情况仍未消除，请重新报送预警。")
    return "\n".join(lines)


def reporter_closed(view: CaseView) -> str:
    """Closed after a positive follow-up answer."""
    return f"感谢您的评价！您的{_subject(view)}（{view.number}）已结案。"


def reporter_reopened(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """Reopened after an unsolved/unsatisfied answer."""
    return (
        f"已收到您的意见。您的{_subject(view)}（{view.number}）已重新交{view.owning_unit_name}办理，"
        f"办结时限：{fmt_time(view.resolve_due_at, tz)}。"
    )


def reporter_closed_no_response(view: CaseView) -> str:
    """Closed because the follow-up got no answer."""
    return (
        f"您的{_subject(view)}（{view.number}）办结后未收到您的回访答复，已结案。"
        "如问题仍未解决，欢迎再次反映。"
    )


# --- pings to the people who handle a case ----------------------------------------


def desk_returned(view: CaseView, from_unit_name: str, reason: str) -> str:
    """To the dispatcher desk: a unit returned a case."""
    return f"【退单】{view.number} 被{from_unit_name}退回，请重新派单。\n退单理由：{reason}"


def staff_renotify(view: CaseView, round_: int, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """To the responsible people: the acknowledgement deadline has passed.

    At the dispatcher desk (not yet dispatched) the job is 派单, not 签收.
    """
    if view.status in ("registered", "returned"):
        return (
            f"【催派单】{view.number} 派单时限已过（{fmt_time(view.ack_due_at, tz)}），"
            f"请立即派至承办单位。（第{round_}次提醒）\n内容：{view.text}"
        )
    return (
        f"【催签收】{view.number} 签收时限已过（{fmt_time(view.ack_due_at, tz)}），"
        f"请立即签收处理。（第{round_}次提醒）\n内容：{view.text}"
    )


def staff_reminder(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """催办: the resolution deadline has passed."""
    return (
        f"【催办】{view.number} 已超过办结时限（{fmt_time(view.resolve_due_at, tz)}），"
        f"请抓紧办理并及时办结。\n内容：{view.text}"
    )


def staff_escalated(view: CaseView, reason: str, note: str | None) -> str:
    """To everyone responsible: the case was escalated one level."""
    text = (
        f"【上报督办】{view.number} 已上报至{view.escalated_to_unit_name}"
        f"（第{view.escalation_level}级）。原因：{ESCALATION_REASONS.get(reason, reason)}"
    )
    if note:
        text += f"\n说明：{note}"
    return text + f"\n内容：{view.text}"


def staff_reopened(view: CaseView, solved: bool, satisfaction: str, comment: str | None) -> str:
    """To the owning unit: the reporter's follow-up answer reopens the case."""
    verdict = "未解决" if not solved else SATISFACTION_LABELS.get(satisfaction, satisfaction)
    text = f"【重办】{view.number} 回访结果：{verdict}，请重新办理。"
    if comment:
        text += f"\n群众意见：{comment}"
    return text
