"""放弃 / 报送 tapped after the unanswered 重大 proposal was filed by the service (review 4 F3).

The officer types 算了 at a 重大 proposal and does not answer the withdraw question; after
15 minutes the warning is filed without him. A late 放弃 must not say 「没有报送」: it says
the warning was filed automatically, with its number, and that lowering or withdrawing
goes through the case (更改等级 with a reason). Nothing is dropped and nothing is filed twice.
"""

from __future__ import annotations

import pytest

from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from tests.botkit import BotKit
from tests.trial32kit import scheduler_pass

OFFICER = 3391
SIT_IN = "有人在广场上散发传单，号召明天去区政府静坐，估计有上百人响应"


@pytest.mark.parametrize("button", ["放弃", "报送"])
async def test_late_answer_after_auto_filing(kit: BotKit, button: str) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, SIT_IN, "等级：重大")
    asked = await kit.say(officer, "算了", "要撤回预警")
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await scheduler_pass(kit, sched, 30)
    await scheduler_pass(kit, sched, 30)
    filed = await kit.cases()
    assert len(filed) == 1
    number, status, severity = filed[0].number, filed[0].status, filed[0].severity
    done = await kit.press(officer, asked, button, "不会重复报送")
    assert number in done.content
    assert "更改等级" in done.content
    assert "没有报送" not in done.content
    assert "不会自动报送" not in done.content
    assert "已撤回" not in done.content
    after = await kit.cases()
    assert [(c.number, c.status, c.severity) for c in after] == [(number, status, severity)]


async def test_withdraw_before_auto_filing_still_withdraws(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, SIT_IN, "等级：重大")
    asked = await kit.say(officer, "算了", "要撤回预警")
    done = await kit.press(officer, asked, "放弃", "已撤回")
    assert "没有报送" in done.content
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await scheduler_pass(kit, sched, 30)
    await scheduler_pass(kit, sched, 30)
    assert await kit.cases() == []
