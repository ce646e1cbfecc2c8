"""A citizen's word on a case split off in the staff's words (trial 34 #2).

A /split whose text is not in the citizen's message is told to the citizen as
「（工作人员的概括，不是您的原话）… 如第2件不是您反映的事，请直接回复说明。」. The reply the
bot asks for must reach that case: :meth:`CaseSplitDispute.disputable_split` finds it (the
newest such case of the citizen, split within :data:`DISPUTE_WINDOW`, still open and not
denied yet), and the handler adds the reply as the citizen's 补充说明 marked as a denial
(:meth:`~bot.services.cases.reporter_acts.CaseReporterActs.add_reporter_note`,
``denial=True``).

**A denied split case is withdrawn** (stop 35 #1): it was filed in the citizen's name from the
staff's words, and the citizen says it is not theirs. Left open it escalated on its deadline
and told the citizen to call 110 about a matter they never reported. Now the denial is kept
as the citizen's 补充说明 (``denies_split``) and the case is 撤回 at once
(:meth:`CaseSplitDispute.withdraw_denied_tx`): no deadline, no timer, no escalation, no
follow-up; its units read 【反映人否认·已撤回】 (with what to do if another source confirms the
matter) and the citizen a receipt with no emergency line.

**Unless it may be a danger** (the lead's decision, split 35): safety is asymmetric, and a
denial may come from a coerced phone or a mistaken reader. A denied split case rated critical
(特别重大) or whose own text is a danger now (:func:`keeps_denied`) is **not** withdrawn: it
stays open with its units, who read 【反映人否认·请核实】 (the denial, and that they verify
with the scene or another source before closing it, as unfounded if so)
(:meth:`CaseSplitDispute.keep_denied_tx`); its deadlines and escalation to units stay. The
citizen is no longer told to call 110 about it: with a split denial on record
(:func:`split_denied`) no escalation text or emergency line about that case reaches them.

Danger now in the denial itself (不是我反映的，但我家着火了) is never a denial: it is handled
as danger first, and the case stays as it is.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notification_reporter as nr
from bot.services.cases.model import CaseView
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import Action, EventType, apply
from bot.services.triage import emergency_of
from storage.enums import OPEN_STATUSES
from storage.models import Case, CaseEvent, Person

__all__ = [
    "DENIAL_RE",
    "DISPUTE_WINDOW",
    "NEVER_RE",
    "CaseSplitDispute",
    "keeps_denied",
    "split_denied",
    "undenied",
]

#: How long after a split the citizen's reply is read as their word on it.
DISPUTE_WINDOW = timedelta(days=3)


#: What a denial of the matter's object looks like after its verb: 打架的事, 这件事.
_OBJECT = r"(?:[^，,。.；;！!？?\s]{0,12}?(?:的事情?|这件事|那件事|这回事|这事|那事))?"
#: Words that say the writer never reported it: a denial by themselves.
_NEVER = (
    r"不是我(?:本人)?(?:反映|说|报|提|讲|投诉|举报)的?|不是本人(?:反映|说|报|提)的?"
    r"|我(?:从来|根本)?(?:都)?没有?(?:反映|说|报|提|讲|投诉|举报)过?"
    r"|没这回事|没有这回事|没有这事|没这事|没有这种事"
)
#: Words that deny only when the case is named (第2件搞错了): alone they are common.
_WEAK = r"搞错了?|弄错了?|不属实|不是我的|不是我"
NEVER_RE = re.compile(f"(?:{_NEVER}){_OBJECT}")
DENIAL_RE = re.compile(f"(?:{_NEVER}|{_WEAK}){_OBJECT}")


def undenied(text: str) -> str:
    """``text`` with the denial's own words (不是我反映的, 我没反映过打架的事) taken out:
    what the danger check reads. Everything else stays, 没 included (我爸没气了)."""
    return DENIAL_RE.sub("，", text)


def keeps_denied(case: Case) -> bool:
    """Whether a denied split case stays open to be verified rather than withdrawn: it is
    rated critical (特别重大) or its own text tells of danger now (split 35)."""
    return case.severity == "critical" or emergency_of(case.original_text or "") is not None


async def split_denied(s: AsyncSession, case: Case) -> bool:
    """Whether ``case``'s reporter has denied it as a split in the staff's words: then no
    escalation text or emergency line about it reaches them (split 35)."""
    if case.reporter_id is None:
        return False
    notes = await s.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id,
            CaseEvent.type == EventType.NOTE_ADDED.value,
            CaseEvent.actor_id == case.reporter_id,
        )
    )
    return any(isinstance(n.data, dict) and n.data.get("denies_split") for n in notes)


class CaseSplitDispute(CaseTx):
    """Which split-off case a citizen's reply answers."""

    async def disputable_split(self, reporter_id: int) -> CaseView | None:
        """The newest case split in the staff's words from one of ``reporter_id``'s cases
        within :data:`DISPUTE_WINDOW`, still open and not yet denied by them; or None."""
        async with self.db.session() as s:
            now = self.clock.now()
            reporter = await s.get(Person, reporter_id)
            if reporter is None:
                return None
            splits = await s.scalars(
                select(CaseEvent)
                .join(Case, Case.id == CaseEvent.case_id)
                .where(
                    Case.reporter_id == reporter.id,
                    CaseEvent.type == EventType.SPLIT.value,
                    CaseEvent.created_at >= now - DISPUTE_WINDOW,
                )
                .order_by(CaseEvent.id.desc())
            )
            for event in splits:
                data = event.data if isinstance(event.data, dict) else {}
                into = data.get("into_case_id")
                if not data.get("staff_wording") or not isinstance(into, int):
                    continue
                part = await s.get(Case, into)
                if part is None or part.reporter_id != reporter.id:
                    continue
                if part.status not in {x.value for x in OPEN_STATUSES}:
                    continue
                notes = await s.scalars(
                    select(CaseEvent).where(
                        CaseEvent.case_id == part.id,
                        CaseEvent.type == EventType.NOTE_ADDED.value,
                        CaseEvent.actor_id == reporter.id,
                    )
                )
                if any((n.data or {}).get("denies_split") for n in notes):
                    continue
                return self.view_for(part, reporter, now)
        return None

    async def _withdraw_tx(
        self,
        s: AsyncSession,
        case: Case,
        reporter: Person,
        why: str | None,
        units: list[str],
        channel: str,
        now: datetime,
        *,
        denies_split: bool = False,
    ) -> None:
        """撤回 ``case`` on its reporter's word (``why``): the transition, with the units its
        card reached and the escalation it had, and nothing left to run. Shared by a
        withdrawal asked for (:class:`~bot.services.cases.withdrawal.CaseWithdrawal`) and a
        denied split (:meth:`withdraw_denied_tx`, ``denies_split``)."""
        data: dict[str, object] = {
            "owner_unit_id": case.owning_unit_id,
            "unit_ids": units,
            "escalation_level": case.escalation_level,
        }
        if denies_split:
            data["denies_split"] = True
        await apply(
            s,
            case,
            Action.WITHDRAW,
            now=now,
            actor_id=reporter.id,
            channel=channel,
            note=why,
            data=data,
        )
        await self._close_unresolved(s, case, why, now)

    async def withdraw_denied_tx(
        self,
        s: AsyncSession,
        case: Case,
        reporter: Person,
        note: str,
        units: list[str],
        channel: str,
        now: datetime,
    ) -> None:
        """撤回 ``case``, a split-off case its reporter denies (``note``, already recorded
        as their 补充说明): closed with no result, nothing left to run; ``units`` (those
        its card reached) read 【反映人否认·已撤回】, the reporter a receipt."""
        await self._withdraw_tx(s, case, reporter, note, units, channel, now, denies_split=True)
        await self.publish_tx(
            s,
            case,
            now,
            pings=[(units, lambda v: nr.staff_split_denied(v, note))],
            reporter_text=nr.reporter_split_withdrawn,
        )

    async def keep_denied_tx(
        self, s: AsyncSession, case: Case, note: str, units: list[str], now: datetime
    ) -> None:
        """Keep ``case`` open, a critical split-off case (or one telling of danger now) its
        reporter denies (``note``, already recorded): ``units`` read 【反映人否认·请核实】,
        the reporter a receipt with no emergency line; deadlines and escalation stay."""
        await self.publish_tx(
            s,
            case,
            now,
            pings=[(units, lambda v: nr.staff_split_denied_verify(v, note))],
            reporter_text=nr.reporter_split_denied_kept,
        )
