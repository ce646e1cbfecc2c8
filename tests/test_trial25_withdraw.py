"""Trial 25 T12: a warning the rubric rated 特别重大 is not withdrawn by a tap, even
after its reporter lowered it to 较大 (with a reason) when filing: the lowering and
the one-tap 撤回 together would otherwise erase a danger-to-life alert.

And a plain withdrawal's receipt points an officer to /mine, not /status.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER = 2511
CHIEF = 2512
KNIFE = "东城幸福小区有人持刀砍人，已有两人受伤"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_rubric_critical_warning_lowered_then_withdrawn_is_only_asked(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(CHIEF, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, KNIFE, "预警研判")
    assert "等级：特别重大" in proposal.content
    await kit.press(
        officer, proposal, "更改等级", lambda m: m is proposal and "较大" in str(m.buttons)
    )
    await kit.press(officer, proposal, "较大", "须说明理由")
    proposal = await kit.say(officer, "已核实是拍电影", "预警研判")
    await kit.press(officer, proposal, "确认", "预警已报送")
    (case,) = await kit.cases()
    assert case.severity == "medium"

    mine = await kit.say(officer, "/mine", "您报送的预警")
    tail = (case.number or "").rsplit("-", 1)[-1]
    ask = await kit.press(officer, mine, f"撤回 {tail}", "涉及人身安全")
    assert "确认申请撤回" in str(ask.buttons)
    await kit.press(officer, ask, "确认申请撤回", lambda m: m is ask and "核实" in m.content)
    await officer.wait_for_message(lambda m: "不能直接撤回" in m.content, WAIT)
    await chief.wait_for_message(lambda m: "撤回" in m.content and "核实" in m.content, WAIT)
    stored = await kit.case(case.id)
    assert stored.status != CaseStatus.WITHDRAWN
    types = await kit.events(case.id)
    assert "withdraw_requested" in types and "withdrawn" not in types


async def test_an_officers_withdrawal_receipt_points_to_mine(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    receipt = await kit.say(officer, "/warn 小区业主五十余人拉横幅聚集维权", "预警已报送")
    ask = await kit.press(officer, receipt, "撤回", "确定撤回")
    await kit.press(officer, ask, "确认撤回", lambda m: m is ask and "已撤回" in m.content)
    told = await officer.wait_for_message(lambda m: m.content.startswith("您已撤回"), WAIT)
    assert "/mine" in told.content and "/status" not in told.content
    (case,) = await kit.cases()
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN
