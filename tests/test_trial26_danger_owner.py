"""Trial 26 T1 and T15: a danger now is owned at once by the unit that can act on it.

T1: 救命！我家楼下着火了…和平小区5栋 — the address words gave the planning bureau a
confident topic, so 区建设局 owned a fire and the police only had a masked copy.
Now the police own it (with the caller's phone in full on their card), the
construction station is informed (read-only, masked).

T15: a food poisoning at a school (卫生局's) and an old man collapsed (the 120
line's, 卫生局) waited at the dispatcher desk; now they are dispatched at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.emergencykit import calls

CITIZEN = 2601
POLICE = 2602
BUILDER = 2603
DESK = 2604
HEALTH = 2605
PHONE = "13900001111"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


def _has_buttons(m: ChatMessage) -> bool:
    return "签收" in str(m.buttons)


async def test_a_fire_with_an_address_is_the_polices_with_the_phone(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    builder = kit.user(BUILDER, "建设站")
    await kit.bind(builder, "construction", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.answer(
        citizen, citizen.send_text("救命！我家楼下着火了，烟很大，和平小区5栋"), "已登记"
    )
    await kit.answer(citizen, citizen.send_text(PHONE), "补充到")

    (case,) = await kit.cases()
    police_station = kit.district.bureaus["police"].station_id
    builder_station = kit.district.bureaus["construction"].station_id
    assert case.severity == "critical" and case.status == CaseStatus.DISPATCHED
    assert (case.bureau, case.owning_unit_id) == ("police", police_station)
    assert case.contact_phone == PHONE
    registered = await kit.registered(case.id)
    assert registered["how"] == "danger"
    assert builder_station in registered["notify"]
    number = case.number or ""
    await kit.delivered()
    # The police act on the card and see the number to call back.
    card = await police.wait_for_message(lambda m: number in m.content and _has_buttons(m), WAIT)
    assert "承办单位：区公安分局" in card.content
    assert f"联系电话：{PHONE}" in card.content
    # The construction station is told, reads only, and sees the phone masked.
    copy = await builder.wait_for_message(lambda m: number in m.content, WAIT)
    assert not copy.buttons
    seen = "\n".join(m.content for m in builder.transcript())
    assert PHONE not in seen and "139****1111" in seen
    said = "\n".join(m.content for m in citizen.transcript())
    assert "区公安分局" in said and "区建设局" not in said


@pytest.mark.parametrize(
    "text",
    ["学校食堂饭菜有问题，好几个孩子吃了拉肚子", "天哪楼下有个老人晕倒了，怎么叫都叫不醒"],
)
async def test_a_critical_report_without_a_topic_goes_to_health_at_once(
    kit: BotKit, text: str
) -> None:
    health = kit.user(HEALTH, "卫生站")
    await kit.bind(health, "health", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "李华")
    await kit.answer(citizen, citizen.send_text(text), "已登记")

    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.status == CaseStatus.DISPATCHED
    assert (case.bureau, case.owning_unit_id) == (
        "health",
        kit.district.bureaus["health"].station_id,
    )
    number = case.number or ""
    card = await health.wait_for_message(lambda m: number in m.content and _has_buttons(m), WAIT)
    assert "承办单位：区卫生局" in card.content
    copy = await desk.wait_for_message(lambda m: number in m.content, WAIT)
    assert not copy.buttons
    await kit.delivered()
    said = "\n".join(m.content for m in citizen.transcript())
    assert "分派承办单位" not in said
    assert any(calls("120")(m) for m in citizen.transcript())
