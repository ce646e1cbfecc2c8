"""Handling: 签收, 处理中 and 办结 (退单 and dispatch: :mod:`bot.services.cases.returns`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.cases.model import (
    CLOSURE_KINDS,
    MIN_RESULT_CHARS,
    RESULT_TOO_SHORT,
    CaseView,
    _required,
)
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import (
    Action,
    CaseError,
    TimerKind,
    apply,
    is_meaningful,
)
from storage import cases as store
from storage.enums import CaseKind, Channel
from storage.models import Case, Person


class CaseHandling(CaseTx):
    """Handling: 签收, 处理中 and 办结."""

    # --- handling ----------------------------------------------------------------

    async def acknowledge(
        self,
        case_id: int,
        actor_id: int,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """签收: the owning (or escalated-to) unit takes the case; escalation stops.

        Raises:
            CaseError: ``not_found``, ``forbidden``, ``stale``, ``illegal_transition``.
        """
        async with self._acting(case_id, actor_id, handling=True) as (s, now, actor, case):
            # 签收 is the owner's word that it has taken the case: only the owner's
            # people (or an admin) get here (``may_handle``); neither the desk nor a
            # supervising unit speaks for it. An admin of another unit who does act
            # is recorded as that unit (the event's unit): the owner gets no credit.
            acting = actor.unit_id if actor.unit_id != case.owning_unit_id else None
            acting_name = self.unit_name(acting) if acting else None
            deadlines = self.district.deadlines[case.priority]
            original_due = (
                case.dispatched_at + deadlines.acknowledge if case.dispatched_at else None
            )
            on_time = _on_time(case, original_due, now)
            await apply(
                s,
                case,
                Action.ACKNOWLEDGE,
                now=now,
                actor_id=actor.id,
                channel=channel,
                unit_id=acting,
                data={"on_time": on_time, "acting_unit_id": actor.unit_id},
                expected_version=expected_version,
            )
            case.acknowledged_at = now
            await store.cancel_timers(s, case.id, [TimerKind.ACK_DUE], now=now)
            await self.publish_tx(
                s, case, now, reporter_text=lambda v: nt.reporter_acknowledged(v, acting_name)
            )
            return self.view_for(case, actor, now)

    async def start_progress(
        self,
        case_id: int,
        actor_id: int,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """处理中: work on an acknowledged case has started.

        Raises:
            CaseError: ``not_found``, ``forbidden``, ``stale``, ``illegal_transition``.
        """
        async with self._acting(case_id, actor_id, handling=True) as (s, now, actor, case):
            await apply(
                s,
                case,
                Action.START,
                now=now,
                actor_id=actor.id,
                channel=channel,
                data={"acting_unit_id": actor.unit_id},
                expected_version=expected_version,
            )
            await self.publish_tx(s, case, now, reporter_text=nt.reporter_in_progress)
            return self.view_for(case, actor, now)

    async def resolve(
        self,
        case_id: int,
        actor_id: int,
        note: str,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
        closure: str = "solved",
    ) -> CaseView:
        """办结 with a note on the result; the reporter gets the follow-up question.

        ``closure`` is the station's claim (:data:`CLOSURE_KINDS`): ``solved``
        (实际解决), ``explained`` (解释说明) or ``unfounded`` (不属实). It is kept
        on the case and in the event; the reporter's follow-up answer is kept
        beside it and decides the resolution rate (``bot/services/scores.py``).

        Raises:
            CaseError: ``bad_input`` (an empty note or one with fewer than
                :data:`MIN_RESULT_CHARS` meaningful characters, unknown closure), ``not_found``,
                ``forbidden``, ``stale``, ``illegal_transition``.
        """
        note_ = _required(note, "请填写办理结果。")
        if not is_meaningful(note_, MIN_RESULT_CHARS):
            raise CaseError("bad_input", RESULT_TOO_SHORT)
        if closure not in CLOSURE_KINDS:
            raise CaseError("bad_input", "请选择实际解决、解释说明或不属实。")
        async with self._acting(case_id, actor_id, handling=True) as (s, now, actor, case):
            on_time = _on_time(case, case.resolve_due_at, now)
            case.closure_kind = closure
            await apply(
                s,
                case,
                Action.RESOLVE,
                now=now,
                actor_id=actor.id,
                channel=channel,
                # Another unit's admin acting: the event is that unit's, not the owner's.
                unit_id=actor.unit_id if actor.unit_id != case.owning_unit_id else None,
                note=note_,
                data={"on_time": on_time, "acting_unit_id": actor.unit_id, "closure": closure},
                expected_version=expected_version,
            )
            case.resolved_at = now
            case.resolution_note = note_
            await store.cancel_timers(
                s, case.id, [TimerKind.ACK_DUE, TimerKind.RESOLVE_DUE], now=now
            )
            if case.kind != CaseKind.WARNING and await self._self_harm(s, case):
                await self._close_with_care(s, case, now, actor.id, channel)
                return self.view_for(case, actor, now)
            await store.add_timer(
                s,
                case.id,
                TimerKind.FOLLOW_UP_DUE,
                now + self.district.follow_up_no_response_after,
                {},
                now=now,
            )
            if case.kind == CaseKind.WARNING:
                # The officer is told, never asked to rate the handling of their own warning.
                await self.publish_tx(s, case, now, reporter_text=nt.warning_resolved)
            else:
                await self.publish_tx(
                    s,
                    case,
                    now,
                    reporter_text=nt.follow_up_question,
                    reporter_markup=nt.follow_up_markup(self.codec, case.id, case.version, closure),
                )
            view = self.view_for(case, actor, now)
            reporter = await s.get(Person, case.reporter_id) if case.reporter_id else None
            if reporter is not None and reporter.blocked_at is not None:
                # The station is told the truth: the notice waits (trial 28 P2).
                view = replace(view, reporter_blocked=True)
            return view

    async def _close_with_care(
        self, s: AsyncSession, case: Case, now: datetime, actor_id: int, channel: str
    ) -> None:
        """办结 of a self-harm case: closed at once with no follow-up (nobody is asked to
        rate their own crisis, and the unit's result text stays internal); the person
        gets a human word and the crisis line. Not counted in the satisfaction figures
        (no ``followed_up`` event), as a case closed for no response is not."""
        await apply(
            s,
            case,
            Action.CLOSE,
            now=now,
            actor_id=actor_id,
            channel=channel,
            data={"reason": "care"},
        )
        case.closed_at = now
        hotline = self.district.crisis_hotline
        await self.publish_tx(
            s, case, now, reporter_text=lambda v: nt.reporter_resolved_care(v, hotline)
        )


def _on_time(case: Case, due: datetime | None, now: datetime) -> bool:
    """Whether ``now`` meets ``due`` (no deadline is met); a miss marks the case for good."""
    on_time = due is None or now <= due
    if not on_time:
        case.deadline_missed = True
    return on_time
