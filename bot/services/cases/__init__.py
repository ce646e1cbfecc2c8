"""Case services: filing, handling, escalation, follow-up and the read side.

Knows nothing of Telegram: every change is one database transaction that also
writes the notifications it causes to the ``outbox`` table; the delivery worker
sends them later. Web forms, the Open311 API and the Telegram handlers all call
these methods.

Public API::

    service = CaseService(db, district, clock, codec, classifier=None, tz=DISTRICT_TZ)

    service.preview(text) -> Preview                      # "which office?", files nothing
    await service.file_request(reporter_id, RequestDraft(...), channel) -> CaseView
    await service.file_warning(officer_id, WarningDraft(...), channel) -> CaseView
    await service.acknowledge(case_id, actor_id, channel, expected_version=None) -> CaseView
    await service.start_progress(case_id, actor_id, channel, expected_version=None) -> CaseView
    await service.resolve(case_id, actor_id, note, channel, expected_version=None) -> CaseView
    await service.return_case(case_id, actor_id, reason, channel, expected_version=None)
    await service.escalate(case_id, actor_id, note=None, channel, expected_version=None)
    await service.dispatch(case_id, actor_id, target, channel, expected_version=None)
    await service.answer_follow_up(case_id, citizen_id, solved, satisfaction, comment=None,
                                   channel, expected_version=None) -> CaseView
    await service.get_case_view(case_id, viewer_id) -> CaseView
    await service.cases_of_reporter(person_id, limit=20) -> list[CaseView]
    await service.pending_for_unit(unit_id, limit=50) -> list[CaseView]
    await service.timeline(case_id, viewer_id=None) -> list[TimelineEntry]
    await service.render_card(case_id, viewer_id) -> tuple[str, dict | None]
    service.may_act(person, case) / service.may_view(person, case) -> bool

Every mutating method returns the case as the actor sees it and raises
:class:`bot.services.lifecycle.CaseError` (``code`` + Chinese ``message``) when refused:
``not_found``, ``forbidden``, ``stale`` (``expected_version`` differs),
``illegal_transition``, ``bad_input``, ``top`` (nothing above to escalate to),
``already_answered``.

Who may do what:

* act on a case (签收 / 处理中 / 办结 / 退单 / 上报): chiefs and staff of the
  owning unit or of any unit the case has been escalated to, the dispatcher
  desk's chiefs and staff, and admins (:meth:`CaseService.may_act`);
* dispatch by hand: the dispatcher desk's chiefs and staff, and admins;
* answer the follow-up: only the case's reporter;
* view: the reporter, everyone who may act, chiefs/staff/admins of the district
  office and centres, and of the territorial unit (:meth:`CaseService.may_view`).
  Contact details (and phone/ID numbers in the text) are masked unless the
  viewer is the reporter or belongs to a unit that owns or was escalated the case.

Outbox conventions (rows of ``storage.models.OutboxMessage``):

* ``kind="card"``: the case card for one chat. There is one card per case per
  chat: the delivery worker sends the first card row for a (case, chat) and
  records the message in ``case_cards``; later card rows for the same pair edit
  that message in place (the newest row wins). Every change re-renders the
  card for everyone who ever got it plus everyone now responsible, each with
  the buttons that person may press (签收 / 处理中 / 办结 / 退单 / 上报; the
  dispatcher desk gets 派至<bureau> and a row of rooms).
* ``kind="message"``: a plain new message — the reporter's updates, the
  follow-up question (with the four 回访 buttons), and pings that must make a
  phone buzz (催签收, 催办, 上报督办, 退单 to the desk, 重办), which carry the
  recipient's card buttons too.
* ``reply_markup`` is a Telegram ``InlineKeyboardMarkup`` dict or None; callback
  data is signed with the :class:`~bot.services.callbacks.CallbackCodec` and carries the
  case version the buttons were drawn at (``ACTION:CASE:VERSION[:ARG]:SIG``).
* People without a ``chat_id`` (web / Open311 citizens), inactive or blocked
  people get no rows.

Case numbers are ``MQ<local date>-<case id, at least 4 digits>``, e.g.
``MQ20261127-0007``: unique by construction, no counter to contend for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.callbacks import CallbackCodec, CaseAction
from bot.services.clock import Clock
from bot.services.lifecycle import (
    AT_DESK,
    AWAITING_ACK,
    ESCALATABLE,
    Action,
    CaseError,
    EventType,
    TimerKind,
    apply,
    check_version,
    is_overdue,
    record,
    register,
    status_label,
)
from bot.services.routing import UNKNOWN, Route, escalation_path, route_request, route_warning
from config.district import GRASSROOTS_KINDS, SEVERITIES, District, UnitKind
from nlp import classify as nlp_classify
from nlp import mask_sensitive
from nlp import normalize as normalize_text
from storage import cases as store
from storage.db import Database
from storage.enums import CaseKind, CaseStatus, Channel, Role
from storage.models import Case, CaseEvent, Person

log = logging.getLogger(__name__)

#: Roles that handle cases for their unit.
HANDLER_ROLES = (Role.CHIEF.value, Role.STAFF.value, Role.ADMIN.value)
#: Roles allowed to file a warning.
WARNING_ROLES = (Role.OFFICER.value, Role.STAFF.value, Role.CHIEF.value)
SATISFACTIONS = ("satisfied", "basically_satisfied", "unsatisfied")
MAX_TEXT = 5000
MAX_NOTE = 2000
#: Unit kinds whose people may view every case (district office and centres).
DISTRICT_KINDS = frozenset({UnitKind.OFFICE, UnitKind.CENTRE})
TERRITORIAL_KINDS = GRASSROOTS_KINDS | {UnitKind.STREET_STATION, UnitKind.PARK_STATION}


# --- the classifier, injectable ---------------------------------------------------


class ClassificationLike(Protocol):
    """What the service needs from ``nlp.classify``'s result."""

    @property
    def room(self) -> str: ...
    @property
    def bureau(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def keywords(self) -> Sequence[Any]: ...
    @property
    def severity(self) -> str: ...


#: ``text -> classification``; the default is ``nlp.classify``.
Classifier = Callable[[str], ClassificationLike]


def default_classifier(text: str) -> ClassificationLike:
    """The real classifier, :func:`nlp.classify`."""
    return nlp_classify(text)


def _keywords(values: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list | tuple) and v:
            out.append(str(v[0]))
        else:
            out.append(str(v))
    return out


def _alternative_pair(item: Any) -> tuple[str, str] | None:
    if isinstance(item, dict):
        room, bureau = item.get("room"), item.get("bureau")
    elif isinstance(item, list | tuple):
        room = item[0] if len(item) > 0 else None
        bureau = item[1] if len(item) > 1 else None
    else:
        room, bureau = getattr(item, "room", None), getattr(item, "bureau", None)
    if not isinstance(room, str):
        return None
    return room, bureau if isinstance(bureau, str) else UNKNOWN


# --- inputs and views -------------------------------------------------------------


@dataclass(frozen=True)
class RequestDraft:
    """A citizen's request as collected by a handler or a form."""

    text: str
    room: str | None = None
    bureau: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    territorial_unit_id: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    photo_file_ids: Sequence[str] = ()


@dataclass(frozen=True)
class WarningDraft:
    """An information officer's early warning (everything but the text is optional)."""

    text: str
    room: str | None = None
    bureau: str | None = None
    severity: str | None = None
    place: str | None = None
    head_count: int | None = None
    photo_file_ids: Sequence[str] = ()


@dataclass(frozen=True)
class Alternative:
    """One of the classifier's top candidates (the first is usually the answer itself)."""

    room: str
    room_name: str
    bureau: str
    bureau_name: str


@dataclass(frozen=True)
class Preview:
    """The answer to "which office handles this?" — nothing is filed."""

    room: str
    room_name: str
    bureau: str
    bureau_name: str
    confidence: float
    #: True when the answer should be confirmed by the citizen: unknown, below
    #: ``district.min_routing_confidence`` (a case would go to the dispatcher
    #: desk) or below the classifier's own ``UNSURE_BELOW``.
    unsure: bool
    keywords: tuple[str, ...]
    severity: str
    severity_label: str
    address: str
    hours: str
    phone: str
    alternatives: tuple[Alternative, ...] = ()
    truncated: bool = False


@dataclass(frozen=True)
class CaseView:
    """A case as one viewer may see it (contact details masked unless ``masked`` is False)."""

    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    room: str
    room_name: str
    bureau: str
    bureau_name: str
    severity: str
    severity_label: str
    priority: str
    confidence: float
    keywords: tuple[str, ...]
    owning_unit_id: str
    owning_unit_name: str
    territorial_unit_id: str | None
    territorial_unit_name: str
    escalation_level: int
    escalated_to_unit_id: str | None
    escalated_to_unit_name: str
    text: str
    address: str | None
    latitude: float | None
    longitude: float | None
    contact_name: str | None
    contact_phone: str | None
    photo_file_ids: tuple[str, ...]
    head_count: int | None
    reporter_id: int | None
    channel: str
    created_at: datetime
    dispatched_at: datetime | None
    ack_due_at: datetime | None
    first_contact_due_at: datetime | None
    resolve_due_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution_note: str | None
    overdue: bool
    version: int
    masked: bool

    @property
    def photo_count(self) -> int:
        """How many photos were attached."""
        return len(self.photo_file_ids)


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a case, ready to show."""

    at: datetime
    type: str
    label: str
    from_status: str | None
    to_status: str | None
    status_label: str
    unit_id: str | None
    unit_name: str
    actor_id: int | None
    actor_name: str | None
    channel: str
    note: str | None
    data: dict[str, Any] = field(default_factory=dict)


def _mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def _mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    masked = mask_sensitive(phone)
    if masked != phone:
        return masked
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]


def _clean(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text[:limit] if text else None


# --- the service ------------------------------------------------------------------


class CaseService:
    """Domain services for cases. One instance per process; safe to share."""

    def __init__(
        self,
        db: Database,
        district: District,
        clock: Clock,
        codec: CallbackCodec,
        classifier: Classifier | None = None,
        tz: ZoneInfo = nt.DISTRICT_TZ,
    ) -> None:
        self.db = db
        self.district = district
        self.clock = clock
        self.codec = codec
        self.classifier: Classifier = classifier or default_classifier
        self.tz = tz

    # --- helpers: names, permissions, views ------------------------------------

    def unit_name(self, unit_id: str | None) -> str:
        """The display name of a unit ('' for None)."""
        if unit_id is None:
            return ""
        unit = self.district.units.get(unit_id)
        return unit.name if unit is not None else unit_id

    def responsible_units(self, case: Case) -> list[str]:
        """The owner and every unit the case has been escalated to, bottom up."""
        path = escalation_path(self.district, case.owning_unit_id, case.escalation_level)
        if case.escalated_to_unit_id and case.escalated_to_unit_id not in path:
            path.append(case.escalated_to_unit_id)
        return path

    def next_level(self, case: Case) -> str | None:
        """The unit the case would be escalated to next (None at the top)."""
        current = case.escalated_to_unit_id or case.owning_unit_id
        if current not in self.district.units:
            return None
        return self.district.escalation_target(current)

    def _is_dispatcher(self, person: Person) -> bool:
        if not person.active or person.blocked_at is not None:
            return False
        return person.role == Role.ADMIN or (
            person.role in (Role.CHIEF, Role.STAFF) and person.unit_id == self.district.dispatcher
        )

    def may_act(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may acknowledge, handle, resolve, return or escalate ``case``."""
        if not person.active or person.blocked_at is not None:
            return False
        if person.role == Role.ADMIN:
            return True
        if person.role not in (Role.CHIEF, Role.STAFF) or person.unit_id is None:
            return False
        return person.unit_id == self.district.dispatcher or person.unit_id in (
            self.responsible_units(case)
        )

    def may_view(self, person: Person, case: Case) -> bool:
        """Whether ``person`` may see ``case`` at all."""
        if case.reporter_id is not None and person.id == case.reporter_id:
            return True
        if self.may_act(person, case):
            return True
        if not person.active or person.role not in HANDLER_ROLES or person.unit_id is None:
            return False
        unit = self.district.units.get(person.unit_id)
        if unit is not None and unit.kind in DISTRICT_KINDS:
            return True
        return person.unit_id == case.territorial_unit_id

    def _sees_unmasked(self, person: Person | None, case: Case) -> bool:
        if person is None:
            return True
        if case.reporter_id is not None and person.id == case.reporter_id:
            return True
        return person.role in HANDLER_ROLES and person.unit_id in self.responsible_units(case)

    def actions_for(self, person: Person, case: Case) -> list[CaseAction]:
        """The card buttons ``person`` may press on ``case`` now."""
        if not self.may_act(person, case):
            return []
        status = CaseStatus(case.status)
        acts: list[CaseAction] = []
        if status in AT_DESK and self._is_dispatcher(person):
            acts += [CaseAction.DISPATCH, CaseAction.CHOOSE_ROOM]
        if status in (CaseStatus.DISPATCHED, CaseStatus.REOPENED):
            acts.append(CaseAction.ACKNOWLEDGE)
        if status == CaseStatus.ACKNOWLEDGED:
            acts.append(CaseAction.START)
        if status in (CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS):
            acts.append(CaseAction.RESOLVE)
        if (
            status in (CaseStatus.DISPATCHED, CaseStatus.ACKNOWLEDGED)
            and case.owning_unit_id != self.district.dispatcher
        ):
            acts.append(CaseAction.RETURN)
        if status in ESCALATABLE and self.next_level(case) is not None:
            acts.append(CaseAction.ESCALATE)
        return acts

    def view(self, case: Case, *, masked: bool, now: datetime | None = None) -> CaseView:
        """Build a :class:`CaseView` of ``case``."""
        now = now or self.clock.now()
        room = self.district.rooms.get(case.room)
        bureau = self.district.bureaus.get(case.bureau)
        text = case.original_text
        return CaseView(
            id=case.id,
            number=case.number or str(case.id),
            kind=case.kind,
            kind_label=nt.KIND_LABELS.get(case.kind, case.kind),
            status=case.status,
            status_label=status_label(case.status),
            room=case.room,
            room_name=room.name if room else "",
            bureau=case.bureau,
            bureau_name=bureau.name if bureau else "",
            severity=case.severity,
            severity_label=nt.SEVERITY_LABELS.get(case.severity, case.severity),
            priority=case.priority,
            confidence=case.confidence,
            keywords=tuple(str(k) for k in case.keywords or ()),
            owning_unit_id=case.owning_unit_id,
            owning_unit_name=self.unit_name(case.owning_unit_id),
            territorial_unit_id=case.territorial_unit_id,
            territorial_unit_name=self.unit_name(case.territorial_unit_id),
            escalation_level=case.escalation_level,
            escalated_to_unit_id=case.escalated_to_unit_id,
            escalated_to_unit_name=self.unit_name(case.escalated_to_unit_id),
            text=mask_sensitive(text) if masked else text,
            address=case.address,
            latitude=None if masked else case.latitude,
            longitude=None if masked else case.longitude,
            contact_name=_mask_name(case.contact_name) if masked else case.contact_name,
            contact_phone=_mask_phone(case.contact_phone) if masked else case.contact_phone,
            photo_file_ids=tuple(str(p) for p in case.photo_file_ids or ()),
            head_count=case.head_count,
            reporter_id=case.reporter_id,
            channel=case.channel,
            created_at=case.created_at,
            dispatched_at=case.dispatched_at,
            ack_due_at=case.ack_due_at,
            first_contact_due_at=case.first_contact_due_at,
            resolve_due_at=case.resolve_due_at,
            acknowledged_at=case.acknowledged_at,
            resolved_at=case.resolved_at,
            closed_at=case.closed_at,
            resolution_note=case.resolution_note,
            overdue=is_overdue(case, now),
            version=case.version,
            masked=masked,
        )

    def view_for(self, case: Case, person: Person | None, now: datetime | None = None) -> CaseView:
        """The view of ``case`` that ``person`` may see (None: the system, unmasked)."""
        return self.view(case, masked=not self._sees_unmasked(person, case), now=now)

    def card_for(
        self, case: Case, person: Person, now: datetime | None = None
    ) -> tuple[str, dict[str, Any] | None]:
        """The card text and buttons of ``case`` for ``person``."""
        view = self.view_for(case, person, now)
        markup = nt.card_markup(self.codec, view, self.actions_for(person, case), self.district)
        return nt.card_text(view, self.tz), markup

    # --- helpers: transactions and the outbox ----------------------------------

    async def _person(self, s: AsyncSession, person_id: int | None) -> Person:
        person = await s.get(Person, person_id) if person_id is not None else None
        if person is None:
            raise CaseError("forbidden", "无法识别您的身份，请先发送 /start。")
        if not person.active or person.blocked_at is not None:
            raise CaseError("forbidden", "您的账号已停用，无法办理。")
        return person

    async def _lock(self, s: AsyncSession, case_id: int) -> Case:
        case = await store.lock_case(s, case_id)
        if case is None:
            raise CaseError("not_found", "没有找到该案件。")
        return case

    async def _begin_act(self, s: AsyncSession, case_id: int, actor_id: int) -> tuple[Person, Case]:
        actor = await self._person(s, actor_id)
        case = await self._lock(s, case_id)
        if not self.may_act(actor, case):
            raise CaseError("forbidden", "您无权办理该案件。")
        return actor, case

    def _message(
        self,
        s: AsyncSession,
        person: Person,
        case: Case,
        text: str,
        markup: dict[str, Any] | None,
        now: datetime,
        kind: str = "message",
    ) -> None:
        if person.chat_id is None or not person.active or person.blocked_at is not None:
            return
        s.add(
            store.outbox_row(
                chat_id=person.chat_id,
                person_id=person.id,
                case_id=case.id,
                kind=kind,
                text=text,
                reply_markup=markup,
                now=now,
            )
        )

    async def publish_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        *,
        also_card_units: Iterable[str] = (),
        pings: Sequence[tuple[Iterable[str], Callable[[CaseView], str]]] = (),
        reporter_text: Callable[[CaseView], str] | None = None,
        reporter_markup: dict[str, Any] | None = None,
    ) -> None:
        """Write the outbox rows a change of ``case`` causes (inside the change's transaction).

        Args:
            s: the change's transaction.
            case: the case after the change.
            now: the time of the change.
            also_card_units: units whose handlers get the card although they are
                not responsible (a warning's centres and leadership).
            pings: ``(unit ids, text)`` pairs: a plain message with the
                recipient's card buttons to each handler of those units.
            reporter_text: the message for the reporter, if any.
            reporter_markup: buttons for that message (the follow-up question).
        """
        await s.flush()
        responsible = self.responsible_units(case)
        audience: dict[int, Person] = {p.id: p for p in await store.card_holders(s, case.id)}
        for p in await store.people_of_units(s, [*responsible, *also_card_units], HANDLER_ROLES):
            audience.setdefault(p.id, p)
        for person in sorted(audience.values(), key=lambda p: p.id):
            text, markup = self.card_for(case, person, now)
            self._message(s, person, case, text, markup, now, kind="card")
        for units, render in pings:
            for person in await store.people_of_units(s, units, HANDLER_ROLES):
                view = self.view_for(case, person, now)
                markup = nt.card_markup(
                    self.codec, view, self.actions_for(person, case), self.district
                )
                self._message(s, person, case, render(view), markup, now)
        if reporter_text is not None and case.reporter_id is not None:
            reporter = await s.get(Person, case.reporter_id)
            if reporter is not None:
                view = self.view_for(case, reporter, now)
                self._message(s, reporter, case, reporter_text(view), reporter_markup, now)

    async def _schedule_ack(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        round_: int = 0,
        due: datetime | None = None,
    ) -> None:
        when = due or case.ack_due_at
        if when is None:
            return
        await store.add_timer(
            s,
            case.id,
            TimerKind.ACK_DUE,
            when,
            {"unit_id": case.owning_unit_id, "level": case.escalation_level, "round": round_},
            now=now,
        )

    async def _schedule_resolve(
        self, s: AsyncSession, case: Case, now: datetime, due: datetime | None = None
    ) -> None:
        when = due or case.resolve_due_at
        if when is None:
            return
        await store.add_timer(
            s, case.id, TimerKind.RESOLVE_DUE, when, {"unit_id": case.owning_unit_id}, now=now
        )

    async def _dispatch_tx(
        self,
        s: AsyncSession,
        case: Case,
        unit_id: str,
        now: datetime,
        *,
        actor_id: int | None,
        channel: str,
        how: str,
        expected_version: int | None = None,
    ) -> CaseEvent:
        deadlines = self.district.deadlines[case.priority]
        case.owning_unit_id = unit_id
        case.escalation_level = 0
        case.escalated_to_unit_id = None
        case.dispatched_at = now
        case.acknowledged_at = None
        case.ack_due_at = now + deadlines.acknowledge
        case.first_contact_due_at = now + deadlines.first_contact
        case.resolve_due_at = now + deadlines.resolve
        await store.cancel_timers(s, case.id, None, now=now)
        event = await apply(
            s,
            case,
            Action.DISPATCH,
            now=now,
            actor_id=actor_id,
            channel=channel,
            unit_id=unit_id,
            data={
                "how": how,
                "bureau": case.bureau,
                "ack_due_at": case.ack_due_at.isoformat(),
                "resolve_due_at": case.resolve_due_at.isoformat(),
            },
            expected_version=expected_version,
        )
        await self._schedule_ack(s, case, now)
        await self._schedule_resolve(s, case, now)
        return event

    def _number(self, case_id: int, now: datetime) -> str:
        return f"MQ{now.astimezone(self.tz):%Y%m%d}-{case_id:04d}"

    # --- "which office?" ---------------------------------------------------------

    def _classify(self, text: str) -> ClassificationLike:
        if not normalize_text(text).strip():
            raise CaseError("bad_input", "请用文字描述您遇到的问题。")
        try:
            return self.classifier(text)
        except Exception as exc:
            if type(exc).__name__ == "EmptyTextError":
                raise CaseError("bad_input", "请用文字描述您遇到的问题。") from exc
            raise

    def preview(self, text: str) -> Preview:
        """Classify ``text`` and describe the office that would handle it; files nothing.

        Raises:
            CaseError: ``bad_input`` for an empty text.
        """
        c = self._classify(text)
        room = self.district.rooms.get(c.room)
        bureau = self.district.bureaus.get(c.bureau)
        alternatives: list[Alternative] = []
        for item in getattr(c, "alternatives", ()) or ():
            pair = _alternative_pair(item)
            if pair is None or pair[0] not in self.district.rooms:
                continue
            alt_bureau = self.district.bureaus.get(pair[1])
            alternatives.append(
                Alternative(
                    room=pair[0],
                    room_name=self.district.rooms[pair[0]].name,
                    bureau=pair[1] if alt_bureau else UNKNOWN,
                    bureau_name=alt_bureau.name if alt_bureau else "",
                )
            )
        return Preview(
            room=c.room if room else UNKNOWN,
            room_name=room.name if room else "",
            bureau=c.bureau if bureau else UNKNOWN,
            bureau_name=bureau.name if bureau else "",
            confidence=float(c.confidence),
            unsure=room is None
            or bureau is None
            or c.confidence < self.district.min_routing_confidence
            or bool(getattr(c, "unsure", False)),
            keywords=tuple(_keywords(c.keywords)),
            severity=c.severity,
            severity_label=nt.SEVERITY_LABELS.get(c.severity, c.severity),
            address=room.address if room else "",
            hours=room.hours if room else "",
            phone=room.phone if room else "",
            alternatives=tuple(alternatives),
            truncated=bool(getattr(c, "truncated", False)),
        )

    # --- filing ------------------------------------------------------------------

    def _check_text(self, text: str) -> str:
        text = text.strip()
        if not text:
            raise CaseError("bad_input", "请用文字描述您遇到的问题。")
        if len(text) > MAX_TEXT:
            raise CaseError("bad_input", f"内容过长，请控制在{MAX_TEXT}字以内。")
        return text

    def _new_case(
        self,
        kind: CaseKind,
        text: str,
        c: ClassificationLike,
        route: Route,
        now: datetime,
        channel: str,
        reporter_id: int,
        priority: str,
        severity: str,
    ) -> Case:
        return Case(
            kind=kind.value,
            channel=channel,
            original_text=text,
            normalized_text=normalize_text(text),
            room=route.room,
            bureau=route.bureau,
            confidence=float(c.confidence),
            keywords=_keywords(c.keywords),
            severity=severity,
            priority=priority,
            status=CaseStatus.REGISTERED.value,
            owning_unit_id=route.owning_unit_id,
            territorial_unit_id=route.territorial_unit_id,
            reporter_id=reporter_id,
            escalation_level=0,
            version=1,
            created_at=now,
            updated_at=now,
        )

    async def file_request(
        self, reporter_id: int, draft: RequestDraft, channel: str = Channel.TELEGRAM
    ) -> CaseView:
        """File a citizen's request: classify, route, set deadlines, notify.

        Raises:
            CaseError: ``bad_input`` (empty/too long text, unknown unit),
                ``forbidden`` (unknown or blocked reporter).
        """
        text = self._check_text(draft.text)
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
        severity = c.severity if c.severity in SEVERITIES else "low"
        async with self.db.session() as s:
            now = self.clock.now()
            reporter = await self._person(s, reporter_id)
            case = self._new_case(
                CaseKind.REQUEST, text, c, route, now, channel, reporter.id, "normal", severity
            )
            case.address = _clean(draft.address, 500)
            case.latitude = draft.latitude
            case.longitude = draft.longitude
            case.contact_name = _clean(draft.contact_name, 200)
            case.contact_phone = _clean(draft.contact_phone, 32)
            case.photo_file_ids = list(draft.photo_file_ids)
            s.add(case)
            await s.flush()
            case.number = self._number(case.id, now)
            await register(
                s,
                case,
                now=now,
                actor_id=reporter.id,
                channel=channel,
                data={
                    "how": route.how,
                    "room": route.room,
                    "bureau": route.bureau,
                    "confidence": float(c.confidence),
                },
            )
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
            await self.publish_tx(
                s,
                case,
                now,
                reporter_text=lambda v: nt.reporter_registered(v, self.district, self.tz),
            )
            return self.view_for(case, reporter, now)

    async def file_warning(
        self, officer_id: int, draft: WarningDraft, channel: str = Channel.TELEGRAM
    ) -> CaseView:
        """File an information officer's early warning with the officer's own unit.

        High and critical warnings also reach ``district.warning_centres`` at
        once, critical ones also ``district.leadership``.

        Raises:
            CaseError: ``forbidden`` (not an officer/staff/chief bound to a
                unit), ``bad_input``.
        """
        text = self._check_text(draft.text)
        if draft.severity is not None and draft.severity not in SEVERITIES:
            raise CaseError("bad_input", "预警等级无效。")
        if draft.head_count is not None and draft.head_count < 0:
            raise CaseError("bad_input", "人数不能为负数。")
        c = self._classify(text)
        severity = draft.severity or (c.severity if c.severity in SEVERITIES else "low")
        async with self.db.session() as s:
            now = self.clock.now()
            officer = await self._person(s, officer_id)
            if (
                officer.role not in WARNING_ROLES
                or officer.unit_id is None
                or officer.unit_id not in self.district.units
            ):
                raise CaseError("forbidden", "只有已绑定单位的信息员、工作人员或站长可以报送预警。")
            route = route_warning(
                self.district,
                officer_unit_id=officer.unit_id,
                room=draft.room or c.room,
                bureau=draft.bureau or c.bureau,
                severity=severity,
            )
            priority = self.district.severity_priority[severity]
            case = self._new_case(
                CaseKind.WARNING, text, c, route, now, channel, officer.id, priority, severity
            )
            if self.district.units[officer.unit_id].kind in TERRITORIAL_KINDS:
                case.territorial_unit_id = officer.unit_id
            case.address = _clean(draft.place, 500)
            detail = getattr(c, "severity_detail", None)
            guessed = getattr(detail, "head_count", None)
            case.head_count = (
                draft.head_count
                if draft.head_count is not None
                else guessed
                if isinstance(guessed, int)
                else None
            )
            case.photo_file_ids = list(draft.photo_file_ids)
            s.add(case)
            await s.flush()
            case.number = self._number(case.id, now)
            await register(
                s,
                case,
                now=now,
                actor_id=officer.id,
                channel=channel,
                data={"severity": severity, "notify": list(route.also_notify)},
            )
            await self._dispatch_tx(
                s, case, route.owning_unit_id, now, actor_id=None, channel=channel, how="officer"
            )
            await self.publish_tx(
                s,
                case,
                now,
                also_card_units=route.also_notify,
                reporter_text=lambda v: nt.reporter_registered(v, self.district, self.tz),
            )
            return self.view_for(case, officer, now)

    # --- handling ----------------------------------------------------------------

    async def acknowledge(
        self,
        case_id: int,
        actor_id: int,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """签收: the owning (or escalated-to) unit takes the case; escalation stops.

        Raises:
            CaseError: ``not_found``, ``forbidden``, ``stale``, ``illegal_transition``.
        """
        async with self.db.session() as s:
            now = self.clock.now()
            actor, case = await self._begin_act(s, case_id, actor_id)
            deadlines = self.district.deadlines[case.priority]
            original_due = (
                case.dispatched_at + deadlines.acknowledge if case.dispatched_at else None
            )
            on_time = original_due is None or now <= original_due
            await apply(
                s,
                case,
                Action.ACKNOWLEDGE,
                now=now,
                actor_id=actor.id,
                channel=channel,
                data={"on_time": on_time, "acting_unit_id": actor.unit_id},
                expected_version=expected_version,
            )
            case.acknowledged_at = now
            await store.cancel_timers(s, case.id, [TimerKind.ACK_DUE], now=now)
            await self.publish_tx(s, case, now, reporter_text=nt.reporter_acknowledged)
            return self.view_for(case, actor, now)

    async def start_progress(
        self,
        case_id: int,
        actor_id: int,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """处理中: work on an acknowledged case has started.

        Raises:
            CaseError: ``not_found``, ``forbidden``, ``stale``, ``illegal_transition``.
        """
        async with self.db.session() as s:
            now = self.clock.now()
            actor, case = await self._begin_act(s, case_id, actor_id)
            await apply(
                s,
                case,
                Action.START,
                now=now,
                actor_id=actor.id,
                channel=channel,
                data={"acting_unit_id": actor.unit_id},
                expected_version=expected_version,
            )
            await self.publish_tx(s, case, now, reporter_text=nt.reporter_in_progress)
            return self.view_for(case, actor, now)

    async def resolve(
        self,
        case_id: int,
        actor_id: int,
        note: str,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """办结 with a note on the result; the reporter gets the follow-up question.

        Raises:
            CaseError: ``bad_input`` (empty note), ``not_found``, ``forbidden``,
                ``stale``, ``illegal_transition``.
        """
        note_ = _clean(note, MAX_NOTE)
        if not note_:
            raise CaseError("bad_input", "请填写办理结果。")
        async with self.db.session() as s:
            now = self.clock.now()
            actor, case = await self._begin_act(s, case_id, actor_id)
            on_time = case.resolve_due_at is None or now <= case.resolve_due_at
            await apply(
                s,
                case,
                Action.RESOLVE,
                now=now,
                actor_id=actor.id,
                channel=channel,
                note=note_,
                data={"on_time": on_time, "acting_unit_id": actor.unit_id},
                expected_version=expected_version,
            )
            case.resolved_at = now
            case.resolution_note = note_
            await store.cancel_timers(
                s, case.id, [TimerKind.ACK_DUE, TimerKind.RESOLVE_DUE], now=now
            )
            await store.add_timer(
                s,
                case.id,
                TimerKind.FOLLOW_UP_DUE,
                now + self.district.follow_up_no_response_after,
                {},
                now=now,
            )
            await self.publish_tx(
                s,
                case,
                now,
                reporter_text=nt.follow_up_question,
                reporter_markup=nt.follow_up_markup(self.codec, case.id, case.version),
            )
            return self.view_for(case, actor, now)

    async def return_case(
        self,
        case_id: int,
        actor_id: int,
        reason: str,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """退单: a misrouted case goes back to the dispatcher desk, with a reason.

        A returned case does not count against the unit that returned it.

        Raises:
            CaseError: ``bad_input`` (no reason), ``not_found``, ``forbidden``,
                ``stale``, ``illegal_transition``.
        """
        reason_ = _clean(reason, MAX_NOTE)
        if not reason_:
            raise CaseError("bad_input", "退单必须填写理由。")
        async with self.db.session() as s:
            now = self.clock.now()
            actor, case = await self._begin_act(s, case_id, actor_id)
            from_unit = case.owning_unit_id
            if from_unit == self.district.dispatcher:
                raise CaseError("illegal_transition", "案件已在分派台，不能退单。")
            await apply(
                s,
                case,
                Action.RETURN,
                now=now,
                actor_id=actor.id,
                channel=channel,
                unit_id=from_unit,
                note=reason_,
                data={"to_unit_id": self.district.dispatcher, "acting_unit_id": actor.unit_id},
                expected_version=expected_version,
            )
            case.owning_unit_id = self.district.dispatcher
            case.escalation_level = 0
            case.escalated_to_unit_id = None
            case.acknowledged_at = None
            case.ack_due_at = now + self.district.deadlines[case.priority].acknowledge
            case.first_contact_due_at = None
            case.resolve_due_at = None
            await store.cancel_timers(s, case.id, None, now=now)
            await self._schedule_ack(s, case, now)
            from_name = self.unit_name(from_unit)
            await self.publish_tx(
                s,
                case,
                now,
                pings=[
                    ([self.district.dispatcher], lambda v: nt.desk_returned(v, from_name, reason_))
                ],
                reporter_text=nt.reporter_returned,
            )
            return self.view_for(case, actor, now)

    async def escalate_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        *,
        actor_id: int | None,
        channel: str,
        reason: str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> bool:
        """Escalate ``case`` one level up (inside an open transaction, case locked).

        Sets ``escalation_level`` and ``escalated_to_unit_id``; while the case
        still awaits acknowledgement the new level gets a fresh acknowledgement
        deadline (and timer). Notifies every responsible unit and the reporter.

        Args:
            s: the transaction.
            case: the locked case.
            now: the time.
            actor_id: who escalated by hand (None: a timer).
            channel: where it came from.
            reason: ``manual``, ``ack_overdue`` or ``resolve_overdue``.
            note: the escalating person's words.
            expected_version: refused if stale.

        Returns:
            False if there is no level above (nothing changed).

        Raises:
            CaseError: ``stale``, ``illegal_transition`` (status not escalatable).
        """
        check_version(case, expected_version)
        status = CaseStatus(case.status)
        if status not in ESCALATABLE:
            raise CaseError(
                "illegal_transition", f"案件当前状态为“{status_label(case.status)}”，不能上报。"
            )
        target = self.next_level(case)
        if target is None:
            return False
        from_unit = case.escalated_to_unit_id or case.owning_unit_id
        await record(
            s,
            case,
            EventType.ESCALATED,
            now=now,
            actor_id=actor_id,
            channel=channel,
            note=note,
            data={
                "from_unit_id": from_unit,
                "to_unit_id": target,
                "level": case.escalation_level + 1,
                "reason": reason,
            },
            expected_version=expected_version,
        )
        case.escalation_level += 1
        case.escalated_to_unit_id = target
        if status in AWAITING_ACK:
            case.ack_due_at = now + self.district.deadlines[case.priority].acknowledge
            await store.cancel_timers(s, case.id, [TimerKind.ACK_DUE], now=now)
            await self._schedule_ack(s, case, now)
        await self.publish_tx(
            s,
            case,
            now,
            pings=[(self.responsible_units(case), lambda v: nt.staff_escalated(v, reason, note))],
            reporter_text=nt.reporter_escalated,
        )
        return True

    async def escalate(
        self,
        case_id: int,
        actor_id: int,
        note: str | None = None,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """上报 by hand: one level up the escalation chain.

        Raises:
            CaseError: ``top`` (nothing above), ``not_found``, ``forbidden``,
                ``stale``, ``illegal_transition``.
        """
        async with self.db.session() as s:
            now = self.clock.now()
            actor, case = await self._begin_act(s, case_id, actor_id)
            done = await self.escalate_tx(
                s,
                case,
                now,
                actor_id=actor.id,
                channel=channel,
                reason="manual",
                note=_clean(note, MAX_NOTE),
                expected_version=expected_version,
            )
            if not done:
                raise CaseError("top", "已是最高一级，无法继续上报。")
            return self.view_for(case, actor, now)

    async def dispatch(
        self,
        case_id: int,
        actor_id: int,
        target: str,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """派单 by hand from the dispatcher desk to a bureau (or any other unit).

        Args:
            case_id: a case at the desk (registered or returned).
            actor_id: a dispatcher-desk chief/staff member or an admin.
            target: a bureau id (its department station gets the case, and the
                case's room/bureau are set) or a unit id.
            channel: where it came from.
            expected_version: refused if stale.

        Raises:
            CaseError: ``bad_input`` (unknown target or the desk itself),
                ``not_found``, ``forbidden``, ``stale``, ``illegal_transition``.
        """
        bureau = self.district.bureaus.get(target)
        unit_id = bureau.station_id if bureau else target
        if unit_id not in self.district.units or unit_id == self.district.dispatcher:
            raise CaseError("bad_input", "请选择有效的承办单位。")
        async with self.db.session() as s:
            now = self.clock.now()
            actor = await self._person(s, actor_id)
            case = await self._lock(s, case_id)
            if not self._is_dispatcher(actor):
                raise CaseError("forbidden", "只有分派台工作人员可以派单。")
            if bureau is not None:
                case.room, case.bureau = bureau.room_id, bureau.id
            await self._dispatch_tx(
                s,
                case,
                unit_id,
                now,
                actor_id=actor.id,
                channel=channel,
                how="hand",
                expected_version=expected_version,
            )
            await self.publish_tx(s, case, now, reporter_text=nt.reporter_dispatched)
            return self.view_for(case, actor, now)

    # --- follow-up ---------------------------------------------------------------

    async def answer_follow_up(
        self,
        case_id: int,
        citizen_id: int,
        solved: bool,
        satisfaction: str,
        comment: str | None = None,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """回访: the reporter says whether the problem is solved and how satisfied they are.

        Solved and satisfied/basically satisfied → closed. Unsolved or
        unsatisfied → reopened (重办) to the same unit with the reporter's words,
        new deadlines, and the unit notified.

        Raises:
            CaseError: ``bad_input``, ``not_found``, ``forbidden`` (not the
                reporter), ``already_answered``, ``stale``, ``illegal_transition``.
        """
        if satisfaction not in SATISFACTIONS:
            raise CaseError("bad_input", "请选择满意、基本满意或不满意。")
        comment_ = _clean(comment, MAX_NOTE)
        async with self.db.session() as s:
            now = self.clock.now()
            citizen = await self._person(s, citizen_id)
            case = await self._lock(s, case_id)
            if case.reporter_id != citizen.id:
                raise CaseError("forbidden", "只有反映人本人可以评价。")
            if case.status in (CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED, CaseStatus.REOPENED):
                raise CaseError("already_answered", "该案件已完成回访，感谢您的评价。")
            await apply(
                s,
                case,
                Action.FOLLOW_UP,
                now=now,
                actor_id=citizen.id,
                channel=channel,
                note=comment_,
                data={"solved": solved, "satisfaction": satisfaction},
                expected_version=expected_version,
            )
            await store.cancel_timers(s, case.id, [TimerKind.FOLLOW_UP_DUE], now=now)
            if solved and satisfaction != "unsatisfied":
                await apply(
                    s,
                    case,
                    Action.CLOSE,
                    now=now,
                    actor_id=citizen.id,
                    channel=channel,
                    data={"reason": "follow_up"},
                )
                case.closed_at = now
                await self.publish_tx(s, case, now, reporter_text=nt.reporter_closed)
            else:
                await self._reopen_tx(
                    s, case, now, citizen, channel, solved, satisfaction, comment_
                )
            return self.view_for(case, citizen, now)

    async def _reopen_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        citizen: Person,
        channel: str,
        solved: bool,
        satisfaction: str,
        comment: str | None,
    ) -> None:
        deadlines = self.district.deadlines[case.priority]
        words = comment or ("群众反映问题未解决" if not solved else "群众对办理结果不满意")
        case.escalation_level = 0
        case.escalated_to_unit_id = None
        case.dispatched_at = now
        case.acknowledged_at = None
        case.resolved_at = None
        case.ack_due_at = now + deadlines.acknowledge
        case.first_contact_due_at = now + deadlines.first_contact
        case.resolve_due_at = now + deadlines.resolve
        await apply(
            s,
            case,
            Action.REOPEN,
            now=now,
            actor_id=citizen.id,
            channel=channel,
            note=words,
            data={
                "solved": solved,
                "satisfaction": satisfaction,
                "ack_due_at": case.ack_due_at.isoformat(),
                "resolve_due_at": case.resolve_due_at.isoformat(),
            },
        )
        await self._schedule_ack(s, case, now)
        await self._schedule_resolve(s, case, now)
        await self.publish_tx(
            s,
            case,
            now,
            pings=[
                (
                    [case.owning_unit_id],
                    lambda v: nt.staff_reopened(v, solved, satisfaction, comment),
                )
            ],
            reporter_text=lambda v: nt.reporter_reopened(v, self.tz),
        )

    async def close_no_response_tx(self, s: AsyncSession, case: Case, now: datetime) -> None:
        """Close a resolved case whose follow-up got no answer (inside a transaction).

        Not counted as unsatisfied: no ``followed_up`` event is written.
        """
        await apply(
            s,
            case,
            Action.CLOSE,
            now=now,
            actor_id=None,
            channel=Channel.SYSTEM,
            note="回访无应答，自动结案",
            data={"reason": "no_response"},
        )
        case.closed_at = now
        await self.publish_tx(s, case, now, reporter_text=nt.reporter_closed_no_response)

    # --- read side ---------------------------------------------------------------

    async def get_case_view(self, case_id: int, viewer_id: int) -> CaseView:
        """The case as ``viewer_id`` may see it.

        Raises:
            CaseError: ``not_found``, ``forbidden``.
        """
        async with self.db.session() as s:
            viewer = await self._person(s, viewer_id)
            case = await store.get_case(s, case_id)
            if case is None:
                raise CaseError("not_found", "没有找到该案件。")
            if not self.may_view(viewer, case):
                raise CaseError("forbidden", "您无权查看该案件。")
            return self.view_for(case, viewer)

    async def render_card(self, case_id: int, viewer_id: int) -> tuple[str, dict[str, Any] | None]:
        """The card text and the buttons ``viewer_id`` may press (for a 刷新 button).

        Raises:
            CaseError: ``not_found``, ``forbidden``.
        """
        async with self.db.session() as s:
            viewer = await self._person(s, viewer_id)
            case = await store.get_case(s, case_id)
            if case is None:
                raise CaseError("not_found", "没有找到该案件。")
            if not self.may_view(viewer, case):
                raise CaseError("forbidden", "您无权查看该案件。")
            return self.card_for(case, viewer)

    async def cases_of_reporter(self, person_id: int, limit: int = 20) -> list[CaseView]:
        """A reporter's own cases, newest first (for /status)."""
        async with self.db.session() as s:
            now = self.clock.now()
            rows = await store.cases_of_reporter(s, person_id, limit)
            return [self.view(c, masked=False, now=now) for c in rows]

    async def pending_for_unit(self, unit_id: str, limit: int = 50) -> list[CaseView]:
        """Open cases owned by or escalated to ``unit_id``: overdue first, then by deadline.

        The caller checks that the viewer belongs to the unit; views are unmasked.
        """
        async with self.db.session() as s:
            now = self.clock.now()
            stmt = store.pending_query(
                unit_id,
                now,
                [x.value for x in AWAITING_ACK],
                [
                    CaseStatus.DISPATCHED.value,
                    CaseStatus.ACKNOWLEDGED.value,
                    CaseStatus.IN_PROGRESS.value,
                    CaseStatus.REOPENED.value,
                ],
            ).limit(limit)
            rows = list((await s.scalars(stmt)).all())
            return [self.view(c, masked=False, now=now) for c in rows]

    async def timeline(self, case_id: int, viewer_id: int | None = None) -> list[TimelineEntry]:
        """The case's events, oldest first.

        With ``viewer_id`` the viewer's permission is checked; a reporter who is
        not also a handler sees neither the names of the people who acted nor
        internal notes (退单 reasons, 上报 remarks).

        Raises:
            CaseError: ``not_found``, ``forbidden``.
        """
        async with self.db.session() as s:
            case = await store.get_case(s, case_id)
            if case is None:
                raise CaseError("not_found", "没有找到该案件。")
            internal = True
            if viewer_id is not None:
                viewer = await self._person(s, viewer_id)
                if not self.may_view(viewer, case):
                    raise CaseError("forbidden", "您无权查看该案件。")
                internal = viewer.id != case.reporter_id or self.may_act(viewer, case)
            events = await store.case_events(s, case_id)
            actor_ids = {e.actor_id for e in events if e.actor_id is not None}
            names: dict[int, str] = {}
            for pid in actor_ids:
                p = await s.get(Person, pid)
                if p is not None:
                    names[pid] = p.name
            out: list[TimelineEntry] = []
            for e in events:
                hide = not internal and e.type in (EventType.RETURNED, EventType.ESCALATED)
                out.append(
                    TimelineEntry(
                        at=e.created_at,
                        type=e.type,
                        label=nt.EVENT_LABELS.get(e.type, e.type),
                        from_status=e.from_status,
                        to_status=e.to_status,
                        status_label=status_label(e.to_status) if e.to_status else "",
                        unit_id=e.unit_id,
                        unit_name=self.unit_name(e.unit_id),
                        actor_id=e.actor_id if internal else None,
                        actor_name=names.get(e.actor_id) if internal and e.actor_id else None,
                        channel=e.channel,
                        note=None if hide else e.note,
                        data=dict(e.data or {}) if internal else {},
                    )
                )
            return out

    # --- for the scheduler -------------------------------------------------------

    async def lock_case_tx(self, s: AsyncSession, case_id: int) -> Case | None:
        """Lock a case inside the scheduler's transaction (None if it is gone)."""
        return await store.lock_case(s, case_id)

    async def renotify_tx(self, s: AsyncSession, case: Case, now: datetime, round_: int) -> None:
        """催签收: ping every responsible unit again (the case itself does not change)."""
        units = self.responsible_units(case)
        await record(
            s,
            case,
            EventType.RENOTIFIED,
            now=now,
            actor_id=None,
            channel=Channel.SYSTEM,
            data={"round": round_, "unit_ids": units},
            changes_case=False,
        )
        await self.publish_tx(
            s, case, now, pings=[(units, lambda v: nt.staff_renotify(v, round_, self.tz))]
        )

    async def remind_tx(self, s: AsyncSession, case: Case, now: datetime) -> None:
        """催办: the resolution deadline passed; remind every responsible unit."""
        units = self.responsible_units(case)
        await record(
            s,
            case,
            EventType.REMINDED,
            now=now,
            actor_id=None,
            channel=Channel.SYSTEM,
            data={"unit_ids": units},
            changes_case=False,
        )
        await self.publish_tx(
            s, case, now, pings=[(units, lambda v: nt.staff_reminder(v, self.tz))]
        )

    async def schedule_ack_tx(
        self, s: AsyncSession, case: Case, now: datetime, due: datetime, round_: int
    ) -> None:
        """Schedule the next acknowledgement check of the current level."""
        await self._schedule_ack(s, case, now, round_, due)

    async def schedule_resolve_tx(
        self, s: AsyncSession, case: Case, now: datetime, due: datetime
    ) -> None:
        """Schedule the next resolution reminder."""
        await self._schedule_resolve(s, case, now, due)
