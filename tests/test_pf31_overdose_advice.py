"""pf31 #6: a relative's overdose gets advice that fits a medical emergency.

我妈吃了一整瓶安眠药，叫不醒了 got 120 first, then 「…等待救护人员和民警到场」: a poisoning is
the ambulance's, not the police's. The advice now says 120 first and what a layman does until
it comes (stay, keep the bottle, no vomiting forced, on the side if asleep and breathing);
a relative who cut themselves and someone about to jump keep their advice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.emergencykit import EMERGENCY_LINE, calls

CITIZEN = 3141
HEALTH = 3142
POLICE = 3143


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize(
    "text",
    ["我妈吃了一整瓶安眠药，叫不醒了", "我爸刚才喝了农药", "我老婆吞了好多药，现在迷迷糊糊的"],
)
async def test_a_relatives_overdose_gets_medical_advice(kit: BotKit, text: str) -> None:
    health = kit.user(HEALTH, "卫生站长")
    await kit.bind(health, "health", Role.CHIEF)
    citizen = kit.user(CITIZEN, "家属")
    action = citizen.send_text(text)
    line = await citizen.wait_for_message(lambda m: EMERGENCY_LINE in m.content, WAIT, since=action)
    assert calls("120")(line)
    first = next(x for x in line.content.splitlines() if EMERGENCY_LINE in x)
    assert first.index("120") < first.index("110")  # the ambulance first
    advice = line.content.split("\n", 1)[1]
    assert "民警" not in advice
    assert "120" in advice and "药瓶" in advice and "催吐" in advice
    await kit.delivered()
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["health"].station_id


@pytest.mark.parametrize(
    ("text", "words"),
    [("我哥割腕了，流了好多血", "陪在对方身边"), ("楼顶有人要跳楼", "视线内")],
)
async def test_other_bystanders_keep_their_advice(kit: BotKit, text: str, words: str) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "路人")
    action = citizen.send_text(text)
    line = await citizen.wait_for_message(lambda m: EMERGENCY_LINE in m.content, WAIT, since=action)
    assert words in line.content and "民警" in line.content
    assert "催吐" not in line.content
