"""pf30 #3: someone whose self-harm case is open files an unrelated problem.

Two days after 我不想活了, 我家楼上漏水 (the classifier names 城建规划 at 0.57, below its
own "sure") was added to the self-harm case as a 补充说明 and answered with the crisis
words: the person could not file it. Now it is proposed as a request of its own,
filed as an ordinary case, and the self-harm case stays open, without that note; the
person's own words (我还是很难受) still go to their helpers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from config.district import District
from storage.enums import OPEN_STATUSES
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import police_chief

CITIZEN = 3031
POLICE = 3032
LEAK = "我家楼上漏水"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_an_unrelated_problem_is_filed_while_the_crisis_case_stays_open(
    kit: BotKit,
) -> None:
    await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小周")
    await kit.say(citizen, "我不想活了", kit.district.crisis_hotline)
    await citizen.wait_for_message(lambda m: "跳过" in m.content, WAIT)
    await kit.say(citizen, "跳过", "已登记")
    (crisis,) = await kit.cases()
    kit.clock.advance(timedelta(days=2))

    picker = await kit.say(citizen, LEAK, lambda m: bool(m.buttons))
    assert "转给正在帮助您" not in picker.content
    proposal = await kit.press(citizen, picker, "城建规划", lambda m: "提交" in str(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    receipt = await kit.say(citizen, "跳过", "已登记")

    first, leak = await kit.cases()
    assert first.id == crisis.id
    assert leak.original_text == LEAK and (leak.number or "?") in receipt.content
    assert leak.severity != "critical" and leak.room == "urban"
    assert leak.owning_unit_id != crisis.owning_unit_id
    first = await kit.case(crisis.id)
    assert first.status in OPEN_STATUSES
    assert "note_added" not in await kit.events(crisis.id)

    # The person's own words still reach their helpers, with the crisis line (first, and
    # no promise of a call: nobody has signed in two days, trial 30 #6).
    await kit.say(citizen, "我还是很难受", "再次转给")
    assert "note_added" in await kit.events(crisis.id)
    assert len(await kit.cases()) == 2
