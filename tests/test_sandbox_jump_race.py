"""A clock jump fires the whole chain even when the service's own scheduler loop fires a link
first (CI under load: a 快进 over a warning's chain of three reported two, and the chain's last
link was left behind the jump). The loop is played here by a pass that fires the first due
timer just before the jump's own pass runs, so the race is forced, not waited for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import func, select

from bot.fakeapi.sandbox import SandboxState, advance_and_fire
from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.models import Timer
from tests.botkit import BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_police, police_chief


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_jump_fires_the_chain_though_the_loop_fires_a_link_first(kit: BotKit) -> None:
    police = await police_chief(kit, 2991)
    citizen = kit.user(2992, "群众")
    await critical_case_at_police(kit, citizen, police)
    await kit.delivered()
    loop = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    jump = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    raced = 0

    async def run_timers(fold: bool = True, hold_until: datetime | None = None) -> int:
        nonlocal raced
        if raced < 2:  # the loop wakes on the moved clock and takes the link first
            raced += await loop.run_due(limit=1)
        return await jump.run_due(fold=fold, hold_until=hold_until)

    def poke() -> None:
        kit.runtime.outbox_written()

    state = SandboxState(kit.db, cast(Any, kit.clock), [], run_timers, poke)
    start = kit.clock.now()
    fired = await advance_and_fire(state, timedelta(days=2))
    assert raced == 2  # the loop did take links before the jump's passes
    assert kit.clock.now() >= start + timedelta(days=2)
    # Every timer due within the jump has fired: what waits is due after it.
    async with kit.db.session() as s:
        soonest = await s.scalar(
            select(func.min(Timer.due_at)).where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None)
            )
        )
    if soonest is not None:
        assert soonest.replace(tzinfo=None) > kit.clock.now().replace(tzinfo=None)
    assert fired >= 3  # the loop's links count: they fired during the jump
