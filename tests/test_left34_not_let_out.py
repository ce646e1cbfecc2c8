"""Review left open #5: not being let out to play is no unlawful detention.

妈妈不让我出去玩 got the 110 emergency line (the rubric's crime_now read 不让我出去 as
someone held). A rule at home about going out (to play, online, for a drink) is a
complaint, not a crime under way (config/severity.toml, crime_now's exclude); someone
locked in or held (被锁在屋里出不去, 他们把我关起来了) still gets 110 at once. The bot over
the fake Bot API.
"""

from __future__ import annotations

import pytest

from tests.botkit import WAIT, BotKit, said_since

CITIZEN = 3531


@pytest.mark.parametrize(
    "text",
    ["妈妈不让我出去玩", "我爸妈不让我出去上网", "老婆不让我出去喝酒", "奶奶不让我出去找同学玩"],
)
async def test_not_let_out_is_no_emergency(kit: BotKit, text: str) -> None:
    citizen = kit.user(CITIZEN, "小明")
    mark = citizen.send_text(text)
    await citizen.wait_for_message(lambda m: True, WAIT, since=mark)
    told = said_since(citizen, mark)
    assert not any(m.startswith("⚠️") or "110" in m for m in told), told
    assert await kit.cases() == []


@pytest.mark.parametrize(
    "text", ["我被锁在屋里出不去", "他们把我关起来了，救救我", "传销的人看着我，不让我出去"]
)
async def test_someone_held_gets_110(kit: BotKit, text: str) -> None:
    citizen = kit.user(CITIZEN, "小明")
    mark = citizen.send_text(text)
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=mark)
    told = said_since(citizen, mark)
    assert told[0].startswith("⚠️") and "110" in told[0], told
    (case,) = await kit.cases()
    assert case.severity == "critical"
