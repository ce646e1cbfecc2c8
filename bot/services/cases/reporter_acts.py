"""What a reporter may still do with a filed case: 补充说明 (add information) and 撤回.

Both are the reporter's own (the citizen who filed a request, the officer who
filed a warning) and go to the people who handle the case now: the owning unit
and every unit it was escalated to get a ping with their card buttons.

撤回 (withdraw) is :mod:`.withdrawal`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notification_reporter as nr
from bot.services.cases.aftercare import case_lines, is_farewell
from bot.services.cases.model import MAX_NOTE, CaseView, _clean
from bot.services.cases.reporter_pings import elsewhere_ping as _elsewhere_ping
from bot.services.cases.reporter_pings import farewell_ping as _farewell_ping
from bot.services.cases.reporter_pings import note_data as _note_data
from bot.services.cases.reporter_pings import note_ping as _note_ping
from bot.services.cases.reporter_pings import unsigned_ping as _unsigned_ping
from bot.services.cases.split_dispute import keeps_denied, undenied
from bot.services.cases.withdrawal import CRITICAL, FINAL, CaseWithdrawal
from bot.services.later_messages import danger_goes_on
from bot.services.lifecycle import (
    CaseError,
    EventType,
    is_overdue,
    record,
)
from bot.services.notification_labels import fmt_duration
from bot.services.routing import named_territory
from bot.services.triage import (
    danger_owner_bureau,
    emergency_of,
    line_owner_bureau,
)
from nlp.emergency import Emergency, emergency_line
from storage.enums import CaseKind, Channel
from storage.models import Case


class CaseReporterActs(CaseWithdrawal):
    """补充说明 by the case's reporter; 撤回 is :class:`~.withdrawal.CaseWithdrawal`'s."""

    async def add_reporter_note(
        self,
        reporter_id: int,
        case_id: int,
        text: str,
        channel: str = Channel.TELEGRAM,
        *,
        photos: Sequence[str] = (),
        media: Sequence[tuple[str, str]] = (),
        elsewhere: tuple[str, bool] | None = None,
        denial: bool = False,
        correction: bool = False,
    ) -> CaseView:
        """补充说明: append ``text`` to the reporter's own case as a ``note_added`` event
        and tell the units that handle it (a critical case: every unit that holds its
        card, as the alert reached them). The case itself does not change (no
        version bump: the station's buttons stay valid). ``photos`` (Telegram file ids)
        are kept with the case and sent to those units after the note; ``media``
        (``(kind, file_id)``: a voice, a video, a file …) is recorded in the event and
        sent to the units that read the note, by its file_id (trial 27 N18).

        A note on a self-harm request that tells of danger now (我刚吃了一整瓶药: trial 29
        re-test N1) is not an ordinary 补充: the reporter gets the emergency line first,
        as a message of its own, then the usual answer; the handlers get
        【紧急补充】 with the danger sentence first; and the unit the danger-owner
        rules give the line (120 → 卫生局) or the danger's family, if it does not hold
        the case yet, gets the card and the notice as well. The case stays one case.

        ``elsewhere``: ``(number, joined)`` — danger now in ``text`` on a routine case went
        to the emergency ``number`` (filed for it, or ``joined``: the reporter's open
        emergency took it), decided by
        :meth:`~bot.services.cases.note_danger.CaseNoteDanger.add_note_checked` (review
        32 S7): the reporter then gets no routine receipt of the note (the emergency line
        must come first) and the units read it as 【…补充说明·已另行紧急处置】 naming that
        case (trial 32 D21).

        ``denial``: the reporter says a case split off in the staff's words is not what
        they reported (trial 34 #2): the event's data holds ``denies_split`` and the case
        is withdrawn (:meth:`~.split_dispute.CaseSplitDispute.withdraw_denied_tx`,
        stop 35 #1) unless the note tells of danger now, or the case is critical or its
        text a danger now: then it stays open for its units to verify
        (:meth:`~.split_dispute.CaseSplitDispute.keep_denied_tx`, split 35); a denial is
        no report of danger (我没反映过打架的事): its danger check reads the note less the
        denial's own words (:func:`~bot.services.cases.split_dispute.undenied`), never
        switched off (review 34a F1).

        ``correction``: an officer's correction of the warning he just filed (说错了，是西湖
        菜市场: stop 35 D17). His one receipt says it was added as a correction (no second
        acknowledgement from the handler); a street or residential area of the district
        named in it is the warning's 属地 now, as when named in the text
        (:func:`~bot.services.routing.named_territory`): that unit and its station get
        the card and the note; the officer's station keeps the case.

        Raises:
            CaseError: ``bad_input`` (empty), ``not_found``, ``forbidden`` (not the
                reporter), ``illegal_transition`` (the case is final).
        """
        note = _clean(text, MAX_NOTE)
        if not note:
            raise CaseError("bad_input", "补充说明不能为空，请直接发送文字。")
        async with self.db.session() as s:
            now = self.clock.now()
            reporter, case = await self._own_case(s, reporter_id, case_id)
            if case.status in FINAL:
                raise CaseError(
                    "illegal_transition",
                    f"{case.number} 已结束办理，不能再补充说明。"
                    "如有新情况，请直接发送描述重新反映。",
                )
            # Danger now added to a critical case (还在烧, 门被堵住了出不去: trial 31 #1) or
            # to a self-harm writer's case is 【紧急补充】; elsewhere it is filed as a case of
            # its own besides the note (handlers/reporter_acts).
            # A denial's own words (我没反映过打架的事) are no danger; the rest of it is read
            # as any note: a denial never switches the danger check off (review 34a F1).
            urgent = await self.note_danger_in_case(s, case)
            danger = emergency_of(undenied(note) if denial else note) if urgent else None
            if urgent and danger is None and not denial and danger_goes_on(note):
                # 还在烧 / 人还没救上来: the case's own danger still going on (review 35b F4).
                danger = emergency_of(case.original_text)
            # A farewell on an open self-harm case (谢谢你们，再见了，以后不用联系我了) is the
            # aftercare's danger sign too: the line first, the units alerted (trial 33b E2);
            # there even a polite one (谢谢大家，再见: review left34 #1), a denial's too.
            farewell = (
                danger is None
                and is_farewell(note, open_case=True)
                and await self._crisis_case(s, case)
            )
            # Danger now on a routine case went to an emergency of its own (filed or
            # joined, review 32 S7): the reporter reads the emergency line first and no
            # routine receipt of this note; the unit reads where it went (trial 32 D21).
            pointed = elsewhere if elsewhere is not None and not urgent else None
            moved: list[str] = []
            if correction and case.kind == CaseKind.WARNING.value and reporter.unit_id:
                territory, informed = named_territory(self.district, note, reporter.unit_id)
                if territory is not None and territory != case.territorial_unit_id:
                    case.territorial_unit_id = territory
                    moved = list(informed)
            await record(
                s,
                case,
                EventType.NOTE_ADDED,
                now=now,
                actor_id=reporter.id,
                channel=channel,
                note=note,
                data={
                    **(_note_data(note, media, danger, farewell=farewell, denial=denial) or {}),
                    **({"territory": case.territorial_unit_id} if moved else {}),
                },
                changes_case=False,
            )
            if photos:
                case.photo_file_ids = [*(case.photo_file_ids or []), *photos]
            # On a critical case everyone the alert reached reads what the reporter adds.
            units = await self.alerted_units(s, case)
            if denial and danger is None and not farewell:
                if keeps_denied(case):
                    # A possible danger is verified, never dropped on a word (split 35).
                    await self.keep_denied_tx(s, case, note, units, now)
                else:
                    # Not the citizen's matter: withdrawn, never escalated (stop 35 #1).
                    await self.withdraw_denied_tx(s, case, reporter, note, units, channel, now)
                return self.view_for(case, reporter, now)
            copies = [u for u in moved if u not in units]
            units = [*units, *copies]
            ping = _note_ping(note, danger)
            if pointed is not None:
                ping = _elsewhere_ping(note, *pointed)
            care = nr.reporter_note_care
            if await self._unsigned_crisis(s, case, now):
                # Nobody has signed in time: no promise of a call, and what is not
                # danger now is a fresh alert, not a routine 补充 (trial 30 #6).
                care = nr.reporter_note_care_unsigned
                if danger is None:
                    ping = _unsigned_ping(note, fmt_duration(now - case.created_at))
            if farewell:
                ping = _farewell_ping(note)
                lines = emergency_line(await case_lines(s, case))
                self._message(s, reporter, case, lines, None, now, even_blocked=True)
            if danger is not None:
                extra = [u for u in self._note_danger_units(note, danger) if u not in units]
                copies, units = [*copies, *extra], [*units, *extra]
                # The line first, a message of its own, before the human answer.
                self._message(s, reporter, case, danger.line, None, now, even_blocked=True)
            await self.publish_tx(
                s,
                case,
                now,
                also_card_units=copies,
                new_card_units=copies,
                pings=[(units, ping)],
                reporter_text=None
                if pointed is not None
                else await self.for_reporter(
                    s,
                    case,
                    (
                        lambda v: nr.reporter_correction_added(
                            v, [self.district.units[u].name for u in moved]
                        )
                    )
                    if correction
                    else nr.reporter_note_added,
                    lambda v: care(v, self.district.crisis_hotline),
                ),
                new_photos=tuple(photos),
            )
            await self.media_tx(s, units, case, media, now)
            return self.view_for(case, reporter, now)

    async def note_danger_in_case(self, s: AsyncSession, case: Case) -> bool:
        """The one rule (review 32 S7): danger now added to ``case`` stays on it as
        【紧急补充】 when the case is critical or a self-harm writer's; on any other case
        it is an emergency of its own (:mod:`bot.services.cases.note_danger`)."""
        return case.severity == CRITICAL or await self._crisis_case(s, case)

    async def _crisis_case(self, s: AsyncSession, case: Case) -> bool:
        """Whether ``case`` is a request filed by someone writing of harming themselves."""
        return case.kind == CaseKind.REQUEST.value and await self._self_harm(s, case)

    async def _unsigned_crisis(self, s: AsyncSession, case: Case, now: datetime) -> bool:
        """Whether ``case`` is a self-harm writer's request that nobody has signed (签收)
        in time: a deadline was missed or it was escalated (trial 30 #6). Within the
        first 签收时限 the helpers were just alerted, and a note is a 补充说明."""
        return (
            case.acknowledged_at is None
            and case.status not in FINAL
            and (is_overdue(case, now) or case.escalation_level > 0)
            and await self._crisis_case(s, case)
        )

    def _note_danger_units(self, note: str, danger: Emergency) -> list[str]:
        """The stations of the bureaus that answer for ``note``'s danger now: its rubric
        family's (the police for self-harm) and its line's (120 → 卫生局)."""
        bureaus = (danger_owner_bureau(note), line_owner_bureau(danger))
        return [
            self.district.bureaus[b].station_id
            for b in dict.fromkeys(b for b in bureaus if b is not None)
            if b in self.district.bureaus
        ]
