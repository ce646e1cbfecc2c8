"""Trial 33 D5: after an unconfirmed 重大 warning was filed for the officer, /status and
the old 确认 told him it was not sent and to file it again.

Now /status says it was filed by the service, with its number, and the old 确认 says
the same and files nothing twice; left before the automatic filing, /status says the
warning will be filed for him (no second /warn invited), and the old 确认 later tells
the number.
"""

from __future__ import annotations

from datetime import timedelta

from bot.fakeapi import ChatMessage, FakeUser
from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.trial32kit import scheduler_pass as _pass

OFFICER = 3351
PROTEST = "金桥居民区五十多名业主因为房子烂尾，约好明天上午去区政府集体上访，拉横幅"


async def _proposal(kit: BotKit, user_id: int) -> tuple[FakeUser, ChatMessage]:
    officer = kit.user(user_id, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    proposal = await kit.say(officer, PROTEST, "等级：重大")
    assert "确认" in [b["text"] for b in proposal.buttons]
    return officer, proposal


async def _auto_filed(kit: BotKit, sched: Scheduler) -> None:
    """The reminder at 5 minutes, the automatic filing 10 minutes later."""
    await _pass(kit, sched, 6)
    await _pass(kit, sched, 11)


async def test_status_and_old_button_after_the_automatic_filing(kit: BotKit) -> None:
    officer, proposal = await _proposal(kit, OFFICER)
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _auto_filed(kit, sched)
    (case,) = await kit.cases()
    number = case.number or ""
    await officer.wait_for_message(lambda m: "自动报送" in m.content and number in m.content, WAIT)

    action = officer.send_command("/status")
    told = await officer.wait_for_message(lambda m: "预警" in m.content, WAIT, since=action)
    assert number in told.content and "自动报送" in told.content, told.content
    said = [m.content for m in officer.transcript() if m.message_id > (action.message_id or 0)]
    assert not any("还没有报送" in t or ("重新报送" in t and "无需" not in t) for t in said), said

    press = officer.press(proposal, "确认")
    answer = await kit.callback_answer(press)
    assert number in answer and "自动报送" in answer and "没有报送" not in answer
    await kit.delivered()
    assert len(await kit.cases()) == 1


async def test_status_before_the_automatic_filing(kit: BotKit) -> None:
    officer, proposal = await _proposal(kit, OFFICER + 1)
    action = officer.send_command("/status")
    told = await officer.wait_for_message(lambda m: "预警" in m.content, WAIT, since=action)
    assert "自动报送" in told.content and "请勿重复报送" in told.content, told.content
    assert "/warn 预警内容" not in told.content
    assert await kit.cases() == []

    # The hold still files it; the old 确认 then names the case and files nothing.
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _auto_filed(kit, sched)
    (case,) = await kit.cases()
    number = case.number or ""
    answer = await kit.callback_answer(officer.press(proposal, "确认"))
    assert number in answer, answer
    await kit.delivered()
    assert len(await kit.cases()) == 1


async def test_old_button_hours_later_names_the_case(kit: BotKit) -> None:
    """The proposal's step expired (6 h) before its 确认 was pressed: still the number."""
    officer, proposal = await _proposal(kit, OFFICER + 2)
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _auto_filed(kit, sched)
    (case,) = await kit.cases()
    kit.clock.advance(timedelta(hours=7))
    answer = await kit.callback_answer(officer.press(proposal, "确认"))
    assert (case.number or "?") in answer and "没有报送" not in answer, answer
    await kit.delivered()
    assert len(await kit.cases()) == 1
