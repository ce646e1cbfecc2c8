"""The one transaction helper every change goes through: lock, check, publish.

The publishing (the outbox rows a change writes) is
:class:`~bot.services.cases.publish.CasePublish`, which :class:`CaseTx` builds on; here
are the locking, the actor's check, the deadlines and timers, and the dispatch every
handing-over shares.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.cases.publish import CasePublish
from bot.services.lifecycle import (
    NO_SUCH_CASE,
    Action,
    CaseError,
    EventType,
    TimerKind,
    apply,
)
from bot.services.triage import LEVEL_RANK
from storage import cases as store
from storage.models import Case, CaseEvent, Person


class CaseTx(CasePublish):
    """The one transaction helper every change goes through: lock, check, publish."""

    async def _lock(self, s: AsyncSession, case_id: int) -> Case:
        case = await store.lock_case(s, case_id)
        if case is None:
            raise CaseError("not_found", NO_SUCH_CASE)
        return case

    async def _begin_act(self, s: AsyncSession, case_id: int, actor_id: int) -> tuple[Person, Case]:
        actor = await self._person(s, actor_id)
        case = await self._lock(s, case_id)
        if not self.may_act(actor, case):
            raise self.not_yours(actor, case)
        return actor, case

    @asynccontextmanager
    async def _acting(
        self, case_id: int, actor_id: int, *, handling: bool = False
    ) -> AsyncIterator[tuple[AsyncSession, datetime, Person, Case]]:
        """One act on a case: its transaction, the time, and the actor and case, checked.

        ``handling``: the act is the owner's (签收 / 处理中 / 办结 / 退单), which a
        supervising unit may not do in its name (:meth:`may_handle`).

        Raises:
            CaseError: ``not_found``, ``forbidden``, ``supervising`` (a supervising
                unit tried the owner's act).
        """
        async with self.db.session() as s:
            now = self.clock.now()
            actor, case = await self._begin_act(s, case_id, actor_id)
            if handling and not self.may_handle(actor, case):
                raise CaseError(
                    "supervising",
                    f"此件由{self.unit_name(case.owning_unit_id)}承办。"
                    f"{self.unit_name(actor.unit_id)}负责督办，不代承办单位签收、办结或退单；"
                    "请点「催办」督促其办理，或继续上报。",
                )
            yield s, now, actor, case

    async def _lowered(self, s: AsyncSession, case: Case) -> tuple[str, str, str | None] | None:
        """The rubric's level, its words and the reason when ``case`` stands below the level
        it was lowered from (at filing or after, 更改等级); None otherwise (never lowered,
        or raised back since)."""
        events = (
            await s.scalars(
                select(CaseEvent)
                .where(
                    CaseEvent.case_id == case.id,
                    CaseEvent.type == EventType.SEVERITY_CHANGED.value,
                )
                .order_by(CaseEvent.id.desc())
            )
        ).all()
        for event in events:  # the latest lowering
            data = event.data
            if not isinstance(data, dict):
                continue
            rubric, filed = str(data.get("from", "")), str(data.get("to", ""))
            if LEVEL_RANK.get(filed, 0) >= LEVEL_RANK.get(rubric, 0):
                continue
            if LEVEL_RANK.get(case.severity, 0) >= LEVEL_RANK.get(rubric, 0):
                return None
            return rubric, str(data.get("why") or ""), event.note
        return None

    # --- for the scheduler -------------------------------------------------------

    async def lock_case_tx(self, s: AsyncSession, case_id: int) -> Case | None:
        """Lock a case inside the scheduler's transaction (None if it is gone)."""
        return await store.lock_case(s, case_id)

    async def _schedule_ack(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        round_: int = 0,
        due: datetime | None = None,
        *,
        own: bool = False,
    ) -> None:
        """The next 签收 check of the current level. ``own``: the owner's own 催签收
        rounds at a kept escalation level (after a 改派, review 32 S6)."""
        when = due or case.ack_due_at
        if when is None:
            return
        payload: dict[str, object] = {
            "unit_id": case.owning_unit_id,
            "level": case.escalation_level,
            "round": round_,
        }
        if own:
            payload["own"] = True
        await store.add_timer(s, case.id, TimerKind.ACK_DUE, when, payload, now=now)

    async def _schedule_resolve(
        self, s: AsyncSession, case: Case, now: datetime, due: datetime | None = None
    ) -> None:
        when = due or case.resolve_due_at
        if when is None:
            return
        await store.add_timer(
            s, case.id, TimerKind.RESOLVE_DUE, when, {"unit_id": case.owning_unit_id}, now=now
        )

    async def _close_unresolved(
        self, s: AsyncSession, case: Case, note: str | None, now: datetime
    ) -> None:
        """End a case without a result (不予受理, 撤回): the note kept, no escalation,
        no deadline in force and no timer left (the transition is applied by the caller)."""
        case.resolution_note = note
        case.closed_at = now
        case.escalation_level = 0
        case.escalated_to_unit_id = None
        case.ack_due_at = None
        case.first_contact_due_at = None
        case.resolve_due_at = None
        case.extension_due_at = None
        await store.cancel_timers(s, case.id, None, now=now)

    def _restart_deadlines(self, case: Case, now: datetime) -> dict[str, str]:
        """The owning unit starts afresh: not escalated, dispatched now, new deadlines.
        The deadlines are the case's priority's (set from its severity at filing),
        counted from ``now`` (the service's clock).

        Returns:
            The new acknowledgement and resolution deadlines, for the event's data.
        """
        deadlines = self.district.deadlines[case.priority]
        case.escalation_level = 0
        case.escalated_to_unit_id = None
        case.dispatched_at = now
        case.acknowledged_at = None
        case.ack_due_at = now + deadlines.acknowledge
        case.first_contact_due_at = now + deadlines.first_contact
        case.resolve_due_at = now + deadlines.resolve
        return {
            "ack_due_at": case.ack_due_at.isoformat(),
            "resolve_due_at": case.resolve_due_at.isoformat(),
        }

    async def _dispatch_tx(
        self,
        s: AsyncSession,
        case: Case,
        unit_id: str,
        now: datetime,
        *,
        actor_id: int | None,
        channel: str,
        how: str,
        expected_version: int | None = None,
        keep_escalation: bool = False,
    ) -> CaseEvent:
        case.owning_unit_id = unit_id
        level, above = case.escalation_level, case.escalated_to_unit_id
        due = self._restart_deadlines(case, now)
        if keep_escalation:
            # A 改派 by the desk or 群工办: the supervision reached stays (trial 32 D14),
            # and the new unit gets its own 签收时限 and 催签收 rounds before the case goes
            # further up (review 32 S6, docs/lifecycle.md).
            case.escalation_level, case.escalated_to_unit_id = level, above
        # The unit is judged by its own deadlines: a miss before (the desk's 派单时限)
        # stays in the events, not on the new unit's card as 已超期 (as on a reopen).
        case.deadline_missed = False
        await store.cancel_timers(s, case.id, None, now=now)
        event = await apply(
            s,
            case,
            Action.DISPATCH,
            now=now,
            actor_id=actor_id,
            channel=channel,
            unit_id=unit_id,
            data={
                "how": how,
                "bureau": case.bureau,
                **due,
            },
            expected_version=expected_version,
        )
        await self._schedule_ack(s, case, now, own=keep_escalation and level > 0)
        await self._schedule_resolve(s, case, now)
        return event
