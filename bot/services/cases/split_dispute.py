"""A citizen's word on a case split off in the staff's words (trial 34 #2).

A /split whose text is not in the citizen's message is told to the citizen as
「（工作人员的概括，不是您的原话）… 如第2件不是您反映的事，请直接回复说明。」. The reply the
bot asks for must reach that case: :meth:`CaseSplitDispute.disputable_split` finds it (the
newest such case of the citizen, split within :data:`DISPUTE_WINDOW`, still open and not
denied yet), and the handler adds the reply as the citizen's 补充说明 marked as a denial
(:meth:`~bot.services.cases.reporter_acts.CaseReporterActs.add_reporter_note`,
``denial=True``): its units read 【反映人否认】.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services.cases.model import CaseView
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import EventType
from storage.enums import OPEN_STATUSES
from storage.models import Case, CaseEvent, Person

__all__ = ["DISPUTE_WINDOW", "CaseSplitDispute"]

#: How long after a split the citizen's reply is read as their word on it.
DISPUTE_WINDOW = timedelta(days=3)


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
