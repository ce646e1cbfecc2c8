"""Trial 24 T7: a photo sent with an emergency as its caption stays with the emergency:
filed on the critical case and sent to the owning unit's chief right after the card.

A child hurt in a manhole is a life at risk: 卫生局 (120 first) owns it, 建设局 is informed
(own35; until then the construction bureau owned it by its topic)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2431
CHIEF = 2432
MANHOLE = "小区门口的下水道井盖丢了，已经有小孩掉下去受伤了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_photo_with_an_emergency_caption_reaches_the_chief(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "卫生局站长")
    await kit.bind(chief, "health", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_photo(caption=MANHOLE)
    await citizen.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.original_text == MANHOLE
    assert len(case.photo_file_ids or ()) == 1
    assert case.owning_unit_id == "health"
    assert "construction" in (await kit.registered(case.id))["notify"]
    await kit.delivered()

    got = [m for m in chief.transcript() if m.from_bot]
    number = case.number or ""
    card = next(i for i, m in enumerate(got) if m.kind == "text" and number in m.content)
    assert "照片：1张" in got[card].content
    assert got[card + 1].kind == "photo" and number in got[card + 1].content
