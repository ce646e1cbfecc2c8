"""Trial 26 T28: the emergency's "where are you / phone" step never expired.

Eight days after a danger-now report a citizen asked 「请问学校那个事情现在怎么样了」 and the
question was stored as the critical case's 地点. The step now lives 30 minutes by the
service's clock (a stamp the clock has gone back past counts as expired); later text,
and a question or a thank-you at any time, is a new message, never the place.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from config.district import District
from tests.botkit import KNIFE, WAIT, BotKit, sqlite_bot

CITIZEN = 2621
QUESTION = "请问学校那个事情现在怎么样了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _report(kit: BotKit) -> int:
    citizen = kit.user(CITIZEN, "李群众")
    action = citizen.send_text(KNIFE)
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    return case.id


async def test_days_later_a_question_is_not_the_place(kit: BotKit) -> None:
    case_id = await _report(kit)
    citizen = kit.user(CITIZEN, "李群众")
    kit.clock.advance(timedelta(days=8))
    answer = await kit.say(citizen, QUESTION)
    assert "补充到" not in answer.content
    assert (await kit.case(case_id)).address is None


async def test_past_the_lifetime_a_place_is_a_new_message(kit: BotKit) -> None:
    case_id = await _report(kit)
    citizen = kit.user(CITIZEN, "李群众")
    kit.clock.advance(timedelta(minutes=31))
    answer = await kit.say(citizen, "人民路12号3单元")
    assert "补充到" not in answer.content
    assert (await kit.case(case_id)).address is None


async def test_a_clock_set_back_does_not_keep_the_step_open(kit: BotKit) -> None:
    start = kit.clock.now()
    kit.clock.advance(timedelta(days=8))
    case_id = await _report(kit)
    citizen = kit.user(CITIZEN, "李群众")
    kit.clock.set(start)  # a restart that lost the clock's offset (trial 26 T8)
    answer = await kit.say(citizen, "收到，马上处理")
    assert "补充到" not in answer.content
    assert (await kit.case(case_id)).address is None


async def test_within_the_lifetime_a_question_is_not_the_place(kit: BotKit) -> None:
    case_id = await _report(kit)
    citizen = kit.user(CITIZEN, "李群众")
    kit.clock.advance(timedelta(minutes=5))
    answer = await kit.say(citizen, "警察什么时候到？")
    assert "补充到" not in answer.content
    assert (await kit.case(case_id)).address is None


async def test_within_the_lifetime_the_place_is_kept(kit: BotKit) -> None:
    case_id = await _report(kit)
    citizen = kit.user(CITIZEN, "李群众")
    kit.clock.advance(timedelta(minutes=20))
    await kit.say(citizen, "人民路12号3单元 13800138000", "补充到")
    case = await kit.case(case_id)
    assert case.address == "人民路12号3单元"
