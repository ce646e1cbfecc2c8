"""pf29 defect 4: a clock jump sends a critical case's 【催办】 once, not each round.

A critical case's notices are never held for a digest (they go out at once), so the
sandbox's 快进 over three days sent its daily 【催办】 rounds back to back. Now, in a
jump, its repeating reminders are held to the jump's end and only the latest goes
out, singly; every round stays in the case log. The bot, the fake Bot API, the real
scheduler and the sandbox's own jump (``advance_and_fire``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any, cast

import pytest

from bot.fakeapi.sandbox import SandboxState, advance_and_fire
from bot.runtime.scheduler import Scheduler
from config.district import District
from tests.botkit import BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_police, police_chief


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_jump_over_days_sends_the_latest_reminder_only(kit: BotKit) -> None:
    police = await police_chief(kit, 2981)
    citizen = kit.user(2982, "群众")
    filed = await critical_case_at_police(kit, citizen, police)
    case = filed.case
    await kit.delivered()
    seen = len(police.transcript())
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)

    def poke() -> None:
        kit.runtime.outbox_written()

    state = SandboxState(kit.db, cast(Any, kit.clock), [], sched.run_due, poke)
    # Nobody acts: three days pass in one jump (办结时限 2 h, then one 催办 a day).
    await advance_and_fire(state, timedelta(days=3))
    kit.runtime.outbox_written()
    await kit.delivered()
    rounds = [e for e in await kit.events(case.id) if e == "reminded"]
    assert len(rounds) >= 3  # every round is in the case's log
    got = [m.content for m in police.transcript()[seen:] if (case.number or "") in m.content]
    reminders = [t for t in got if t.startswith("【催办】")]
    assert len(reminders) == 1, got
    # The alert class still goes out: the escalation the jump passed over is told.
    assert any(t.startswith("【上报督办】") for t in got), got

    # A later jump over one more round sends that one round's reminder.
    seen = len(police.transcript())
    await advance_and_fire(state, timedelta(days=1))
    kit.runtime.outbox_written()
    await kit.delivered()
    got = [m.content for m in police.transcript()[seen:] if (case.number or "") in m.content]
    assert len([t for t in got if t.startswith("【催办】")]) == 1, got
