"""Trial 30 #4, #7 and #20 through the real bot (fake Bot API).

#4: 💊💊💊 我吃了好多，好困 got a department picker: now the crisis line with 120 first and a
critical case owned by the health bureau (an overdose is a poisoning: #18).
#7: 我家楼下的马路上有个大坑，已经摔倒好几个人了 got 110 and a critical case: now a road-repair
answer naming 建设局, no emergency line, nothing filed before 提交.
#20: an officer's /warn 🔥🔥🔥 got only 请描述预警情况: now the 119 hint before it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 3001
OFFICER = 3002
PILLS = "\U0001f48a"
FIRE = "\U0001f525"
POTHOLE = "我家楼下的马路上有个大坑，已经摔倒好几个人了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_an_overdose_told_with_pill_emoji_gets_120_the_crisis_line_and_a_case(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "小吴")
    action = citizen.send_text(f"{PILLS}{PILLS}{PILLS} 我吃了好多，好困")
    line = await citizen.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    assert line.content.index("120") < line.content.index("110")
    hotline = kit.district.crisis_hotline
    await citizen.wait_for_message(lambda m: hotline in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["health"].station_id
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any("我不能确定由哪个部门" in t for t in said), said


async def test_a_pothole_that_people_fell_in_is_a_road_repair_request(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 10, "小郑")
    action = citizen.send_text(POTHOLE)
    await citizen.wait_for_message(lambda m: "建设局" in m.content, WAIT, since=action)
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any("情况紧急" in t or "110" in t for t in said), said
    assert await kit.cases() == []


async def test_an_officers_bare_fire_emoji_gets_the_119_hint(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    action = officer.send_text(f"/warn {FIRE}{FIRE}{FIRE}")
    answer = await officer.wait_for_message(
        lambda m: "请描述预警情况" in m.content, WAIT, since=action
    )
    assert "拨打 119（火警）" in answer.content, answer.content
    assert answer.content.index("119") < answer.content.index("请描述预警情况")
