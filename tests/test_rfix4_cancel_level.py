"""放弃草稿 and 只是咨询 decide by the level intake would file (review 4 F2).

`三百多人开着几十辆车把镇政府大门堵死了，谁也进不去` previews critical, but intake files it
as 重大 (no urgency word, no line): the cancel question must not promise to file it anyway,
放弃草稿 drops it, and 只是咨询 drops it too. (A draft intake files as critical is filed
at once, before any proposal; 只是咨询 carries the same level check in case one reaches it.)
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit

BLOCKED = "三百多人开着几十辆车把镇政府大门堵死了，谁也进不去"


async def test_cancel_question_agrees_with_discard(kit: BotKit) -> None:
    assert kit.runtime.cases.request_severity(BLOCKED) != "critical"
    citizen = kit.user(3402, "群众")
    await kit.say(citizen, BLOCKED, lambda m: bool(m.buttons))
    asked = await kit.say(citizen, "算了", "要放弃提交吗")
    assert "也会为您登记" not in asked.content
    assert "不会转给任何单位" in asked.content
    choice = await citizen.wait_for_message(lambda m: "放弃草稿" in str(m.buttons), WAIT)
    await kit.press(citizen, choice, "放弃草稿", lambda m: m.content != choice.content)
    assert await kit.cases() == []


async def test_just_asking_drops_what_discard_drops(kit: BotKit) -> None:
    citizen = kit.user(3404, "群众")
    proposal = await kit.say(citizen, BLOCKED, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "只是咨询", lambda m: m.content != proposal.content)
    assert await kit.cases() == []


BEATEN = "我老公天天打我，昨天把我打得头破血流"


async def test_a_kept_draft_is_not_said_to_be_dropped(kit: BotKit) -> None:
    citizen = kit.user(3406, "小王")
    await kit.say(citizen, BEATEN, lambda m: bool(m.buttons))
    asked = await kit.say(citizen, "算了，别报了", "要放弃提交吗")
    assert "也会为您登记" in asked.content
    assert "不会转给任何单位" not in asked.content
