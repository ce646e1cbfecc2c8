"""/pending after a 督办 (trial 29 #10).

A drowning report left unacknowledged escalates at its 签收时限 and gets a new 督办
签收时限, still ahead. /pending used to show 「⚠️超期」 next to that future time
with the missed one nowhere. It now names what was missed and when (签收超时（原时限
…）) and labels the deadline shown as the new round's (督办签收时限).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from bot.services.notification_labels import fmt_time
from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 2981
POLICE = 2982
CENTRE = 2983
DROWNING = "河边有个小孩掉进水里了，快来人"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_pending_names_the_missed_deadline_and_the_current_one(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    centre = kit.user(CENTRE, "督办中心")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.answer(citizen, citizen.send_text(DROWNING), "已登记")
    (case,) = await kit.cases()
    first_due = case.ack_due_at
    assert first_due is not None
    number = case.number or ""
    tz = kit.runtime.settings.timezone

    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(first_due - kit.clock.now() + timedelta(seconds=1))
    assert await sched.run_due() == 1
    case = await kit.case(case.id)
    assert case.escalation_level == 1
    new_due = case.ack_due_at
    assert new_due is not None and new_due > kit.clock.now()

    listing = await kit.say(police, "/pending", "待办案件")
    line = next(x for x in listing.content.splitlines() if number in x)
    assert f"⚠️签收超时（原时限{fmt_time(first_due, tz)}）" in line
    assert "⚠️超期" not in listing.content
    assert f"督办签收时限：{fmt_time(new_due, tz)}" in listing.content
