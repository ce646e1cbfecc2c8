"""The case lifecycle: an explicit transition table and the event log.

Statuses (``storage.enums.CaseStatus``) and the actions that move between them::

    registered   --dispatch-->          dispatched     (the dispatcher desk sends it out)
    dispatched   --acknowledge-->       acknowledged   (签收)
    dispatched   --return-->            returned       (退单, back to the dispatcher desk)
    acknowledged --start-->             in_progress    (处理中)
    acknowledged --resolve-->           resolved       (办结)
    acknowledged --return-->            returned
    in_progress  --resolve-->           resolved
    returned     --dispatch-->          dispatched     (re-dispatched by the desk)
    resolved     --follow_up-->         followed_up    (回访 answered)
    resolved     --close-->             closed         (no answer to the follow-up)
    followed_up  --close-->             closed         (solved and satisfied)
    followed_up  --reopen-->            reopened       (重办: unsolved or unsatisfied)
    reopened     --acknowledge-->       acknowledged   (then in_progress / resolved again)

A case waiting at the dispatcher desk is ``registered`` (new, unclear) or
``returned``; its owning unit is then the desk itself.

Escalation (上报 / 督办) and overdue are not statuses: escalation is an event plus
the case fields ``escalation_level`` and ``escalated_to_unit_id`` and may happen
while a case is registered, returned, dispatched, acknowledged, in progress or
reopened; overdue is derived from the deadlines (see :func:`is_overdue`).

Every change goes through :func:`apply` (a status transition) or :func:`record`
(an event that is not a transition, e.g. an escalation), which check the
caller's ``expected_version`` (optimistic concurrency), bump ``Case.version``
when the case changes and append one :class:`~storage.models.CaseEvent`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import CaseStatus
from storage.models import Case, CaseEvent


class CaseError(Exception):
    """A case operation is refused; ``message`` is for the user (Simplified Chinese).

    Attributes:
        code: a stable machine-readable reason, e.g. ``illegal_transition``,
            ``stale``, ``forbidden``, ``not_found``, ``bad_input``.
        message: what to tell the person, in Chinese.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


class Action(StrEnum):
    """What moves a case from one status to another."""

    DISPATCH = "dispatch"
    ACKNOWLEDGE = "acknowledge"
    START = "start"
    RESOLVE = "resolve"
    RETURN = "return"
    FOLLOW_UP = "follow_up"
    REOPEN = "reopen"
    CLOSE = "close"


class EventType(StrEnum):
    """The ``type`` of a case event."""

    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    RETURNED = "returned"
    FOLLOWED_UP = "followed_up"
    REOPENED = "reopened"
    CLOSED = "closed"
    #: Moved one level up the escalation chain (by hand or by a timer).
    ESCALATED = "escalated"
    #: The acknowledgement deadline passed; the responsible people were pinged again.
    RENOTIFIED = "renotified"
    #: The resolution deadline passed; the owners got a reminder (催办).
    REMINDED = "reminded"
    #: 延期申请: the station asked for more time (payload: reason, requested_due, due).
    EXTENSION_REQUESTED = "extension_requested"
    #: The supervision centre approved (payload: original_due, new_due).
    EXTENSION_APPROVED = "extension_approved"
    #: The supervision centre refused (payload: requested_due, due).
    EXTENSION_REFUSED = "extension_refused"
    #: The reporting officer filed a level other than the rubric's (note: why it was lowered).
    SEVERITY_CHANGED = "severity_changed"
    #: The reporting officer added a place, head count or photos after filing (payload: what).
    DETAILS_ADDED = "details_added"


class TimerKind(StrEnum):
    """The ``kind`` of a row in the ``timers`` table."""

    #: The acknowledgement deadline of the current level (payload: unit_id, level, round).
    ACK_DUE = "ack_due"
    #: The resolution deadline (payload: unit_id).
    RESOLVE_DUE = "resolve_due"
    #: The follow-up got no answer in time: close as "no response".
    FOLLOW_UP_DUE = "follow_up_due"


S = CaseStatus
A = Action

#: status -> action -> new status. Anything not listed is illegal.
TRANSITIONS: dict[CaseStatus, dict[Action, CaseStatus]] = {
    S.REGISTERED: {A.DISPATCH: S.DISPATCHED},
    S.DISPATCHED: {A.ACKNOWLEDGE: S.ACKNOWLEDGED, A.RETURN: S.RETURNED},
    S.ACKNOWLEDGED: {A.START: S.IN_PROGRESS, A.RESOLVE: S.RESOLVED, A.RETURN: S.RETURNED},
    S.IN_PROGRESS: {A.RESOLVE: S.RESOLVED},
    S.RETURNED: {A.DISPATCH: S.DISPATCHED},
    S.RESOLVED: {A.FOLLOW_UP: S.FOLLOWED_UP, A.CLOSE: S.CLOSED},
    S.FOLLOWED_UP: {A.CLOSE: S.CLOSED, A.REOPEN: S.REOPENED},
    S.REOPENED: {A.ACKNOWLEDGE: S.ACKNOWLEDGED},
    S.CLOSED: {},
}

#: The event type written for each action.
ACTION_EVENT: dict[Action, EventType] = {
    A.DISPATCH: EventType.DISPATCHED,
    A.ACKNOWLEDGE: EventType.ACKNOWLEDGED,
    A.START: EventType.IN_PROGRESS,
    A.RESOLVE: EventType.RESOLVED,
    A.RETURN: EventType.RETURNED,
    A.FOLLOW_UP: EventType.FOLLOWED_UP,
    A.REOPEN: EventType.REOPENED,
    A.CLOSE: EventType.CLOSED,
}

#: Statuses in which a case may be escalated (by hand or by a timer).
ESCALATABLE = frozenset(
    {S.REGISTERED, S.RETURNED, S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED}
)
#: Statuses in which the responsible unit has not yet taken the case (签收, or for
#: the dispatcher desk: dispatched it); the acknowledgement deadline applies.
AWAITING_ACK = frozenset({S.REGISTERED, S.RETURNED, S.DISPATCHED, S.REOPENED})
#: Statuses in which the resolution deadline applies.
AWAITING_RESOLUTION = frozenset({S.DISPATCHED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED})
#: Statuses at the dispatcher desk.
AT_DESK = frozenset({S.REGISTERED, S.RETURNED})

_ACTION_LABELS: dict[Action, str] = {
    A.DISPATCH: "派单",
    A.ACKNOWLEDGE: "签收",
    A.START: "开始处理",
    A.RESOLVE: "办结",
    A.RETURN: "退单",
    A.FOLLOW_UP: "回访",
    A.REOPEN: "重办",
    A.CLOSE: "结案",
}
_STATUS_LABELS: dict[CaseStatus, str] = {
    S.REGISTERED: "已登记",
    S.DISPATCHED: "已派单",
    S.ACKNOWLEDGED: "已签收",
    S.IN_PROGRESS: "处理中",
    S.RESOLVED: "已办结",
    S.FOLLOWED_UP: "已回访",
    S.CLOSED: "已结案",
    S.RETURNED: "已退单",
    S.REOPENED: "重办中",
}


def status_label(status: str) -> str:
    """The Chinese label of a status (the raw value if unknown)."""
    try:
        return _STATUS_LABELS[CaseStatus(status)]
    except ValueError:
        return status


def next_status(status: str, action: Action) -> CaseStatus:
    """The status that ``action`` leads to from ``status``.

    Raises:
        CaseError: ``illegal_transition`` when the table does not allow it.
    """
    current = CaseStatus(status)
    target = TRANSITIONS[current].get(action)
    if target is None:
        raise CaseError(
            "illegal_transition",
            f"案件当前状态为“{_STATUS_LABELS[current]}”，不能{_ACTION_LABELS[action]}。",
        )
    return target


def allowed_actions(status: str) -> tuple[Action, ...]:
    """The actions the table allows from ``status``, in table order."""
    return tuple(TRANSITIONS[CaseStatus(status)])


def check_version(case: Case, expected_version: int | None) -> None:
    """Refuse a change made against an out-of-date view of the case.

    Raises:
        CaseError: ``stale`` when ``expected_version`` is given and differs.
    """
    if expected_version is not None and expected_version != case.version:
        raise CaseError(
            "stale",
            "案件已被他人更新，您看到的不是最新状态，请查看最新卡片后再操作。",
        )


def is_overdue(case: Case, now: datetime) -> bool:
    """Whether a deadline was missed: one in force has passed, or one passed earlier.

    A missed deadline stays missed (``Case.deadline_missed``): escalation, a
    late acknowledgement or a late 办结 do not erase it.
    """
    if case.deadline_missed:
        return True
    status = CaseStatus(case.status)
    if status in AWAITING_ACK and case.ack_due_at is not None and case.ack_due_at < now:
        return True
    return (
        status in AWAITING_RESOLUTION
        and case.resolve_due_at is not None
        and case.resolve_due_at < now
    )


def _append(
    session: AsyncSession,
    case: Case,
    type_: EventType,
    *,
    bump: bool,
    now: datetime,
    actor_id: int | None,
    channel: str,
    from_status: str | None,
    to_status: str,
    unit_id: str | None,
    note: str | None,
    data: Mapping[str, Any] | None,
) -> CaseEvent:
    """Bump the case's version and time if ``bump``, then append one event to the session."""
    if bump:
        case.version += 1
        case.updated_at = now
    event = CaseEvent(
        case_id=case.id,
        type=type_.value,
        from_status=from_status,
        to_status=to_status,
        unit_id=unit_id if unit_id is not None else case.owning_unit_id,
        actor_id=actor_id,
        channel=channel,
        note=note,
        data=dict(data or {}),
        created_at=now,
    )
    session.add(event)
    return event


async def apply(
    session: AsyncSession,
    case: Case,
    action: Action,
    *,
    now: datetime,
    actor_id: int | None,
    channel: str,
    unit_id: str | None = None,
    note: str | None = None,
    data: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> CaseEvent:
    """Move ``case`` by ``action``, bump its version and append the event.

    The caller has locked the case row and changes the other fields (owner,
    deadlines, milestones) itself in the same transaction.

    Args:
        session: the open transaction.
        case: the case, loaded ``FOR UPDATE``.
        action: what happens.
        now: the time of the change.
        actor_id: who did it (None for the system).
        channel: where it came from (``storage.enums.Channel`` value).
        unit_id: the unit the event concerns (default: the owning unit).
        note: free text (a reason, a resolution note, a citizen's words).
        data: structured details.
        expected_version: the version the actor saw; refused if stale.

    Returns:
        The appended event.

    Raises:
        CaseError: ``stale`` or ``illegal_transition``.
    """
    check_version(case, expected_version)
    before = case.status
    after = next_status(before, action)
    case.status = after.value
    return _append(
        session,
        case,
        ACTION_EVENT[action],
        bump=True,
        now=now,
        actor_id=actor_id,
        channel=channel,
        from_status=before,
        to_status=after.value,
        unit_id=unit_id,
        note=note,
        data=data,
    )


async def record(
    session: AsyncSession,
    case: Case,
    type_: EventType,
    *,
    now: datetime,
    actor_id: int | None,
    channel: str,
    unit_id: str | None = None,
    note: str | None = None,
    data: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    changes_case: bool = True,
) -> CaseEvent:
    """Append an event that is not a status transition (escalation, reminder, …).

    Args:
        session: the open transaction.
        case: the case, loaded ``FOR UPDATE``.
        type_: the event type.
        now: the time.
        actor_id: who did it (None for the system).
        channel: where it came from.
        unit_id: the unit the event concerns (default: the owning unit).
        note: free text.
        data: structured details.
        expected_version: the version the actor saw; refused if stale.
        changes_case: whether the caller changes case fields (then the version
            is bumped); pure notifications (re-notify, 催办) leave it alone.

    Returns:
        The appended event.

    Raises:
        CaseError: ``stale``.
    """
    check_version(case, expected_version)
    return _append(
        session,
        case,
        type_,
        bump=changes_case,
        now=now,
        actor_id=actor_id,
        channel=channel,
        from_status=case.status,
        to_status=case.status,
        unit_id=unit_id,
        note=note,
        data=data,
    )


async def register(
    session: AsyncSession,
    case: Case,
    *,
    now: datetime,
    actor_id: int | None,
    channel: str,
    data: Mapping[str, Any] | None = None,
) -> CaseEvent:
    """Append the first event of a new case (status ``registered``, version 1).

    The case must have been flushed (it needs an id).
    """
    return _append(
        session,
        case,
        EventType.REGISTERED,
        bump=False,
        now=now,
        actor_id=actor_id,
        channel=channel,
        from_status=None,
        to_status=CaseStatus.REGISTERED.value,
        unit_id=None,
        note=None,
        data=data,
    )
