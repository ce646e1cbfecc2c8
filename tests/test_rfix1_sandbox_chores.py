"""Review 1, R9: the sandbox's 快进 runs only the diary reminder at the chore times it
passes over (the purges of the hourly housekeeping run once, at the jump's end), and a
chore that fails is logged without its text and the jump goes on to its end."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

import pytest

from bot.fakeapi.sandbox import SandboxState, advance_and_fire, chore_times
from bot.runtime.scheduler import Scheduler
from tests.botkit import BotKit

#: Two months: two 27ths are passed over.
JUMP = timedelta(days=62)


async def test_a_jump_stops_for_the_reminder_only_and_survives_a_failing_chore(
    kit: BotKit, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    reminded: list[datetime] = []
    purged: list[datetime] = []

    async def run_timers(fold: bool = True, hold_until: datetime | None = None) -> int:
        return await scheduler.run_due(fold=fold, hold_until=hold_until)

    async def reminders() -> object:
        reminded.append(kit.clock.now())
        raise RuntimeError("库连接中断 物业乱收停车费")  # a hiccup quoting a complaint

    async def chores() -> object:
        purged.append(kit.clock.now())
        return None

    state = SandboxState(
        kit.db,
        cast(Any, kit.clock),
        [],
        run_timers,
        kit.runtime.outbox_written,
        run_chores=chores,
        run_reminders=reminders,
        tz=kit.runtime.settings.timezone,
    )
    start = kit.clock.now()
    stops = chore_times(start, start + JUMP, state.tz)
    assert len(stops) >= 2
    with caplog.at_level(logging.ERROR, logger="bot.fakeapi.sandbox"):
        await advance_and_fire(state, JUMP)
    assert kit.clock.now() == start + JUMP  # not left between stops
    assert reminded == stops  # every stop was made, though each chore failed
    assert purged == [start + JUMP]  # the purges only at the end
    assert "RuntimeError" in caplog.text and "停车费" not in caplog.text
