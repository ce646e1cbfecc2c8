"""The case lifecycle: the event log, and (re-exported) the transition table.

Every change goes through :func:`apply` (a status transition) or :func:`record`
(an event that is not a transition, e.g. an escalation), which check the
caller's ``expected_version`` (optimistic concurrency), bump ``Case.version``
when the case changes and append one :class:`~storage.models.CaseEvent`;
:func:`register` writes a new case's first event.

The statuses, actions, event types, the transition table, the labels and the
overdue rule live in :mod:`bot.services.lifecycle_rules` (its docstring draws
the table) and are importable from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.lifecycle_rules import (
    ACTION_EVENT,
    AT_DESK,
    AWAITING_ACK,
    AWAITING_RESOLUTION,
    ESCALATABLE,
    NO_SUCH_CASE,
    TRANSITIONS,
    Action,
    CaseError,
    EventType,
    TimerKind,
    allowed_actions,
    check_version,
    is_meaningful,
    is_overdue,
    meaningful_length,
    next_status,
    overdue_label,
    public_status_label,
    status_label,
)
from storage.enums import CaseStatus
from storage.models import Case, CaseEvent

__all__ = [
    "ACTION_EVENT",
    "AT_DESK",
    "AWAITING_ACK",
    "AWAITING_RESOLUTION",
    "ESCALATABLE",
    "NO_SUCH_CASE",
    "TRANSITIONS",
    "Action",
    "CaseError",
    "EventType",
    "TimerKind",
    "allowed_actions",
    "apply",
    "check_version",
    "is_meaningful",
    "is_overdue",
    "meaningful_length",
    "next_status",
    "overdue_label",
    "public_status_label",
    "record",
    "register",
    "status_label",
]


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
    case.status = next_status(before, action).value
    event = await record(
        session,
        case,
        ACTION_EVENT[action],
        now=now,
        actor_id=actor_id,
        channel=channel,
        unit_id=unit_id,
        note=note,
        data=data,
    )
    event.from_status = before  # record() saw the status after the transition
    return event


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
