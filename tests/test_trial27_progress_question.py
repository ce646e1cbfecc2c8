"""Trial 27 N4: a citizen's question about an open case is answered with its status.

「请问学校那个事情现在怎么样了」 from a citizen whose case is open was proposed as a new
request to 教体局 (提交 would have filed "how is it going"). Now it gets the open
cases' progress, as /status shows it, and the offer to describe a new problem.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.cases import RequestDraft
from bot.services.progress_questions import is_progress_question
from config.district import District
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 2711
OTHER = 2712
QUESTION = "请问学校那个事情现在怎么样了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_progress_question_gets_the_open_cases_status(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "李华")
    await kit.say(citizen, "你好")
    person = await kit.person(CITIZEN)
    assert person is not None
    view = await kit.runtime.cases.file_request(
        person.id, RequestDraft(text="学校门口的路灯坏了一个星期了，晚上孩子放学很黑")
    )
    await kit.delivered()

    answer = await kit.say(citizen, QUESTION, "正在办理中")
    assert view.number in answer.content
    assert "进展" in answer.content and "新问题" in answer.content
    said = "\n".join(m.content for m in citizen.transcript())
    assert "建议由以下部门办理" not in said
    assert len(await kit.cases()) == 1  # nothing new filed


async def test_without_open_cases_the_question_is_not_answered_with_status(
    kit: BotKit,
) -> None:
    other = kit.user(OTHER, "王芳")
    await kit.say(other, "你好")
    answer = await kit.say(other, QUESTION)
    assert "正在办理中" not in answer.content
    assert await kit.cases() == []


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        (QUESTION, True),
        ("我反映的问题有进展吗", True),
        ("上次说的噪音有结果了吗", True),
        ("我的事情办到哪了", True),
        ("小区路灯坏了一个星期了", False),
        ("楼上装修噪音很大，物业说会处理，但是到现在也没有任何进展，晚上根本睡不着觉", False),
    ],
)
def test_progress_questions_are_told_apart(text: str, asks: bool) -> None:
    assert is_progress_question(text) is asks


async def test_the_question_at_an_emergencys_place_step_gets_the_status(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "李华")
    await kit.answer(
        citizen, citizen.send_text("学校食堂饭菜有问题，好几个孩子吃了拉肚子"), "已登记"
    )
    (case,) = await kit.cases()
    await kit.delivered()

    answer = await kit.say(citizen, QUESTION, "正在办理中")
    assert (case.number or "") in answer.content and "新问题" in answer.content
    said = "\n".join(m.content for m in citizen.transcript())
    assert "建议由以下部门办理" not in said
    assert len(await kit.cases()) == 1
