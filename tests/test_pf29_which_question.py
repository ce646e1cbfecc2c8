"""pf29 defect 6: /which alone and 咨询哪个部门 ask for the problem and answer it as a question.

/which without text answered with its usage only, and the menu's 咨询哪个部门 asked for
a description whose answer was a report's proposal with 提交. Now both ask for the
problem and the next message gets the office — no 提交, nothing filed; the message
after that is an ordinary description again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, sqlite_bot

WAGES = "单位拖欠工资三个月了"
LAMP = "小区门口的路灯坏了一个星期"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


def _no_submit(message: object) -> None:
    buttons = [b["text"] for b in getattr(message, "buttons", [])]
    assert not any("提交" in b for b in buttons), buttons
    assert "点「提交」" not in str(getattr(message, "content", ""))


async def test_which_alone_asks_and_answers_the_next_message(kit: BotKit) -> None:
    citizen = kit.user(2996, "王芳")
    asked = await kit.say(citizen, "/which", "哪个部门")
    assert "用法" not in asked.content and "不会登记" in asked.content
    answer = await kit.say(citizen, WAGES, "办理部门")
    assert "民生保障" in answer.content and "仅为咨询，未登记" in answer.content
    _no_submit(answer)
    assert await kit.cases() == []
    # The next message is a description as always: the proposal with 提交.
    proposal = await kit.say(citizen, LAMP, "提交")
    assert "提交" in [b["text"] for b in proposal.buttons]
    assert await kit.cases() == []


async def test_the_menus_which_path_offers_no_submit(kit: BotKit) -> None:
    citizen = kit.user(2997, "李明")
    greeting = await kit.answer(citizen, citizen.send_command("/start"), "您好")
    asked = await kit.press(citizen, greeting, "咨询哪个部门", "哪个部门")
    assert "不会登记" in asked.content
    answer = await kit.say(citizen, WAGES, "办理部门")
    _no_submit(answer)
    assert "民生保障" in answer.content
    await kit.delivered()
    after = [m for m in citizen.transcript() if m.from_bot and m.message_id >= answer.message_id]
    for m in after:
        _no_submit(m)
    assert await kit.cases() == []
    # 反映问题 still leads to the proposal with 提交.
    greeting = await kit.answer(citizen, citizen.send_command("/start"), "您好")
    await kit.press(citizen, greeting, "反映问题", "描述")
    proposal = await kit.say(citizen, LAMP, "提交")
    assert "提交" in [b["text"] for b in proposal.buttons]


async def test_danger_after_which_is_still_filed_at_once(kit: BotKit) -> None:
    citizen = kit.user(2998, "赵敏")
    await kit.say(citizen, "/which", "哪个部门")
    action = citizen.send_text("小区里有人拿刀在砍人，已有人受伤")
    await citizen.wait_for_message(lambda m: "110" in m.content, WAIT, since=action)
    await kit.handled(action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
