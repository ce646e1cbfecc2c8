"""Trial 30 #15 and #14: the 退单 reason step.

#15: the refusal of a reason too short gave the example 「应由区人社局办理」; the district has
区劳动局 and 区人事局, no 区人社局. The example now names a bureau of the district's own
configuration, as every bureau the step names must.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 3014
CHIEF = 3015

#: A district bureau as a text names it: 区劳动局, 区公安分局.
_BUREAU_NAME = re.compile(r"区[\u4e00-\u9fff]{1,3}?分?局")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _asked_for_a_reason(kit: BotKit) -> tuple[FakeUser, int]:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.press(chief, card, "退单", "退单理由")
    return chief, case.id


async def test_the_return_example_names_a_bureau_the_district_has(kit: BotKit) -> None:
    chief, _ = await _asked_for_a_reason(kit)
    refused = await kit.say(chief, "。", "退单理由过于简单")
    names = _BUREAU_NAME.findall(refused.content)
    assert "区劳动局" in names, refused.content
    known = {b.name for b in kit.district.bureaus.values()}
    assert set(names) <= known, (set(names) - known, refused.content)
