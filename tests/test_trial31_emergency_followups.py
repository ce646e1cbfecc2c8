"""Trial 31 #1: what a fire reporter writes next joins their open critical case.

门被堵住了出不去 在502 at the step that asks where (kind ``danger``), 还在烧 越来越大了
after 跳过: each used to open a new critical case with half the facts (trapped, the room
number), the first case never learning them. They are 【紧急补充】 on the open case, the
police told at once with the danger first, the reporter given the line again. A danger
another family owns (a knife after a fire) is a new emergency, filed as its own case.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import police_chief
from tests.emergencykit import calls

CITIZEN = 3101
POLICE = 3102


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _fire(kit: BotKit) -> tuple[FakeUser, FakeUser, int]:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "李梅")
    action = citizen.send_text("救命 楼下着火了 烟好大")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    return citizen, police, case.id


async def test_trapped_at_the_where_step_joins_the_fire_case(kit: BotKit) -> None:
    citizen, police, case_id = await _fire(kit)
    more = "楼道门堵住了出不去 在602"
    action = citizen.send_text(more)
    await citizen.wait_for_message(calls("119"), WAIT, since=action)
    await citizen.wait_for_message(lambda m: "补充说明已加入" in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("所在的地点" in m for m in said), said  # not a new case's step
    assert [c.id for c in await kit.cases()] == [case_id]
    assert (await kit.events(case_id)).count("note_added") == 1
    await police.wait_for_message(
        lambda m: "【紧急补充】" in m.content and "602" in m.content, WAIT
    )


async def test_still_burning_after_skipping_joins_and_a_knife_is_its_own_case(
    kit: BotKit,
) -> None:
    citizen, police, case_id = await _fire(kit)
    await kit.say(citizen, "跳过", "已登记")
    action = citizen.send_text("火还在烧 越烧越旺了")
    await citizen.wait_for_message(lambda m: "补充说明已加入" in m.content, WAIT, since=action)
    assert [c.id for c in await kit.cases()] == [case_id]
    await police.wait_for_message(
        lambda m: "【紧急补充】" in m.content and "越烧越旺" in m.content, WAIT
    )

    # A danger another rubric family owns is a new, different emergency.
    other = citizen.send_text("小区门口有人拿刀砍人")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=other)
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical"
    assert (await kit.events(case_id)).count("note_added") == 1
