"""Trial 32 D27: a 重大 warning proposal left at 确认 reached nobody, and nobody reminded
the officer.

``/warn`` with 有人在广场上散发传单，号召明天去区政府静坐，估计有上百人响应 was proposed as
重大; the officer, in a hurry, never pressed 确认, and three hours later no station or centre
knew of a planned sit-in of a hundred people. Now the officer is reminded after five minutes
(【预警未报送】) and, ten minutes later, the warning is filed for him as proposed: the
station's chief and the district centres get it as any 重大 warning; a late 确认 is told
the number and files nothing twice. A proposal the officer cancels is never filed.
"""

from __future__ import annotations

from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.trial32kit import scheduler_pass as _pass

OFFICER = 3221
CHIEF = 3222
CENTRE = 3223
SIT_IN = "有人在广场上散发传单，号召明天去区政府静坐，估计有上百人响应"


async def test_an_unconfirmed_major_warning_is_reminded_then_filed(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(CHIEF, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    centre = kit.user(CENTRE, "社情民意中心")
    await kit.bind(centre, "opinion_centre", Role.CHIEF)
    await kit.say(officer, "/warn", "请描述")
    proposal = await kit.say(officer, SIT_IN, "等级：重大")
    assert "确认" in [b["text"] for b in proposal.buttons]
    assert await kit.cases() == []
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)

    await _pass(kit, sched, 4)
    assert not any("【预警未报送】" in m.content for m in officer.transcript())
    await _pass(kit, sched, 2)
    reminder = await officer.wait_for_message(
        lambda m: m.content.startswith("【预警未报送】"), WAIT
    )
    assert "重大" in reminder.content and "确认" in reminder.content
    assert await kit.cases() == []

    await _pass(kit, sched, 11)
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.severity == "high"
    assert case.owning_unit_id == "dongcheng" and SIT_IN in case.original_text
    number = case.number or ""
    told = await officer.wait_for_message(
        lambda m: "自动报送" in m.content and number in m.content, WAIT
    )
    assert "未确认" in told.content
    await chief.wait_for_message(lambda m: number in m.content and "【预警" in m.content, WAIT)
    await centre.wait_for_message(lambda m: number in m.content, WAIT)

    # The officer presses the old 确认 at last: told the number, nothing filed twice.
    await kit.press(officer, proposal, "确认", "已由系统自动报送")
    assert len(await kit.cases()) == 1


async def test_a_cancelled_major_proposal_is_never_filed(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    proposal = await kit.say(officer, SIT_IN, "等级：重大")
    await kit.press(officer, proposal, "取消", "已取消")
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _pass(kit, sched, 30)
    assert await kit.cases() == []
    assert not any("【预警未报送】" in m.content for m in officer.transcript())
