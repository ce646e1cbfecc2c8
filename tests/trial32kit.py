"""Letting a case's timers fire on the service's clock (trial 32 tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from bot.runtime.scheduler import Scheduler
from storage.models import Case, Timer
from tests.botkit import BotKit


async def run_timers_until(
    kit: BotKit, case_ids: list[int], done: Callable[[list[Case]], bool], passes: int = 12
) -> list[Case]:
    """Move the clock to the next pending timer of ``case_ids`` and run a scheduler
    pass, until ``done`` holds for the cases (at most ``passes`` times). The cases."""
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    for _ in range(passes):
        cases = [await kit.case(i) for i in case_ids]
        if done(cases):
            return cases
        async with kit.db.session() as s:
            due = await s.scalar(
                select(func.min(Timer.due_at)).where(
                    Timer.case_id.in_(case_ids),
                    Timer.fired_at.is_(None),
                    Timer.cancelled_at.is_(None),
                )
            )
        assert due is not None, "no timer left"
        if due.tzinfo is None:
            due = due.replace(tzinfo=kit.clock.now().tzinfo)
        kit.clock.advance(max(due - kit.clock.now(), timedelta(0)) + timedelta(minutes=1))
        await sched.run_due()
        await kit.delivered()
    cases = [await kit.case(i) for i in case_ids]
    assert done(cases), [(c.number, c.status, c.escalation_level) for c in cases]
    return cases


async def scheduler_pass(kit: BotKit, sched: Scheduler, minutes: int) -> None:
    """Move the clock ``minutes`` on, run one scheduler pass and deliver what it wrote."""
    kit.clock.advance(timedelta(minutes=minutes))
    await sched.run_due()
    kit.runtime.outbox_written()
    await kit.delivered()
