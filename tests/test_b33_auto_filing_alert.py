"""b33 #2: an auto-filing that keeps failing alerts people and is never given up.

An unconfirmed 重大 warning proposal is filed without the officer after 15 minutes
(trial 32 D27); a filing that failed was retried for ever and nobody heard of it. Now,
after three failed attempts (the service's clock), the chiefs of the officer's station
and the dispatcher desk get 【预警自动报送失败】 once, with the text; the log says so
without the text; the retries go on and file the warning once the fault is gone.

The fault is the real database's: a trigger that aborts every insert into ``cases``.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select, text

from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from storage.models import Timer
from tests.botkit import WAIT, BotKit
from tests.trial32kit import scheduler_pass as _pass

OFFICER = 3351
CHIEF = 3352
DESK = 3353
OTHER_CHIEF = 3354
SIT_IN = "有人在广场上散发传单，号召明天去区政府静坐，估计有上百人响应"
ALERT = "【预警自动报送失败】"


async def _fault(kit: BotKit, on: bool) -> None:
    async with kit.db.session() as s:
        if on:
            await s.execute(
                text(
                    "CREATE TRIGGER b33_no_cases BEFORE INSERT ON cases "
                    "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
                )
            )
        else:
            await s.execute(text("DROP TRIGGER b33_no_cases"))


async def _hold(kit: BotKit) -> dict[str, object]:
    async with kit.db.session() as s:
        (timer,) = (
            await s.scalars(
                select(Timer).where(
                    Timer.case_id.is_(None),
                    Timer.fired_at.is_(None),
                    Timer.cancelled_at.is_(None),
                )
            )
        ).all()
        return dict(timer.payload or {})


async def test_a_failing_auto_filing_alerts_the_station_and_the_desk(
    kit: BotKit, caplog: pytest.LogCaptureFixture
) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(CHIEF, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    desk = kit.user(DESK, "分派台")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    other = kit.user(OTHER_CHIEF, "劳动局站长")
    await kit.bind(other, "labor", Role.CHIEF)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, SIT_IN, "等级：重大")
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _pass(kit, sched, 6)  # the reminder
    await officer.wait_for_message(lambda m: m.content.startswith("【预警未报送】"), WAIT)
    await _fault(kit, True)
    caplog.set_level(logging.INFO)
    await _pass(kit, sched, 11)  # attempt 1 fails
    await _pass(kit, sched, 2)  # attempt 2 fails
    assert (await _hold(kit)).get("attempts") == 2
    assert not any(ALERT in m.content for m in chief.transcript() + desk.transcript())
    await _pass(kit, sched, 3)  # attempt 3 fails: the alert
    hold = await _hold(kit)
    assert hold.get("attempts") == 3 and hold.get("alerted_at")
    for person in (chief, desk):
        told = await person.wait_for_message(lambda m: m.content.startswith(ALERT), WAIT)
        assert SIT_IN in told.content and "李信息员" in told.content and "重试" in told.content
    assert not any(ALERT in m.content for m in other.transcript())
    assert await kit.cases() == []
    # Once only, and still retried.
    await _pass(kit, sched, 4)
    assert (await _hold(kit)).get("attempts") == 4
    for person in (chief, desk):
        alerts = [m for m in person.transcript() if m.content.startswith(ALERT)]
        assert len(alerts) == 1, alerts
    # Logged, with the tracebacks of the failures, and never the text.
    formatter = logging.Formatter()
    logged = [formatter.format(r) for r in caplog.records]
    assert any("failed 3 times" in m for m in logged), logged
    assert any("injected fault" in m for m in logged), logged
    assert not any("静坐" in m or "传单" in m for m in logged), logged
    # The fault gone, the next attempt files the warning, once.
    await _fault(kit, False)
    await _pass(kit, sched, 5)
    (case,) = await kit.cases()
    assert SIT_IN in case.original_text and case.severity == "high"
    number = case.number or "?"
    await officer.wait_for_message(lambda m: "自动报送" in m.content and number in m.content, WAIT)
    await _pass(kit, sched, 10)
    assert len(await kit.cases()) == 1
