"""The publishing side of a change: the outbox rows it writes for cards, pings and the reporter.

Split from :mod:`bot.services.cases.tx` (whose :class:`~bot.services.cases.tx.CaseTx`
builds on :class:`CasePublish`): every row is written inside the change's own
transaction, so a change and the notices it causes stand or fall together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.cases.model import HANDLER_ROLES, CaseView
from bot.services.cases.permissions import CRITICAL
from bot.services.cases.settle import settle_notices_tx
from bot.services.cases.views import CaseViews
from bot.services.lifecycle import EventType
from bot.services.notification_labels import MEDIA_LABELS
from nlp.families import SELF_HARM
from nlp.public_place import place_phrase
from storage import cases as store
from storage import outbox_digest
from storage.enums import CaseKind
from storage.models import Case, CaseCard, CaseEvent, Person
from storage.outbox import KIND_MEDIA, KIND_PHOTOS, MAX_PHOTOS_PER_ROW, outbox_row, priority_for

#: Session ``info`` key under which :meth:`CasePublish._message` lists the rows it adds.
OUTBOX_ROWS = "minqing_outbox_rows"


class CasePublish(CaseViews):
    """The outbox rows a change writes: cards, pings, photos, media and the reporter's message."""

    def _message(
        self,
        s: AsyncSession,
        person: Person,
        case: Case,
        text: str,
        markup: dict[str, Any] | None,
        now: datetime,
        kind: str = "message",
        *,
        even_blocked: bool = False,
    ) -> None:
        """An outbox row for ``person`` (none for an inactive person, nor for one who
        blocked the bot unless ``even_blocked``)."""
        if person.chat_id is None or not person.active:
            return
        if person.blocked_at is not None and not even_blocked:
            return
        row = outbox_row(
            chat_id=person.chat_id,
            person_id=person.id,
            case_id=case.id,
            kind=kind,
            text=text,
            reply_markup=markup,
            now=now,
            # Alerts (high, critical) before replies to the reporter before routine notices.
            priority=priority_for(case.severity, to_reporter=person.id == case.reporter_id),
        )
        s.add(row)
        # The scheduler holds a timer's rows for a digest (bot.services.cases.digest).
        s.info.setdefault(OUTBOX_ROWS, []).append(row)

    def _photos(
        self, s: AsyncSession, person: Person, case: Case, photos: Sequence[str], now: datetime
    ) -> None:
        """Photo rows for ``person`` (after the card: same class, written later)."""
        for start in range(0, len(photos), MAX_PHOTOS_PER_ROW):
            chunk = list(photos[start : start + MAX_PHOTOS_PER_ROW])
            caption = f"{case.number or f'#{case.id}'} 照片（{len(chunk)}张）"
            self._message(s, person, case, caption, {"photos": chunk}, now, kind=KIND_PHOTOS)

    async def media_tx(
        self,
        s: AsyncSession,
        units: Iterable[str],
        case: Case,
        media: Sequence[tuple[str, str]],
        now: datetime,
    ) -> None:
        """Rows that send the units' handlers what the reporter sent (``(kind, file_id)``:
        a voice, a video, a file …) by its file_id, after the note that announces it."""
        if not media:
            return
        number = case.number or f"#{case.id}"
        for person in await store.people_of_units(s, list(dict.fromkeys(units)), HANDLER_ROLES):
            if person.id == case.reporter_id:
                continue
            for kind, file_id in media:
                caption = f"{number} 报告人发送的{MEDIA_LABELS.get(kind, '文件')}"
                markup = {"media": {"type": kind, "file_id": file_id}}
                self._message(s, person, case, caption, markup, now, kind=KIND_MEDIA)

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
        new_photos: Sequence[str] = (),
        settle: bool = True,
        new_card_units: Iterable[str] = (),
    ) -> None:
        """Write the outbox rows a change of ``case`` causes (inside the change's transaction).

        Whoever gets the card for the first time also gets the case's photos right
        after it; whoever had it already gets ``new_photos`` (photos just added) and
        any photo that never reached their chat (folded into a digest, dfx21).

        Args:
            s: the change's transaction.
            case: the case after the change.
            now: the time of the change.
            also_card_units: units whose handlers get the card although they are
                not responsible (a warning's centres and leadership).
            pings: ``(unit ids, text)`` pairs: a plain message with the
                recipient's card buttons to each handler of those units (none on
                an information notice, :func:`bot.services.notifications.is_information`).
            reporter_text: the message for the reporter, if any.
            reporter_markup: buttons for that message (the follow-up question).
            new_photos: photos this change added (sent to those who had the card).
            settle: edit the case's earlier notices with buttons when the change is
                somebody's act (:mod:`bot.services.cases.settle`); False for a filing.
            new_card_units: units just made responsible (a dispatch, an escalation): their handlers
                who hold a card already (a read-only copy) get the card as a new
                message, which notifies, with the case's photos after it; an edit of
                the old copy would not.
        """
        await s.flush()
        if settle:  # a filing settles nothing (and stays a query lighter)
            await settle_notices_tx(s, case, now, self.unit_name, self.tz)
        responsible = self.responsible_units(case)
        audience: dict[int, Person] = {p.id: p for p in await store.card_holders(s, case.id)}
        holders = set(audience)
        for p in await store.people_of_units(s, [*responsible, *also_card_units], HANDLER_ROLES):
            audience.setdefault(p.id, p)
        new_card_units = list(new_card_units)
        if new_card_units:
            anew = [
                p
                for p in await store.people_of_units(s, new_card_units, HANDLER_ROLES)
                if p.id in holders and p.chat_id is not None
            ]
            holders -= {p.id for p in anew}
            if anew:  # no card message on record: the delivery sends a new one
                await s.execute(
                    delete(CaseCard).where(
                        CaseCard.case_id == case.id,
                        CaseCard.chat_id.in_([p.chat_id for p in anew]),
                    )
                )
        all_photos = [str(p) for p in case.photo_file_ids or ()]
        # A holder whose photos never went out (folded into a digest with a card that
        # never reached the chat) gets them now, with the card (dfx21).
        on_way = await outbox_digest.photos_on_their_way(s, case.id) if all_photos else {}
        added = set(new_photos)
        # The station of the officer who filed a warning reads its place beside the
        # privacy summary, never the words (review 35d F3).
        filer_unit, place = None, ""
        if case.kind == CaseKind.WARNING.value and case.reporter_id is not None:
            filer = await s.get(Person, case.reporter_id)
            filer_unit = filer.unit_id if filer is not None else None
            place = (case.address or "").strip() or place_phrase(case.original_text)
        for person in sorted(audience.values(), key=lambda p: p.id):
            here = place if filer_unit is not None and person.unit_id == filer_unit else ""
            text, markup = self.card_for(case, person, now, here)
            self._message(s, person, case, text, markup, now, kind="card")
            photos = all_photos
            if person.id in holders:
                had = on_way.get(person.chat_id or 0, set())
                photos = [p for p in all_photos if p not in had or p in added]
            # A summary reader (a private disclosure, trial 29 V7) gets no photos.
            if photos and person.id != case.reporter_id and not self._summary_for(person, case):
                self._photos(s, person, case, photos, now)
        for units, render in pings:
            for person in await store.people_of_units(s, units, HANDLER_ROLES):
                view = self.view_for(case, person, now)
                text = render(view)
                # An information notice has no case buttons (trial 27 N2): they would
                # go stale once the card moves on.
                markup = (
                    None
                    if nt.is_information(text)
                    else nt.card_markup(
                        self.codec, view, self.actions_for(person, case), self.district
                    )
                )
                self._message(s, person, case, text, markup, now)
        if reporter_text is not None and case.reporter_id is not None:
            reporter = await s.get(Person, case.reporter_id)
            if reporter is not None:
                view = self.view_for(case, reporter, now)
                # Queued even while the reporter has blocked the bot (trial 28 P2): the
                # block may be over (its lifting is not always seen), and if not, the
                # delivery worker's 403 tells the owning unit to phone instead.
                self._message(
                    s, reporter, case, reporter_text(view), reporter_markup, now, even_blocked=True
                )

    async def ping_owner_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        ping: Callable[[CaseView], str],
        *,
        reporter_text: Callable[[CaseView], str] | None = None,
    ) -> None:
        """:meth:`publish_tx` with one message to the owning unit's handlers (and the reporter)."""
        await self.publish_tx(
            s, case, now, pings=[([case.owning_unit_id], ping)], reporter_text=reporter_text
        )

    async def alerted_units(self, s: AsyncSession, case: Case) -> list[str]:
        """The units told of what the reporter adds to ``case``: the responsible units,
        and on a critical case every unit that holds its card (the dispatcher desk's,
        the centres', the leadership's and the police's copies), as its alert reached
        them. What each person reads is masked by :meth:`view_for` (a copy outside the
        handling units and the desk sees phone numbers masked)."""
        units = self.responsible_units(case)
        if case.severity == CRITICAL:
            for holder in await store.card_holders(s, case.id):
                if holder.unit_id is not None and holder.unit_id not in units:
                    units.append(holder.unit_id)
        return units

    async def _self_harm(self, s: AsyncSession, case: Case) -> bool:
        """Whether ``case`` was filed as someone writing of harming themselves."""
        data = await s.scalar(
            select(CaseEvent.data)
            .where(CaseEvent.case_id == case.id, CaseEvent.type == EventType.REGISTERED.value)
            .limit(1)
        )
        return isinstance(data, dict) and data.get("emergency") == SELF_HARM

    async def is_warning(self, case_id: int) -> bool:
        """Whether the case is an officer's warning: its 办结 is told to the officer and
        asks no 回访 (stop 35 #3)."""
        async with self.db.read() as s:
            case = await store.get_case(s, case_id)
            return case is not None and case.kind == CaseKind.WARNING.value

    async def closes_with_care(self, case_id: int) -> bool:
        """Whether 办结 of the case closes it with care: a self-harm request, whose
        result text stays internal and whose reporter gets a human word instead."""
        async with self.db.session() as s:
            case = await store.get_case(s, case_id)
            return (
                case is not None
                and case.kind != CaseKind.WARNING
                and await self._self_harm(s, case)
            )

    async def for_reporter(
        self,
        s: AsyncSession,
        case: Case,
        text: Callable[[CaseView], str] | None,
        care: Callable[[CaseView], str] | None = None,
    ) -> Callable[[CaseView], str] | None:
        """What the reporter is told of a change: ``text``, or for someone who wrote of
        harming themselves ``care`` (None: nothing). Such a person is never told of
        deadlines, 超期 or 督办 (trial 26 T4); the units still are."""
        if case.kind == CaseKind.REQUEST.value and await self._self_harm(s, case):
            return care
        return text
