"""Trial 27 N19 and N20: what a person sends next about their open emergency joins it.

N19: a further danger message of the same kind (「我现在已经站在楼顶了」 after a self-harm
report) used to open a new critical case and ask again for the place and a phone; it is
added to the open case and the units holding it are told again.
N20: 「火已经被扑灭了，没有人受伤，谢谢你们」 a day after a fire report used to get the
department picker; it is added to the open fire case and the police learn it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot

CITIZEN = 2731
POLICE = 2732


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _danger(kit: BotKit, text: str) -> tuple[FakeUser, FakeUser, int]:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(text)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    await kit.say(citizen, "跳过", "已登记")
    return citizen, police, case.id


async def test_a_further_self_harm_message_joins_the_open_case(kit: BotKit) -> None:
    citizen, police, case_id = await _danger(kit, "我不想活了，活着没意思")
    more = "我现在已经站在楼顶了"
    action = citizen.send_text(more)
    await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert any("12356" in m for m in said), said
    assert not any("所在的地点" in m for m in said), said  # not asked again as if new
    assert [c.id for c in await kit.cases()] == [case_id]
    assert (await kit.events(case_id)).count("note_added") == 1
    await police.wait_for_message(lambda m: "补充说明" in m.content and more in m.content, WAIT)


async def test_a_fire_reporters_update_joins_the_open_fire_case(kit: BotKit) -> None:
    citizen, police, case_id = await _danger(kit, "楼道里着火了，火很大，烟很浓")
    kit.clock.advance(timedelta(days=1))
    update = "火已经被扑灭了，没有人受伤，谢谢你们"
    action = citizen.send_text(update)
    await citizen.wait_for_message(lambda m: "补充说明已加入" in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("部门" in m and "我不能确定" in m for m in said), said
    assert [c.id for c in await kit.cases()] == [case_id]
    assert (await kit.events(case_id)).count("note_added") == 1
    await police.wait_for_message(lambda m: "补充说明" in m.content and "扑灭" in m.content, WAIT)

    # A routine problem the classifier routes with confidence is proposed as usual.
    other = citizen.send_text("小区门口的路灯坏了一个多月了，晚上很黑")
    await citizen.wait_for_message(lambda m: "提交" in m.content, WAIT, since=other)
    assert (await kit.events(case_id)).count("note_added") == 1
