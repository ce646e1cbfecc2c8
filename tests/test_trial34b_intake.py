"""Trial 34 #6 and #11: the intake keeps every matter where it belongs.

#6: after 分开登记, 只是咨询 on the first matter dropped the second without a word. Now
the second matter is named and proposed next, as after 提交 or 放弃草稿.

#11: danger typed at a filing's place step was filed with the kept draft's text merged
into the police case (内容：小区垃圾站…\\n楼下有人拿刀…), and the draft was then offered as
「另行登记」 from scratch. Now the police case holds only the danger, and the draft
resumes at the step it was at.

The bot over the fake Bot API; what the citizen reads and what is stored.
"""

from __future__ import annotations

from bot.fakeapi import ChatMessage
from tests.botkit import WAIT, BotKit
from tests.emergencykit import calls

TWO = "我爸的养老金这个月没到账，还有我家门口的下水道堵了好几天"
GARBAGE = "小区垃圾站离我家窗户太近，夏天很臭"
FIGHT = "楼下有人拿刀打起来了，快来人"


async def test_just_asking_on_the_first_matter_proposes_the_second(kit: BotKit) -> None:
    citizen = kit.user(3481, "群众")
    asked = await kit.say(citizen, TWO, "您提到了两件事")
    first = await kit.press(citizen, asked, "分开登记", lambda m: "提交" in str(m.buttons))
    assert "养老金" in first.content
    told = await kit.press(citizen, first, "只是咨询", "仅为咨询")
    assert "下水道堵了好几天" in told.content and "还没有登记" in told.content
    second = await citizen.wait_for_message(
        lambda m: "您的描述：我家门口的下水道堵了好几天" in m.content and bool(m.buttons), WAIT
    )
    assert "养老金" not in second.content
    await kit.press(citizen, second, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == "我家门口的下水道堵了好几天"


async def test_just_asking_without_a_second_matter_is_unchanged(kit: BotKit) -> None:
    citizen = kit.user(3482, "群众")
    proposal = await kit.say(citizen, "我家门口的下水道堵了好几天", lambda m: bool(m.buttons))
    told = await kit.press(citizen, proposal, "只是咨询", "仅为咨询")
    assert "另一件事" not in told.content
    assert await kit.cases() == []


async def _garbage_then_fight(kit: BotKit, citizen_id: int, submit: bool) -> ChatMessage:
    """The citizen describes the garbage station; ``submit``: 交由工作人员分派 (the place
    step), else 提交 typed (the picker stays: 请先…点选一个部门); then the knife fight.
    The message offering 继续提交."""
    citizen = kit.user(citizen_id, "群众")
    proposal = await kit.say(citizen, GARBAGE, lambda m: bool(m.buttons))
    if submit:
        await kit.press(citizen, proposal, "交由工作人员分派", "可选 1/3")
    else:
        await kit.say(citizen, "提交", "点选一个部门")
    action = citizen.send_text(FIGHT)
    await citizen.wait_for_message(calls("110"), WAIT, since=action)
    kept = await citizen.wait_for_message(lambda m: "草稿已保留" in m.content, WAIT, since=action)
    assert GARBAGE in kept.content
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    (emergency,) = await kit.cases()
    assert emergency.severity == "critical"
    assert emergency.original_text == FIGHT  # the kept draft is not in the police case
    assert emergency.owning_unit_id == kit.district.bureaus["police"].station_id
    await kit.answer(citizen, citizen.send_text("跳过"), lambda m: "继续提交" not in m.content)
    await kit.delivered()
    told = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any("还提到" in m and "垃圾站" in m for m in told), told  # no 另行登记 offer
    return kept


async def test_danger_at_the_place_step_files_only_the_danger(kit: BotKit) -> None:
    kept = await _garbage_then_fight(kit, 3483, submit=True)
    citizen = kit.user(3483, "群众")
    # 继续提交: back at the place step, and on to filing the garbage matter.
    await kit.press(citizen, kept, "继续提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    emergency, garbage = await kit.cases()
    assert garbage.original_text == GARBAGE and garbage.severity != "critical"
    assert emergency.original_text == FIGHT


async def test_danger_after_an_unplaced_problem_files_only_the_danger(kit: BotKit) -> None:
    kept = await _garbage_then_fight(kit, 3484, submit=False)
    citizen = kit.user(3484, "群众")
    # 继续提交: back at the proposal, where the draft was (no office chosen yet); its
    # picker still files it.
    await kit.press(citizen, kept, "继续提交", "请点上面问题下方")
    proposal = next(m for m in citizen.transcript() if "您的描述" in m.content and m.buttons)
    await kit.press(citizen, proposal, "交由工作人员分派", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    emergency, garbage = await kit.cases()
    assert garbage.original_text == GARBAGE and emergency.original_text == FIGHT
