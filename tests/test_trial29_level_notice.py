"""Trial 29 #8: after a level change, the chief is told what the officer is told.

An overdue, escalated 重大 warning lowered to 一般: the officer read 「原办理时限和督办状态
保持不变」, the station's chief 「办理时限按新等级自现在起计算」 — false, the card kept the old
deadlines. Now the chief's 【等级调整】 says the deadlines and 督办 stay; a warning still in
time is told they run from now, as before.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from tests.botkit import WAIT, BotKit
from tests.test_warning_level_after_filing import CROWD, OFFICER, ROOM
from tests.warnkit import bound_officer, confirmed, warning_chiefs

REASON = "已到现场核实，工资已经发了，工人都散了"


@pytest.mark.parametrize("overdue", [True, False])
async def test_the_chief_is_told_what_happens_to_the_deadlines(kit: BotKit, overdue: bool) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM)
    chief = (await warning_chiefs(kit, ROOM, OFFICER + 1))["room"]
    await confirmed(kit, officer, CROWD)
    (case,) = await kit.cases()
    assert case.severity == "high" and case.ack_due_at is not None
    if overdue:
        scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
        kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
        for _ in range(4):
            await scheduler.run_due()
            await kit.delivered()
            kit.clock.advance(kit.district.escalation.renotify_interval)
        assert (await kit.case(case.id)).escalation_level >= 1
    before = await kit.case(case.id)

    mine = await kit.say(officer, "/mine", "您报送的预警")
    picker = await kit.press(officer, mine, "更改等级", "请选择新的等级")
    # 较大: since trial 31 #16 its officer lowers a 重大 warning no further.
    await kit.press(officer, picker, "较大", "理由")
    done = await kit.say(officer, REASON, "已将")
    notice = await chief.wait_for_message(
        lambda m: m.content.startswith(f"【等级调整】{case.number}"), WAIT
    )
    after = await kit.case(case.id)
    assert after.severity == "medium"
    kept = (after.ack_due_at, after.resolve_due_at) == (before.ack_due_at, before.resolve_due_at)
    assert kept is overdue  # what really happened to the deadlines …
    # … is what both the officer and the chief read.
    for said in (done.content, notice.content):
        assert ("保持不变" in said) is overdue, said
        assert ("自现在起" in said) is not overdue, said
