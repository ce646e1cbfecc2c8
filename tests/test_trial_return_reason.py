"""Trial 25 T10: 退单 took any reason ("x", "。"), so a station could bounce its own work
with nothing for the desk to re-dispatch by.

A reason with fewer than four meaningful characters is refused with what to write; the
reason is asked again (the case unchanged) and a real one returns the case as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

CITIZEN = 2621
CHIEF = 2622
REASON = "属于社保缴费问题，应由区人社局办理"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_return_needs_a_reason_that_says_something(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.press(chief, card, "退单", "退单理由")
    for junk in ("x", "。"):
        refused = await kit.say(chief, junk, "退单理由过于简单")
        assert "至少4个字" in refused.content
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED
    assert "returned" not in await kit.events(case.id)
    # Still asked: the next text is the reason.
    await kit.say(chief, REASON, "已退单")
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.RETURNED
    (returned,) = [e for e in await events_of(kit, case.id) if e.type == "returned"]
    assert returned.note == REASON
