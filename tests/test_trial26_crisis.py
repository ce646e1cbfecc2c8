"""Trial 26 T2 and T4: someone who wrote of harming themselves.

T2: the receipt says 「想说什么随时发消息给我们」; what they write next (after the place
step, or instead of it) reaches the people handling their case as a 补充说明 with a human
answer, never the department picker.
T4: when nobody acknowledges in time and the case is escalated, they are not told
「已提交督查督办中心督办」, and /status shows them neither 【已超期】 nor 督办; the police
and the supervision centre still see both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot

CITIZEN = 2621
POLICE = 2622
SUPERVISOR = 2623
TEXT = "活着太累了，我真的不想活了，今晚就结束这一切"
NEXT = "其实我就是觉得没人在乎我，工作丢了，房租也交不起"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _crisis(kit: BotKit) -> int:
    """The citizen writes of self-harm; the police chief is bound. The case id."""
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(TEXT)
    await citizen.wait_for_message(lambda m: "想说什么随时发消息" in m.content, WAIT, since=action)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    return case.id


@pytest.mark.parametrize("skip_first", [True, False])
async def test_what_a_person_in_crisis_writes_next_reaches_their_helpers(
    kit: BotKit, skip_first: bool
) -> None:
    case_id = await _crisis(kit)
    citizen = kit.user(CITIZEN, "王芳")
    police = kit.user(POLICE, "公安站")
    if skip_first:
        await kit.say(citizen, "跳过", "已登记")
        assert kit.fake.reply_keyboard(CITIZEN) is None
    action = citizen.send_text(NEXT)
    answer = await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=action)
    assert "您不是一个人" in answer.content and "12356" in answer.content
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("部门" in m or "请选择" in m for m in said), said
    assert kit.fake.reply_keyboard(CITIZEN) is None  # the 📍/跳过 keyboard went (T6)

    # On the case, and the police chief told.
    assert (await kit.events(case_id)).count("note_added") == 1
    (only,) = await kit.cases()
    assert only.id == case_id and only.address is None  # not taken for a place
    await police.wait_for_message(lambda m: "补充说明" in m.content and NEXT in m.content, WAIT)


async def test_a_person_in_crisis_is_not_told_of_deadlines_or_supervision(kit: BotKit) -> None:
    case_id = await _crisis(kit)
    citizen = kit.user(CITIZEN, "王芳")
    supervisor = kit.user(SUPERVISOR, "督办")
    await kit.bind(supervisor, kit.district.supervision, Role.CHIEF)
    await kit.say(citizen, "跳过", "已登记")

    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    mark = citizen.send_command("/help")  # a marker: what came after it
    await kit.delivered()
    for _ in range(5):  # 2.5 hours without anyone acknowledging
        kit.clock.advance(timedelta(minutes=30))
        await scheduler.run_due()
    await kit.delivered()
    case = await kit.case(case_id)
    assert case.escalation_level >= 1  # the units' side went on as before
    await supervisor.wait_for_message(lambda m: "上报督办" in m.content, WAIT)

    told = said_since(citizen, mark)
    assert not any("督办" in m or "超期" in m or "时限" in m for m in told), told
    status = await kit.say(citizen, "/status", case.number or "")
    for word in ("已超期", "督办", "时限"):
        assert word not in status.content, status.content
    chief = await kit.person(POLICE)
    assert chief is not None
    view = await kit.runtime.cases.get_case_view(case_id, chief.id)
    assert view.overdue  # the police still see it overdue
