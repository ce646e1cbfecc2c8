"""Trial 30 #11: 【定级说明】 named the officer's own raise as the rules' level.

The rules rated 二十多户业主…商量周五去堵小区大门 重大; the officer raised it to 特别重大 before
filing, then lowered it to 较大 from /mine. The station and the office read 「报送人将等级由规则
研判的“特别重大”下调为“较大”」 — the rules never said 特别重大. Now they read both: 「报送人将等级
由“特别重大”（报送人上调，规则研判为“重大”）下调为“较大”」.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.test_warning_level_after_filing import CROWD, OFFICER, ROOM
from tests.warnkit import bound_officer, proposed, warning_chiefs

REASON = "已电话核实，业主已和物业协商，取消了周五的行动"


async def test_a_raise_then_a_lowering_names_both_levels(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER, ROOM, "李信息员")
    chiefs = await warning_chiefs(kit, ROOM, OFFICER + 1)
    proposal = await proposed(kit, officer, CROWD)
    assert "等级：重大" in proposal.content
    await kit.press(officer, proposal, "更改等级", lambda m: m is proposal and len(m.buttons) >= 4)
    raised = await kit.press(officer, proposal, "特别重大", "预警研判")
    assert "等级：特别重大" in raised.content
    await kit.press(officer, raised, "确认", "预警已报送")
    (case,) = await kit.cases()
    assert case.severity == "critical"

    mine = await kit.say(officer, "/mine", "您报送的预警")
    picker = await kit.press(officer, mine, "更改等级", "请选择新的等级")
    await kit.press(officer, picker, "较大", "理由")
    await kit.say(officer, REASON, "已将")
    said = "报送人将等级由“特别重大”（报送人上调，规则研判为“重大”）下调为“较大”"
    for key in ("room", "leadership"):
        note = await chiefs[key].wait_for_message(
            lambda m: m.content.startswith(f"【定级说明】{case.number}"), WAIT
        )
        assert said in note.content, (key, note.content)
        assert "规则研判的“特别重大”" not in note.content
        assert f"下调理由：{REASON}" in note.content
