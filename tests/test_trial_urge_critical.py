"""Trial 25 T8: the supervision centre could 催办 a critical case only once per 24 h,
although its whole resolution window is 2 h.

A case may be urged once per the shorter of ``urge_interval`` and its acknowledgement
period: once an hour for a critical case (an ordinary one stays once a day:
tests/test_trial_urge_limit.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_police, police_chief

CITIZEN = 2651
POLICE = 2652
SUPERVISOR = 2653


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_critical_case_may_be_urged_once_an_hour(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    supervisor = kit.user(SUPERVISOR, "督办员")
    await kit.bind(supervisor, kit.district.supervision, Role.CHIEF)
    filed = await critical_case_at_police(kit, kit.user(CITIZEN, "王芳"), police)
    case, number, card = filed.case, filed.number, filed.card
    await kit.press(police, card, "上报", "上报")
    await kit.say(police, "需区里协调多部门", "已上报")
    centre = await supervisor.wait_for_message(
        lambda m: m.content.startswith("【") and number in m.content and "催办" in str(m.buttons),
        WAIT,
    )
    assert (await kit.callback_answer(supervisor.press(centre, "催办"))).startswith("已催办")
    kit.clock.advance(timedelta(minutes=40))
    refused = await kit.callback_answer(supervisor.press(centre, "催办"))
    assert "1小时内只能催办一次" in refused
    kit.clock.advance(timedelta(minutes=21))
    again = await kit.callback_answer(supervisor.press(centre, "催办"))
    assert again.startswith("已催办")
    events = await kit.events(case.id)
    assert events.count("urged") == 2
