"""The words of case messages: labels, times and durations (no I/O).

Shared by the card and its buttons (:mod:`bot.services.notifications`) and the
messages a case change sends (:mod:`bot.services.notification_messages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.services.callbacks import CaseAction
from bot.services.lifecycle_rules import AT_DESK
from config.workdays import Span

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView

#: The district's time zone: deadlines are shown and months are counted in it.
DISTRICT_TZ = ZoneInfo("Asia/Shanghai")

KIND_LABELS = {"request": "群众诉求", "warning": "预警信息"}
SEVERITY_LABELS = {"low": "一般", "medium": "较大", "high": "重大", "critical": "特别重大"}


def level_change(data: Mapping[str, object], changed_by: str = "报送人") -> str:
    """A ``severity_changed`` event's levels in words (empty when the payload lacks them).

    The event's payload holds ``from``, ``to`` and ``why`` (the words that set the
    rubric's level). At filing ``from`` is the rubric's level and the reporter chose
    ``to``: `` 特别重大 → 一般（报送人下调了规则研判的等级；规则依据：…）``. A change
    after filing (``after_filing``) changes the level the case had, by ``changed_by``
    (报送人, or the unit of whoever changed it): `` 较大 → 特别重大（区群工办在报送后上调了
    等级；规则依据：…）`` (pf31 #5: it was told as the reporter's lowering of the rules'
    level whoever changed what).
    """
    was, now, why = data.get("from"), data.get("to"), data.get("why")
    if not isinstance(was, str) or not isinstance(now, str):
        return ""
    order = list(SEVERITY_LABELS)  # lowest first
    lowered = was in order and now in order and order.index(now) < order.index(was)
    way = "下调" if lowered else "上调"
    basis = f"；规则依据：{why}" if isinstance(why, str) and why else ""
    what = (
        f"{changed_by}在报送后{way}了等级"
        if data.get("after_filing")
        else f"报送人{way}了规则研判的等级"
    )
    return f" {SEVERITY_LABELS.get(was, was)} → {SEVERITY_LABELS.get(now, now)}（{what}{basis}）"


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
    "rejected": "不予受理",
    "withdrawn": "群众撤回",
    "withdraw_requested": "申请撤回",
    "district_alerted": "报告区群工办",
    "note_added": "补充说明",
    "staff_note": "办理记录",
    "split": "拆分",
    "split_from": "拆分登记",
    "escalated": "上报督办",
    "renotified": "催签收",
    "reminded": "催办",
    "urged": "督办催办",
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
    "rejected": "不予受理",
    "withdrawn": "撤回",
    "withdraw_requested": "申请撤回",
    "note_added": "补充说明",
    "split": "分开办理",
    "split_from": "分开登记",
    "escalated": "提请督办",
    "urged": "督办催办",
    "extension_approved": "延期办理",
}


def shown_to_reporter(kind: str, from_status: str | None) -> bool:
    """Whether the reporter's progress shows an event of ``kind`` taken in ``from_status``.

    The kinds of :data:`PUBLIC_EVENT_LABELS`, but no 提请督办 of a case waiting on the
    desk: it is the desk's missed 派单时限, the units' business, and read by the
    reporter as if somebody supervised a case nobody handles (trial 32 D26).
    """
    if kind not in PUBLIC_EVENT_LABELS:
        return False
    return not (kind == "escalated" and from_status in AT_DESK)


ESCALATION_REASONS = {
    "manual": "承办人员主动上报",
    "ack_overdue": "超时未签收",
    "resolve_overdue": "超过办结时限",
    "reopened_again": "多次重办仍未解决",
}

#: The follow-up buttons: callback argument -> (label, solved, satisfaction).
FOLLOW_UP_ANSWERS: dict[str, tuple[str, bool, str]] = {
    "satisfied": ("已解决·满意", True, "satisfied"),
    "basically_satisfied": ("已解决·基本满意", True, "basically_satisfied"),
    "unsatisfied": ("已解决·不满意", True, "unsatisfied"),
    "unsolved": ("未解决", False, "unsatisfied"),
}

#: Labels of the card buttons.
#: What a reporter's voice, video, file … is called (notes, captions; trial 27 N18).
MEDIA_LABELS = {
    "voice": "语音",
    "audio": "音频",
    "video": "视频",
    "video_note": "视频",
    "animation": "动图",
    "document": "文件",
    "sticker": "表情",
    "photo": "照片",
}
ACTION_LABELS: dict[CaseAction, str] = {
    CaseAction.ACKNOWLEDGE: "签收",
    CaseAction.START: "处理中",
    CaseAction.RESOLVE: "办结",
    CaseAction.RETURN: "退单",
    CaseAction.ESCALATE: "上报",
    CaseAction.REJECT: "不予受理",
    CaseAction.URGE: "催办",
    CaseAction.LEVEL: "更改等级",
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


def subject(view: CaseView) -> str:
    """What a case is called to its reporter: 预警 or 诉求."""
    return "预警" if view.kind == "warning" else "诉求"


def map_link(latitude: float, longitude: float) -> str:
    """A map page of a shared location (Amap: opens on phones in China; Telegram's
    WGS-84 degrees are said so, Amap converts them)."""
    return f"https://uri.amap.com/marker?position={longitude:.5f},{latitude:.5f}&coordinate=wgs84"
