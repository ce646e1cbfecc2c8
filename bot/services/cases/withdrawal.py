"""撤回: a reporter withdraws their own open case (split from :mod:`.reporter_acts`).

**撤回 (withdraw).** Only while the case is open (before 办结: registered,
dispatched, acknowledged, in progress, returned, or reopened). The case moves to
the final status ``withdrawn``: deadlines and timers go, it is no longer
escalated, no follow-up is asked. Nothing is deleted: the case, its events and the
``withdrawn`` event (with the reason, if given) stay, the reporter's /status and
the dashboard list it as 已撤回.

**A critical case is not withdrawn by a tap.** A danger to life or safety
(``severity = critical``, or a warning the rubric rated critical and its officer
lowered; for a warning also 重大, trial 31 #16) may have been reported under pressure,
or the danger may still be there; the station must see it through. The reporter's request is
recorded (``withdraw_requested``), the responsible units are told to verify and
close it themselves (办结, e.g. 解释说明), and the case stays open with its
deadlines and escalation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notification_reporter as nr
from bot.services.cases.model import MAX_NOTE, CaseView, _clean
from bot.services.cases.split_dispute import CaseSplitDispute
from bot.services.lifecycle import (
    CaseError,
    EventType,
    check_version,
    record,
)
from bot.services.routing import warning_recipients
from bot.services.triage import emergency_of
from nlp.coercion import tells_of_threat
from storage import cases as store
from storage.enums import OPEN_STATUSES, CaseKind, Channel
from storage.models import Case, Person

__all__ = ["CRITICAL", "FINAL", "CaseWithdrawal", "reason_reports_danger"]

#: Statuses after which nothing can be added (the case is final).
FINAL = frozenset({"closed", "rejected", "withdrawn"})
#: The severity a reporter cannot withdraw by a tap.
CRITICAL = "critical"
#: The levels of a warning its officer cannot withdraw by a tap (now or ever rated so).
_KEPT_WARNING = frozenset({CRITICAL, "high"})


class CaseWithdrawal(CaseSplitDispute):
    """撤回 by the case's reporter (and what both of their acts share)."""

    async def _own_case(
        self, s: AsyncSession, reporter_id: int, case_id: int
    ) -> tuple[Person, Case]:
        reporter = await self._person(s, reporter_id)
        case = await self._lock(s, case_id)
        if case.reporter_id != reporter.id:
            raise CaseError("forbidden", "只能补充或撤回您本人反映的问题。")
        return reporter, case

    async def _verified_withdrawal(self, s: AsyncSession, case: Case) -> bool:
        """Whether 撤回 is only a request the units verify: the case is critical, or was
        rated critical by the rubric and lowered by its reporter (lowering, then
        withdrawing, must not make a danger to life vanish)."""
        # A warning rated 重大 (a collective petition) is not made to vanish on its
        # officer's word either, lowered first or not (trial 31 #16).
        kept = _KEPT_WARNING if case.kind == CaseKind.WARNING.value else {CRITICAL}
        if case.severity in kept:
            return True
        for event in await store.case_events(s, case.id):
            data = event.data or {}
            if event.type == EventType.SEVERITY_CHANGED.value and data.get("from") in kept:
                return True
            if event.type == EventType.REGISTERED.value and data.get("rubric") in kept:
                return True
        return False

    async def withdrawal_needs_verification(self, case_id: int) -> bool:
        """Whether the reporter's 撤回 of ``case_id`` would only be passed on for the units
        to verify (see :meth:`withdraw`); False for an unknown case."""
        async with self.db.read() as s:
            case = await store.get_case(s, case_id)
            return case is not None and await self._verified_withdrawal(s, case)

    async def withdraw(
        self,
        reporter_id: int,
        case_id: int,
        reason: str | None = None,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """撤回: the reporter withdraws an open case (see the module's docstring).

        A critical case (or one the rubric rated critical) is not withdrawn: the
        request is recorded and the units are asked to verify (the returned view's
        status is unchanged).

        Raises:
            CaseError: ``not_found``, ``forbidden`` (not the reporter), ``stale``,
                ``illegal_transition`` (already resolved or final).
        """
        why = _clean(reason, MAX_NOTE)
        async with self.db.session() as s:
            now = self.clock.now()
            reporter, case = await self._own_case(s, reporter_id, case_id)
            check_version(case, expected_version)
            if case.status not in {st.value for st in OPEN_STATUSES}:
                raise CaseError(
                    "illegal_transition",
                    f"{case.number} 已办结或已结束，不能撤回。",
                )
            units = self.responsible_units(case)
            if tells_of_threat(why):
                await self._threatened(s, case, reporter, why or "", channel, now)
                return self.view_for(case, reporter, now)
            if await self._verified_withdrawal(s, case):
                await record(
                    s,
                    case,
                    EventType.WITHDRAW_REQUESTED,
                    now=now,
                    actor_id=reporter.id,
                    channel=channel,
                    note=why,
                    data={"unit_ids": units},
                    changes_case=False,
                )
                await self.publish_tx(
                    s,
                    case,
                    now,
                    pings=[(units, lambda v: nr.staff_withdraw_requested(v, why))],
                    reporter_text=nr.reporter_withdraw_requested,
                )
                return self.view_for(case, reporter, now)
            await self._withdraw_tx(s, case, reporter, why, units, channel, now)
            await self.publish_tx(
                s,
                case,
                now,
                pings=[(units, lambda v: nr.staff_withdrawn(v, why))],
                reporter_text=nr.reporter_withdrawn,
            )
            return self.view_for(case, reporter, now)

    async def _threatened(
        self, s: AsyncSession, case: Case, reporter: Person, why: str, channel: str, now: datetime
    ) -> None:
        """A withdrawal whose reason tells of a threat against the reporter (trial 31 #3):
        nothing is withdrawn, whatever the case's level. The request is recorded with the
        flag (``withdraw_requested``, ``data.threat``); every unit the case's alert reached,
        the police's station (a threat of violence is theirs) and the supervision centre
        get 【受威胁撤回·紧急】 with the reason; the reporter is told the case goes on and
        given 110.

        The district's 群工办 is alerted as for a critical warning (stop 32 #5): a
        reporter pressed into silence is a sign of instability, the mass-work office's
        business at once (``district.leadership`` and ``district.warning_centres``, as
        :func:`bot.services.routing.warning_recipients` gives them). They get the card
        and the alert, and a ``district_alerted`` event (报告区群工办) puts it on the
        case's timeline with the units told."""
        units = await self.alerted_units(s, case)
        police = self.district.bureaus.get("police")
        district = [
            u for u in warning_recipients(self.district, CRITICAL) if u in self.district.units
        ]
        extra = [
            u
            for u in dict.fromkeys(
                (police.station_id if police else None, self.district.supervision, *district)
            )
            if u is not None and u in self.district.units and u not in units
        ]
        await record(
            s,
            case,
            EventType.WITHDRAW_REQUESTED,
            now=now,
            actor_id=reporter.id,
            channel=channel,
            note=why,
            data={"unit_ids": [*units, *extra], "threat": True},
            changes_case=False,
        )
        told = [self.district.supervision, *district]
        await record(
            s,
            case,
            EventType.DISTRICT_ALERTED,
            now=now,
            actor_id=None,
            channel=Channel.SYSTEM,
            unit_id=self.district.leadership,
            note="撤回原因称反映人受到威胁，已报告区群工办："
            + "、".join(self.unit_name(u) for u in dict.fromkeys(told)),
            data={"unit_ids": list(dict.fromkeys(told)), "reason": "threatened_withdrawal"},
            changes_case=False,
        )
        await self.publish_tx(
            s,
            case,
            now,
            also_card_units=extra,
            new_card_units=extra,
            pings=[([*units, *extra], lambda v: nr.staff_withdraw_threat(v, why))],
            reporter_text=nr.reporter_withdraw_threat,
        )


def reason_reports_danger(reason: str) -> bool:
    """Whether a withdrawal's reason is a report of danger now rather than a reason: 楼下又
    有人拿刀砍人 is filed as an emergency of its own; 他威胁我说报警就杀了我 tells of a threat
    against the reporter (:func:`nlp.coercion.tells_of_threat`) and goes to the case being
    withdrawn (trial 31 #3)."""
    return emergency_of(reason) is not None and not tells_of_threat(reason)
