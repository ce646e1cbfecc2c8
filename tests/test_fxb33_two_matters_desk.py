"""Trial 33b E10 and E12: a message with two matters (wages + a street light).

E10: the whole was proposed to 区建设局 with 提交 (the light's bureau), and 提交 filed the
wage complaint there. Now a message read as two matters for two bureaus is never proposed
to one of them: the proposal is the picker with 交由工作人员分派, which files it at the
desk (分派台), even though the classifier is sure of one bureau for the whole.

E12: the offer showed 「2. 一件事，我家楼下的路灯…」 and pointed to a 提交 button the
picker does not have. Now 还有一件事 is stripped whole and the offer names the buttons shown.
"""

from __future__ import annotations

from tests.botkit import BotKit

E10 = "我老板拖欠我三个月工资不给。另外小区楼下的路灯坏了一个月了没人修"
E12 = "老板拖欠我三个月工资不给。还有一件事，我家楼下的路灯坏了一个月了没人修"


async def test_two_bureaus_are_proposed_to_the_desk_not_to_one_of_them(kit: BotKit) -> None:
    citizen = kit.user(3371, "群众")
    asked = await kit.say(citizen, E10, "您提到了两件事")
    proposal = next(
        m for m in citizen.transcript() if m.from_bot and "交由工作人员分派" in str(m.buttons)
    )
    assert "提交" not in [b["text"] for b in proposal.buttons]
    assert "直接点上面的「提交」" not in asked.content
    assert "交由工作人员分派" in asked.content
    await kit.press(citizen, asked, "作为一件事提交", "交由工作人员分派")
    await kit.press(citizen, proposal, "交由工作人员分派", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == E10
    assert case.owning_unit_id == kit.district.dispatcher


async def test_the_second_matter_loses_its_whole_opening(kit: BotKit) -> None:
    citizen = kit.user(3372, "群众")
    asked = await kit.say(citizen, E12, "您提到了两件事")
    assert "2. 我家楼下的路灯坏了一个月了没人修" in asked.content, asked.content
    assert "一件事，" not in asked.content
