"""An officer's /mine while a warning proposal waits for 确认 keeps the proposal.

/mine only reads: the list is answered, and the unconfirmed proposal is shown again
below it with its 确认 (the older message loses its buttons, as on any new proposal),
so the officer can file it at once; nothing was dropped, nothing filed unasked. While a
lowered level waits for its reason, the reason is asked again instead. The menu's
我的预警 button does the same. With nothing unconfirmed /mine leaves the conversation as
any command does (trial 24 T4 kept the proposal for new texts and /warn; this is /mine).
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.warnkit import bound_chief, bound_officer, proposed

OFFICER = 2521
CHIEF = 2522
PARKING = "和平社区有两户邻居因为停车位吵架，互相骂了几句"
WAGES = "高新园区某企业拖欠农民工工资，约十人在厂门口讨要"
KNIFE = "东城街道幸福小区里有人拿刀在砍人，已有人受伤"
WAGES_CROWD = "和平社区建筑工地有二十多名农民工聚集讨要工资，情绪激动"  # 重大 by the rubric


async def test_mine_answers_and_the_proposal_is_still_there(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    chief = await bound_chief(kit, CHIEF)
    await kit.say(officer, f"/warn {WAGES}", "预警已报送")  # one filed warning to list
    first = await proposed(kit, officer, PARKING)

    action = officer.send_text("/mine")
    listing = await officer.wait_for_message(
        lambda m: "您报送的预警" in m.content, WAIT, since=action
    )
    assert "拖欠农民工工资" in listing.content
    kept = await officer.wait_for_message(lambda m: "已为您保留" in m.content, WAIT, since=action)
    assert "停车位" in kept.content and "「确认」" in kept.content
    again = await officer.wait_for_message(
        lambda m: m.content.startswith("预警研判") and "停车位" in m.content and m is not first,
        WAIT,
        since=action,
    )
    assert listing.message_id < kept.message_id < again.message_id
    replies = [m for m in officer.transcript() if m.from_bot]
    assert "确认" in str(again.buttons)
    await officer.wait_for_message(lambda m: m is first and not m.buttons, WAIT)
    assert not any("没有报送（没有点「确认」）" in m.content for m in replies)
    assert len(await kit.cases()) == 1  # nothing filed unasked

    # 确认 on the proposal shown again files it, with the text typed before /mine.
    await kit.press(officer, again, "确认", "预警已报送")
    cases = await kit.cases()
    assert [c.original_text for c in cases] == [WAGES, PARKING]
    number = cases[-1].number or ""
    await chief.wait_for_message(lambda m: number in m.content and "停车位" in m.content, WAIT)


async def test_mine_while_a_lowering_reason_is_asked_asks_it_again(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    # 重大 to 较大 asks a reason (a 特别重大 one is filed at once: trial 26 T24).
    proposal = await kit.say(officer, WAGES_CROWD, "预警研判")
    levels = await kit.press(officer, proposal, "更改等级", lambda m: m is proposal)
    await kit.press(officer, levels, "较大", "须说明理由")

    action = officer.send_text("/mine")
    await officer.wait_for_message(lambda m: "还没有报送过预警" in m.content, WAIT, since=action)
    await officer.wait_for_message(
        lambda m: "已为您保留" in m.content and "理由" in m.content, WAIT, since=action
    )
    await officer.wait_for_message(lambda m: "须说明理由" in m.content, WAIT, since=action)
    # The reason is still taken, then the proposal at the lowered level.
    lowered = await kit.say(officer, "社区网格员已到现场核实，只是邻里口角，没有人受伤", "预警研判")
    await kit.press(officer, lowered, "确认", "预警已报送")
    (case,) = await kit.cases()
    assert case.original_text == WAGES_CROWD and case.severity == "medium"


async def test_the_menu_button_keeps_the_proposal_too(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    menu = await kit.say(officer, "/start", lambda m: "我的预警" in str(m.buttons))
    await kit.say(officer, "/warn", "请描述预警情况")
    await kit.say(officer, PARKING, "预警研判")
    action = officer.press(menu, "我的预警")
    await officer.wait_for_message(lambda m: "还没有报送过预警" in m.content, WAIT, since=action)
    again = await officer.wait_for_message(
        lambda m: m.content.startswith("预警研判") and m.buttons, WAIT, since=action
    )
    await kit.press(officer, again, "确认", "预警已报送")
    (case,) = await kit.cases()
    assert case.original_text == PARKING
