"""A serious warning proposal the officer leaves unconfirmed is never lost (trial 32 D27).

The guided ``/warn`` shows a proposal (room, bureau, level) and waits for 确认. A text the
rubric rates 特别重大 is filed at once; one it rates 重大 (100 people to sit in at the
district government tomorrow) used to wait for 确认 for ever: an officer in a hurry who
never pressed it had told nobody, and nobody reminded him.

Now showing a 重大 proposal also writes a timer (no case yet, ``case_id`` NULL) of kind
:data:`WARNING_UNCONFIRMED`:

* after :data:`REMIND_AFTER` (5 min) the officer gets 【预警未报送】, naming the text and the
  level and saying when it will be filed without him;
* after :data:`FILE_AFTER` more (10 min) it is filed as the proposal stands (the
  officer's room and bureau; his level if not below the rubric's, else the rubric's), and
  the officer gets the usual receipt after a line saying it was filed for him.

确认, 取消, 放弃, ``/cancel`` or a new proposal releases the timer
(:meth:`UnconfirmedWarnings.release_unconfirmed`); a 确认 pressed after the automatic
filing is told the number instead of filing it twice. The timer lives in the database, so
a restart loses nothing, and the filing is keyed (``intake_keys``) by the timer, so a
second scheduler files it once. A hold whose work fails is tried again, never marked
done (:meth:`UnconfirmedWarnings.retry_unconfirmed`), and the officer's own 确认 releases
it only once that filing went through (review 32 S2/S3). After
:data:`ALERT_AFTER_FAILURES` failed attempts the chiefs of the officer's station and the
dispatcher desk are told once (【预警自动报送失败】, with the text; the log has no text),
and the retries go on (b33 #2).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.cases.model import CaseView, WarningDraft
from bot.services.cases.warning_intake import CaseWarningIntake
from bot.services.notification_labels import SEVERITY_LABELS, fmt_time
from bot.services.warning_receipt import warning_receipt, warning_receipt_markup
from storage import intake_keys
from storage.cases import people_of_units
from storage.db import rowcount
from storage.enums import Channel, OutboxStatus, Role
from storage.models import Case, OutboxMessage, Person, Timer
from storage.outbox import PRIORITY_ALERT, outbox_row

log = logging.getLogger(__name__)

#: The timer kind of an unconfirmed serious proposal (``timers.case_id`` is NULL).
WARNING_UNCONFIRMED = "warning_unconfirmed"
#: How long a 重大 proposal waits for 确认 before the officer is reminded.
REMIND_AFTER = timedelta(minutes=5)
#: How much longer it waits after the reminder before it is filed without him.
FILE_AFTER = timedelta(minutes=10)
#: A hold whose work failed is tried again after this, times the attempts so far…
RETRY_AFTER = timedelta(minutes=1)
#: …but never less often than this.
RETRY_AT_MOST = timedelta(minutes=10)
#: After this many failed attempts the station's chiefs and the desk are alerted (once);
#: the retries go on (b33 #2).
ALERT_AFTER_FAILURES = 3
#: The levels that never wait unconfirmed (critical ones are filed at once anyway).
SERIOUS = ("high", "critical")
_ORDER = ("low", "medium", "high", "critical")


def proposal_key(officer_id: int, shown_at: str) -> str:
    """The intake key of one held proposal (review 32 S4): its automatic filing and the
    officer's own 确认 both file under it, so whichever comes first files it and the
    other finds that case — two scheduler passes, two instances, a second hold of the
    same proposal or a 确认 racing the automatic filing file it once."""
    return f"wpend:{officer_id}:{shown_at}"


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


class UnconfirmedWarnings(CaseWarningIntake):
    """Hold, remind and file a serious warning proposal left without 确认."""

    async def hold_unconfirmed(
        self, officer_id: int, proposal: dict[str, Any], shown_at: str
    ) -> bool:
        """Note that ``officer_id`` was shown ``proposal`` (the guided draft: text, room,
        bureau, severity, rubric, place) at ``shown_at`` and has not confirmed it.

        The same proposal shown again or changed (更改部门, 更改等级, /mine) keeps its
        times and takes the new fields; any other hold of the officer's is released
        first. Nothing is held for a proposal the rubric rates below 重大.

        Returns:
            Whether a reminder or the filing is now scheduled.
        """
        rubric = str(proposal.get("rubric") or "low")
        fields = {
            k: proposal.get(k) for k in ("text", "room", "bureau", "severity", "rubric", "place")
        }
        if await self.unconfirmed_filed(officer_id, shown_at) is not None:
            # Filed for him already (an edit after the automatic filing): never held, and
            # so never filed, a second time (review 32 S4).
            return False
        async with self.db.session() as s:
            for timer in await self._holds(s, officer_id):
                payload = timer.payload or {}
                if payload.get("shown_at") == shown_at and rubric in SERIOUS:
                    timer.payload = {**payload, **fields}
                    return True
        await self.release_unconfirmed(officer_id)
        if rubric not in SERIOUS or not proposal.get("text"):
            return False
        async with self.db.session() as s:
            now = self.clock.now()
            payload = {"officer_id": officer_id, "shown_at": shown_at, "round": 0, **fields}
            s.add(
                Timer(
                    case_id=None,
                    kind=WARNING_UNCONFIRMED,
                    due_at=now + REMIND_AFTER,
                    payload=payload,
                    created_at=now,
                )
            )
        return True

    async def _holds(self, s: AsyncSession, officer_id: int) -> list[Timer]:
        """The officer's pending (unfired, uncancelled) holds."""
        rows = await s.scalars(
            select(Timer).where(
                Timer.case_id.is_(None),
                Timer.kind == WARNING_UNCONFIRMED,
                Timer.fired_at.is_(None),
                Timer.cancelled_at.is_(None),
            )
        )
        return [t for t in rows.all() if (t.payload or {}).get("officer_id") == officer_id]

    async def release_unconfirmed(
        self, officer_id: int, shown_at: str | None = None, *, withdrawn: bool = False
    ) -> CaseView | None:
        """The officer confirmed, cancelled or replaced the proposal: its timer goes
        (``withdrawn``: he called it off in words and said so twice; kept on the timer's
        payload as ``withdrawn``, trial 33b E3).

        Returns:
            The warning filed for him already when the proposal shown at ``shown_at``
            was filed without him (then it must not be filed again), else None.
        """
        async with self.db.session() as s:
            now = self.clock.now()
            rows = await s.scalars(
                select(Timer).where(
                    Timer.case_id.is_(None),
                    Timer.kind == WARNING_UNCONFIRMED,
                    Timer.cancelled_at.is_(None),
                    # A hold lasts REMIND_AFTER + FILE_AFTER; older rows are history.
                    Timer.created_at >= now - timedelta(days=1),
                )
            )
            filed: int | None = None
            for timer in rows.all():
                payload = timer.payload or {}
                if payload.get("officer_id") != officer_id:
                    continue
                if timer.fired_at is None:
                    timer.cancelled_at = now
                    if withdrawn:
                        timer.payload = {**payload, "withdrawn": now.isoformat()}
                elif (
                    shown_at is not None
                    and payload.get("shown_at") == shown_at
                    and isinstance(payload.get("case_id"), int)
                ):
                    filed = int(payload["case_id"])
            if filed is None:
                return None
            case = await s.get(Case, filed)
            officer = await self._person(s, officer_id)
            return None if case is None else self.view_for(case, officer, now)

    async def unconfirmed_filed(self, officer_id: int, shown_at: str | None) -> CaseView | None:
        """The warning already filed for the officer from the proposal shown at
        ``shown_at`` (its hold fired into a case), else None. Releases nothing: the
        hold goes only once the officer's own filing succeeded (review 32 S3)."""
        if shown_at is None:
            return None
        async with self.db.session() as s:
            now = self.clock.now()
            rows = await s.scalars(
                select(Timer).where(
                    Timer.case_id.is_(None),
                    Timer.kind == WARNING_UNCONFIRMED,
                    Timer.fired_at.is_not(None),
                    Timer.created_at >= now - timedelta(days=1),
                )
            )
            for timer in rows.all():
                payload = timer.payload or {}
                if (
                    payload.get("officer_id") == officer_id
                    and payload.get("shown_at") == shown_at
                    and isinstance(payload.get("case_id"), int)
                ):
                    case = await s.get(Case, int(payload["case_id"]))
                    officer = await self._person(s, officer_id)
                    return None if case is None else self.view_for(case, officer, now)
        return None

    async def retry_unconfirmed(self, timer_id: int) -> None:
        """The work on a due hold failed (a DB hiccup, the officer deactivated while
        it waited): it is tried again later, never dropped (review 32 S2) — after 1,
        2, … minutes, then every :data:`RETRY_AT_MOST`. The filing is keyed by the
        timer, so a retry after a filing that did go through files nothing twice."""
        async with self.db.session() as s:
            timer = await s.get(Timer, timer_id)
            if timer is None or timer.fired_at is not None or timer.cancelled_at is not None:
                return
            now = self.clock.now()
            payload = dict(timer.payload or {})
            attempts = int(payload.get("attempts", 0)) + 1
            payload["attempts"] = attempts
            if attempts >= ALERT_AFTER_FAILURES and not payload.get("alerted_at"):
                # Still failing: people must know, the retries go on (b33 #2).
                payload["alerted_at"] = now.isoformat()
                told = await self._alert_failing(s, timer.id, payload, attempts)
                log.error(
                    "unconfirmed warning timer %s failed %s times; %s people alerted",
                    timer.id,
                    attempts,
                    told,
                )
            timer.payload = payload
            timer.due_at = now + min(RETRY_AFTER * attempts, RETRY_AT_MOST)

    async def _alert_failing(
        self, s: AsyncSession, timer_id: int, payload: dict[str, Any], attempts: int
    ) -> int:
        """【预警自动报送失败】 to the chiefs of the officer's station and the dispatcher
        desk's people: the warning's text and level, and that the system keeps trying.
        Returns how many were told."""
        officer = await s.get(Person, int(payload["officer_id"]))
        station = officer.unit_id if officer is not None else None
        level = SEVERITY_LABELS.get(str(payload.get("rubric")), "重大")
        who = officer.name if officer is not None and officer.name else "信息员"
        people = [
            *(await people_of_units(s, [station], [Role.CHIEF]) if station else []),
            *await people_of_units(s, [self.district.dispatcher], [Role.CHIEF, Role.STAFF]),
        ]
        now = self.clock.now()
        told = 0
        for person in {p.id: p for p in people}.values():
            if person.chat_id is None:
                continue
            s.add(
                outbox_row(
                    chat_id=person.chat_id,
                    person_id=person.id,
                    text=(
                        f"【预警自动报送失败】{who}的一条未确认预警"
                        f"（规则研判等级：{level}）已连续{attempts}次自动报送失败，"
                        f"系统仍在重试（记录号 W{timer_id}）：\n"
                        f"“{_excerpt(str(payload.get('text') or ''), 200)}”\n"
                        "请立即联系该信息员核实情况，必要时直接处置或代为报送。"
                    ),
                    now=now,
                    priority=PRIORITY_ALERT,
                )
            )
            told += 1
        return told

    async def fire_unconfirmed(self, timer_id: int) -> None:
        """The scheduler's work on a due :data:`WARNING_UNCONFIRMED` timer (claimed and
        not yet marked fired by the caller): round 0 reminds the officer and schedules
        round 1; round 1 files the warning and records its case on the timer. Either way
        the timer is marked fired in the same transaction as its effect (the filing's own
        transaction is keyed by the timer, so a repeat files nothing twice)."""
        async with self.db.session() as s:
            timer = await s.get(Timer, timer_id)
            if timer is None or timer.fired_at is not None or timer.cancelled_at is not None:
                return
            payload = dict(timer.payload or {})
            if int(payload.get("round", 0)) == 0:
                # Claimed by a conditional UPDATE in the reminder's own transaction: a
                # second pass that read the same timer changes no row and does nothing.
                if await self._claim(s, timer_id, payload):
                    await self._remind_unconfirmed(s, timer, payload)
                return
        view = await self._file_unconfirmed(timer_id, payload)
        async with self.db.session() as s:
            filed = {**payload, "case_id": view.id, "number": view.number}
            if await self._claim(s, timer_id, filed):
                # Only the pass that marks the hold fired tells the officer (review 32 S4).
                await self._tell_filed(s, payload, view)

    async def _claim(self, s: AsyncSession, timer_id: int, payload: dict[str, Any]) -> bool:
        """Mark the hold fired if nobody has, nor released it (one row or none changed)."""
        result = await s.execute(
            update(Timer)
            .where(Timer.id == timer_id, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))
            .values(fired_at=self.clock.now(), payload=payload)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def _remind_unconfirmed(
        self, s: AsyncSession, timer: Timer, payload: dict[str, Any]
    ) -> None:
        now = self.clock.now()
        officer = await self._person(s, int(payload["officer_id"]))
        level = SEVERITY_LABELS.get(str(payload.get("rubric")), "重大")
        due = now + FILE_AFTER
        reminder: OutboxMessage | None = None
        if officer.chat_id is not None and officer.active and officer.blocked_at is None:
            reminder = outbox_row(
                chat_id=officer.chat_id,
                person_id=officer.id,
                text=(
                    f"【预警未报送】您的预警还没有报送：“{_excerpt(str(payload['text']))}”"
                    f"（规则研判等级：{level}）。\n请在预警研判消息下点「确认」报送；"
                    f"{fmt_time(due, self.tz)}前仍未确认的，系统将按研判结果自动报送"
                    "本站站长及区里相关中心。"
                ),
                now=now,
                priority=PRIORITY_ALERT,
            )
            s.add(reminder)
            await s.flush()
        later = {**payload, "round": 1}
        if reminder is not None:
            # Withdrawn if still undelivered when the warning is filed (trial 34 #13).
            later["reminder_id"] = reminder.id
        s.add(
            Timer(
                case_id=None,
                kind=WARNING_UNCONFIRMED,
                due_at=due,
                payload=later,
                created_at=now,
            )
        )

    async def _file_unconfirmed(self, timer_id: int, payload: dict[str, Any]) -> CaseView:
        rubric = str(payload.get("rubric") or "high")
        chosen = payload.get("severity")
        # The officer's level if he raised it; a lowering was never confirmed.
        severity = (
            chosen
            if isinstance(chosen, str)
            and chosen in _ORDER
            and _ORDER.index(chosen) >= _ORDER.index(rubric)
            else None
        )
        draft = WarningDraft(
            text=str(payload["text"]),
            room=payload.get("room") if isinstance(payload.get("room"), str) else None,
            bureau=payload.get("bureau") if isinstance(payload.get("bureau"), str) else None,
            severity=severity,
            place=payload.get("place") if isinstance(payload.get("place"), str) else None,
        )
        officer_id = int(payload["officer_id"])
        shown_at = payload.get("shown_at")
        key = proposal_key(officer_id, shown_at) if isinstance(shown_at, str) else None
        with intake_keys.handling(key or f"wpend:{timer_id}"):
            # The officer's receipt, with its buttons, goes with the word that it was
            # filed for him (:meth:`_tell_filed`), not the citizens' one (trial 34 #13).
            view = await self.file_warning(officer_id, draft, Channel.SYSTEM, receipt=False)
        return view

    async def _tell_filed(self, s: AsyncSession, payload: dict[str, Any], view: CaseView) -> None:
        """The officer's word that his proposal was filed for him, with the officer's
        receipt and its buttons (补充说明, 撤回, 更改等级: trial 34 #13), queued in ``s``.
        The 【预警未报送】 reminder is withdrawn if it is still undelivered (a clock
        moved on past both, as the sandbox's 快进 does): it would ask for a 确认 no
        longer needed."""
        reminder = payload.get("reminder_id")
        if isinstance(reminder, int):
            await s.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.id == reminder,
                    OutboxMessage.status == OutboxStatus.PENDING.value,
                )
            )
        officer = await self._person(s, int(payload["officer_id"]))
        if officer.chat_id is None or not officer.active or officer.blocked_at is not None:
            return
        minutes = int((REMIND_AFTER + FILE_AFTER).total_seconds() // 60)
        rubric = payload.get("rubric")
        s.add(
            outbox_row(
                chat_id=officer.chat_id,
                person_id=officer.id,
                case_id=view.id,
                text=(
                    f"您的预警“{_excerpt(str(payload['text']))}”{minutes}分钟内未确认，"
                    f"系统已按研判结果自动报送（编号：{view.number}）：规则研判为重大及以上"
                    "的预警不能搁置。如部门或等级有误，请点下方「补充说明」或「更改等级」。\n\n"
                    + warning_receipt(view, rubric if isinstance(rubric, str) else None)
                ),
                reply_markup=warning_receipt_markup(view.id),
                now=self.clock.now(),
                priority=PRIORITY_ALERT,
            )
        )
