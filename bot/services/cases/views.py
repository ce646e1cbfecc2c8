"""The read side of the case service: names, permissions, views, cards and lists.

The timeline of a case is :mod:`bot.services.cases.timeline`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.callbacks import CallbackCodec
from bot.services.cases.model import (
    CaseView,
    Classifier,
    _mask_name,
    _mask_phone,
    default_classifier,
    mask_id_numbers,
)
from bot.services.cases.order import by_attention
from bot.services.cases.permissions import CasePermissions
from bot.services.clock import Clock
from bot.services.disclosures import disclosure_kind, self_harm_gist
from bot.services.lifecycle import (
    AWAITING_ACK,
    NO_SUCH_CASE,
    CaseError,
    EventType,
    is_overdue,
    overdue_label,
    status_label,
)
from bot.services.triage import is_self_harm
from config.district import District
from nlp import mask_sensitive
from storage import cases as store
from storage import outbox
from storage.db import Database
from storage.enums import CaseKind, CaseStatus
from storage.models import Case, CaseEvent, Person

#: Statuses in which a summary reader is told the owner has finished (办结).
_DONE = frozenset({"resolved", "followed_up", "closed"})


class CaseViews(CasePermissions):
    """The read side: names, permissions, views, cards and lists.

    The base of every mixin of :class:`~bot.services.cases.CaseService`.
    """

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

    def view(
        self,
        case: Case,
        *,
        masked: bool,
        now: datetime | None = None,
        ids: bool = True,
        summary: bool = False,
        place: str = "",
    ) -> CaseView:
        """Build a :class:`CaseView` of ``case``.

        ``masked``: contact details and phone numbers in the text are masked (a
        viewer outside the owning unit). ``ids=False`` keeps identity numbers in
        the text (the system's own view); every person's view masks them.
        ``summary``: a private disclosure (self-harm, domestic violence, sexual
        assault: :func:`disclosure_kind`) read by a unit whose work does not need its
        words: the text is a short summary, without contact, place or photos
        (:meth:`sees_disclosure`); ``place``: where it is, added to that summary (the
        station of the officer who filed a warning: review 35d F3).
        """
        now = now or self.clock.now()
        room = self.district.rooms.get(case.room)
        bureau = self.district.bureaus.get(case.bureau)
        text = case.original_text
        kind = disclosure_kind(text) if summary else None
        if kind is not None:
            text = nt.disclosure_summary(
                kind,
                self.unit_name(case.owning_unit_id),
                self.unit_name(self.district.dispatcher),
                own=case.kind == CaseKind.REQUEST.value and is_self_harm(case.original_text),
                gist=self_harm_gist(text),
                signed=case.acknowledged_at is not None,
                done=case.status in _DONE,
                place=place,
            )
        else:
            summary = False
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
            text=mask_sensitive(text) if masked else mask_id_numbers(text) if ids else text,
            # A summary reader learns neither who nor where (trial 29 V7).
            address=None if summary else case.address,
            latitude=None if masked or summary else case.latitude,
            longitude=None if masked or summary else case.longitude,
            contact_name=None
            if summary
            else _mask_name(case.contact_name)
            if masked
            else case.contact_name,
            contact_phone=None
            if summary
            else _mask_phone(case.contact_phone)
            if masked
            else case.contact_phone,
            photo_file_ids=() if summary else tuple(str(p) for p in case.photo_file_ids or ()),
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
            resolution_note=None
            if case.resolution_note is None
            else mask_sensitive(case.resolution_note)
            if masked
            else mask_id_numbers(case.resolution_note)
            if ids
            else case.resolution_note,
            overdue=is_overdue(case, now),
            overdue_label=overdue_label(case, now),
            ack_passed=CaseStatus(case.status) in AWAITING_ACK
            and case.ack_due_at is not None
            and case.ack_due_at < now,
            version=case.version,
            masked=masked,
            suggested_name=self._suggested_name(case),
            desk_bureau=(desk := self._desk_proposal(case))[0],
            desk_bureau_name=desk[1],
            reopen_count=case.reopen_count or 0,
            summary_only=summary,
        )

    def _desk_proposal(self, case: Case) -> tuple[str, str]:
        """``desk_bureau`` and its name: after a 退单 the proposal kept apart from the
        classification (``suggested_bureau``), else the case's bureau."""
        if case.status == CaseStatus.RETURNED.value:
            bureau = self.district.bureaus.get(case.suggested_bureau or "")
        else:
            bureau = self.district.bureaus.get(case.bureau)
        return (bureau.id, bureau.name) if bureau is not None else ("", "")

    def _suggested_name(self, case: Case) -> str:
        """The classifier's room and bureau the reporter overrode (``""`` if none)."""
        room = self.district.rooms.get(case.suggested_room or "")
        bureau = self.district.bureaus.get(case.suggested_bureau or "")
        if bureau is not None:
            room = room or self.district.rooms.get(bureau.room_id)
            return f"{room.name} · {bureau.name}" if room else bureau.name
        return room.name if room is not None else ""

    def view_for(
        self, case: Case, person: Person | None, now: datetime | None = None, place: str = ""
    ) -> CaseView:
        """The view of ``case`` that ``person`` may see (None: the system, unmasked);
        ``place``: the place a summary names (:meth:`view`)."""
        return self.view(
            case,
            masked=not self.sees_contact(person, case),
            now=now,
            ids=person is not None,
            summary=self._summary_for(person, case),
            place=place,
        )

    def _summary_for(self, person: Person | None, case: Case) -> bool:
        """Whether ``person`` reads ``case`` as a summary (trial 29 P14, V7).

        Any case that tells of self-harm (whoever reports it: the person, a
        parent, an officer's warning), domestic violence or sexual assault
        (:func:`~bot.services.disclosures.disclosure_kind`), read by someone outside
        the reporter, the owning unit and the desk (:meth:`sees_disclosure`).
        """
        return (
            case.kind in (CaseKind.REQUEST.value, CaseKind.WARNING.value)
            and not self.sees_disclosure(person, case)
            and disclosure_kind(case.original_text) is not None
        )

    def card_for(
        self, case: Case, person: Person, now: datetime | None = None, place: str = ""
    ) -> tuple[str, dict[str, Any] | None]:
        """The card text and buttons of ``case`` for ``person`` (``place``: :meth:`view`)."""
        view = self.view_for(case, person, now, place)
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

    # --- read side ---------------------------------------------------------------

    async def _viewable(self, s: AsyncSession, case_id: int, viewer_id: int) -> tuple[Person, Case]:
        """The viewer and the case, which the viewer may see.

        Raises:
            CaseError: ``not_found``, ``forbidden`` (also an unknown or inactive viewer).
        """
        viewer = await self._person(s, viewer_id)
        case = await store.get_case(s, case_id)
        if case is None:
            raise CaseError("not_found", NO_SUCH_CASE)
        if not self.may_view(viewer, case):
            raise CaseError("forbidden", NO_SUCH_CASE)
        return viewer, case

    async def get_case_view(self, case_id: int, viewer_id: int) -> CaseView:
        """The case as ``viewer_id`` may see it.

        Raises:
            CaseError: ``not_found``, ``forbidden``.
        """
        async with self.db.session() as s:
            viewer, case = await self._viewable(s, case_id, viewer_id)
            return self.view_for(case, viewer)

    async def render_card(self, case_id: int, viewer_id: int) -> tuple[str, dict[str, Any] | None]:
        """The card text and the buttons ``viewer_id`` may press (for a 刷新 button).

        Raises:
            CaseError: ``not_found``, ``forbidden``.
        """
        async with self.db.session() as s:
            viewer, case = await self._viewable(s, case_id, viewer_id)
            return self.card_for(case, viewer)

    async def card_shown_again(
        self, case_id: int, viewer_id: int, chat_id: int, message_id: int
    ) -> int | None:
        """The card of ``case_id`` was shown again as ``message_id`` in ``chat_id`` (/pending
        「查看」): it becomes the chat's card, which later changes edit (trial 26 T14).

        Only a chat that holds the card already, or whose person may act on the case, gets
        it recorded (a read-only look adds no one to the card's audience).

        Returns:
            The message that was the chat's card before (its buttons are now stale), if any.
        """
        async with self.db.session() as s:
            viewer = await self._person(s, viewer_id)
            case = await store.get_case(s, case_id)
            if case is None or not self.may_view(viewer, case):
                return None
            card = await outbox.get_card(s, case_id, chat_id)
            before = card.message_id if card is not None else None
            if card is None and self.card_for(case, viewer)[1] is None:
                return None
            await outbox.save_card(s, case_id, chat_id, message_id, now=self.clock.now())
            return before if before != message_id else None

    async def viewable_case_id(self, number: str, viewer_id: int) -> int | None:
        """The id of the case numbered ``number`` if ``viewer_id`` may see it (a chief
        typing a case number of their own unit, trial 32 D17), else None."""
        async with self.db.session() as s:
            case = await s.scalar(select(Case).where(Case.number == number.strip().upper()))
            if case is None:
                return None
            viewer = await s.get(Person, viewer_id)
            if viewer is None or not self.may_view(viewer, case):
                return None
            return case.id

    async def cases_of_reporter(self, person_id: int, limit: int = 20) -> list[CaseView]:
        """A reporter's own cases, newest first (for /status)."""
        async with self.db.session() as s:
            now = self.clock.now()
            rows = await store.cases_of_reporter(s, person_id, limit)
            return [self.view(c, masked=False, now=now) for c in rows]

    async def pending_for_unit(
        self, unit_id: str, limit: int = 50, *, viewer_id: int | None = None
    ) -> list[CaseView]:
        """Open cases owned by or escalated to ``unit_id``: critical first, then overdue,
        then by deadline (:func:`bot.services.cases.order.attention_key`).

        The caller checks that the viewer belongs to the unit; views are unmasked.
        With ``viewer_id`` a private disclosure is the summary that viewer reads on
        the card (:meth:`_summary_for`): an escalation chief's list does not quote it.
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
            viewer = await s.get(Person, viewer_id) if viewer_id is not None else None
            missed = await self._missed_ack_dues(s, [c.id for c in rows if c.escalation_level])
            # Open critical cases first, then overdue: the list and its 查看 buttons read
            # this one order (trial 32 D29).
            return by_attention(
                [
                    replace(
                        self.view(
                            c,
                            masked=False,
                            now=now,
                            summary=viewer is not None and self._summary_for(viewer, c),
                        ),
                        missed_ack_due_at=missed.get(c.id),
                    )
                    for c in rows
                ]
            )

    async def _missed_ack_dues(self, s: AsyncSession, case_ids: list[int]) -> dict[int, datetime]:
        """The first 签收/派单时限 each case missed before an escalation replaced it."""
        if not case_ids:
            return {}
        events = await s.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id.in_(case_ids), CaseEvent.type == EventType.ESCALATED.value)
            .order_by(CaseEvent.id)
        )
        missed: dict[int, datetime] = {}
        for e in events:
            due = e.data.get("missed_due")
            if isinstance(due, str) and e.case_id not in missed:
                missed[e.case_id] = datetime.fromisoformat(due)
        return missed
