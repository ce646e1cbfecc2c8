"""pf30 #1: a danger-now case returned (退单) never waits unseen at the desk.

A critical case the police returned with a plausible reason sat at the dispatcher
desk (nobody bound there in the trial) for its hour; the victim's /status read
已退单【已超期】. Now the supervision centre and the district office get a
【紧急退单】 at once beside the desk's, and the reporter's /status says the case is
being re-assigned urgently, without 已超期, also after the desk's hour has passed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import RETURN_REASON, critical_case_at_police, police_chief

CITIZEN = 3001
POLICE = 3002
CENTRE = 3003
OFFICE = 3004


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_returned_critical_case_alerts_the_district_and_tells_the_victim(
    kit: BotKit,
) -> None:
    police = await police_chief(kit, POLICE)
    centre = kit.user(CENTRE, "督办中心")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    office = kit.user(OFFICE, "群工办")
    await kit.bind(office, kit.district.leadership, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    filed = await critical_case_at_police(kit, citizen, police)
    number = filed.number

    # The police acknowledge it, then return it with a reason that says what was verified.
    await kit.press(police, filed.card, "签收", "已签收")
    await kit.delivered()
    card = next(
        m for m in reversed(police.transcript()) if number in m.content and "退单" in str(m.buttons)
    )
    await kit.press(police, card, "退单", "退单理由")
    await kit.say(police, RETURN_REASON, "已退单")
    await kit.delivered()
    case = await kit.case(filed.case.id)
    assert case.status == CaseStatus.RETURNED
    assert case.owning_unit_id == kit.district.dispatcher

    # Nobody is bound at the desk: the district hears of it at once, loudly.
    for watcher in (centre, office):
        alert = await watcher.wait_for_message(
            lambda m: m.content.startswith("【紧急退单】") and number in m.content, WAIT
        )
        assert "无承办单位" in alert.content and RETURN_REASON in alert.content

    def shows_reassigning(text: str) -> None:
        line = next(x for x in text.splitlines() if number in x)
        assert "正在紧急重新指派" in line, text
        assert "已超期" not in text and "已退单" not in line, text

    shows_reassigning((await kit.say(citizen, "/status", "您反映的问题")).content)

    # The desk's hour passes: escalated, still not 已超期 to the victim.
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    assert case.ack_due_at is not None
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(minutes=1))
    assert await sched.run_due() == 1
    case = await kit.case(case.id)
    assert case.deadline_missed and case.escalation_level == 1
    shows_reassigning((await kit.say(citizen, "/status", "您反映的问题")).content)


async def test_a_returned_routine_case_alerts_only_the_desk(kit: BotKit) -> None:
    """An ordinary 退单 goes to the desk alone, as before: the district is not woken,
    and the reporter reads 重新分派中 (not 已退单, trial 32 D26) with 正在分派承办单位."""
    centre = kit.user(CENTRE, "督办中心")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "单位拖欠我三个月工资", lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    assert case.severity != "critical" and case.owning_unit_id != kit.district.dispatcher
    chief = kit.user(3011, "站长")
    await kit.bind(chief, case.owning_unit_id, Role.CHIEF)
    person = await kit.person(3011)
    assert person is not None
    await kit.runtime.cases.return_case(case.id, person.id, "不属于本单位职责范围，请重新分派")
    kit.runtime.outbox_written()
    await kit.delivered()
    assert not [m for m in centre.transcript() if (case.number or "") in m.content]
    status = (await kit.say(citizen, "/status", "您反映的问题")).content
    assert "重新分派中" in status and "承办：正在分派承办单位" in status
    assert "已退单" not in status
