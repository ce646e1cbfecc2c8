"""Filing: citizens' requests and officers' early warnings, and the preview."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import corrections
from bot.services import notifications as nt
from bot.services.cases.model import (
    MAX_TEXT,
    TERRITORIAL_KINDS,
    WARNING_ROLES,
    Alternative,
    CaseView,
    ClassificationLike,
    Preview,
    RequestDraft,
    WarningDraft,
    _alternative_pair,
    _clean,
    _keywords,
)
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import (
    CaseError,
    EventType,
    record,
    register,
)
from bot.services.routing import (
    UNKNOWN,
    Route,
    police_copy,
    route_request,
    route_warning,
    warning_recipients,
)
from bot.services.triage import check_level, emergency_of
from config.district import SEVERITIES
from nlp import normalize as normalize_text
from nlp.reasons import decision_words
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case, Person


class CaseIntake(CaseTx):
    """Filing: citizens' requests and officers' early warnings, and the preview."""

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
            keywords=tuple(decision_words(_keywords(c.keywords))),
            severity=c.severity,
            severity_label=nt.SEVERITY_LABELS.get(c.severity, c.severity),
            address=room.address if room else "",
            hours=room.hours if room else "",
            phone=room.phone if room else "",
            alternatives=tuple(alternatives),
            truncated=bool(getattr(c, "truncated", False)),
            bureau_duties=bureau.duties if bureau else "",
            severity_why=_why(c),
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
        """A reporter's own office that differs from the classifier's is a correction."""
        keywords = tuple(_keywords(c.keywords))
        said = corrections.Classified(c.room, c.bureau, float(c.confidence), keywords)
        await corrections.record_choice_tx(s, case, said, route, kind, actor, case.created_at)

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

    async def _register_tx(
        self,
        s: AsyncSession,
        case: Case,
        now: datetime,
        *,
        actor_id: int,
        channel: str,
        data: dict[str, Any],
    ) -> None:
        """Store a new case, give it its number and write its ``registered`` event."""
        s.add(case)
        await s.flush()
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
    ) -> CaseView:
        """Publish a new case (its receipt to the reporter if ``receipt``); the reporter's view."""
        await self.publish_tx(
            s,
            case,
            now,
            also_card_units=also,
            reporter_text=self._receipt if receipt else None,
        )
        return self.view_for(case, reporter, now)

    async def file_request(
        self,
        reporter_id: int,
        draft: RequestDraft,
        channel: str = Channel.TELEGRAM,
        *,
        receipt: bool = True,
    ) -> CaseView:
        """File a citizen's request: classify, route, set deadlines, notify.

        ``receipt=False``: the caller answers the reporter itself (the Telegram
        conversation does, with :func:`bot.services.notifications.reporter_registered`),
        so no receipt is written to the outbox — the reporter gets one receipt, not two.

        A request that describes danger now (:func:`bot.services.triage.emergency_of`)
        is filed as critical, with the critical deadlines; besides its owner the
        dispatcher desk, ``district.warning_centres`` and ``district.leadership``
        get its card at once, as for a critical warning.

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
        priority = "normal"
        also: tuple[str, ...] = ()
        emergency = emergency_of(text)
        if emergency is not None:
            severity = "critical"
            priority = self.district.severity_priority["critical"]
            also = tuple(
                u
                for u in dict.fromkeys(
                    (
                        self.district.dispatcher,
                        *warning_recipients(self.district, "critical"),
                        *police_copy(self.district, emergency),
                    )
                )
                if u != route.owning_unit_id
            )
        async with self.db.session() as s:
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
                        else {}
                    ),
                },
            )
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
            return await self._announce_tx(s, case, now, reporter, also, receipt)

    async def file_warning(
        self,
        officer_id: int,
        draft: WarningDraft,
        channel: str = Channel.TELEGRAM,
        *,
        receipt: bool = True,
    ) -> CaseView:
        """File an information officer's early warning with the officer's own unit.

        ``receipt=False`` as for :meth:`file_request`.

        High and critical warnings also reach ``district.warning_centres`` at
        once, critical ones also ``district.leadership``. The rubric's level is
        filed unless the officer chose another: raising is free, lowering a
        critical level needs ``draft.severity_reason``; any other level than
        the rubric's is recorded as a ``severity_changed`` event.

        Raises:
            CaseError: ``forbidden`` (not an officer/staff/chief bound to a
                unit), ``bad_input``, ``reason_required`` (a critical level
                lowered without a reason).
        """
        text = self._check_text(draft.text)
        if draft.severity is not None and draft.severity not in SEVERITIES:
            raise CaseError("bad_input", "预警等级无效。")
        if draft.head_count is not None and draft.head_count < 0:
            raise CaseError("bad_input", "人数不能为负数。")
        c = self._classify(text)
        rubric = c.severity if c.severity in SEVERITIES else "low"
        severity, reason = check_level(rubric, draft.severity, draft.severity_reason)
        async with self.db.session() as s:
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
            if severity == "critical":
                also_notify = tuple(
                    u
                    for u in dict.fromkeys(
                        (*route.also_notify, *police_copy(self.district, emergency_of(text)))
                    )
                    if u != route.owning_unit_id
                )
                route = replace(route, also_notify=also_notify)
            priority = self.district.severity_priority[severity]
            case = self._new_case(
                CaseKind.WARNING, text, c, route, now, channel, officer.id, priority, severity
            )
            if self.district.units[officer.unit_id].kind in TERRITORIAL_KINDS:
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
                else guessed
                if isinstance(guessed, int)
                else None
            )
            case.photo_file_ids = list(draft.photo_file_ids)
            await self._register_tx(
                s,
                case,
                now,
                actor_id=officer.id,
                channel=channel,
                data={
                    "severity": severity,
                    "rubric": rubric,
                    "why": _why(c),
                    "notify": list(route.also_notify),
                    "classified_room": c.room,
                    "classified_bureau": c.bureau,
                },
            )
            if draft.room or draft.bureau:
                await self._record_choice(s, case, c, route, "officer", officer.id)
            if severity != rubric:
                await record(
                    s,
                    case,
                    EventType.SEVERITY_CHANGED,
                    now=now,
                    actor_id=officer.id,
                    channel=channel,
                    note=reason,
                    data={"from": rubric, "to": severity, "why": _why(c)},
                    changes_case=False,
                )
            await self._dispatch_tx(
                s, case, route.owning_unit_id, now, actor_id=None, channel=channel, how="officer"
            )
            return await self._announce_tx(s, case, now, officer, route.also_notify, receipt)


def _why(c: ClassificationLike) -> str:
    """The words that set the classification's severity (``割腕、流血``), if known."""
    why = getattr(getattr(c, "severity_detail", None), "why", "")
    return why if isinstance(why, str) else ""
