"""What a reporter may still do with a filed case: 补充说明 (add information) and 撤回.

Both are the reporter's own (the citizen who filed a request, the officer who
filed a warning) and go to the people who handle the case now: the owning unit
and every unit it was escalated to get a ping with their card buttons.

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

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notification_reporter as nr
from bot.services.cases.aftercare import case_lines, is_farewell
from bot.services.cases.model import MAX_NOTE, CaseView, _clean
from bot.services.cases.reporter_pings import denial_ping as _denial_ping
from bot.services.cases.reporter_pings import elsewhere_ping as _elsewhere_ping
from bot.services.cases.reporter_pings import farewell_ping as _farewell_ping
from bot.services.cases.reporter_pings import note_data as _note_data
from bot.services.cases.reporter_pings import note_ping as _note_ping
from bot.services.cases.reporter_pings import unsigned_ping as _unsigned_ping
from bot.services.cases.split_dispute import undenied
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import (
    Action,
    CaseError,
    EventType,
    apply,
    check_version,
    is_overdue,
    record,
)
from bot.services.notification_labels import fmt_duration
from bot.services.routing import warning_recipients
from bot.services.triage import (
    danger_owner_bureau,
    emergency_of,
    line_owner_bureau,
)
from nlp.coercion import tells_of_threat
from nlp.emergency import Emergency, emergency_line
from storage import cases as store
from storage.enums import OPEN_STATUSES, CaseKind, Channel
from storage.models import Case, Person

#: Statuses after which nothing can be added (the case is final).
FINAL = frozenset({"closed", "rejected", "withdrawn"})
#: The severity a reporter cannot withdraw by a tap.
CRITICAL = "critical"
#: The levels of a warning its officer cannot withdraw by a tap (now or ever rated so).
_KEPT_WARNING = frozenset({CRITICAL, "high"})


class CaseReporterActs(CaseTx):
    """补充说明 and 撤回 by the case's reporter."""

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
        they reported (trial 34 #2): the event's data holds ``denies_split``, the units
        read 【反映人否认】 and the reporter is told the units will verify; a denial is
        no report of danger (我没反映过打架的事): its danger check reads the note less the
        denial's own words (:func:`~bot.services.cases.split_dispute.undenied`), never
        switched off (review 34a F1).

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
            await record(
                s,
                case,
                EventType.NOTE_ADDED,
                now=now,
                actor_id=reporter.id,
                channel=channel,
                note=note,
                data=_note_data(note, media, danger, farewell=farewell, denial=denial),
                changes_case=False,
            )
            if photos:
                case.photo_file_ids = [*(case.photo_file_ids or []), *photos]
            # On a critical case everyone the alert reached reads what the reporter adds.
            units = await self.alerted_units(s, case)
            copies: list[str] = []
            ping = _note_ping(note, danger)
            if pointed is not None:
                ping = _elsewhere_ping(note, *pointed)
            if denial:
                ping = _denial_ping(note)
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
                copies = [u for u in self._note_danger_units(note, danger) if u not in units]
                units = [*units, *copies]
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
                else nr.reporter_denial_added
                if denial
                else await self.for_reporter(
                    s,
                    case,
                    nr.reporter_note_added,
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
            await apply(
                s,
                case,
                Action.WITHDRAW,
                now=now,
                actor_id=reporter.id,
                channel=channel,
                note=why,
                data={
                    "owner_unit_id": case.owning_unit_id,
                    "unit_ids": units,
                    "escalation_level": case.escalation_level,
                },
            )
            await self._close_unresolved(s, case, why, now)
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
