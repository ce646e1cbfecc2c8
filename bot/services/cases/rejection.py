"""不予受理: the dispatcher desk closes a case that is not admissible, with a reason."""

from __future__ import annotations

from bot.services import notifications as nt
from bot.services.cases.model import (
    MIN_RESULT_CHARS,
    REJECT_REASON_TOO_SHORT,
    CaseView,
    _required,
)
from bot.services.cases.permissions import CRITICAL
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import AT_DESK, Action, CaseError, apply, is_meaningful
from storage.enums import CaseStatus, Channel, Role
from storage.models import Person


class CaseRejection(CaseTx):
    """不予受理: spam, abuse or nonsense is closed at the desk, with a reason."""

    async def reject(
        self,
        case_id: int,
        actor_id: int,
        reason: str,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """不予受理: close a case waiting at the dispatcher desk as not admissible.

        Only the desk's chief or an admin (:meth:`may_reject`), only while the
        case is at the desk (registered or returned). The reason is the event's
        note and the case's ``resolution_note``, and the reporter is told it
        politely. The case is final (``rejected``): its deadlines and timers go,
        it is no longer escalated, and no follow-up is asked. It counts against
        no unit (it was never dispatched, or was returned by the unit it went to;
        ``docs/lifecycle.md``). A critical case is never closed so (see
        :meth:`may_reject`).

        Raises:
            CaseError: ``bad_input`` (no reason, or one with fewer than
                :data:`MIN_RESULT_CHARS` meaningful characters), ``not_found``, ``forbidden``,
                ``stale``, ``illegal_transition`` (not at the desk, or critical).
        """
        reason_ = _required(reason, "不予受理必须填写理由（将告知反映人）。")
        async with self.db.session() as s:
            now = self.clock.now()
            actor = await self._person(s, actor_id)
            case = await self._lock(s, case_id)
            if not self.may_reject(actor, case) and not self._decides_admission(actor):
                raise CaseError(
                    "forbidden",
                    f"只有{self.unit_name(self.district.dispatcher)}负责人可以作不予受理处理。",
                )
            if case.severity == CRITICAL:
                raise CaseError(
                    "illegal_transition",
                    f"{case.number} 涉及人身安全（特别重大），不能作不予受理："
                    "请派单给承办单位（如区公安分局）核实处置，核实后由承办单位办结。",
                )
            if CaseStatus(case.status) in AT_DESK and not is_meaningful(reason_, MIN_RESULT_CHARS):
                # The same rule as 退单: 「无」 is never sent to a citizen as the reason (a
                # case not at the desk is refused as such by the transition below).
                raise CaseError("bad_input", REJECT_REASON_TOO_SHORT)
            await apply(
                s,
                case,
                Action.REJECT,
                now=now,
                actor_id=actor.id,
                channel=channel,
                note=reason_,
                data={
                    "acting_unit_id": actor.unit_id,
                    "escalation_level": case.escalation_level,
                },
                expected_version=expected_version,
            )
            await self._close_unresolved(s, case, reason_, now)
            await self.publish_tx(
                s, case, now, reporter_text=lambda v: nt.reporter_rejected(v, reason_)
            )
            return self.view_for(case, actor, now)

    def _decides_admission(self, person: Person) -> bool:
        """The desk's chief or an admin (then a case not at the desk is refused as such)."""
        return person.role == Role.ADMIN or (
            person.role == Role.CHIEF and person.unit_id == self.district.dispatcher
        )
