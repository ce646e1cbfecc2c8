"""Trial 29 #1: a self-harm writer's next danger-now words join their open case.

最近压力太大，我想自杀 is filed to the police with the crisis line; the person skips the
place step and writes 我现在一个人在江边. That used to become a second critical case at
the dispatcher desk (计生局 proposed), with deadlines and 督办 notices to the person,
and the police never learned where the person was. Now it is a 补充说明 of the
self-harm case: the police read it, the person gets the human answer, no second case
exists, and nothing the person is told names a deadline, 超期 or 督办. A fire the same
person reports is still a case of its own (another danger, another owner's job).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import filed_without_place

CITIZEN = 2941
POLICE = 2942
DESK = 2943
FIRST = "最近压力太大，我想自杀"
WHERE = "我现在一个人在江边"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_where_a_person_in_crisis_is_reaches_the_police_on_their_case(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "小周")
    await filed_without_place(kit, citizen, FIRST)
    (case,) = await kit.cases()
    assert case.bureau == "police"

    mark = citizen.send_text(WHERE)
    answer = await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=mark)
    assert "您不是一个人" in answer.content and "12356" in answer.content
    await kit.delivered()

    # One case: the place is a 补充说明 of the self-harm case, and the police read it.
    (only,) = await kit.cases()
    assert only.id == case.id
    assert (await kit.events(case.id)).count("note_added") == 1
    await police.wait_for_message(lambda m: "补充说明" in m.content and WHERE in m.content, WAIT)

    # An hour and more with nobody acknowledging: the person hears of no deadline or 督办.
    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    for _ in range(4):
        kit.clock.advance(timedelta(minutes=30))
        await scheduler.run_due()
    await kit.delivered()
    told = said_since(citizen, mark)
    for word in ("督办", "超期", "时限", "分派承办单位", "编号 MQ"):
        assert not any(word in m for m in told), (word, told)
    status = await kit.say(citizen, "/status", only.number or "")
    for word in ("已超期", "督办", "时限"):
        assert word not in status.content, status.content


async def test_a_fire_from_a_person_in_crisis_is_its_own_case(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小周")
    await filed_without_place(kit, citizen, FIRST)
    await kit.answer(citizen, citizen.send_text("隔壁着火了，烟很大"), "119")
    await kit.delivered()
    cases = await kit.cases()
    assert len(cases) == 2
    assert all(c.severity == "critical" for c in cases)
