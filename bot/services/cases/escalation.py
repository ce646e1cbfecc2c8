"""Escalation (上报) and the timers' work: renotify, remind, schedule."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notifications as nt
from bot.services.cases.model import (
    MAX_NOTE,
    CaseView,
    _clean,
)
from bot.services.cases.split_dispute import split_denied
from bot.services.cases.tx import CaseTx
from bot.services.lifecycle import (
    AT_DESK,
    AWAITING_ACK,
    ESCALATABLE,
    CaseError,
    EventType,
    TimerKind,
    check_version,
    is_overdue,
    record,
    status_label,
)
from bot.services.notification_labels import fmt_time
from bot.services.triage import emergency_of
from nlp.rubric_model import SERVICES
from storage import cases as store
from storage.enums import CaseKind, CaseStatus, Channel
from storage.models import Case, CaseEvent


def emergency_lines(text: str) -> str:
    """The emergency lines a reporter of danger now is told to call again, e.g.
    ``119（火警）`` (110 when the text names none)."""
    found = emergency_of(text)
    services = found.services if found is not None and found.services else ("110",)
    return "、".join(f"{n}（{SERVICES.get(n, n)}）" for n in services)


class CaseEscalation(CaseTx):
    """Escalation (上报) and the timers' work: renotify, remind, schedule."""

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
        deadline (and timer). Notifies every responsible unit and the reporter;
        the new level's handlers who held a read-only copy get a new card message
        (``new_card_units`` of :meth:`publish_tx`), as a dispatched unit's do.

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
                # The 签收/派单时限 missed, which the new round's replaces (trial 29 #10).
                **(
                    {"missed_due": case.ack_due_at.isoformat()}
                    if status in AWAITING_ACK
                    and case.ack_due_at is not None
                    and case.ack_due_at <= now
                    else {}
                ),
            },
            expected_version=expected_version,
        )
        if is_overdue(case, now):
            case.deadline_missed = True  # the new level's fresh deadline must not erase it
        case.escalation_level += 1
        case.escalated_to_unit_id = target
        if status in AWAITING_ACK:
            # The new level gets the acknowledgement period, but a 签收时限 never
            # lies past the 办结时限: capped at it, and when that has passed too
            # the missed deadline stays on the card and only the timer moves on.
            window = now + self.district.deadlines[case.priority].acknowledge
            resolve_due = case.resolve_due_at
            check_at = window
            if resolve_due is None or window <= resolve_due:
                case.ack_due_at = window
            elif resolve_due > now:
                case.ack_due_at = check_at = resolve_due
            await store.cancel_timers(s, case.id, [TimerKind.ACK_DUE], now=now)
            await self._schedule_ack(s, case, now, 0, check_at)
        new_cards = [target]
        if (
            reason == "ack_overdue"
            and case.escalation_level == 1
            and status not in AT_DESK
            and case.owning_unit_id != self.district.dispatcher
        ):
            # A unit that never signed may hold a misrouted case: the desk gets the card
            # with 改派 (trial 32 D14), as 群工办 does once it supervises.
            new_cards.append(self.district.dispatcher)
        await self.publish_tx(
            s,
            case,
            now,
            pings=[(self.responsible_units(case), lambda v: nt.staff_escalated(v, reason, note))],
            # A routine case still at the desk is 重新分派中 to its reporter (trial 32 D26):
            # the desk's missed 派单时限 is the units' business, not pushed as 提请督办.
            # A split case its reporter denied (split 35) is the units' to verify: the
            # citizen is told nothing of it, no 110 about a matter they say is not theirs.
            reporter_text=None
            if (status in AT_DESK and case.severity != "critical") or await split_denied(s, case)
            else await self.for_reporter(
                s, case, lambda v: nt.reporter_escalated(v, self._unsigned_line(case, status))
            ),
            # As on a dispatch: a unit that held a read-only copy (the leadership's copy of
            # a critical warning) gets the card with its buttons as a new message, which
            # notifies; the copy stays as it was, for reading.
            new_card_units=new_cards,
            also_card_units=new_cards[1:],
        )
        return True

    @staticmethod
    def _unsigned_line(case: Case, status: CaseStatus) -> str | None:
        """The emergency line a citizen is reminded of when their critical case is
        escalated before anyone has signed it (``119（火警）``; 110 when the text names
        none), or None for any other escalation (trial 30 #12)."""
        if (
            case.kind != CaseKind.REQUEST.value
            or case.severity != "critical"
            or status not in AWAITING_ACK
            or case.acknowledged_at is not None
        ):
            return None
        return emergency_lines(case.original_text)

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
        async with self._acting(case_id, actor_id) as (s, now, actor, case):
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

    async def urge(
        self,
        case_id: int,
        actor_id: int,
        channel: str = Channel.TELEGRAM,
        expected_version: int | None = None,
    ) -> CaseView:
        """催办 by a supervising unit: the owner's people get a reminder that the
        supervisor is watching; the case itself does not change (no version bump).

        Raises:
            CaseError: ``not_found``, ``forbidden``, ``stale``, ``illegal_transition``
                (not a supervising unit of the case, or the case is not open).
        """
        async with self._acting(case_id, actor_id) as (s, now, actor, case):
            check_version(case, expected_version)
            if not self.may_urge(actor, case):
                raise CaseError("illegal_transition", "只有督办单位可以对承办中的案件催办。")
            await self._check_urge_interval(s, case, now)
            by = self.unit_name(actor.unit_id)
            await record(
                s,
                case,
                EventType.URGED,
                now=now,
                actor_id=actor.id,
                channel=channel,
                unit_id=actor.unit_id,
                data={"owner_unit_id": case.owning_unit_id},
                changes_case=False,
            )
            await self.ping_owner_tx(s, case, now, lambda v: nt.staff_urged(v, by, self.tz))
            return self.view_for(case, actor, now)

    async def _check_urge_interval(self, s: AsyncSession, case: Case, now: datetime) -> None:
        """One 催办 by hand per case per ``[escalation] urge_interval`` (default 24 h) or
        per the case's acknowledgement period if shorter (1 h for high and critical),
        counted on the service's clock from the last ``urged`` event, whoever urged.

        Raises:
            CaseError: ``too_soon``, saying when it was urged and when it may be again.
        """
        last = await s.scalar(
            select(func.max(CaseEvent.created_at)).where(
                CaseEvent.case_id == case.id, CaseEvent.type == EventType.URGED.value
            )
        )
        if last is None:
            return
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        # A case whose acknowledgement window is shorter (a critical one's hour) may be
        # urged once per that window: a day would outlast its whole deadline (trial 25 T8).
        interval = self.district.escalation.urge_interval
        window = self.district.deadlines[case.priority].acknowledge.delta  # None: working days
        if window is not None and window < interval:
            interval = window
        if now - last < interval:
            hours = interval.total_seconds() / 3600
            raise CaseError(
                "too_soon",
                f"{case.number} 已于{fmt_time(last, self.tz)}催办过，"
                f"每件{hours:g}小时内只能催办一次，"
                f"{fmt_time(last + interval, self.tz)}后可再次催办。",
            )

    async def ack_overdue_tx(
        self, s: AsyncSession, case: Case, now: datetime, round_: int, *, own: bool = False
    ) -> None:
        """The current level's 签收/派单时限 passed with nobody acknowledging (the ack timer).

        At the first level the owner is re-notified ``renotify_count`` times, then the
        case goes one level up. ``own``: the owner took the case by a 改派 at a kept
        escalation level (review 32 S6): it gets the same ``renotify_count`` rounds of
        its own first, then the case goes on up from the level reached.

        At the top of the chain (nothing above) the missed 签收 keeps producing a
        催签收 to every responsible unit — the owner and each supervising level, whose
        digests list it — every ``remind_interval`` (a day, as 催办) until somebody
        signs (trial 32 D15: it went silent at the top).
        """
        policy = self.district.escalation
        if (case.escalation_level == 0 or own) and round_ < policy.renotify_count_for(
            case.priority
        ):
            await self.renotify_tx(s, case, now, round_ + 1)
            await self._schedule_ack(
                s, case, now, round_ + 1, now + policy.renotify_interval, own=own
            )
            return
        if await self.escalate_tx(
            s, case, now, actor_id=None, channel=Channel.SYSTEM, reason="ack_overdue"
        ):
            return
        # A danger-now case nobody has signed: at the desk, hourly 催派单 to the desk and
        # the levels above until dispatched (trial 32 D20); dispatched, 改派'd or
        # reopened, hourly 催签收 to the owner and the levels above until signed
        # (review 32 S5: a day's silence on a critical case).
        if await self.remind_unsigned_danger_tx(s, case, now, round_ + 1):
            return
        # Any other case: once a day, as 催办 (trial item 11: an hourly round on a
        # routine case would flood the chiefs who were all told at once already).
        await self.renotify_tx(s, case, now, round_ + 1)
        await self._schedule_ack(s, case, now, round_ + 1, now + policy.remind_interval)

    async def renotify_tx(self, s: AsyncSession, case: Case, now: datetime, round_: int) -> None:
        """催签收: ping every responsible unit again (the case itself does not change)."""
        units = self.responsible_units(case)
        case.deadline_missed = True
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

    async def remind_unsigned_danger_tx(
        self, s: AsyncSession, case: Case, now: datetime, round_: int
    ) -> bool:
        """A critical case nobody has signed, past the top of the escalation chain: at
        the dispatcher desk 【催派单】 to the desk and every unit above it (trial 32 D20:
        a returned gas smell went silent for eight days after its two escalations);
        dispatched, 改派'd or reopened 【催签收】 to the owner and every unit above it
        (review 32 S5: it was chased once a day). The next check comes after the
        critical acknowledgement period (1 h), until somebody dispatches or signs.

        Returns:
            False (nothing done) for any other case.
        """
        if (
            case.severity != "critical"
            or CaseStatus(case.status) not in AWAITING_ACK
            or case.acknowledged_at is not None
        ):
            return False
        await self.renotify_tx(s, case, now, round_)
        urgent = self.district.severity_priority["critical"]
        window = self.district.deadlines[urgent].acknowledge.delta
        await self._schedule_ack(
            s, case, now, round_, now + (window or self.district.escalation.renotify_interval)
        )
        return True

    async def remind_tx(self, s: AsyncSession, case: Case, now: datetime) -> None:
        """催办: the resolution deadline passed; remind every responsible unit."""
        units = self.responsible_units(case)
        case.deadline_missed = True
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
