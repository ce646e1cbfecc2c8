"""Trial 25 T12: a rubric-critical warning could be made to vanish — lowered to 较大 with a
reason, then withdrawn by a tap.

A warning the rubric rated 特别重大 keeps the 申请撤回 path (the station verifies)
whatever level its officer chose; an ordinary warning is withdrawn as before, and the
officer's receipt points to /mine (not a citizen's /status).
"""

from __future__ import annotations

from storage.enums import CaseStatus
from tests.botkit import WAIT, BotKit
from tests.lowering import file_lowered
from tests.warnkit import bound_chief, bound_officer

OFFICER = 2581
CHIEF = 2582
KNIFE = "东城幸福小区有人持刀砍人，已有两人受伤"
PARKING = "和平社区有两户邻居因为停车位吵架，互相骂了几句"


async def test_a_lowered_critical_warning_is_only_asked_to_be_withdrawn(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    chief = await bound_chief(kit, CHIEF)
    # The bot files a critical one at once (trial 26 T24); the service still files it lowered.
    await file_lowered(kit, officer, KNIFE, "medium", "社区民警已到场核实，是剧组在拍电影")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "medium"
    tail = number.rsplit("-", 1)[-1]

    mine = await kit.say(officer, "/mine", "您报送的预警")
    ask = await kit.press(officer, mine, f"撤回 {tail}", "涉及人身安全")
    await kit.press(officer, ask, "确认申请撤回", lambda m: m is ask and "原因" in m.content)
    await kit.press(officer, ask, "跳过", lambda m: m is ask and "核实" in m.content)
    await officer.wait_for_message(lambda m: "不能直接撤回" in m.content, WAIT)
    await chief.wait_for_message(lambda m: m.content.startswith("【申请撤回·请核实】"), WAIT)
    stored = await kit.case(case.id)
    assert stored.status != CaseStatus.WITHDRAWN
    events = await kit.events(case.id)
    assert "withdraw_requested" in events and "withdrawn" not in events


async def test_an_ordinary_warning_is_withdrawn_and_the_receipt_says_mine(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    receipt = await kit.say(officer, f"/warn {PARKING}", "预警已报送")
    (case,) = await kit.cases()
    ask = await kit.press(officer, receipt, "撤回", "确定撤回")
    await kit.press(officer, ask, "确认撤回", lambda m: m is ask and "原因" in m.content)
    await kit.press(officer, ask, "跳过", lambda m: m is ask and "已撤回" in m.content)
    told = await officer.wait_for_message(lambda m: m.content.startswith("您已撤回"), WAIT)
    assert "/mine" in told.content and "/status" not in told.content
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN
