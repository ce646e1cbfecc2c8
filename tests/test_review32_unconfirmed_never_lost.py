"""Review 32 S2/S3: an unconfirmed 重大 warning (trial 32 D27) must never be lost.

S2: one failure of the hold's work (here: the officer deactivated while it waited, so
the filing is refused) marked the timer fired for good; it is now tried again and
files once the cause is gone. S3: the hold was released before a 确认 that then filed
nothing (a repeat question left unanswered), and a ``/warn <danger now>`` sent beside
the held proposal cancelled its auto-filing; the hold now goes only when the held
proposal itself is filed.
"""

from __future__ import annotations

from sqlalchemy import select, update

from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from storage.models import Person, Timer
from tests.botkit import WAIT, BotKit
from tests.trial32kit import scheduler_pass as _pass

OFFICER = 3251
CHIEF = 3252
SIT_IN = "有人在广场上散发传单，号召明天去区政府静坐，估计有上百人响应"


async def _active(kit: BotKit, telegram_id: int, active: bool) -> None:
    async with kit.db.session() as s:
        await s.execute(
            update(Person).where(Person.telegram_user_id == telegram_id).values(active=active)
        )


async def test_a_failed_auto_filing_is_tried_again(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, SIT_IN, "等级：重大")
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _pass(kit, sched, 6)  # the reminder
    await officer.wait_for_message(lambda m: m.content.startswith("【预警未报送】"), WAIT)
    await _active(kit, OFFICER, False)
    await _pass(kit, sched, 11)  # the filing is refused: the officer is inactive
    assert await kit.cases() == []
    async with kit.db.session() as s:
        pending = (
            await s.scalars(select(Timer).where(Timer.case_id.is_(None), Timer.fired_at.is_(None)))
        ).all()
    assert len(pending) == 1 and not (pending[0].payload or {}).get("error")
    await _active(kit, OFFICER, True)
    await _pass(kit, sched, 2)
    (case,) = await kit.cases()
    assert SIT_IN in case.original_text and case.severity == "high"


async def test_warn_danger_beside_a_held_proposal_keeps_its_auto_filing(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, SIT_IN, "等级：重大")
    await kit.say(officer, "/warn 楼道里着火了，火很大，烟很浓", "119")
    assert len(await kit.cases()) == 1  # the fire, filed at once
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _pass(kit, sched, 6)
    await officer.wait_for_message(lambda m: m.content.startswith("【预警未报送】"), WAIT)
    await _pass(kit, sched, 11)
    cases = await kit.cases()
    assert len(cases) == 2 and SIT_IN in cases[-1].original_text, cases


async def test_a_repeat_question_left_open_keeps_the_auto_filing(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    proposal = await kit.say(officer, SIT_IN, "等级：重大")
    await kit.press(officer, proposal, "确认", "可选 1/3")
    (first,) = await kit.cases()
    await kit.say(officer, "/cancel", lambda m: True)
    await kit.say(officer, "/warn", "请描述")
    again = await kit.say(officer, SIT_IN, "等级：重大")
    await kit.press(officer, again, "确认", "作为新预警提交")  # the repeat question
    assert len(await kit.cases()) == 1
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _pass(kit, sched, 6)
    await officer.wait_for_message(lambda m: m.content.startswith("【预警未报送】"), WAIT)
    await _pass(kit, sched, 11)
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].id != first.id
