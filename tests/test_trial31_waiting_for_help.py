"""Trial 31 #9: 「消防车怎么还没来？？」 from a reporter whose emergency is open is about it.

It used to get the department picker (识别到的关键词：“消防车”, 办公时间：周一至周五…), nothing
reaching the handlers and no line. Now it goes onto the open case (the police told) and is
answered with the case's status and the emergency line again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import police_chief
from tests.emergencykit import calls
from tests.test_trial_defects import events_of

CITIZEN = 3151
POLICE = 3152


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize("skip", [False, True])
async def test_where_is_the_fire_engine_goes_to_the_case(kit: BotKit, skip: bool) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "刘姐")
    action = citizen.send_text("救命 楼下着火了 烟好大")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    if skip:
        await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    number = case.number or ""
    question = "都十分钟了 消防车咋还没到？"
    action = citizen.send_text(question)
    answer = await citizen.wait_for_message(lambda m: "目前状态" in m.content, WAIT, since=action)
    assert number in answer.content and "承办单位" in answer.content
    assert calls("119")(answer)
    await kit.handled(action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("我不能确定" in m or "办公时间" in m for m in said), said
    assert [c.id for c in await kit.cases()] == [case.id]
    notes = [e for e in await events_of(kit, case.id) if e.type == "note_added"]
    assert [e.note for e in notes] == [question]
    await police.wait_for_message(lambda m: "咋还没到" in m.content, WAIT)


@pytest.mark.parametrize(
    ("text", "waiting"),
    [
        ("救护车到哪了", True),
        ("警察什么时候能到", True),
        ("你们的人怎么还不来", True),
        ("还要等多久啊", True),
        ("消防通道被堵了", False),
        ("救护车收费太贵了", False),
        ("派出所什么时候上班", False),
        ("路灯还没修好", False),
    ],
)
def test_waiting_wordings_and_look_alikes(text: str, waiting: bool) -> None:
    from bot.services.progress_questions import asks_for_help

    assert asks_for_help(text) is waiting
