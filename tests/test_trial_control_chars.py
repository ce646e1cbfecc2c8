"""Trial 25 T3: control and bidi-override characters were kept in a case's text and shown
on the chiefs' cards (U+202E shows the rest of the line reversed).

They are dropped at intake: the stored text and the card hold what a person can read;
line breaks stay, and NUL is kept as U+FFFD as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import card_of, file_request

CITIZEN = 2641
CHIEF = 2642
SENT = "\x01\x02单位拖欠\u202e工资\ufeff三个月不发\x07\u2066，老板一直找借口"
CLEAN = "单位拖欠工资三个月不发，老板一直找借口"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_controls_and_overrides_are_dropped_at_intake(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, SENT)
    assert case.original_text == CLEAN
    card = await card_of(chief, case)
    assert f"内容：{CLEAN}" in card.content
    assert not any(c in card.content for c in "\x01\x02\x07\u202e\u2066\ufeff")
