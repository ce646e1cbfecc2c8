"""Trial 33b E8: after 分开登记, 放弃草稿 on the first matter silently dropped the second:
「已放弃未提交的问题，没有登记。」 and the menu, the street light promised next gone.

Now giving up the first matter says so and names the second, which is proposed at once
with its own bureau and filed when the citizen presses 提交.
"""

from __future__ import annotations

from tests.botkit import BotKit

TWO = "单位拖欠工资三个月了，另外我们小区路灯坏了一个月"


async def test_giving_up_the_first_matter_keeps_the_second(kit: BotKit) -> None:
    citizen = kit.user(3381, "群众")
    asked = await kit.say(citizen, TWO, "您提到了两件事")
    first = await kit.press(citizen, asked, "分开登记", lambda m: "提交" in str(m.buttons))
    await kit.press(citizen, first, "提交", "可选 1/3")
    question = await kit.say(citizen, "算了", "要放弃提交吗")
    buttons = await citizen.wait_for_message(lambda m: "放弃草稿" in str(m.buttons), 10)
    assert question is not None
    told = await kit.press(citizen, buttons, "放弃草稿", "已放弃这件事")
    assert "路灯坏了一个月" in told.content and "还没有登记" in told.content
    second = await citizen.wait_for_message(
        lambda m: "您的描述：我们小区路灯坏了一个月" in m.content and bool(m.buttons), 10
    )
    assert "工资" not in second.content
    await kit.press(citizen, second, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == "我们小区路灯坏了一个月"
    assert case.owning_unit_id == "construction"
