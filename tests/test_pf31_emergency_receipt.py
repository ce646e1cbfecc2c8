"""pf31 #2: the citizen's own receipt of an emergency says what is true.

It said 「承办单位：区公安分局（正在紧急处置）」 when nobody had signed (签收) the case yet.
Until a station signs it, the receipt says the case was passed on as an emergency and
waits for its signature; 签收 is told to the citizen when it happens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 3111
POLICE = 3112


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


def _has_buttons(m: ChatMessage) -> bool:
    return "签收" in str(m.buttons)


async def test_an_unsigned_emergency_is_told_as_waiting_for_its_signature(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    receipt = await kit.answer(
        citizen, citizen.send_text("救命！我家楼下着火了，烟很大，和平小区5栋"), "已登记"
    )
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.status == CaseStatus.DISPATCHED
    assert "承办单位：区公安分局群众工作站（已作为紧急事项转交，正在等待签收）" in receipt.content
    assert "正在紧急处置" not in receipt.content
    assert "办结时限" not in receipt.content

    # The station signs: the citizen hears of it, and nothing they were told was untrue.
    number = case.number or ""
    card = await police.wait_for_message(lambda m: number in m.content and _has_buttons(m), WAIT)
    await kit.press(police, card, "签收")
    told = await citizen.wait_for_message(
        lambda m: "签收" in m.content and number in m.content, WAIT
    )
    assert "区公安分局" in told.content
    assert (await kit.case(case.id)).status == CaseStatus.ACKNOWLEDGED
