"""A 补充说明 that tells of danger now: one rule decides where the danger goes (review 32 S7).

Before, the service and the Telegram handler each decided "is this danger filed apart":
the service kept it on the case as 【紧急补充】 for a critical case *or a self-harm
writer's case*, the handler filed a new emergency for any case *not critical* — so a
non-critical crisis case got both (two alerts), and the routine unit read 「已另行登记为
紧急案件」 while the handler's re-read joined the danger to the citizen's open emergency.

Now :meth:`CaseNoteDanger.add_note_checked` decides, and the handler only renders it:

* ``in_case`` — the case is critical or a self-harm writer's
  (:meth:`~bot.services.cases.reporter_acts.CaseReporterActs.note_danger_in_case`): the
  note is 【紧急补充】 on it, the line from the outbox, nothing else is filed;
* ``joined`` — another case: the reporter's open emergency (a critical request filed for
  danger now, not final) takes it when the joining rule
  (:func:`bot.services.emergency_join.same_emergency`) says it is about that emergency,
  timed from the reporter's last word on it: 【紧急补充】 there, the line from the outbox;
* ``filed`` — otherwise a new emergency is filed (critical, the danger's owner, the desk
  and the district alerted), under the update's intake key, so the handler's rendering
  (the line, the receipt, the details step) finds that case again and files nothing
  twice; no receipt is written to the outbox, where it could overtake the line.

In the last two the routine case keeps the words as a note whose ping names the
emergency case and says which of the two happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.cases.intake import CaseIntake
from bot.services.cases.model import CaseView, RequestDraft
from bot.services.cases.reporter_acts import CaseReporterActs
from bot.services.emergency_join import same_emergency
from bot.services.lifecycle import EventType
from bot.services.triage import emergency_of
from storage.enums import OPEN_STATUSES, CaseKind, Channel
from storage.models import Case, CaseEvent

__all__ = ["CaseNoteDanger", "NoteDanger", "NoteOutcome"]

NoteDanger = Literal["", "in_case", "joined", "filed"]


@dataclass(frozen=True)
class NoteOutcome:
    """What became of a 补充说明: the case it was added to and where its danger went."""

    view: CaseView
    danger: NoteDanger = ""
    #: The emergency case the danger joined or was filed as (``joined`` / ``filed``).
    emergency: CaseView | None = None


class CaseNoteDanger(CaseIntake, CaseReporterActs):
    """The 补充说明 with its danger decided in one place."""

    async def add_note_checked(
        self, reporter_id: int, case_id: int, text: str, channel: str = Channel.TELEGRAM
    ) -> NoteOutcome:
        """Add ``text`` to the reporter's case, its danger now sent where the module's
        rule says.

        Raises:
            CaseError: as :meth:`add_reporter_note`.
        """
        found = emergency_of(text)
        if found is None:
            return NoteOutcome(await self.add_reporter_note(reporter_id, case_id, text, channel))
        async with self.db.session() as s:
            reporter, case = await self._own_case(s, reporter_id, case_id)
            in_case = await self.note_danger_in_case(s, case)
            joined = None if in_case else await self._open_emergency(s, reporter.id, case.id)
        if in_case:
            view = await self.add_reporter_note(reporter_id, case_id, text, channel)
            return NoteOutcome(view, "in_case")
        if joined is not None and same_emergency(joined[1], found.kind, text, joined[2]):
            emergency = await self.add_reporter_note(reporter_id, joined[0], text, channel)
            danger: NoteDanger = "joined"
        else:
            # The caller renders the receipt after the line (the Telegram conversation
            # does, as for any request it files with ``receipt=False``).
            emergency = await self.file_request(
                reporter_id, RequestDraft(text=text), channel, receipt=False
            )
            danger = "filed"
        view = await self.add_reporter_note(
            reporter_id,
            case_id,
            text,
            channel,
            elsewhere=(emergency.number or "", danger == "joined"),
        )
        return NoteOutcome(view, danger, emergency)

    async def _open_emergency(
        self, s: AsyncSession, reporter_id: int, other_than: int
    ) -> tuple[int, str, timedelta] | None:
        """The reporter's newest open emergency (a critical request filed for danger
        now) other than ``other_than``: its id, its danger's kind and how long since the
        reporter's last word on it."""
        rows = await s.execute(
            select(Case.id, CaseEvent.data)
            .join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(
                Case.reporter_id == reporter_id,
                Case.kind == CaseKind.REQUEST.value,
                Case.severity == "critical",
                Case.status.in_([str(x) for x in OPEN_STATUSES]),
                Case.id != other_than,
                CaseEvent.type == EventType.REGISTERED.value,
            )
            .order_by(Case.id.desc())
        )
        for case_id, data in rows.all():
            kind = data.get("emergency") if isinstance(data, dict) else None
            if not isinstance(kind, str):
                continue
            last = await s.scalar(
                select(func.max(CaseEvent.created_at)).where(
                    CaseEvent.case_id == case_id, CaseEvent.actor_id == reporter_id
                )
            )
            if last is None:
                continue
            now = self.clock.now()
            if last.tzinfo is None:
                last = last.replace(tzinfo=now.tzinfo)
            return int(case_id), kind, now - last
        return None
