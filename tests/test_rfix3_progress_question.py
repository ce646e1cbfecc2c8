"""Review 3 P3: a progress-question pattern must not swallow a new problem."""

from __future__ import annotations

import pytest

from bot.services.progress_questions import is_progress_question
from tests.botkit import BotKit
from tests.test_trial_defects import LABOR_TEXT, file_request

CITIZEN = 3541


@pytest.mark.parametrize(
    "text",
    [
        "路灯坏了能修吗",
        "低保可以办吗",
        "这个能办吗",
        "我家空调能修吗",
        "电梯坏了有人修没？",
        "工资拖欠可以处理吗",
    ],
)
def test_an_ability_question_is_a_request(text: str) -> None:
    assert not is_progress_question(text)


@pytest.mark.parametrize(
    "text", ["处理了没有", "弄好没", "修好了没有", "搞定了吗", "解决了吗", "我的事情办好了吗"]
)
def test_progress_questions_stay(text: str) -> None:
    assert is_progress_question(text)


async def test_can_it_be_fixed_without_a_case_is_proposed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小孙")
    await kit.say(citizen, "你好")
    answer = await kit.say(citizen, "路灯坏了能修吗", lambda m: bool(m.buttons))
    assert "提交" in str(answer.buttons)


async def test_a_new_problem_with_an_open_case_is_proposed_with_the_status(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小孙")
    await file_request(kit, citizen, LABOR_TEXT)
    answer = await kit.say(
        citizen, "小区电梯坏了三天，解决了吗", lambda m: "提交" in str(m.buttons)
    )
    assert "提交" in str(answer.buttons)
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert any("正在办理中的问题" in m for m in said)
