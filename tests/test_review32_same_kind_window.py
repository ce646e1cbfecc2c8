"""Review 32 (if time allows): a second fire the next day is a new emergency.

Same-kind danger joined the citizen's open emergency for 48 hours, so 楼道里又着火了 the
next day went onto yesterday's fire case as a 【紧急补充】 instead of being dispatched as the
new event it is. Now the same kind joins within six hours of the last word on the open
case (bot/services/emergency_join.py says why); an update that is not danger now
(火已经被扑灭了) still joins for 48 hours.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services.emergency_join import SAME_KIND_WINDOW, same_emergency
from storage.enums import Role
from tests.botkit import WAIT, BotKit

CITIZEN = 3351
POLICE = 3352
FIRE = "楼道里着火了，火很大，烟很浓"
FIRE_AGAIN = "楼道里又着火了，火很大，快来人"


def test_the_window_is_hours_not_days() -> None:
    assert timedelta(hours=6) == SAME_KIND_WINDOW
    assert same_emergency("fire", "fire", FIRE_AGAIN, timedelta(hours=2))
    assert not same_emergency("fire", "fire", FIRE_AGAIN, timedelta(hours=20))


async def _fire(kit: BotKit) -> int:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.say(citizen, FIRE, "所在的地点")
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    return case.id


async def test_a_second_fire_the_next_day_is_a_case_of_its_own(kit: BotKit) -> None:
    first = await _fire(kit)
    kit.clock.advance(timedelta(hours=20))
    citizen = kit.user(CITIZEN, "王芳")
    await kit.say(citizen, FIRE_AGAIN, "所在的地点")  # asked again: a new emergency
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical"
    assert FIRE_AGAIN in cases[-1].original_text
    assert "note_added" not in await kit.events(first)


async def test_the_same_fire_two_hours_on_still_joins(kit: BotKit) -> None:
    first = await _fire(kit)
    kit.clock.advance(timedelta(hours=2))
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(FIRE_AGAIN)
    await citizen.wait_for_message(lambda m: "补充" in m.content, WAIT, since=action)
    assert [c.id for c in await kit.cases()] == [first]
    assert (await kit.events(first)).count("note_added") == 1
