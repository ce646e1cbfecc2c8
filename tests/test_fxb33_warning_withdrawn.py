"""Trial 33b E3: an officer's 算了 at a 重大 warning proposal was read as a new, empty
/warn (「请描述预警情况…」), and the warning was filed for him 15 minutes later without
his 算了 ever being answered.

Now 算了 / 不报了 / 取消 typed at a proposal asks 要撤回…吗？ with 报送 / 放弃 and says
what happens to a 重大 one if he does not answer (reminded, then filed). 放弃 withdraws
it: nothing is filed later, and the withdrawal is kept on the hold's record. 报送 files
it as proposed. A 特别重大 proposal is never withdrawn on a word: it is filed, and he is
told so.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.runtime.scheduler import Scheduler
from bot.services.cases.warning_unconfirmed import WARNING_UNCONFIRMED
from storage.enums import Role
from storage.models import Timer
from tests.botkit import BotKit
from tests.trial32kit import scheduler_pass as _pass

OFFICER = 3391
SIT_IN = "有人在广场上散发传单，号召明天去区政府静坐，估计有上百人响应"


async def _proposal(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, SIT_IN, "等级：重大")


async def test_suanle_at_a_major_proposal_asks_and_withdraws_on_fangqi(kit: BotKit) -> None:
    await _proposal(kit)
    officer = kit.user(OFFICER, "李信息员")
    asked = await kit.say(officer, "算了", "要撤回预警")
    assert "请描述预警情况" not in asked.content
    assert "15分钟后自动报送" in asked.content and "撤回会留下记录" in asked.content
    assert [b["text"] for b in asked.buttons] == ["报送", "放弃"]
    done = await kit.press(officer, asked, "放弃", "已撤回预警")
    assert "不会自动报送" in done.content and "已记录" in done.content
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _pass(kit, sched, 30)
    assert await kit.cases() == []
    assert not any("【预警未报送】" in m.content for m in officer.transcript())
    async with kit.db.session() as s:
        timers = (await s.scalars(select(Timer).where(Timer.kind == WARNING_UNCONFIRMED))).all()
    assert timers and all((t.payload or {}).get("withdrawn") for t in timers)


async def test_bu_bao_le_then_baosong_files_it(kit: BotKit) -> None:
    await _proposal(kit)
    officer = kit.user(OFFICER, "李信息员")
    asked = await kit.say(officer, "不报了", "要撤回预警")
    await kit.press(officer, asked, "报送", "预警已报送")
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.severity == "high"
