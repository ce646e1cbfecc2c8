"""Trial 33 D8: a citizen who changes their mind while filing cannot stop.

At step 1/3 of the 班主任补课费 complaint the citizen typed 「算了算了，还是别报了，怕老师给
孩子穿小鞋」: it was read as a place or a new problem, and after 跳过 the case was filed
anyway. Now 算了 / 别报了 / 不报了 / 取消 (Simplified or traditional) at the proposal or
at any step asks 要放弃提交吗？ with 放弃草稿 / 继续提交; 放弃草稿 files nothing and says
so. A danger is never given up: danger now typed with the words is filed with its line,
and a danger reported meanwhile stays filed, which the citizen is told.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.emergencykit import calls

FEES = "班主任让我们每个月交800元补课费，不交就在班上点名批评孩子"
FEAR = "算了算了，还是别报了，怕老师给孩子穿小鞋"


async def test_giving_up_at_a_step_files_nothing(kit: BotKit) -> None:
    citizen = kit.user(3301, "家长")
    proposal = await kit.say(citizen, FEES, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")

    asked = await kit.say(citizen, FEAR, "要放弃提交吗")
    assert "是地点" not in asked.content and "另一个问题" not in asked.content
    choice = await citizen.wait_for_message(lambda m: "放弃草稿" in str(m.buttons), WAIT)
    assert "继续提交" in str(choice.buttons)
    done = await kit.press(citizen, choice, "放弃草稿", "已放弃")
    assert "没有登记" in done.content
    # Nothing was filed, and the step is over: 跳过 now files nothing either.
    citizen.send_text("跳过")
    await kit.say(citizen, "跳过")
    assert await kit.cases() == []
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any("提交成功" in t for t in said)
    assert not any("算了算" in t for t in said)  # no proposal made of the words


async def test_traditional_words_at_the_contact_step_and_going_on(kit: BotKit) -> None:
    citizen = kit.user(3302, "家長")
    proposal = await kit.say(citizen, FEES, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "還是不報了", "要放弃提交吗")
    choice = await citizen.wait_for_message(lambda m: "继续提交" in str(m.buttons), WAIT)
    await kit.press(citizen, choice, "继续提交", "可选 2/3")
    assert await kit.cases() == []
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == FEES


async def test_cancel_at_the_proposal(kit: BotKit) -> None:
    citizen = kit.user(3303, "家长")
    await kit.say(citizen, FEES, lambda m: bool(m.buttons))
    await kit.say(citizen, "取消", "要放弃提交吗")
    choice = await citizen.wait_for_message(lambda m: "放弃草稿" in str(m.buttons), WAIT)
    await kit.press(citizen, choice, "放弃草稿", "已放弃")
    assert await kit.cases() == []


async def test_a_danger_is_never_given_up(kit: BotKit) -> None:
    citizen = kit.user(3304, "家长")
    proposal = await kit.say(citizen, FEES, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    # Danger now with the words: the line and a critical case, no question.
    action = citizen.send_text("算了不报了，厨房着火了！火很大")
    await citizen.wait_for_message(calls("119"), WAIT, since=action)
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    (fire,) = await kit.cases()
    assert fire.severity == "critical"
    kept = await citizen.wait_for_message(
        lambda m: "继续提交" in str(m.buttons), WAIT, since=action
    )
    await kit.press(citizen, kept, "继续提交", "可选 1/3")
    # Giving up the routine draft now: the fire stays filed, and the citizen is told.
    asked = await kit.say(citizen, "算了", "要放弃提交吗")
    assert fire.number is not None and fire.number in asked.content
    assert "不会因为放弃这个问题而撤销" in asked.content and "110" in asked.content
    choice = await citizen.wait_for_message(lambda m: "放弃草稿" in str(m.buttons), WAIT)
    done = await kit.press(citizen, choice, "放弃草稿", "已放弃")
    assert fire.number in done.content and "撤销" in done.content
    (still,) = await kit.cases()
    assert still.id == fire.id and still.status not in ("withdrawn", "closed")
