"""Trial 25 T2: a short report of danger now is owned at once by its danger's unit.

A fire next door or a missing old man is the police's (README: "filed at once as
a critical case to the owning unit"): the police station gets the card with its
buttons and the full phone, the dispatcher desk a copy, and the citizen is not
told that someone will decide within the hour who handles it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2501
POLICE = 2502
DESK = 2503


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize(
    "text",
    ["隔壁着火了", "家里老人走丢了，找了一晚上都没找到，有老年痴呆"],
)
async def test_a_danger_now_is_owned_by_the_police_not_the_desk(kit: BotKit, text: str) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.answer(citizen, citizen.send_text(text), "已登记")

    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    assert case.status == CaseStatus.DISPATCHED and case.bureau == "police"
    number = case.number or ""
    card = await police.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    assert "承办单位：区公安分局" in card.content
    copy = await desk.wait_for_message(lambda m: number in m.content, WAIT)
    assert not copy.buttons  # the desk reads; the police act
    await kit.delivered()
    said = "\n".join(m.content for m in citizen.transcript())
    assert "分派承办单位" not in said and "区公安分局" in said
