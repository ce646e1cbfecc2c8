"""Trial 31 #2: a location or a contact shared while a critical case is open is put on it.

The bot says 「地点和电话以后也可以告诉工作人员」 once the place-and-phone step is over (跳过,
or another message), yet a location or a contact sent after that was answered
「…请先用文字描述问题」 and dropped; a contact at the step itself was dropped as well.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import police_chief

CITIZEN = 3111
POLICE = 3112
PHONE = "13912345678"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_location_and_contact_after_skipping_reach_the_case(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "张丽")
    action = citizen.send_text("丈夫喝了酒在家里乱砸 我带着孩子锁在卧室里")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "工作人员会尽快处理")
    (case,) = await kit.cases()
    number = case.number or ""

    where = citizen.send_location(30.27, 120.16)
    said = await citizen.wait_for_message(lambda m: number in m.content, WAIT, since=where)
    assert "位置" in said.content and "请先用文字描述" not in said.content
    phone = citizen.send_contact(PHONE)
    said = await citizen.wait_for_message(lambda m: number in m.content, WAIT, since=phone)
    assert "电话" in said.content and "请先用文字描述" not in said.content

    stored = await kit.case(case.id)
    assert stored.latitude is not None and stored.contact_phone == PHONE
    assert (await kit.events(case.id)).count("details_added") == 2
    assert [c.id for c in await kit.cases()] == [case.id]
    await kit.delivered()
    await police.wait_for_message(
        lambda m: "【紧急诉求补充】" in m.content and PHONE in m.content, WAIT
    )


async def test_a_contact_at_the_step_is_the_phone(kit: BotKit) -> None:
    await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "张丽")
    action = citizen.send_text("救命 楼下着火了 烟好大")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    phone = citizen.send_contact(PHONE)
    said = await citizen.wait_for_message(lambda m: "补充到" in m.content, WAIT, since=phone)
    assert "电话" in said.content
    assert (await kit.case(case.id)).contact_phone == PHONE
