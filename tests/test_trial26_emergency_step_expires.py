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
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import KNIFE

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


async def _not_the_place(kit: BotKit, case_id: int, text: str) -> None:
    """The citizen's ``text`` now is a new message: nothing is added to the case."""
    answer = await kit.say(kit.user(CITIZEN, "李群众"), text)
    assert "补充到" not in answer.content
    assert (await kit.case(case_id)).address is None


@pytest.mark.parametrize(
    ("later", "text"),
    [
        pytest.param(timedelta(days=8), QUESTION, id="days-later-a-question"),
        pytest.param(timedelta(minutes=31), "人民路12号3单元", id="past-the-lifetime-a-place"),
        pytest.param(timedelta(minutes=5), "警察什么时候到？", id="within-it-a-question"),
    ],
)
async def test_later_text_is_not_the_place(kit: BotKit, later: timedelta, text: str) -> None:
    case_id = await _report(kit)
    kit.clock.advance(later)
    await _not_the_place(kit, case_id, text)


async def test_a_clock_set_back_does_not_keep_the_step_open(kit: BotKit) -> None:
    start = kit.clock.now()
    kit.clock.advance(timedelta(days=8))
    case_id = await _report(kit)
    kit.clock.set(start)  # a restart that lost the clock's offset (trial 26 T8)
    await _not_the_place(kit, case_id, "收到，马上处理")


async def test_within_the_lifetime_the_place_is_kept(kit: BotKit) -> None:
    case_id = await _report(kit)
    citizen = kit.user(CITIZEN, "李群众")
    kit.clock.advance(timedelta(minutes=20))
    await kit.say(citizen, "人民路12号3单元 13800138000", "补充到")
    case = await kit.case(case_id)
    assert case.address == "人民路12号3单元"
