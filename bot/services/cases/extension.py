"""Extensions (延期申请): a station asks for more time; the supervision centre decides.

* A station that handles a case may ask, **before** its resolution deadline,
  for ``working_days`` more working days with a reason. One request at a time
  (``Case.extension_due_at`` holds the requested deadline while it waits).
* The chiefs and staff of the supervision centre (督查督办中心) get a message
  with 同意延期 / 不同意 buttons; they (or an admin) decide, in Telegram or on
  the dashboard.
* Approved: the resolution deadline in force moves to the requested one, the
  reminder timer with it; the original deadline stays in the event log (the
  dispatch event and ``extension_approved``'s ``original_due``). The reporter
  is told the new date. Refused: nothing moves; the station is told.
* The assessment counts extended cases separately (``extended``); on-time is
  judged against the deadline in force, so an approved extension is not late.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.callbacks import CaseAction
from bot.services.cases.model import MAX_NOTE, CaseView, _clean, _required
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import (
    AWAITING_RESOLUTION,
    CaseError,
    EventType,
    TimerKind,
    record,
)
from bot.services.notifications import fmt_time
from config.workdays import Span
from storage import cases as store
from storage.enums import CaseStatus, Channel, Role
from storage.models import Case, Person

MAX_EXTENSION_DAYS = 30


class CaseExtension(CaseTx):
    """延期申请 and its decision."""

    def decides_extensions(self, person: Person) -> bool:
        """Whether ``person`` may approve or refuse 延期申请 (督查督办中心 or an admin)."""
        if not person.active or person.blocked_at is not None:
            return False
        return person.role == Role.ADMIN or (
            person.role in (Role.CHIEF, Role.STAFF) and person.unit_id == self.district.supervision
        )

    async def request_extension(
        self,
        case_id: int,
        actor_id: int,
        reason: str,
        working_days: int,
        channel: str = Channel.TELEGRAM,
    ) -> CaseView:
        """延期申请: ask for ``working_days`` more working days, before the deadline.

        Raises:
            CaseError: ``bad_input`` (no reason, days out of 1..30), ``too_late``
                (the deadline has passed), ``pending`` (a request waits),
                ``illegal_transition`` (not being handled), ``not_found``, ``forbidden``.
        """
        reason_ = _required(reason, "申请延期必须填写理由。")
        if not 1 <= working_days <= MAX_EXTENSION_DAYS:
            raise CaseError("bad_input", f"延期天数应为1至{MAX_EXTENSION_DAYS}个工作日。")
        async with self._acting(case_id, actor_id, handling=True) as (s, now, actor, case):
            if CaseStatus(case.status) not in AWAITING_RESOLUTION or case.resolve_due_at is None:
                raise CaseError("illegal_transition", "案件不在办理中，不能申请延期。")
            if now > case.resolve_due_at:
                raise CaseError("too_late", "办结时限已过，不能再申请延期。")
            if case.extension_due_at is not None:
                raise CaseError("pending", "已有延期申请正在审批。")
            requested = case.resolve_due_at + Span(
                working_days=working_days, calendar=self.district.calendar
            )
            case.extension_due_at = requested
            await record(
                s,
                case,
                EventType.EXTENSION_REQUESTED,
                now=now,
                actor_id=actor.id,
                channel=channel,
                note=reason_,
                data={
                    "working_days": working_days,
                    "due": case.resolve_due_at.isoformat(),
                    "requested_due": requested.isoformat(),
                    "acting_unit_id": actor.unit_id,
                },
            )
            await self.publish_tx(s, case, now)
            await self._ask_supervision(s, case, now, reason_)
            return self.view_for(case, actor, now)

    async def _ask_supervision(
        self, s: AsyncSession, case: Case, now: datetime, reason: str
    ) -> None:
        assert case.extension_due_at is not None and case.resolve_due_at is not None
        for person in await store.people_of_units(
            s, [self.district.supervision], (Role.CHIEF.value, Role.STAFF.value)
        ):
            view = self.view_for(case, person, now)
            text = (
                f"【延期申请】{view.number}（{self.unit_name(case.owning_unit_id)}）\n"
                f"原办结时限：{fmt_time(case.resolve_due_at, self.tz)}\n"
                f"申请延至：{fmt_time(case.extension_due_at, self.tz)}\n"
                f"理由：{view.shown(reason)}"
            )
            markup = {
                "inline_keyboard": [
                    [
                        nt.button(
                            self.codec, "同意延期", CaseAction.EXTEND_OK, case.id, case.version
                        ),
                        nt.button(
                            self.codec, "不同意", CaseAction.EXTEND_NO, case.id, case.version
                        ),
                    ]
                ]
            }
            self._message(s, person, case, text, markup, now)

    async def decide_extension(
        self,
        case_id: int,
        actor_id: int,
        approve: bool,
        note: str | None = None,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """The supervision centre approves or refuses the pending 延期申请.

        Raises:
            CaseError: ``forbidden`` (not the supervision centre), ``no_request``,
                ``stale``, ``not_found``.
        """
        async with self.db.session() as s:
            now = self.clock.now()
            actor = await self._person(s, actor_id)
            case = await self._lock(s, case_id)
            if not self.decides_extensions(actor):
                raise CaseError("forbidden", "只有督查督办中心可以审批延期申请。")
            if case.extension_due_at is None or case.resolve_due_at is None:
                raise CaseError("no_request", "该案件没有待审批的延期申请。")
            original, requested = case.resolve_due_at, case.extension_due_at
            due = requested if approve else original  # the deadline in force after the decision
            note_ = _clean(note, MAX_NOTE)
            await record(
                s,
                case,
                EventType.EXTENSION_APPROVED if approve else EventType.EXTENSION_REFUSED,
                now=now,
                actor_id=actor.id,
                channel=channel,
                note=note_,
                data={
                    "original_due": original.isoformat(),
                    "new_due": due.isoformat(),
                    "requested_due": requested.isoformat(),
                },
                expected_version=expected_version,
            )
            case.extension_due_at = None
            tz = self.tz
            if approve:
                case.resolve_due_at = requested
                await store.cancel_timers(s, case.id, [TimerKind.RESOLVE_DUE], now=now)
                await self._schedule_resolve(s, case, now)
            reporter_text = (lambda v: nt.reporter_extended(v, due, tz)) if approve else None
            await self.ping_owner_tx(
                s,
                case,
                now,
                lambda v: _decision_for_station(v, approve, due, tz, note_),
                reporter_text=await self.for_reporter(s, case, reporter_text),
            )
            return self.view_for(case, actor, now)


def _decision_for_station(
    view: CaseView, approved: bool, due: datetime, tz: ZoneInfo, note: str | None = None
) -> str:
    """The station's message on the decision; ``due`` is the deadline in force after it,
    ``note`` the supervision centre's reason (a refusal is told why)."""
    reason = f"\n理由：{view.shown(note)}" if note else ""
    if approved:
        return f"延期申请已批准：{view.number} 办结时限延至{fmt_time(due, tz)}。{reason}"
    return f"延期申请未获批准：{view.number} 仍须于{fmt_time(due, tz)}前办结。{reason}"
