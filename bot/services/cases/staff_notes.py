"""办理记录: a handler's note on a case, written as a reply to its card (trial 29 P5).

Chiefs and staff answer a card in words (已派网格员上门，老人情绪稳定). Such a
reply is kept on the case as a ``staff_note`` event: the case does not change (no
version bump: the card's buttons stay valid), and the reporter does not see it (it
is not in ``PUBLIC_EVENT_LABELS``); the units read it in the case's timeline
(dashboard). Every other handler who holds the case — the responsible units (the
owner, a unit it was escalated to) and whoever was sent its card (the dispatcher
desk, the centres) — gets it as a 【办理记录】 notice without buttons (pf29), as
they get the reporter's 补充说明. What the citizen reads stays the units' acts
(签收, 办结 …) and their results.

Who may note: a handler who may see the case, or whose unit was sent its card at
filing (the ``registered`` event's ``notify``: a station or school the text names,
trial 29 V6) — they hold the card and what they did about it belongs on it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notification_reporter as nr
from bot.services.cases.model import HANDLER_ROLES, MAX_NOTE, CaseView, _clean
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import CaseError, EventType, record
from storage import cases as store
from storage.enums import Channel
from storage.models import Case, CaseEvent, Person


class CaseStaffNotes(CaseTx):
    """办理记录 by a handler who may see the case."""

    async def add_staff_note(
        self,
        actor_id: int,
        case_id: int,
        text: str,
        channel: str = Channel.TELEGRAM,
        *,
        number: str | None = None,
    ) -> CaseView:
        """Keep ``text`` on ``case_id`` as a ``staff_note`` event by ``actor_id``
        (``number``: the case must have it, else ``not_found``).

        Raises:
            CaseError: ``bad_input`` (empty), ``not_found``, ``forbidden`` (not a
                chief, staff or admin who may see the case).
        """
        note = _clean(text, MAX_NOTE)
        if not note:
            raise CaseError("bad_input", "办理记录不能为空。")
        async with self.db.session() as s:
            now = self.clock.now()
            actor = await self._person(s, actor_id)
            case = await self._lock(s, case_id)
            if number is not None and case.number != number:
                raise CaseError("not_found", "案件不存在。")
            if actor.role not in HANDLER_ROLES or not (
                self.may_view(actor, case) or await self._was_sent(s, actor.unit_id, case)
            ):
                raise CaseError("forbidden", "您无权为该案件记录办理情况。")
            await record(
                s,
                case,
                EventType.STAFF_NOTE,
                now=now,
                actor_id=actor.id,
                channel=channel,
                unit_id=actor.unit_id,
                note=note,
                changes_case=False,
            )
            await self._share_note(s, case, actor, note, now)
            return self.view_for(case, actor, now)

    async def _share_note(
        self, s: AsyncSession, case: Case, actor: Person, note: str, now: datetime
    ) -> None:
        """Tell the case's other holders of ``actor``'s note (not the writer, nor the reporter)."""
        readers = {p.id: p for p in await store.card_holders(s, case.id)}
        for p in await store.people_of_units(s, self.responsible_units(case), HANDLER_ROLES):
            readers.setdefault(p.id, p)
        writer = "、".join(x for x in (self.unit_name(actor.unit_id), actor.name) if x)
        for person in sorted(readers.values(), key=lambda p: p.id):
            if person.id in (actor.id, case.reporter_id) or person.role not in HANDLER_ROLES:
                continue
            view = self.view_for(case, person, now)
            self._message(s, person, case, nr.staff_note_shared(view, writer, note), None, now)

    async def _was_sent(self, s: AsyncSession, unit_id: str | None, case: Case) -> bool:
        """Whether ``unit_id`` was sent ``case``'s card at filing (``notify``)."""
        if unit_id is None:
            return False
        registered = await s.scalar(
            select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.type == EventType.REGISTERED.value
            )
        )
        notify = registered.data.get("notify", []) if registered is not None else []
        return unit_id in notify
