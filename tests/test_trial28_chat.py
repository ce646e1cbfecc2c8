"""Trial 28 P6 and P7: a progress question without cases, long junk, a complaint in pieces.

- P6: 「有进展吗」 from a citizen with no case was proposed as a new problem with three
  rooms; now it is told there is no case and how to file one.
- P7: 5000 × ``x`` was offered rooms; now it gets the noise answer as ``x`` does. 楼上漏水,
  漏水三天了, 物业不管 in quick succession were three proposals, each followed by a
  「提示」; now the follow-ons join the first draft and 提交 files the whole text. The
  「提示」 about a kept draft is said once in a while, not after every message.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.fakeapi import FakeUser
from bot.services.cases import RequestDraft
from config.district import District
from storage.enums import CaseStatus
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2881


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


def _bot_said(user: FakeUser) -> str:
    return "\n".join(m.content for m in user.transcript() if m.from_bot)


async def test_a_progress_question_without_cases_is_not_a_new_problem(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "新用户")
    answer = await kit.say(citizen, "有进展吗")
    assert "还没有反映过问题" in answer.content
    assert not answer.buttons
    said = _bot_said(citizen)
    assert "可能是" not in said and "您的描述" not in said and "提交" not in said
    assert await kit.cases() == []


async def test_a_progress_question_with_only_closed_cases_says_none_is_open(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 1, "老用户")
    await kit.say(citizen, "你好")
    person = await kit.person(CITIZEN + 1)
    assert person is not None
    view = await kit.runtime.cases.file_request(
        person.id, RequestDraft(text="学校门口的路灯坏了一个星期了")
    )
    await kit.runtime.cases.withdraw(view.id, person.id)
    await kit.delivered()
    assert (await kit.case(view.id)).status == CaseStatus.WITHDRAWN
    answer = await kit.say(citizen, "我反映的问题有进展吗", "没有正在办理中的问题")
    assert "/status" in answer.content and not answer.buttons


async def test_a_progress_question_that_describes_a_problem_is_still_proposed(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN + 2, "居民")
    answer = await kit.say(citizen, "楼道灯坏了一个月了，解决了吗", "提交")
    assert "楼道灯坏了" in answer.content


async def test_long_junk_gets_the_noise_answer(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 3, "键盘")
    short = await kit.say(citizen, "x")
    long = await kit.say(citizen, "x" * 5000)
    assert long.content == short.content
    assert "提交" not in str(long.buttons) and "分派" not in str(long.buttons)
    assert await kit.cases() == []


async def test_a_complaint_in_pieces_is_one_draft_and_one_case(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 4, "张大姐")
    first = await kit.say(citizen, "楼上漏水", "提交")
    second = await kit.say(citizen, "漏水三天了", "提交")
    third = await kit.say(citizen, "物业不管", "提交")
    assert "并入" in second.content and "并入" in third.content
    assert "楼上漏水，漏水三天了，物业不管" in third.content
    assert "提示" not in _bot_said(citizen)
    # The first proposal's button files the whole description.
    await kit.press(citizen, first, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == "楼上漏水，漏水三天了，物业不管"


async def test_a_later_message_is_a_new_description(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 5, "张大姐")
    await kit.say(citizen, "楼上漏水", "提交")
    kit.clock.advance(timedelta(minutes=5))
    later = await kit.say(citizen, "物业不管", "提交")
    assert "并入" not in later.content
    await citizen.wait_for_message(lambda m: "提示" in m.content, WAIT)


async def test_the_kept_draft_tip_is_not_repeated_in_a_burst(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 6, "连发")
    texts = [
        "单位拖欠我三个月工资，老板一直不给",
        "小区门口的路灯坏了一个星期了，晚上很黑",
        "学校门口每天放学时候交通很乱，孩子过马路危险",
        "单位拖欠我三个月工资，老板一直不给，我要投诉",
    ]
    for text in texts:
        await kit.say(citizen, text, "提交")
    await kit.delivered()
    tips = [m for m in citizen.transcript() if m.from_bot and m.content.startswith("提示")]
    assert len(tips) == 1
    kit.clock.advance(timedelta(minutes=11))
    await kit.say(citizen, "小区垃圾三天没人清运了，臭气熏天", "提交")
    await citizen.wait_for_message(
        lambda m: m.content.startswith("提示") and m is not tips[0], WAIT
    )
