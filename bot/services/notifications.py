"""Every Chinese text and button that a case change sends, in one place.

The Telegram outbox and the web pages render cases with these functions, so the
wording stays the same everywhere. Nothing here does I/O; the functions take a
:class:`bot.services.cases.CaseView` (already masked as the recipient may see it).

Buttons are Telegram ``InlineKeyboardMarkup`` dicts
``{"inline_keyboard": [[{"text": ..., "callback_data": ...}, ...], ...]}`` whose
data is signed with :class:`bot.services.callbacks.CallbackCodec` and carries the case
version the card was drawn at.

The labels and time formats live in :mod:`bot.services.notification_labels`, the
messages to reporters and handlers in :mod:`bot.services.notification_messages`;
both are re-exported here, so callers use this one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.services.callbacks import CallbackCodec, CaseAction
from bot.services.notification_labels import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    DISTRICT_TZ,
    ESCALATION_REASONS,
    EVENT_LABELS,
    FOLLOW_UP_ANSWERS,
    KIND_LABELS,
    PUBLIC_EVENT_LABELS,
    SATISFACTION_LABELS,
    SEVERITY_LABELS,
    fmt_duration,
    fmt_time,
    level_change,
    map_link,
    short_room_name,
    subject,
)
from bot.services.notification_messages import (
    desk_returned,
    details_added,
    emergency_details_added,
    follow_up_question,
    is_information,
    reporter_acknowledged,
    reporter_closed,
    reporter_closed_no_response,
    reporter_dispatched,
    reporter_escalated,
    reporter_extended,
    reporter_in_progress,
    reporter_passed_on_care,
    reporter_registered,
    reporter_registered_care,
    reporter_rejected,
    reporter_reopened,
    reporter_resolved_care,
    reporter_returned,
    staff_escalated,
    staff_reminder,
    staff_renotify,
    staff_reopened,
    staff_urged,
    warning_level_changed,
    warning_lowered,
    warning_resolved,
)
from bot.services.triage import DOMESTIC, SEXUAL, danger_sentence
from nlp.families import SELF_HARM

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView
    from config.district import District

__all__ = [
    "ACTION_LABELS",
    "BACK_LABEL",
    "CARD_LIMIT",
    "CHANNEL_LABELS",
    "CLOSE_PICKER",
    "DISTRICT_TZ",
    "ESCALATION_REASONS",
    "EVENT_LABELS",
    "FOLLOW_UP_ANSWERS",
    "KIND_LABELS",
    "PUBLIC_EVENT_LABELS",
    "SATISFACTION_LABELS",
    "SEVERITY_LABELS",
    "STATIONS_CHOICE",
    "STATIONS_LABEL",
    "button",
    "card_markup",
    "card_text",
    "desk_returned",
    "details_added",
    "dispatch_markup",
    "dispatch_targets",
    "emergency_details_added",
    "fmt_duration",
    "fmt_time",
    "follow_up_markup",
    "follow_up_question",
    "is_information",
    "keyboard",
    "level_change",
    "map_link",
    "reporter_acknowledged",
    "reporter_closed",
    "reporter_closed_no_response",
    "reporter_dispatched",
    "reporter_escalated",
    "reporter_extended",
    "reporter_in_progress",
    "reporter_passed_on_care",
    "reporter_registered",
    "reporter_registered_care",
    "reporter_rejected",
    "reporter_reopened",
    "reporter_resolved_care",
    "reporter_returned",
    "short_room_name",
    "staff_escalated",
    "staff_reminder",
    "staff_renotify",
    "staff_reopened",
    "staff_urged",
    "subject",
    "territorial_stations",
    "warning_level_changed",
    "warning_lowered",
    "warning_resolved",
]


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
    rows.append(
        [
            button(codec, ACTION_LABELS[a], a, cid, ver)
            for a in (CaseAction.URGE, CaseAction.ESCALATE, CaseAction.REJECT, CaseAction.LEVEL)
            if a in actions
        ]
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


#: The follow-up labels after a closure that solved nothing (解释说明, 不属实): the
#: reporter rates the answer, and 已解决 would claim what the unit did not (trial 28 P11).
EXPLAINED_LABELS: dict[str, str] = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
    "unsolved": "问题仍未解决",
}


def follow_up_markup(
    codec: CallbackCodec, case_id: int, version: int, closure: str = "solved"
) -> dict[str, Any]:
    """The four follow-up answers, two per row (worded for ``closure``)."""
    explained = closure != "solved"
    buttons = [
        button(
            codec,
            EXPLAINED_LABELS.get(arg, label) if explained else label,
            CaseAction.FOLLOW_UP,
            case_id,
            version,
            arg,
        )
        for arg, (label, _solved, _sat) in FOLLOW_UP_ANSWERS.items()
    ]
    return {"inline_keyboard": [buttons[:2], buttons[2:]]}


# --- the card -----------------------------------------------------------------


def self_harm_summary(owner_name: str, desk_name: str) -> str:
    """What a unit outside the owner and the desk reads of a self-harm disclosure."""
    return (
        f"群众表达了轻生念头（自伤风险求助），已由{owner_name}紧急处置。"
        f"为保护当事人隐私，原文仅承办单位和{desk_name}可见，详情请与承办单位联系。"
    )


#: What a summary reader is told of each kind of private disclosure (trial 29 V7).
DISCLOSURE_GIST: dict[str, str] = {
    SELF_HARM: "来件反映有人流露轻生念头（自伤风险求助）",
    DOMESTIC: "来件涉及家庭暴力（人身安全求助）",
    SEXUAL: "来件涉及性侵害（人身安全求助）",
}


def disclosure_summary(kind: str, owner_name: str, desk_name: str, *, own: bool) -> str:
    """What a unit outside the owner and the desk reads of a private disclosure.

    The kind of risk and the handling unit, without the words, names, phones or
    places; the card around it keeps the number, the level and the deadlines.
    ``own``: the reporter tells of harming themselves (trial 29 P14's wording).
    """
    if kind == SELF_HARM and own:
        return self_harm_summary(owner_name, desk_name)
    gist = DISCLOSURE_GIST.get(kind, "来件涉及当事人隐私")
    return (
        f"{gist}，已交{owner_name}办理。"
        f"为保护当事人隐私，原文及当事人信息仅承办单位和{desk_name}可见，详情请与承办单位联系。"
    )


def card_text(view: CaseView, tz: ZoneInfo = DISTRICT_TZ) -> str:
    """The case card shown to the people who handle or watch a case."""
    head = f"【{view.kind_label}】{view.number}"
    if view.kind == "warning" or view.severity in ("critical", "high"):
        head += f"（{view.severity_label}）"
    lines = [head, f"状态：{view.status_label}"]
    if view.overdue:
        # Which deadline was missed (trial 29 P11): 签收超时 is not 办理超期.
        lines[-1] += f"【{view.overdue_label or '已超期'}】"
    if view.reopen_count:
        lines[-1] += f"（第{view.reopen_count}次重办）"
    lines.append(f"承办单位：{view.owning_unit_name}")
    if view.escalated_to_unit_name:
        lines.append(f"已上报：{view.escalated_to_unit_name}（第{view.escalation_level}级督办）")
    if view.room_name:
        category = view.room_name + (f" · {view.bureau_name}" if view.bureau_name else "")
        lines.append(f"分类：{category}")
    if view.suggested_name and view.suggested_name != (
        view.room_name + (f" · {view.bureau_name}" if view.bureau_name else "")
    ):
        # The same words twice say nothing (after a re-dispatch: trial 29 P12).
        chooser = "报送人" if view.kind == "warning" else "群众"
        lines.append(f"{chooser}自选部门，系统建议：{view.suggested_name}")
    if view.territorial_unit_name:
        lines.append(f"属地：{view.territorial_unit_name}")
    # After an escalation the 签收/派单时限 is the new level's round (督办…), not the missed
    # first one the 【催签收】 messages named: labelled so, one deadline per round (trial 26 T11).
    round_ = "督办" if view.escalation_level else ""
    if view.status in ("registered", "returned"):
        lines.append(f"{round_}派单时限：{fmt_time(view.ack_due_at, tz)}")
    elif view.status in ("dispatched", "reopened"):
        lines.append(f"{round_}签收时限：{fmt_time(view.ack_due_at, tz)}")
    if view.resolve_due_at is not None and view.status not in ("closed", "rejected", "withdrawn"):
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
    if view.resolution_note and view.status == "rejected":
        lines.append(f"不予受理理由：{view.resolution_note}")
    if view.status == "withdrawn":
        lines.append(f"已由{'报送人' if view.kind == 'warning' else '群众'}撤回，无需继续办理。")
        if view.resolution_note:
            lines.append(f"撤回原因：{view.resolution_note}")
    lines.append(f"登记时间：{fmt_time(view.created_at, tz)}")
    text = "\n".join(lines)
    if _units(text) <= CARD_LIMIT:
        return text
    # Too long for one message: cut the content, keep every field after it. A critical
    # case's danger sentence comes first, so the card says why it is critical even when
    # the danger was written late in a long text (trial 29 #6).
    cue = danger_sentence(view.text) if view.severity == "critical" else None
    if cue is not None:
        lines.insert(content_at, f"危险情况（原文摘句）：{cue}")
        content_at += 1
    rest = _units("\n".join(lines)) - _units(lines[content_at])
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
