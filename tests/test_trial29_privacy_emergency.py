"""Trial 29 P8 and P14, through the bot against the fake Bot API.

P8: a fire reporter's details message ``西湖街道金桥小区5栋 电话13900001111`` left the
word 电话 in the address, and the place was not matched to 金桥居民区 / 西湖街道, so the
local work room and street station got nothing. Now the phone's label goes with the
number, and the named area becomes the 属地 and gets the card.

P14: a citizen's self-harm disclosure reached five district desks in full. Now only the
owning unit (the police station) and the dispatcher desk read the words; the other
holders of the card read a short summary, and not what the citizen adds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2901
POLICE = 2902
DESK = 2903
CENTRE = 2904
LEADER = 2905
JINQIAO = 2906
XIHU = 2907


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _people(kit: BotKit) -> dict[str, FakeUser]:
    units = {
        "police": (POLICE, "police", Role.CHIEF),
        "desk": (DESK, kit.district.dispatcher, Role.STAFF),
        "centre": (CENTRE, kit.district.warning_centres[0], Role.CHIEF),
        "leader": (LEADER, kit.district.leadership, Role.CHIEF),
        "jinqiao": (JINQIAO, "xihu_jinqiao", Role.CHIEF),
        "xihu": (XIHU, "xihu", Role.CHIEF),
    }
    people = {}
    for key, (uid, unit, role) in units.items():
        people[key] = kit.user(uid, f"站长{uid}")
        await kit.bind(people[key], unit, role)
    return people


async def test_p8_phone_label_leaves_the_address_and_the_place_finds_its_area(
    kit: BotKit,
) -> None:
    people = await _people(kit)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text("救命 楼下着火了！！烟很大 三楼有老人出不来")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    await kit.say(citizen, "西湖街道金桥小区5栋 电话13900001111", "补充到")
    stored = await kit.case(case.id)
    assert stored.address == "西湖街道金桥小区5栋"
    assert stored.contact_phone == "13900001111"
    assert stored.territorial_unit_id == "xihu_jinqiao"
    # The work room and the street station of the place get the card, with the place.
    for key in ("jinqiao", "xihu"):
        card = await people[key].wait_for_message(
            lambda m: (
                m.content.startswith(f"【群众诉求】{case.number}")
                or f"{case.number}" in m.content.splitlines()[0]
            ),
            WAIT,
        )
        assert "地点：西湖街道金桥小区5栋\n" in card.content + "\n", card.content
        assert "老人出不来" in card.content and "13900001111" not in card.content
    owner = await people["police"].wait_for_message(
        lambda m: m.content.startswith(f"【紧急诉求补充】{case.number}"), WAIT
    )
    assert "地点：西湖街道金桥小区5栋\n" in owner.content and "电话\n" not in owner.content


SELF_HARM = "活着太累了，欠了一屁股债，老婆也走了，我今晚就想从桥上跳下去算了"


async def test_p14_only_the_owner_and_the_desk_read_a_self_harm_disclosure(
    kit: BotKit,
) -> None:
    people = await _people(kit)
    citizen = kit.user(CITIZEN, "李强")
    action = citizen.send_text(SELF_HARM)
    await citizen.wait_for_message(
        lambda m: "12356" in m.content or "热线" in m.content, WAIT, since=action
    )
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.owning_unit_id == "police"
    await kit.delivered()

    def cards(user: FakeUser) -> list[str]:
        return [m.content for m in user.transcript() if case.number in m.content]

    for key in ("police", "desk"):
        assert any("欠了一屁股债" in c for c in cards(people[key])), key
    for key in ("centre", "leader"):
        told = cards(people[key])
        assert told, key  # still told that it happened
        assert not any("欠了一屁股债" in c or "桥上" in c for c in told), told
        assert any("轻生念头" in c and "公安分局" in c for c in told), told
    # What the citizen says next reaches the owner in full, the others without the words.
    citizen.send_text("没用的 谁也帮不了我")
    await people["police"].wait_for_message(lambda m: "谁也帮不了我" in m.content, WAIT)
    await kit.delivered()
    for key in ("centre", "leader"):
        assert not [m for m in people[key].transcript() if "谁也帮不了我" in m.content]
