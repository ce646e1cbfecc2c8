"""Trial 26 T24 and T17: the guided ``/warn`` flow.

T24: a text the rules rate 特别重大 typed into the guided flow was held for 确认 (an
officer on the phone to 110 never pressed it; an hour later nobody had it). It is now
filed and alerted the moment it arrives; the steps that follow amend it.
T17: ``/warn 东城街道人民广场`` asked what happened, but the answer became a citizen
request and the place was lost. The answer now continues the warning, place kept.
"""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.emergencykit import EMERGENCY_LINE, calls
from tests.warnkit import bound_officer, proposed

OFFICER = 2611
CHIEF = 2612
ROOF = "阳光小区有个老人在楼顶边上坐着，说不想活了"
BANNER = "广场上有人拉横幅，大概七八个人，说是某楼盘的业主"


async def test_a_critical_warning_in_the_guided_flow_is_filed_at_once(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    chief = kit.user(CHIEF, "东城站长")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    await kit.say(officer, "/warn", "请描述预警情况")
    action = officer.send_text(ROOF)
    # An officer reports someone else at risk: the police line first (trial 28 P3). The
    # line is matched as a line, not by digits a case number may hold (MQ20261207 has 120).
    line = await officer.wait_for_message(calls("110"), WAIT, since=action)
    assert calls("110")(line) and EMERGENCY_LINE in line.content.split("\n", 1)[0]
    receipt = await officer.wait_for_message(
        lambda m: "预警已报送" in m.content, WAIT, since=action
    )
    assert "特别重大" in receipt.content
    assert {b["text"] for b in receipt.buttons} >= {"补充说明", "撤回"}
    await officer.wait_for_message(lambda m: "无需再点「确认」" in m.content, WAIT, since=action)
    await officer.wait_for_message(lambda m: "发生地点" in m.content, WAIT, since=action)
    # Nobody pressed 确认: the warning is in the database and at the station already.
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.severity == "critical"
    assert case.original_text == ROOF
    number = case.number or ""
    await chief.wait_for_message(lambda m: number in m.content, WAIT)
    assert not any("预警研判" in m.content and m.buttons for m in officer.transcript())

    # The optional steps still amend it (recorded as an event).
    await kit.say(officer, "阳光小区5号楼", "多少人")
    case = await kit.case(case.id)
    assert case.address == "阳光小区5号楼"
    assert "details_added" in await kit.events(case.id)
    assert len(await kit.cases()) == 1


async def test_a_routine_warning_still_waits_for_confirm(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    proposal = await proposed(kit, officer, "和平社区有两户邻居因为停车位吵架，互相骂了几句")
    assert proposal.buttons
    assert await kit.cases() == []


async def test_warn_with_a_place_keeps_it_for_the_answer(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    asked = await kit.say(officer, "/warn 东城街道人民广场", "发生了什么")
    assert "东城街道人民广场" in asked.content
    proposal = await kit.say(officer, BANNER, "预警研判")
    assert "人民广场" in proposal.content
    assert not any("建议由以下部门办理" in m.content for m in officer.transcript())
    assert await kit.cases() == []
    await kit.press(officer, proposal, "确认", "预警已报送")
    (case,) = await kit.cases()
    assert case.kind == "warning"
    assert case.original_text == f"东城街道人民广场：{BANNER}"
    assert case.address == "东城街道人民广场"
    assert case.head_count in (7, 8)


async def test_a_bare_place_typed_for_the_text_is_kept_too(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    await kit.say(officer, "阳光小区南门", "已记下地点：阳光小区南门")
    # A fight about to start is danger now: filed at once, no 确认 (trial 33b E1).
    await kit.say(officer, "两伙人在吵架，快打起来了", "预警已报送")
    (case,) = await kit.cases()
    assert case.original_text == "阳光小区南门：两伙人在吵架，快打起来了"
    assert case.address == "阳光小区南门"
