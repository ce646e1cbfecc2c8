"""Timers: acknowledgement deadlines, escalation, 催办 and follow-up closing.

Timers live in the ``timers`` table, so a restart or a second instance loses
nothing. :meth:`Scheduler.run_due` fires every due, unfired, uncancelled timer
exactly once. Each timer is handled in a transaction of its own:

1. claim the soonest due timer with ``SELECT … FOR UPDATE SKIP LOCKED``
   (PostgreSQL; another scheduler skips it and takes the next one);
2. mark it fired;
3. lock its case and apply the effects (events, case fields, new timers,
   outbox rows);
4. commit — the mark and the effects become visible together, or not at all.

On SQLite ``FOR UPDATE`` is not emitted; every transaction starts with
``BEGIN IMMEDIATE`` so writers are serialised and a second scheduler simply
waits and then sees the timer fired. On SQLite one process should own the
scheduler (two are still correct, only pointless).

A timer is checked against the case before it acts and ignored when stale:
service transactions cancel timers they make obsolete, but skip timers a
scheduler holds at that moment (see ``storage.cases``), so the scheduler must
re-check after it gets the case lock.

Timer kinds (:class:`bot.services.lifecycle.TimerKind`):

* ``ack_due`` — payload ``{"unit_id", "level", "round"}``. Valid while the case
  still awaits acknowledgement (or dispatching, at the desk) with the same
  owner and escalation level. At level 0, rounds ``0 .. renotify_count-1``
  (``renotify_count_by_priority`` for the case's deadline class: 0 for a
  critical case, which escalates at the first miss):
  re-notify the owner (event ``renotified``) and check again after
  ``escalation.renotify_interval``; then escalate one level up (event
  ``escalated``, reason ``ack_overdue``). Above level 0 nobody is re-pinged:
  the level's timer escalates again. Each level gets the acknowledgement
  period, its 签收时限 capped at the 办结时限 (see ``escalate_tx``). At the top
  of the chain a missed 签收 re-notifies every responsible unit (the owner and
  each supervising level) every ``escalation.remind_interval`` (a day) until
  somebody signs (trial 32 D15;
  ``CaseService.ack_overdue_tx``); a critical case nobody signed gets a 【催派单】
  (at the desk) or 【催签收】 (dispatched) to the units responsible every critical
  acknowledgement period (1 h) until it is dispatched and signed
  (``remind_unsigned_danger_tx``, trial 32 D20, review 32 S5).
* ``resolve_due`` — payload ``{"unit_id"}``. Valid while the case is not yet
  resolved and has the same owner: 催办 reminder (event ``reminded``) and,
  once the case is acknowledged, escalation one level up (reason
  ``resolve_overdue``); the next 催办 after ``escalation.remind_interval``
  (one day), so a case is urged at most once a day. docs/reminders.md.
* ``warning_unconfirmed`` — no case: an officer's 重大 proposal waiting for 确认
  (:mod:`bot.services.cases.warning_unconfirmed`): the officer is reminded, then the
  warning is filed for him (trial 32 D27).
* ``follow_up_due`` — the reporter did not answer the follow-up within
  ``follow_up.no_response_after``: close the case as "no response" (event
  ``closed`` with ``data.reason = "no_response"``; not counted as unsatisfied).

Digests (trial 28 P4): the notices a timer writes are held, except a critical
case's (in a clock jump its repeating reminders are held too, and only the latest
is sent: pf29), and at the end of the pass each person whose held notices concern several
cases gets one digest message instead of one message per case and event
(:mod:`bot.services.cases.digest`); the events and outbox rows are all kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.cases import CaseService
from bot.services.cases.digest import HOLD
from bot.services.cases.warning_unconfirmed import WARNING_UNCONFIRMED
from bot.services.clock import Clock
from bot.services.lifecycle import AWAITING_ACK, AWAITING_RESOLUTION, ESCALATABLE, TimerKind
from config.district import District
from storage import cases as store
from storage.db import Database
from storage.enums import CaseStatus, Channel
from storage.models import Case, Timer

log = logging.getLogger(__name__)

DEFAULT_BATCH = 100


class Scheduler:
    """Fires due timers; run one per process (or several on PostgreSQL)."""

    def __init__(
        self,
        db: Database,
        district: District,
        clock: Clock,
        service: CaseService,
        on_fired: Callable[[], None] | None = None,
    ) -> None:
        """``on_fired`` is called after a pass that fired timers (they may have written
        outbox rows: the host wakes the delivery worker with it)."""
        self.db = db
        self.district = district
        self.clock = clock
        self.service = service
        self.on_fired = on_fired
        self._stop = asyncio.Event()
        #: While a caller runs several passes as one (``fold=False``), its hold: the
        #: background loop's passes in between hold their notices as long and do not fold.
        self._batch_hold: datetime | None = None

    async def run_due(
        self,
        limit: int = DEFAULT_BATCH,
        *,
        fold: bool = True,
        hold_until: datetime | None = None,
    ) -> int:
        """Fire up to ``limit`` due timers, each in its own transaction, then fold
        the notices they wrote into digests.

        Args:
            limit: most timers to fire.
            fold: fold the held notices at the end (False: a caller that runs
                several passes as one, the sandbox's clock jump, folds at its end).
            hold_until: how long the notices are held at most (default: now +
                :data:`~bot.services.cases.digest.HOLD`); past it they go out singly.

        Returns:
            How many timers were fired (stale ones included: they are marked
            fired and do nothing).
        """
        if not fold:
            self._batch_hold = hold_until
        fold_now = fold and (hold_until is not None or self._batch_hold is None)
        hold = hold_until or self._batch_hold
        fired = 0
        try:
            while fired < limit:
                if not await self._fire_one(hold):
                    break
                fired += 1
        finally:
            if fold_now:
                self._batch_hold = None
                try:
                    digests, rows = await self.service.fold_digests(self.clock.now())
                    if digests:
                        log.info("%s digests fold %s notices", digests, rows)
                except Exception:
                    log.exception("folding the digests failed; the notices go out singly")
            if fired and self.on_fired is not None:
                self.on_fired()
        return fired

    async def _fire_one(self, hold_until: datetime | None = None) -> bool:
        failed: int | None = None
        unconfirmed: int | None = None
        try:
            async with self.db.session() as s:
                now = self.clock.now()
                timer = await store.claim_due_timer(s, now)
                if timer is None:
                    return False
                failed = timer.id
                if timer.case_id is None and timer.kind == WARNING_UNCONFIRMED:
                    # Handled in the service's own transactions, which mark it fired.
                    unconfirmed = timer.id
                else:
                    unconfirmed = None
                    timer.fired_at = now
                await s.flush()
                if timer.case_id is not None:
                    case = await self.service.lock_case_tx(s, timer.case_id)
                    if case is not None:
                        await self._handle(s, timer, case, now)
                        # A hold given by the caller is a clock jump's (the sandbox's 快进).
                        await self.service.hold_for_digest_tx(
                            s, case, hold_until or now + HOLD, jump=hold_until is not None
                        )
            if unconfirmed is not None:
                await self.service.fire_unconfirmed(unconfirmed)
            return True
        except Exception:
            if failed is None:
                raise
            if unconfirmed is not None:
                # An unconfirmed 重大 warning is never dropped: tried again (review 32 S2).
                log.exception("unconfirmed warning timer %s failed; retried later", failed)
                try:
                    await self.service.retry_unconfirmed(failed)
                except Exception:
                    log.exception("unconfirmed warning timer %s not rescheduled", failed)
                return True
            log.exception("timer %s failed; marking it fired so that it does not block", failed)
            await self._mark_failed(failed)
            return True

    async def _mark_failed(self, timer_id: int) -> None:
        async with self.db.session() as s:
            timer = await s.get(Timer, timer_id)
            if timer is not None and timer.fired_at is None:
                timer.fired_at = self.clock.now()
                timer.payload = {**(timer.payload or {}), "error": True}

    async def _handle(self, s: AsyncSession, timer: Timer, case: Case, now: datetime) -> None:
        payload = timer.payload or {}
        status = CaseStatus(case.status)
        if timer.kind == TimerKind.ACK_DUE:
            if (
                status not in AWAITING_ACK
                or payload.get("unit_id") != case.owning_unit_id
                or payload.get("level") != case.escalation_level
            ):
                return
            round_ = int(payload.get("round", 0))
            # 催签收, then one level up; at the top 催签收 on (the service's rule).
            await self.service.ack_overdue_tx(s, case, now, round_, own=bool(payload.get("own")))
        elif timer.kind == TimerKind.RESOLVE_DUE:
            if status not in AWAITING_RESOLUTION or payload.get("unit_id") != case.owning_unit_id:
                return
            await self.service.remind_tx(s, case, now)
            # While the case awaits 签收 the acknowledgement timer owns escalation
            # (two chains would jump two levels at once).
            if status in ESCALATABLE and status not in AWAITING_ACK:
                await self.service.escalate_tx(
                    s, case, now, actor_id=None, channel=Channel.SYSTEM, reason="resolve_overdue"
                )
            await self.service.schedule_resolve_tx(
                s, case, now, now + self.district.escalation.remind_interval
            )
        elif timer.kind == TimerKind.FOLLOW_UP_DUE:
            if status != CaseStatus.RESOLVED:
                return
            await self.service.close_no_response_tx(s, case, now)
        else:
            log.warning("unknown timer kind %r (timer %s) ignored", timer.kind, timer.id)

    async def run_forever(self, interval: float = 30.0, limit: int = DEFAULT_BATCH) -> None:
        """Fire due timers every ``interval`` seconds until :meth:`stop` is called.

        Errors are logged and the loop goes on; a full batch is followed
        immediately by the next one.
        """
        self._stop.clear()
        while not self._stop.is_set():
            fired = 0
            try:
                fired = await self.run_due(limit)
            except Exception:
                log.exception("scheduler pass failed")
            if fired >= limit:
                await asyncio.sleep(0)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=interval)

    def stop(self) -> None:
        """Ask :meth:`run_forever` to return after the current pass."""
        self._stop.set()
