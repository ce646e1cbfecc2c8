"""Trial 24 T4: an officer's unconfirmed warning proposal is never dropped without a word.

Another description typed, ``/warn TEXT`` or ``/warn`` while a proposal waits for 确认
asks 「先报送刚才的预警吗？」 with 报送 / 放弃; the new input is handled after the answer.
Danger now (``/warn`` with an explosion) is filed at once and the proposal kept.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.emergencykit import calls
from tests.warnkit import bound_officer, proposed

OFFICER = 2421
PARKING = "和平社区有两户邻居因为停车位吵架，互相骂了几句"
WAGES = "高新园区某企业拖欠农民工工资，约十人在厂门口讨要"
FLYERS = "小区门口有人散发传单，宣传非法集资"
GAS = "创业社区一栋居民楼发生燃气爆炸，有人被困"


async def test_a_new_text_asks_before_the_proposal_is_replaced(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    first = await proposed(kit, officer, PARKING)
    question = await kit.say(officer, WAGES, "先报送刚才的预警吗")
    assert "停车位" in question.content
    assert first.buttons  # the proposal is still there, 确认 included
    assert await kit.cases() == []

    # 报送: the parking warning is filed, then the wages text is proposed.
    action = officer.press(question, "报送")
    await officer.wait_for_message(lambda m: "预警已报送" in m.content, WAIT, since=action)
    second = await officer.wait_for_message(
        lambda m: "预警研判" in m.content and WAGES[:8] in m.content, WAIT, since=action
    )
    (parking,) = await kit.cases()
    assert parking.original_text == PARKING and parking.kind == "warning"
    await officer.wait_for_message(lambda m: m is first and not m.buttons, WAIT)

    # 放弃: the wages proposal is dropped with a word, the new text proposed instead.
    question = await kit.say(officer, FLYERS, "先报送刚才的预警吗")
    action = officer.press(question, "放弃")
    await officer.wait_for_message(lambda m: "已放弃刚才的预警" in m.content, WAIT, since=action)
    third = await officer.wait_for_message(
        lambda m: "预警研判" in m.content and "传单" in m.content, WAIT, since=action
    )
    await officer.wait_for_message(lambda m: m is second and not m.buttons, WAIT)
    await kit.press(officer, third, "确认", "预警已报送")
    assert [c.original_text for c in await kit.cases()] == [PARKING, FLYERS]


async def test_warn_text_or_warn_asks_and_danger_files_at_once(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER)
    proposal = await proposed(kit, officer, WAGES)

    # Danger now does not wait for a question: filed, and the proposal kept.
    action = officer.send_command(f"/warn {GAS}")
    await officer.wait_for_message(calls("119"), WAIT, since=action)
    await officer.wait_for_message(lambda m: "仍保留" in m.content, WAIT, since=action)
    (gas,) = await kit.cases()
    assert gas.original_text == GAS and gas.severity == "critical"

    # /warn TEXT: asked, and 报送 files both.
    question = await kit.answer(officer, officer.send_command(f"/warn {FLYERS}"), "先报送")
    action = officer.press(question, "报送")
    await officer.wait_for_message(
        lambda m: "预警已报送" in m.content and "-0003" in m.content, WAIT, since=action
    )
    assert [c.original_text for c in await kit.cases()] == [GAS, WAGES, FLYERS]
    await officer.wait_for_message(lambda m: m is proposal and not m.buttons, WAIT)

    # /warn alone with a proposal waiting: asked too; 放弃 then asks for the new text.
    proposal = await kit.say(officer, "/warn", "请描述预警情况")
    await kit.say(officer, PARKING, "预警研判")
    question = await kit.answer(officer, officer.send_command("/warn"), "先报送")
    await kit.press(officer, question, "放弃", "请描述预警情况")
    assert len(await kit.cases()) == 3


async def test_a_bare_place_is_asked_back_for_what_happened(kit: BotKit) -> None:
    """Trial 24 T12: ``/warn 阳光小区`` was filed as a 一般 warning with no description."""
    officer = await bound_officer(kit, OFFICER)
    for place in ("阳光小区", "和平社区8号楼502室"):
        asked = await kit.say(officer, f"/warn {place}", "请描述预警情况")
        assert "发生了什么" in asked.content
    await kit.say(officer, "/warn", "请描述预警情况")
    await kit.say(officer, "阳光小区南门", "发生了什么")
    assert await kit.cases() == []
    await kit.say(officer, "/warn 阳光小区南门有人在吵架", "预警已报送")
    (case,) = await kit.cases()
    assert case.original_text == "阳光小区南门有人在吵架"
