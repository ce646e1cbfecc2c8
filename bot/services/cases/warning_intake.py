"""Filing officers' early warnings.

The shared parts (numbers, classification, the preview, the new case and its
first event and messages) are in :mod:`bot.services.cases.filing`; citizens'
requests are filed in :mod:`bot.services.cases.intake`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.services import notifications as nt
from bot.services.cases.duplicates import similar_open_warning
from bot.services.cases.filing import CaseFiling, severity_why
from bot.services.cases.model import (
    TERRITORIAL_KINDS,
    WARNING_ROLES,
    CaseView,
    ClassificationLike,
    WarningDraft,
    _clean,
)
from bot.services.disclosures import disclosure_kind
from bot.services.lifecycle import CaseError, EventType, record
from bot.services.routing import (
    SCHOOL_BUREAU,
    Route,
    bureau_stations,
    named_school,
    named_territory,
    police_copy,
    route_danger,
    route_request,
    route_warning,
    warning_recipients,
)
from bot.services.triage import (
    LEVEL_RANK,
    OTHER_AT_RISK,
    check_level,
    danger_now_owner,
    danger_owner_bureau,
    emergency_of,
    line_owner_bureau,
)
from config.district import SEVERITIES
from nlp import normalize as normalize_text
from nlp.families import SELF_HARM
from nlp.headcount import head_counts
from storage import intake_keys
from storage.enums import CaseKind, Channel


class CaseWarningIntake(CaseFiling):
    """Filing an information officer's early warning."""

    async def repeated_warning(
        self, officer_id: int, text: str, severity: str | None = None
    ) -> tuple[CaseView, bool] | None:
        """An open warning of the officer, filed within 24 h, that ``text`` repeats
        (the same or near-identical words; trial 28 P4), and whether ``text`` would be
        filed critical (``severity``: the level the officer chose, if any). The
        caller asks whether it is the same matter, except for a critical one: that
        is filed at once and linked (danger never waits for a question).
        """
        normalized = normalize_text(text)
        if not normalized.strip():
            return None
        async with self.db.session() as s:
            key = intake_keys.peek_key()
            if key is not None and await intake_keys.filed_case(s, key) is not None:
                return None  # a replayed update: the filing returns what it filed then
            now = self.clock.now()
            earlier = await similar_open_warning(s, officer_id, normalized, now)
            if earlier is None:
                return None
            officer = await self._person(s, officer_id)
            view = self.view_for(earlier, officer, now)
        level = severity or self._classify(text).severity
        critical = level == "critical" or emergency_of(text) is not None
        return view, critical

    async def file_warning(
        self,
        officer_id: int,
        draft: WarningDraft,
        channel: str = Channel.TELEGRAM,
        *,
        receipt: bool = True,
    ) -> CaseView:
        """File an information officer's early warning with the officer's own unit.

        ``receipt=False`` as for :meth:`~bot.services.cases.intake.CaseIntake.file_request`.

        High and critical warnings also reach ``district.warning_centres`` at
        once, critical ones also ``district.leadership``; a street or residential
        area of the district named in the text is the 属地 and is told
        (:func:`bot.services.routing.named_territory`). The rubric's level is
        filed unless the officer chose another: raising is free, any lowering
        needs ``draft.severity_reason`` and a 重大 or 特别重大 rating goes no lower
        than 较大 (:func:`bot.services.triage.check_level`, the rule after filing
        too); a lowered rating still reaches whom the rubric's level reaches, with
        the 【定级说明】; any other level than the rubric's is recorded as a
        ``severity_changed`` event with the reason as its note.

        Raises:
            CaseError: ``forbidden`` (not an officer/staff/chief bound to a
                unit), ``bad_input``, ``reason_required`` (a level lowered
                without a reason), ``too_low`` (重大 / 特别重大 below 较大).
        """
        key = intake_keys.next_key()
        return await self._once(
            key, officer_id, lambda: self._file_warning(officer_id, draft, channel, receipt, key)
        )

    async def _file_warning(
        self, officer_id: int, draft: WarningDraft, channel: str, receipt: bool, key: str | None
    ) -> CaseView:
        text = self._check_text(draft.text)
        if draft.severity is not None and draft.severity not in SEVERITIES:
            raise CaseError("bad_input", "预警等级无效。")
        if draft.head_count is not None and draft.head_count < 0:
            raise CaseError("bad_input", "人数不能为负数。")
        c = self._classify(text)
        rubric = c.severity if c.severity in SEVERITIES else "low"
        if emergency_of(text) is not None:
            # Danger now is 特别重大 from an officer as from a citizen (trial 33b E1): a
            # fight about to start rated 重大 by the rubric went to the station, waited
            # for 确认 and never reached the police. The officer may lower it afterwards
            # with a reason, as for any critical rating.
            rubric = "critical"
        severity, reason = check_level(rubric, draft.severity, draft.severity_reason)
        async with self.db.session() as s:
            if (filed := await self._filed_before(s, key, officer_id)) is not None:
                return filed
            now = self.clock.now()
            officer = await self._person(s, officer_id)
            if (
                officer.role not in WARNING_ROLES
                or officer.unit_id is None
                or officer.unit_id not in self.district.units
            ):
                raise CaseError(
                    "forbidden",
                    "只有已绑定单位的信息员、工作人员或负责人（站长、主任）可以报送预警。",
                )
            route = route_warning(
                self.district,
                officer_unit_id=officer.unit_id,
                room=draft.room or c.room,
                bureau=draft.bureau or c.bureau,
                severity=severity,
            )
            if severity == "critical" or rubric == "critical":
                # A critical rating lowered by its reporter still goes where a critical
                # alert goes (the centres, 群工办, the police for a danger to life, the
                # danger's owner), with the 【定级说明】 below: the district decides, not
                # one officer alone.
                also_notify = tuple(
                    u
                    for u in dict.fromkeys(
                        (
                            *route.also_notify,
                            *warning_recipients(self.district, "critical"),
                            *police_copy(self.district, emergency_of(text)),
                            *self._danger_units(text, route.bureau),
                        )
                    )
                    if u != route.owning_unit_id
                )
                route = replace(route, also_notify=also_notify)
            elif rubric == "high" and severity != rubric:
                # A 重大 rating lowered by its reporter still reaches the district centres
                # at once with the 【定级说明】, as after filing (trial 32 D12).
                centres = warning_recipients(self.district, rubric)
                also_notify = tuple(
                    u
                    for u in dict.fromkeys((*route.also_notify, *centres))
                    if u != route.owning_unit_id
                )
                route = replace(route, also_notify=also_notify)
            route = self._person_at_risk_route(text, route, rubric, severity, c)
            # A street or residential area of the district named in the text is the
            # 属地 and is told; the officer's station keeps the case (trial 26 T12).
            territory, informed = named_territory(self.district, text, officer.unit_id)
            if informed:
                also_notify = tuple(dict.fromkeys((*route.also_notify, *informed)))
                route = replace(route, also_notify=also_notify)
            priority = self.district.severity_priority[severity]
            case = self._new_case(
                CaseKind.WARNING, text, c, route, now, channel, officer.id, priority, severity
            )
            if territory is not None:
                case.territorial_unit_id = territory
            elif self.district.units[officer.unit_id].kind in TERRITORIAL_KINDS:
                case.territorial_unit_id = officer.unit_id
            case.address = _clean(draft.place, 500)
            case.latitude, case.longitude = draft.latitude, draft.longitude
            # The chief must be able to tell who sent it and call back.
            case.contact_name, case.contact_phone = officer.name or None, officer.phone
            detail = getattr(c, "severity_detail", None)
            guessed = getattr(detail, "head_count", None)
            case.head_count = (
                draft.head_count
                if draft.head_count is not None
                else people_written(draft.text, guessed)
                if isinstance(guessed, int)
                else None
            )
            case.photo_file_ids = list(draft.photo_file_ids)
            # One list: the notifications go to it, the event keeps it, the receipt names it.
            notify = list(route.also_notify)
            await self._register_tx(
                s,
                case,
                now,
                actor_id=officer.id,
                channel=channel,
                key=key,
                data={
                    "severity": severity,
                    "rubric": rubric,
                    "why": severity_why(c, text),
                    "notify": notify,
                    "classified_room": c.room,
                    "classified_bureau": c.bureau,
                },
            )
            if draft.room or draft.bureau:
                await self._record_choice(s, case, c, route, "officer", officer.id)
            pings: list[tuple[Iterable[str], Callable[[CaseView], str]]] = []
            if severity != rubric:
                if LEVEL_RANK[severity] < LEVEL_RANK[rubric]:
                    why = severity_why(c, text)
                    pings.append(
                        (
                            [*self.responsible_units(case), *route.also_notify],
                            lambda v: nt.warning_lowered(v, rubric, why, reason),
                        )
                    )
                await record(
                    s,
                    case,
                    EventType.SEVERITY_CHANGED,
                    now=now,
                    actor_id=officer.id,
                    channel=channel,
                    note=reason,
                    data={"from": rubric, "to": severity, "why": severity_why(c, text)},
                    changes_case=False,
                )
            await self._dispatch_tx(
                s, case, route.owning_unit_id, now, actor_id=None, channel=channel, how="officer"
            )
            view = await self._announce_tx(s, case, now, officer, notify, receipt, pings)
            return replace(view, informed_unit_names=self.unit_names(notify))

    def _person_at_risk_route(
        self,
        text: str,
        route: Route,
        rubric: str,
        severity: str,
        c: ClassificationLike,
    ) -> Route:
        """``route`` given to the unit that can act on a danger now, as for a citizen.

        A warning of someone about to take their life (楼顶有个人坐在边上，好像要跳) is
        owned by the unit that can act on it (公安分局, the danger family's bureau), as
        the same words from a citizen are: the police read it in full as its owner,
        while every other holder reads the self-harm summary (trial 30 #1, #13).

        Any other danger now filed 特别重大 (every officer warning with danger now is
        rated so: ``rubric``, trial 33b E1) is owned by whom a citizen's report of the
        same words would be (:meth:`bot.services.cases.intake.CaseIntake._plan_request`:
        the danger family's bureau, else the line's when 110 is first, a life is at risk
        or no topic is sure, else the sure topic's: :func:`bot.services.triage.danger_now_owner`,
        :func:`bot.services.routing.route_danger`): a
        street station has no fire, rescue or police capacity, and sat on a knife
        fight (trial 33 D3), a fire in another street and a drowning (trial 34 #1)
        while the police held copies without buttons. The officer's station, which
        had kept it (trial 27 N12), and the street named in the text (the 属地) get
        the card as a copy. Only a level its officer lowered before filing (a knife
        verified as a toy) stays N12, the police keeping the critical alert's copy.
        A person at risk in a crowd's warning (围堵大门，有人扬言要跳楼: 110 first as a
        bystander's report) keeps the self-harm rule, which reads the disclosure.
        """
        emergency = emergency_of(text)
        if emergency is None:
            return route
        family = danger_owner_bureau(text)
        if disclosure_kind(text) == SELF_HARM and family is not None:
            moved = route_danger(self.district, route, family)
        elif rubric == severity == "critical":
            found = self._danger_route(text, c)
            if found is None:
                return route
            moved = found
        else:
            return route
        if moved.owning_unit_id == route.owning_unit_id:
            return route
        also = tuple(
            u
            for u in dict.fromkeys((route.owning_unit_id, *route.also_notify, *moved.also_notify))
            if u != moved.owning_unit_id
        )
        return replace(moved, how=route.how, also_notify=also)

    def _danger_route(self, text: str, c: ClassificationLike) -> Route | None:
        """The route a citizen's report of ``text`` would take as danger now, or ``None``
        (no danger now, a person at risk in a crowd's warning, or none that leaves the desk).

        The classifier's own answer, not the proposal's office: a danger-now warning is
        filed before the officer can choose one, and an unsure guess must not own it.
        """
        emergency = emergency_of(text)
        if emergency is None or emergency.kind in (SELF_HARM, OTHER_AT_RISK):
            return None
        topic = route_request(
            self.district,
            classified_room=c.room,
            classified_bureau=c.bureau,
            confidence=float(c.confidence),
        )
        moved = route_danger(
            self.district,
            topic,
            danger_now_owner(text, emergency, None if topic.to_desk else topic.bureau),
            line_owner_bureau(emergency),
        )
        return None if moved.to_desk else moved

    def warning_danger_owner(self, text: str) -> tuple[str, str] | None:
        """The room and bureau that will own an officer's warning of ``text`` filed
        特别重大 for its danger now, as for a citizen's report (trial 34 #1, #16: the
        proposal shows it, not the classifier's unsure guess); ``None`` when the
        officer's station keeps it. Nothing stored."""
        text = self._check_text(text)
        c = self._classify(text)
        family = danger_owner_bureau(text)
        if disclosure_kind(text) == SELF_HARM and family is not None:
            bureau = self.district.bureaus.get(family)
            return (bureau.room_id, family) if bureau is not None else None
        found = self._danger_route(text, c)
        return (found.room, found.bureau) if found is not None else None

    def _danger_units(self, text: str, topic_bureau: str) -> tuple[str, ...]:
        """Who must hear of a warning's danger now besides the officer's station.

        The same family → bureau map the citizens' danger-now rule uses
        (:func:`bot.services.triage.danger_now_owner`): the family's bureau (公安分局 for a
        fire or people trapped, 卫生局 for a poisoning), else the line's (卫生局 for
        120; 公安分局 for people buried), the topic's bureau, and for a school of the
        district named in the text 教体局, the school and its street station. Each gets a
        copy at once, as the police do for violence; the officer's station keeps the warning
        (trial 27 N12). Nothing when the text tells of no danger now.
        """
        emergency = emergency_of(text)
        if emergency is None:
            return ()
        owner = danger_now_owner(text, emergency) or line_owner_bureau(emergency)
        school = named_school(self.district, text)
        topics = (topic_bureau, SCHOOL_BUREAU) if school else (topic_bureau,)
        return (*bureau_stations(self.district, owner, *topics), *school)


#: A count the text gives only as households (户) or as 几十 / 数十 (tens, not 30): no
#: number of people can be shown for it (trial 31 #16: 几十户 was shown as 约30人).
_NOT_PEOPLE = re.compile(r"户|[几数]十|[几数]百|好几")


def people_written(text: str, guessed: int) -> int | None:
    """The rules' head count as a number of people for the card, or ``None``.

    The rubric reads 几十户 as 30 to rate the warning; the card must not show that as
    约30人: the text says households, and an unknown number of them.
    """
    for value, start, end in head_counts(text):
        if value == guessed and _NOT_PEOPLE.search(text[start:end]):
            return None
    return guessed
