"""The parts of filing shared by requests and warnings: numbers, classification,
the preview, a new case, its first event and its first messages.

:class:`~bot.services.cases.intake.CaseIntake` and
:class:`~bot.services.cases.warning_intake.CaseWarningIntake` file on top of these.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import corrections
from bot.services import notifications as nt
from bot.services.cases.model import (
    MAX_TEXT,
    Alternative,
    CaseView,
    ClassificationLike,
    Preview,
    _alternative_pair,
    _keywords,
    strip_controls,
)
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import (
    CaseError,
    EventType,
    register,
)
from bot.services.routing import (
    UNKNOWN,
    Route,
)
from bot.services.triage import safety_hint
from nlp import normalize as normalize_text
from nlp.headcount import head_counts
from nlp.normalize import danger_text
from nlp.reasons import decision_words
from storage import intake_keys
from storage.enums import CaseKind, CaseStatus
from storage.models import Case, CaseEvent, Person

log = logging.getLogger(__name__)


class CaseFiling(CaseTx):
    """What filing a request and filing a warning share."""

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

    def _receipt(self, view: CaseView) -> str:
        return nt.reporter_registered(view, self.district, self.tz)

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
            keywords=tuple(written_words(decision_words(_keywords(c.keywords)), text)),
            keywords_all=tuple(written_words(_keywords(c.keywords), text)),
            severity=c.severity,
            severity_label=nt.SEVERITY_LABELS.get(c.severity, c.severity),
            address=room.address if room else "",
            hours=room.hours if room else "",
            phone=room.phone if room else "",
            alternatives=tuple(alternatives),
            truncated=bool(getattr(c, "truncated", False)),
            bureau_duties=bureau.duties if bureau else "",
            severity_why=severity_why(c, text),
            safety_hint=safety_hint(text) or "",
        )

    # --- filing ------------------------------------------------------------------

    async def _record_choice(
        self,
        s: AsyncSession,
        case: Case,
        c: ClassificationLike,
        route: Route,
        kind: str,
        actor: int,
    ) -> None:
        """A reporter's own office that differs from the classifier's is a correction,
        and the card says so, with the classifier's proposal (``suggested_*``)."""
        keywords = tuple(_keywords(c.keywords))
        said = corrections.Classified(c.room, c.bureau, float(c.confidence), keywords)
        if await corrections.record_choice_tx(s, case, said, route, kind, actor, case.created_at):
            case.suggested_room = c.room if c.room in self.district.rooms else None
            case.suggested_bureau = c.bureau if c.bureau in self.district.bureaus else None

    def _check_text(self, text: str) -> str:
        text = strip_controls(text).strip()
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

    async def _filed_before(
        self, s: AsyncSession, key: str | None, person_id: int
    ) -> CaseView | None:
        """The reporter's view of the case already filed under intake ``key``, if any."""
        if key is None:
            return None
        case_id = await intake_keys.filed_case(s, key)
        case = None if case_id is None else await s.get(Case, case_id)
        if case is None:
            return None
        log.warning("intake %s filed case %s before: not filed again", key, case.number)
        view = self.view_for(case, await self._person(s, person_id), self.clock.now())
        if case.kind != CaseKind.WARNING.value:
            return view
        registered = await s.scalar(
            select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.type == EventType.REGISTERED.value
            )
        )
        notify = registered.data.get("notify", []) if registered is not None else []
        return replace(view, informed_unit_names=self.unit_names(notify))

    def unit_names(self, unit_ids: Iterable[str]) -> tuple[str, ...]:
        """The names of ``unit_ids`` the district has: a warning receipt's 同时报送 line.

        Always computed from the list the notifications went to (the registered
        event's ``notify``), never from a second list (trial 27 N13).
        """
        return tuple(self.district.units[u].name for u in unit_ids if u in self.district.units)

    async def _once(
        self, key: str | None, person_id: int, file: Callable[[], Awaitable[CaseView]]
    ) -> CaseView:
        """Run ``file`` (which files under intake ``key``) unless that key filed a case.

        ``file`` itself returns the earlier case when it finds the key (a replayed
        update); when another instance files the same update at the same moment, this
        one's transaction fails on the key and the case the other filed is returned.
        """
        try:
            return await file()
        except IntegrityError as exc:
            if key is None or not intake_keys.is_key_conflict(exc):
                raise
        async with self.db.session() as s:
            view = await self._filed_before(s, key, person_id)
        if view is None:  # pragma: no cover - the conflicting filing committed
            raise CaseError("bad_input", "提交冲突，请稍后查看办理进度。")
        return view

    async def _register_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        *,
        actor_id: int,
        channel: str,
        data: dict[str, Any],
        key: str | None = None,
    ) -> None:
        """Store a new case, give it its number and write its ``registered`` event.

        ``key``: the intake key it is filed under (see :mod:`storage.intake_keys`).
        """
        s.add(case)
        await s.flush()
        if key is not None:
            await intake_keys.remember(s, key, case.id, now)
        case.number = self._number(case.id, now)
        await register(s, case, now=now, actor_id=actor_id, channel=channel, data=data)

    async def _announce_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        reporter: Person,
        also: Iterable[str],
        receipt: bool,
        pings: Sequence[tuple[Iterable[str], Callable[[CaseView], str]]] = (),
        receipt_text: Callable[[CaseView], str] | None = None,
        hint: Callable[[CaseView], str] | None = None,
    ) -> CaseView:
        """Publish a new case (its receipt to the reporter if ``receipt``: ``receipt_text``
        or the usual one, then ``pings`` after the cards); the reporter's view. ``hint``
        is a notice for the reporter after the receipt (or alone when the caller answers
        with the receipt itself)."""
        first = (receipt_text or self._receipt) if receipt else None

        def with_hint(v: CaseView) -> str:
            assert hint is not None
            return f"{first(v)}\n\n{hint(v)}" if first else hint(v)

        await self.publish_tx(
            s,
            case,
            now,
            also_card_units=also,
            pings=pings,
            settle=False,
            reporter_text=with_hint if hint is not None else first,
        )
        return self.view_for(case, reporter, now)


def severity_why(c: ClassificationLike, text: str = "") -> str:
    """The words that set the classification's severity (``割腕、流血``), if known.

    A head count is shown as ``text`` wrote it (十几户, not 15人: trial 28 P11).
    """
    why = getattr(getattr(c, "severity_detail", None), "why", "")
    if not isinstance(why, str):
        return ""
    return written_counts(why, text) if text else why


_COUNT_RE = re.compile(r"(\d+)人")


def written_counts(why: str, text: str) -> str:
    """``why`` with each head count (``15人``) not written so replaced by the words of
    ``text`` that gave it (``十几户``)."""
    if not _COUNT_RE.search(why):
        return why
    norm = danger_text(text)
    spans = {value: norm[start:end] for value, start, end in head_counts(norm)}

    def written(m: re.Match[str]) -> str:
        if m.group(0) in norm:
            return m.group(0)
        return spans.get(int(m.group(1)), m.group(0))

    return _COUNT_RE.sub(written, why)


def written_words(words: Iterable[str], text: str) -> list[str]:
    """The keywords ``text`` holds: a rubric family's name put first by the classifier
    (暴力伤害 for 扬言要动刀) is no word the writer used (trial 28 P11). All of them
    when none is found as written (a text in traditional characters)."""
    listed = list(words)
    norm = normalize_text(text)
    found = [w for w in listed if w in norm or w in text]
    return found or listed
