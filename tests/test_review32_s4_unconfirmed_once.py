"""Review 32 S4: an unconfirmed 重大 proposal is filed once, whatever races it.

The automatic filing of an unconfirmed proposal (trial 32 D27) ran in the service's own
transactions after the scheduler had claimed its timer, and nothing claimed the
proposal itself: two passes (two instances) that both read the due reminder each
scheduled a filing timer, and each filed a warning; an edit of the proposal after its
automatic filing held it again, and it was filed a second time 15 minutes later.

Now the reminder and the filing each claim the hold by a conditional UPDATE (``fired_at``
set only where still NULL and not released), and the filing — the automatic one and the
officer's own 确认 alike — is keyed by the proposal in ``intake_keys`` (a primary key),
so a second filing finds the first case. An edit after the automatic filing is told the
number and held no more. Run on SQLite and, where configured, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.runtime.scheduler import Scheduler
from bot.services.cases.warning_unconfirmed import WARNING_UNCONFIRMED
from config.district import District
from storage.db import Database
from storage.enums import Role
from storage.models import OutboxMessage, Timer
from tests.botkit import WAIT, BotKit, running_bot
from tests.trial32kit import scheduler_pass as _pass

OFFICER = 3331
SIT_IN = "有人在广场上散发传单，号召明天去区政府静坐，估计有上百人响应"


@pytest.fixture
async def bot(db: Database, district: District) -> AsyncIterator[BotKit]:
    """The bot on ``db`` (SQLite, and PostgreSQL when configured)."""
    async with running_bot(db, district) as k:
        yield k


async def _due_holds(kit: BotKit) -> list[Timer]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(Timer).where(
                Timer.case_id.is_(None),
                Timer.kind == WARNING_UNCONFIRMED,
                Timer.fired_at.is_(None),
                Timer.cancelled_at.is_(None),
            )
        )
        return list(rows.all())


async def _officer_told(kit: BotKit, words: str) -> int:
    async with kit.db.session() as s:
        count = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.text.contains(words))
        )
    return int(count or 0)


async def _race(kit: BotKit, timer_id: int) -> None:
    """Two instances that both claimed the same due hold do its work at the same time,
    while two more scheduler passes run."""
    other = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    third = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await asyncio.gather(
        kit.runtime.cases.fire_unconfirmed(timer_id),
        kit.runtime.cases.fire_unconfirmed(timer_id),
        other.run_due(),
        third.run_due(),
    )
    kit.runtime.outbox_written()
    await kit.delivered()


async def test_racing_passes_remind_once_and_file_once(bot: BotKit) -> None:
    kit = bot
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, SIT_IN, "等级：重大")
    (hold,) = await _due_holds(kit)

    kit.clock.advance(timedelta(minutes=6))
    await _race(kit, hold.id)
    assert await _officer_told(kit, "【预警未报送】") == 1
    (filing,) = await _due_holds(kit)  # one filing scheduled, not two

    kit.clock.advance(timedelta(minutes=11))
    await _race(kit, filing.id)
    (case,) = await kit.cases()
    assert case.kind == "warning" and SIT_IN in case.original_text
    assert await _officer_told(kit, "系统已按研判结果自动报送") == 1
    await officer.wait_for_message(lambda m: (case.number or "") in m.content, WAIT)
    assert await _due_holds(kit) == []


async def test_an_edit_after_the_automatic_filing_files_nothing_twice(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    proposal = await kit.say(officer, SIT_IN, "等级：重大")
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _pass(kit, sched, 6)
    await _pass(kit, sched, 11)
    (case,) = await kit.cases()
    number = case.number or ""
    await officer.wait_for_message(lambda m: "自动报送" in m.content and number in m.content, WAIT)

    # The officer raises the level on the old proposal: told the number, not held again.
    levels = await kit.press(
        officer, proposal, "更改等级", lambda m: any(b["text"] == "特别重大" for b in m.buttons)
    )
    told = await kit.press(officer, levels, "特别重大", "不会另行报送")
    assert number in told.content
    assert await _due_holds(kit) == []
    for _ in range(3):
        await _pass(kit, sched, 10)
    assert len(await kit.cases()) == 1
    # And 确认 on it at last: the number, nothing filed.
    newest = officer.transcript()[-1]
    if any(b["text"] == "确认" for b in newest.buttons):
        await kit.press(officer, newest, "确认", "已由系统自动报送")
    assert len(await kit.cases()) == 1
