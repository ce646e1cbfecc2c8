"""Every Chinese text and button that a case change sends, in one place.

The Telegram outbox and the web pages render cases with these functions, so the
wording stays the same everywhere. Nothing here does I/O; the functions take a
:class:`bot.services.cases.CaseView` (already masked as the recipient may see it).

Buttons are Telegram ``InlineKeyboardMarkup`` dicts
``{"inline_keyboard": [[{"text": ..., "callback_data": ...}, ...], ...]}`` whose
data is signed with :class:`bot.services.callbacks.CallbackCodec` and carries the case
version the card was drawn at.

The labels and time formats live in :mod:`bot.services.notification_labels`, the
messages to reporters and handlers in :mod:`bot.services.notification_messages`, the
case card in :mod:`bot.services.notification_card`; all are re-exported here, so
callers use this one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from bot.services.callbacks import CallbackCodec, CaseAction
from bot.services.notification_card import (
    CARD_LIMIT,
    DISCLOSURE_GIST,
    card_text,
    danger_cue,
    disclosure_summary,
    self_harm_summary,
)
from bot.services.notification_dispatch import (
    desk_kept,
    desk_kept_why,
    desk_returned,
    staff_redispatched,
)
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
    details_added,
    emergency_details_added,
    follow_up_question,
    is_information,
    reporter_acknowledged,
    reporter_closed,
    reporter_closed_no_response,
    reporter_danger_returned,
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

if TYPE_CHECKING:
    from bot.services.cases.model import CaseView
    from config.district import District

__all__ = [
    "ACTION_LABELS",
    "BACK_LABEL",
    "CARD_LIMIT",
    "CHANNEL_LABELS",
    "CLOSE_PICKER",
    "DISCLOSURE_GIST",
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
    "danger_cue",
    "desk_kept",
    "desk_kept_why",
    "desk_returned",
    "details_added",
    "disclosure_summary",
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
    "reporter_danger_returned",
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
    "self_harm_summary",
    "short_room_name",
    "staff_escalated",
    "staff_redispatched",
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
    if (
        CaseAction.DISPATCH in actions
        and view.desk_bureau
        and view.status in ("registered", "returned")  # a 改派 picks another (D14)
    ):
        rows.append(
            [
                button(
                    codec,
                    f"派至{view.desk_bureau_name}",
                    CaseAction.DISPATCH,
                    cid,
                    ver,
                    view.desk_bureau,
                )
            ]
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
