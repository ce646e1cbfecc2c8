"""维持派单: the desk's reason for sending a case back to the unit that returned it (b33 #4).

The 退单 needed the unit's reason; the desk's 派单 back to that unit needs the desk's,
checked the same way (:func:`keep_reason`). A danger-now case goes back in one tap (trial
31 #8) and its reason follows (:meth:`CaseKeepReason.add_keep_reason`): the ``dispatched``
event's note, and 【维持派单理由】 to the unit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.cases.model import MAX_NOTE, MIN_RESULT_CHARS, CaseView
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import CaseError, is_meaningful
from storage.enums import Channel
from storage.models import CaseEvent

#: The desk's reason for sending a case back to the unit that returned it.
KEEP_REASON_REQUIRED = (
    "该案件是由此单位退回的。维持派单须填写理由：请写明为什么仍由该单位办理"
    f"（至少{MIN_RESULT_CHARS}个字），理由将随案件一并发给该单位。"
)


def keep_reason(reason: str | None) -> str:
    """The desk's reason for 维持派单, checked as a 退单 reason is (b33 #4)."""
    why = (reason or "").strip()[:MAX_NOTE]
    if not why or not is_meaningful(why, MIN_RESULT_CHARS):
        raise CaseError("reason_required", KEEP_REASON_REQUIRED)
    return why


class CaseKeepReason(CaseTx):
    """The desk's reason for 维持派单, given after a one-tap 派单 of danger now."""

    async def keep_reason_due(self, case_id: int, actor_id: int) -> bool:
        """Whether ``actor_id`` just sent ``case_id`` (danger now) back to the unit that
        returned it in one tap, its reason still to come (b33 #4)."""
        async with self.db.session() as s:
            return await self._keep_awaiting(s, case_id, actor_id) is not None

    async def _keep_awaiting(
        self, s: AsyncSession, case_id: int, actor_id: int
    ) -> CaseEvent | None:
        event = await s.scalar(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.type == "dispatched")
            .order_by(CaseEvent.id.desc())
            .limit(1)
        )
        if event is None or event.actor_id != actor_id or event.note:
            return None
        return event if (event.data or {}).get("reason_due") else None

    async def add_keep_reason(
        self, case_id: int, actor_id: int, reason: str, channel: str = Channel.TELEGRAM
    ) -> CaseView:
        """The desk's reason for a danger-now case it sent back in one tap to the unit
        that returned it: the ``dispatched`` event's note, and 【维持派单理由】 to the unit.

        Raises:
            CaseError: ``reason_required`` (a reason that says nothing), ``not_found``,
                ``illegal_transition`` (no such 派单 of the actor's awaits its reason).
        """
        why = keep_reason(reason)
        async with self.db.session() as s:
            now = self.clock.now()
            actor = await self._person(s, actor_id)
            case = await self._lock(s, case_id)
            event = await self._keep_awaiting(s, case_id, actor.id)
            if event is None:
                raise CaseError("illegal_transition", "该案件没有待补充理由的维持派单。")
            event.note = why
            event.data = {**(event.data or {}), "reason_due": False, "reason_at": now.isoformat()}
            unit = case.owning_unit_id
            await self.publish_tx(
                s, case, now, settle=False, pings=[([unit], lambda v: nt.desk_kept_why(v, why))]
            )
            return self.view_for(case, actor, now)
