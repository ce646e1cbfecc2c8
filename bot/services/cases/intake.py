"""Filing citizens' requests, and the details added to one filed as danger now.

Officers' early warnings are filed in :mod:`bot.services.cases.warning_intake`; the
shared parts (numbers, classification, the preview, the new case and its
first event and messages) are in :mod:`bot.services.cases.filing`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.services import notifications as nt
from bot.services.cases.duplicates import earlier_duplicate, reporter_hint, unit_pings
from bot.services.cases.filing import CaseFiling
from bot.services.cases.model import CaseView, ClassificationLike, RequestDraft, _clean
from bot.services.critical_net import critical_unlined
from bot.services.lifecycle import CaseError, EventType, record
from bot.services.routing import (
    SCHOOL_BUREAU,
    Route,
    named_school,
    named_territory,
    police_copy,
    route_danger,
    route_request,
    warning_recipients,
)
from bot.services.triage import (
    danger_now_owner,
    emergency_of,
    line_owner_bureau,
    safety_hint,
)
from config.district import SEVERITIES, District
from nlp.emergency import Emergency
from nlp.families import SELF_HARM
from nlp.severity import assess_severity
from storage import intake_keys, open311_filings
from storage.enums import CaseKind, Channel


@dataclass(frozen=True)
class RequestPlan:
    """How a request's text is filed: its classification, route, level (``severity``),
    deadline class (``priority``), the units told at once (``also``), the danger now
    found (``emergency``) and the classifier's own rating when the level differs (``rated``)."""

    c: ClassificationLike
    route: Route
    severity: str
    priority: str
    also: tuple[str, ...]
    emergency: Emergency | None
    rated: str | None


class CaseIntake(CaseFiling):
    """Filing citizens' requests (and the details added to one filed as danger now)."""

    async def file_request(
        self,
        reporter_id: int,
        draft: RequestDraft,
        channel: str = Channel.TELEGRAM,
        *,
        receipt: bool = True,
        api_key_id: int | None = None,
    ) -> CaseView:
        """File a citizen's request: classify, route, set deadlines, notify.

        ``api_key_id``: the Open311 key that filed it, linked in the same transaction
        (:mod:`storage.open311_filings`, review 2 Q3) so a filed case is never left
        unread by its partner.

        ``receipt=False``: the caller answers the reporter itself (the Telegram
        conversation does, with :func:`bot.services.notifications.reporter_registered`),
        so no receipt is written to the outbox — the reporter gets one receipt, not two.

        A request that describes danger now (:func:`bot.services.triage.emergency_of`)
        is filed as critical, with the critical deadlines, and owned at once by
        the bureau that can act on its danger, whatever its topic, when its family names
        one, 110 is first or a life is at risk (:func:`bot.services.triage.danger_now_owner`,
        :func:`bot.services.routing.route_danger`); besides its owner the
        station of its topic (when another), the dispatcher desk,
        ``district.warning_centres`` and ``district.leadership`` get its card at
        once, as for a critical warning.

        Filed at most once per Telegram update (:mod:`storage.intake_keys`): a replayed
        update gets the case it filed before.

        Raises:
            CaseError: ``bad_input`` (empty/too long text, unknown unit),
                ``forbidden`` (unknown or blocked reporter).
        """
        key = intake_keys.next_key()
        return await self._once(
            key,
            reporter_id,
            lambda: self._file_request(reporter_id, draft, channel, receipt, key, api_key_id),
        )

    async def _file_request(
        self,
        reporter_id: int,
        draft: RequestDraft,
        channel: str,
        receipt: bool,
        key: str | None,
        api_key_id: int | None = None,
    ) -> CaseView:
        text = self._check_text(draft.text)
        plan = self._plan_request(text, draft)
        c, route, severity, priority = plan.c, plan.route, plan.severity, plan.priority
        also, emergency, rated = plan.also, plan.emergency, plan.rated
        async with self.db.session() as s:
            if (filed := await self._filed_before(s, key, reporter_id)) is not None:
                return filed
            now = self.clock.now()
            reporter = await self._person(s, reporter_id)
            case = self._new_case(
                CaseKind.REQUEST, text, c, route, now, channel, reporter.id, priority, severity
            )
            case.address = _clean(draft.address, 500)
            case.latitude = draft.latitude
            case.longitude = draft.longitude
            case.contact_name = _clean(draft.contact_name, 200)
            case.contact_phone = _clean(draft.contact_phone, 32)
            case.photo_file_ids = list(draft.photo_file_ids)
            await self._register_tx(
                s,
                case,
                now,
                actor_id=reporter.id,
                channel=channel,
                key=key,
                data={
                    "how": route.how,
                    "room": route.room,
                    "bureau": route.bureau,
                    "confidence": float(c.confidence),
                    "classified_room": c.room,
                    "classified_bureau": c.bureau,
                    **(
                        {
                            "emergency": emergency.kind,
                            "services": list(emergency.services),
                            "why": list(emergency.words),
                            "notify": list(also),
                        }
                        if emergency is not None
                        else {"notify": list(also)}
                        if also
                        else {}
                    ),
                    **({"rated": rated} if rated is not None else {}),
                },
            )
            if api_key_id is not None:
                await open311_filings.remember_tx(s, case.id, api_key_id)
            if channel != Channel.OPEN311:
                # An Open311 caller's service_code is another system's category, not a
                # citizen's correction of the classifier: nothing to learn from (trial 25 T14).
                await self._record_choice(s, case, c, route, "citizen", reporter.id)
            if route.to_desk:
                case.ack_due_at = now + self.district.deadlines[case.priority].acknowledge
                await self._schedule_ack(s, case, now)
            else:
                await self._dispatch_tx(
                    s,
                    case,
                    route.owning_unit_id,
                    now,
                    actor_id=None,
                    channel=channel,
                    how=route.how,
                )
            care = emergency is not None and emergency.kind == SELF_HARM
            hotline = self.district.crisis_hotline
            # Someone who wrote of harming themselves is told people will call, not
            # deadlines (trial 25 T7).
            receipt_text = (lambda v: nt.reporter_registered_care(v, hotline)) if care else None
            # The same text from the same citizen again (T11): filed, never merged; both
            # sides are told. Danger now is never folded into an earlier case.
            earlier = None if emergency is not None else await earlier_duplicate(s, case, now)
            return await self._announce_tx(
                s,
                case,
                now,
                reporter,
                also,
                receipt,
                receipt_text=receipt_text,
                pings=unit_pings(earlier, case.owning_unit_id, self.tz) if earlier else (),
                hint=reporter_hint(earlier, self.tz) if earlier else None,
            )

    def request_severity(self, text: str) -> str:
        """The level ``text`` would be filed at as a request (``critical`` for danger now);
        nothing stored. Raises CaseError ``bad_input`` for an empty text."""
        return self._plan_request(text, RequestDraft(text=text)).severity

    def _plan_request(self, text: str, draft: RequestDraft) -> RequestPlan:
        """Classify and route a request's ``text`` and set its level, deadlines class and
        the units told at once; nothing stored (shared by filing and by 拆分, a split).

        Raises:
            CaseError: ``bad_input`` (empty text, unknown unit).
        """
        if draft.territorial_unit_id and draft.territorial_unit_id not in self.district.units:
            raise CaseError("bad_input", "所选社区或街道不存在。")
        c = self._classify(text)
        route = route_request(
            self.district,
            classified_room=c.room,
            classified_bureau=c.bureau,
            confidence=float(c.confidence),
            chosen_room=draft.room,
            chosen_bureau=draft.bureau,
            territorial_unit_id=draft.territorial_unit_id,
        )
        if draft.to_desk and draft.room is None and draft.bureau is None and not route.to_desk:
            route = replace(
                route, owning_unit_id=self.district.dispatcher, to_desk=True, how="desk"
            )
        severity = c.severity if c.severity in SEVERITIES else "low"
        rated: str | None = None
        priority = "normal"
        also: tuple[str, ...] = ()
        emergency = emergency_of(text)
        if emergency is not None:
            severity = "critical"
            priority = self.district.severity_priority["critical"]
            school = named_school(self.district, text)
            route = route_danger(
                self.district,
                route,
                # Violence now (110 first, trial 33 D3) and a life at risk (own35) are the
                # family's or the line's over a confident topic, which is informed.
                danger_now_owner(text, emergency, None if route.to_desk else route.bureau),
                line_owner_bureau(emergency),
                topic_bureau=SCHOOL_BUREAU if school else danger_topic(self.district, c, route),
            )
            also = tuple(
                u
                for u in dict.fromkeys(
                    (
                        *route.also_notify,
                        *school,
                        self.district.dispatcher,
                        *warning_recipients(self.district, "critical"),
                        *police_copy(self.district, emergency),
                    )
                )
                if u != route.owning_unit_id
            )
        elif (
            (severity == "critical" and urgent_by_rules(c))
            or critical_unlined(text)
            or (severity == "critical" and own_harm_critical(text))
        ):
            # 特别重大 by the rules with an urgency word, no danger-now line (上百名业主
            # 正在堵路): the critical deadlines and the district's alert (trial 28 P5).
            # Not for a level the learned model alone gave, nor a past event told to
            # ask for help (家里遭了火灾，有没有临时救助): 215 of 2,445 labelled citizen
            # messages are critical without danger now, 1 of them by the rules and urgent.
            # The rubric's critical told now with no line (一百多人把区政府大门堵了) too:
            # the net under the line, the same for every channel (review 32 S8).
            # The rules' critical about the writer's own safety with its 110 line
            # (我老公天天打我，昨天把我打得头破血流): the cancel question and 只是咨询
            # keep it as critical, so it is filed so — the higher wins (review left34 #3).
            severity = "critical"
            priority = self.district.severity_priority["critical"]
            also = critical_copies(self.district, route)
        else:
            if severity == "critical":
                # 特别重大 without danger now and without the rules' urgency word: the
                # policy keeps the request's deadlines (trial 28 P5), so it is not filed
                # as 特别重大 either (pf29): the card's level and its deadlines agree.
                # The classifier's rating is kept on the registered event (``rated``).
                rated = severity
                severity = request_level(text)
            if severity == "high":
                # 重大 (collective action planned, violence at home going on, twenty
                # workers unpaid): the deadlines and the centres' copies of a high
                # warning, whoever reports it (trial 29 P3).
                priority = self.district.severity_priority["high"]
                also = high_copies(self.district, route)
        return RequestPlan(c, route, severity, priority, also, emergency, rated)

    async def add_emergency_details(
        self,
        reporter_id: int,
        case_id: int,
        *,
        place: str | None = None,
        phone: str | None = None,
        location: tuple[float, float] | None = None,
    ) -> CaseView:
        """Add where and a number to call to the reporter's own request filed as danger now.

        The emergency is filed before anything is asked; what the citizen gives
        next is put on the case at once (a ``details_added`` event, the cards
        redrawn, the responsible units pinged). Nothing given changes nothing.

        Raises:
            CaseError: ``not_found``; ``forbidden`` (not the reporter's own request).
        """
        async with self.db.session() as s:
            now = self.clock.now()
            reporter = await self._person(s, reporter_id)
            case = await self._lock(s, case_id)
            if case.kind != CaseKind.REQUEST.value or case.reporter_id != reporter.id:
                raise CaseError("forbidden", "只能补充您本人反映的问题。")
            added: dict[str, object] = {}
            informed: tuple[str, ...] = ()
            if cleaned := _clean(place, 500):
                case.address = added["place"] = cleaned
                if case.territorial_unit_id is None:
                    # The place names a street or residential area (西湖街道金桥小区5栋):
                    # it is the 属地, and its work room and street station get the card,
                    # as a warning naming it would (trial 29 P8).
                    territory, informed = named_territory(
                        self.district, cleaned, case.owning_unit_id
                    )
                    case.territorial_unit_id = territory
            if location is not None:
                case.latitude, case.longitude = location
                added["location"] = [round(location[0], 5), round(location[1], 5)]
            if cleaned_phone := _clean(phone, 32):
                case.contact_phone = cleaned_phone
                added["phone"] = cleaned_phone
            if not added:
                return self.view_for(case, reporter, now)
            await record(
                s,
                case,
                EventType.DETAILS_ADDED,
                now=now,
                actor_id=reporter.id,
                channel=Channel.TELEGRAM,
                data=added,
            )
            # The owner and every copy of the alert (the desk's first: it must be able to
            # re-dispatch with the details), each reading them masked as its card is.
            units = await self.alerted_units(s, case)
            await self.publish_tx(
                s,
                case,
                now,
                also_card_units=[u for u in informed if u not in units],
                pings=[(units, lambda v: nt.emergency_details_added(v, added))],
            )
            return self.view_for(case, reporter, now)


def critical_copies(district: District, route: Route) -> tuple[str, ...]:
    """Who gets a critical request's card besides its owner: the copies of its route,
    the dispatcher desk, the warning centres and the leadership."""
    units = (
        *route.also_notify,
        district.dispatcher,
        *warning_recipients(district, "critical"),
    )
    return tuple(u for u in dict.fromkeys(units) if u != route.owning_unit_id)


def high_copies(district: District, route: Route) -> tuple[str, ...]:
    """Who gets a high (重大) request's card besides its owner: the copies of its route
    and the units a high warning reaches at once (``district.warning_centres``)."""
    units = (*route.also_notify, *warning_recipients(district, "high"))
    return tuple(u for u in dict.fromkeys(units) if u != route.owning_unit_id)


def request_level(text: str) -> str:
    """The level a request rated 特别重大 without danger now or urgency is filed at (pf29).

    The policy gives such a request no critical deadlines and no district alert
    (trial 28 P5), so its card must not say 特别重大. It is filed at the level the
    rules alone give it (the learned model alone raised most of them: 急诊等了两个小时,
    楼顶搭了个彩钢房), and a rules' critical for a harm told to ask for help
    (家里失火房子烧没了，能申请临时救助吗) one step down, 重大: never lower than the rules
    read the harm but for the critical alert, since under-rating is the worse error.
    """
    level = assess_severity(text, learned=False).level
    return "high" if level == "critical" else level


def own_harm_critical(text: str) -> bool:
    """Whether the rules alone rate ``text`` 特别重大 and it tells the writer's own
    safety at stake with its 110 line (violence at home told as a habit, with an injury:
    我老公天天打我，昨天把我打得头破血流; :func:`bot.services.triage.safety_hint`). Such a
    request is filed as 特别重大, as the draft said (review left34 #3)."""
    return safety_hint(text) is not None and assess_severity(text, learned=False).level == (
        "critical"
    )


def urgent_by_rules(c: object) -> bool:
    """Whether the rubric (not the learned model alone) set the level and found an
    urgency word (正在, 紧急 …)."""
    detail = getattr(c, "severity_detail", None)
    families = tuple(getattr(detail, "families", ()) or ())
    return bool(getattr(detail, "urgent", False)) and bool(families) and families[-1] != "model"


def danger_topic(district: District, c: ClassificationLike, route: Route) -> str | None:
    """The bureau of a danger's topic, informed besides the danger's owner.

    The classifier's own answer before the danger's owner replaced it
    (``c.topic``, :func:`nlp.classify.owned_by_danger`), when sure enough to
    route (``district.min_routing_confidence``): its station is the one the
    topic would have given (救命！我家楼下着火了…和平小区5栋 informs 建设站, trial 26
    T1, whatever the bar at which the owner takes over). Otherwise an answer
    too unsure to route (``route.to_desk``) still names its bureau; a routed one
    is informed by :func:`bot.services.routing.route_danger` itself.
    """
    topic = getattr(c, "topic", None)
    if topic is not None and topic.confidence >= district.min_routing_confidence:
        return str(topic.bureau)
    return c.bureau if route.to_desk else None
