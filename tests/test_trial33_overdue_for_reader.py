"""Trial 33 D10: 【已超期】 was shown to the citizen when only the 签收 deadline was missed.

「MQ20261208-0001 · 重办中【已超期】 … 办结时限：2026-12-15 03:32」: the resolution deadline was
days away. 已超期 to a reporter (the citizen's /status, the officer's /mine) now means
that the 办结时限 they read has passed; a missed 签收 is the units' business (their cards
say 签收超时).
"""

from __future__ import annotations

from datetime import timedelta

from bot.fakeapi import FakeUser
from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.test_trial_defects import file_request

WAGES = "单位不给交社保，已经两年了，老板说我是临时工"
PROTEST = "金桥居民区五十多名业主因为房子烂尾，约好明天上午去区政府集体上访，拉横幅"


async def _status(user: FakeUser, command: str, number: str) -> str:
    action = user.send_command(command)
    answer = await user.wait_for_message(lambda m: number in m.content, WAIT, since=action)
    return answer.content


async def test_a_missed_sign_off_is_not_overdue_to_the_citizen(kit: BotKit) -> None:
    chief = kit.user(3361, "杨站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(3362, "群众")
    case = await file_request(kit, citizen, WAGES)
    number = case.number or ""
    assert case.ack_due_at is not None and case.resolve_due_at is not None
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(minutes=1))
    await sched.run_due()
    await kit.delivered()
    stored = await kit.case(case.id)
    assert stored.deadline_missed and stored.resolve_due_at is not None
    assert stored.resolve_due_at > kit.clock.now()
    # The station's card says what was late.
    card = await chief.wait_for_message(
        lambda m: number in m.content and "签收超时" in m.content, WAIT
    )
    assert "【签收超时】" in card.content

    status = await _status(citizen, "/status", number)
    assert "已超期" not in status, status
    assert "办结时限" in status

    # Once the 办结时限 itself has passed, it is 已超期.
    kit.clock.advance(stored.resolve_due_at - kit.clock.now() + timedelta(minutes=1))
    status = await _status(citizen, "/status", number)
    assert f"{number} · " in status and "【已超期】" in status, status


async def test_a_missed_sign_off_is_not_overdue_on_mine(kit: BotKit) -> None:
    officer = kit.user(3363, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, f"/warn {PROTEST}", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.ack_due_at is not None and case.resolve_due_at is not None
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(minutes=1))
    mine = await _status(officer, "/mine", number)
    assert "已超期" not in mine, mine
    kit.clock.advance(case.resolve_due_at - kit.clock.now() + timedelta(minutes=1))
    mine = await _status(officer, "/mine", number)
    assert "【已超期】" in mine, mine
