"""Stop 30: violence at home told as a habit, through the bot, the fake Bot API and the database.

The lead's decision: 我老公天天喝酒打我…我不敢回家了 is a high (重大) request owned by the
police, and the citizen's reply carries, before the rest, a one-line safety hint (110, 12110 by
SMS) — not the emergency line, and the case is not filed at once as critical. Told as happening
now (…我现在躲在厕所) it is the emergency it was: the line first, filed critical at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from nlp.emergency import SAFETY_HINT
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import file_request

#: Trial 28 P3's sentence, decided high.
BEATEN = "我老公天天喝酒打我，孩子也被他打，我不敢回家了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_habit_of_violence_at_home_gets_the_hint_first_and_a_high_police_case(
    kit: BotKit,
) -> None:
    citizen = kit.user(3001, "群众")
    proposal = await kit.say(citizen, BEATEN, lambda m: bool(m.buttons))
    lines = proposal.content.split("\n")
    assert lines[0] == SAFETY_HINT, proposal.content
    assert "110" in lines[0] and "12110" in lines[0]
    assert "情况紧急" not in proposal.content  # not the emergency line
    assert "公安" in proposal.content  # the office proposed is the police
    assert "提交" in [b["text"] for b in proposal.buttons]
    assert await kit.cases() == []  # nothing filed before 提交
    case = await file_request(kit, kit.user(3001, "群众"), BEATEN)
    assert case.severity == "high" and case.priority == "high"
    assert case.owning_unit_id == "police"
    assert "emergency" not in await kit.registered(case.id)  # not filed as an emergency


async def test_the_same_violence_now_gets_the_emergency_line_and_is_filed_critical(
    kit: BotKit,
) -> None:
    citizen = kit.user(3002, "群众")
    text = "我老公天天喝酒打我，今天又打了，我现在躲在厕所里"
    answer = await kit.say(citizen, text, "110")
    assert answer.content.startswith("⚠️ 情况紧急"), answer.content
    assert SAFETY_HINT not in answer.content
    (case,) = await kit.cases()
    assert case.severity == "critical"


async def test_an_ordinary_request_gets_no_hint(kit: BotKit) -> None:
    citizen = kit.user(3003, "群众")
    proposal = await kit.say(
        citizen, "我老公天天打游戏不管孩子，想问问社区能不能调解", lambda m: bool(m.buttons)
    )
    assert SAFETY_HINT not in proposal.content
    assert "110" not in proposal.content
