"""Trial 26 T5: a critical case's missed 签收 reaches the level above at the first miss.

A drowning report owned by the police, left unacknowledged: at its 1-hour 签收时限 the
supervision centre gets 【上报督办】 at once (it used to wait for two 催签收 and
come at +2 h, the same minute as the 办结时限). A 重大 warning gets one 催签收 and
goes up 30 minutes later. The bot, the fake Bot API and the real scheduler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2621
POLICE = 2622
CENTRE = 2623
OFFICER = 2624
STATION = 2625
DROWNING = "河边有个小孩掉进水里了，快来人"
PETITION = "东城街道有三十多个村民约好明天一起去区政府门口拉横幅讨说法"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_critical_missed_acknowledgement_escalates_at_once(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    centre = kit.user(CENTRE, "督办中心")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.answer(citizen, citizen.send_text(DROWNING), "已登记")
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.ack_due_at is not None
    assert case.resolve_due_at is not None
    number = case.number or ""
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)

    kit.clock.advance(case.ack_due_at - kit.clock.now() - timedelta(minutes=1))
    assert await sched.run_due() == 0  # nothing before the 签收时限
    kit.clock.advance(timedelta(minutes=1, seconds=1))
    assert await sched.run_due() == 1
    case = await kit.case(case.id)
    assert case.escalation_level == 1
    assert case.escalated_to_unit_id == kit.district.supervision
    assert "escalated" in await kit.events(case.id)
    assert "renotified" not in await kit.events(case.id)
    assert kit.clock.now() < case.resolve_due_at  # an hour before the 办结时限
    told = await centre.wait_for_message(
        lambda m: "【上报督办】" in m.content and number in m.content, WAIT
    )
    assert "超时未签收" in told.content
    await police.wait_for_message(lambda m: "【上报督办】" in m.content, WAIT)
    await kit.delivered()
    assert not any("【催签收】" in m.content for m in police.transcript())


async def test_a_serious_warning_gets_one_reminder_then_escalates(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    await kit.say(officer, f"/warn {PETITION}", "预警已报送")
    (case,) = await kit.cases()
    assert case.severity == "high" and case.ack_due_at is not None
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    assert await sched.run_due() == 1
    assert "renotified" in await kit.events(case.id)
    assert (await kit.case(case.id)).escalation_level == 0
    kit.clock.advance(kit.district.escalation.renotify_interval)
    assert await sched.run_due() == 1
    events = await kit.events(case.id)
    assert events.count("renotified") == 1 and "escalated" in events
    assert (await kit.case(case.id)).escalation_level == 1


async def test_after_escalation_the_card_shows_the_rounds_deadline_labelled(
    kit: BotKit,
) -> None:
    """T11: a future 签收时限 stood beside 【已超期】 after escalation; it is the
    supervision round's deadline and says so (督办签收时限), while 【催签收】 named
    the first, missed one."""
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    await kit.say(officer, f"/warn {PETITION}", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    first_due = case.ack_due_at
    assert first_due is not None
    card = await station.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    assert "\n签收时限：" in card.content and "督办签收时限" not in card.content
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(first_due - kit.clock.now() + timedelta(seconds=1))
    while (await kit.case(case.id)).escalation_level == 0:
        assert await sched.run_due() == 1
        kit.clock.advance(kit.district.escalation.renotify_interval)
    await kit.delivered()
    stored = await kit.case(case.id)
    assert stored.ack_due_at is not None and stored.ack_due_at > kit.clock.now()
    reminder = next(m for m in station.transcript() if m.content.startswith("【催签收】"))
    card = next(m for m in station.transcript() if m.message_id == card.message_id)
    assert "【签收超时】" in card.content
    assert "督办签收时限：" in card.content and "\n签收时限：" not in card.content
    shown = card.content.split("督办签收时限：")[1].splitlines()[0]
    assert shown not in reminder.content  # the missed first deadline is not shown as current
