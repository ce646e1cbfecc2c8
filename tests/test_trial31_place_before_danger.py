"""Trial 31 #7: the place typed just before the danger message stays on the emergency.

🔥🔥🔥 3栋 (the room picker: the classifier unsure), then 着火了: the case read 「内容：着火了」,
the place lost, and the person was invited to file 「🔥🔥🔥 3栋」 again as an ordinary
request (「…没有丢失，草稿已保留…点「继续提交」」). An unclear description minutes before the
danger is its start: one case holding both. A clear problem typed before (路灯坏了) stays a
draft of its own, kept as before. (Since i13ll, 🔥 beside a place is a fire by itself, so the
tests type a bare place: 5号楼东边那个单元.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import police_chief
from tests.emergencykit import calls

CITIZEN = 3141
POLICE = 3142


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_place_before_the_fire_is_on_the_case(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "陈伯")
    await kit.say(citizen, "5号楼东边那个单元", lambda m: bool(m.buttons))
    action = citizen.send_text("着火了 好大的烟")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert "5号楼" in case.original_text and "着火了" in case.original_text
    said = said_since(citizen, action)
    assert any("119" in m for m in said), said
    assert not any("没有丢失" in m for m in said), said  # not offered for a second filing
    await police.wait_for_message(
        lambda m: (case.number or "") in m.content and "5号楼" in m.content, WAIT
    )


async def test_an_older_unclear_draft_stays_a_draft_of_its_own(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "陈伯")
    await kit.say(citizen, "5号楼东边那个单元", lambda m: bool(m.buttons))
    kit.clock.advance(timedelta(hours=1))
    action = citizen.send_text("着火了 好大的烟")
    await citizen.wait_for_message(calls("119"), WAIT, since=action)
    await citizen.wait_for_message(lambda m: "没有丢失" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert "5号楼" not in case.original_text
