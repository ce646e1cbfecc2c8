"""Trial 25 T15: /pending hid that a citizen's case is 特别重大 and listed it by deadline
only; the desk's list called its dispatch deadline 签收时限 (the card says 派单时限).

A critical or high request shows its level, critical cases come first, and a case at the
desk shows 派单时限.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_police, police_chief
from tests.test_trial_defects import file_request

CITIZEN = 2631
OTHER = 2632
POLICE = 2633
DESK = 2634
JUNK = "啊啊啊啊啊啊啊啊啊 阿斯顿发生的"
THEFT = "我的电动车昨晚在小区楼下被偷了，监控拍到了人"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_pending_shows_critical_first_with_its_level(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    desk = kit.user(DESK, "分派台主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    theft = await file_request(kit, citizen, THEFT)
    knife = (await critical_case_at_police(kit, kit.user(OTHER, "李强"), police)).case
    assert theft.owning_unit_id == knife.owning_unit_id == "police"

    listing = await kit.say(police, "/pending", "待办案件")
    text = listing.content
    assert f"{knife.number}（群众诉求·特别重大）" in text
    assert text.index(knife.number or "") < text.index(theft.number or "")
    assert "（群众诉求）" in text  # an ordinary request shows no level

    await file_request(kit, citizen, JUNK)
    at_desk = await kit.say(desk, "/pending", "待办案件")
    assert "派单时限" in at_desk.content and "签收时限" not in at_desk.content
