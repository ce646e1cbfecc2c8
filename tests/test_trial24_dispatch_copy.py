"""Trial 24 T3: a case dispatched to a unit that already holds a card of it (the
police's, of an emergency they returned: trial 29 #7) reaches that unit as a new
message with the buttons — an edit of the old card would not notify — and its card is
overdue only against the unit's own deadline, not the desk's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import RETURNING_POLICE, critical_case_at_desk

CITIZEN = 2411
DESK = 2413


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_dispatch_to_a_unit_with_a_copy_sends_it_a_new_card(kit: BotKit) -> None:
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await critical_case_at_desk(kit, citizen)
    number = case.number or ""
    assert case.ack_due_at is not None
    police = kit.user(RETURNING_POLICE, "公安站长")
    copy = await police.wait_for_message(lambda m: number in m.content, WAIT)
    await kit.delivered()
    assert not any(m.buttons for m in police.transcript() if number in m.content)

    # The desk misses its deadline (a reminder marks it), then dispatches to the police.
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    assert await sched.run_due() == 1
    desk_card = await desk.wait_for_message(
        lambda m: (
            number in m.content and "【派单超时】" in m.content and "综合职能" in str(m.buttons)
        ),
        WAIT,
    )
    bureaus = await kit.press(desk, desk_card, "综合职能", "请选择承办部门")
    assert "已派单" in await kit.callback_answer(desk.press(bureaus, "区公安分局"))
    stored = await kit.case(case.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "police")

    card = await police.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    assert card.message_id > copy.message_id  # a new message, which notifies
    assert not any(
        w in card.content for w in ("【已超期】", "超时】", "超期】")
    )  # the police's own deadline is hours away
    assert not any(m.message_id == copy.message_id and m.buttons for m in police.transcript())
    await kit.delivered()
    cards = [m for m in police.transcript() if number in m.content and m.buttons]
    assert [m.message_id for m in cards] == [card.message_id]


async def test_an_undispatched_case_escalates_as_not_dispatched(kit: BotKit) -> None:
    """Trial 24 T13: the desk misses its 派单时限, so the reason is 超时未派单, not 超时未签收."""
    supervisor = kit.user(DESK, "督办中心")
    await kit.bind(supervisor, kit.district.supervision, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await critical_case_at_desk(kit, citizen)
    assert case.ack_due_at is not None
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    # The desk's reminders for the case's class (none for a critical one: trial 26 T5),
    # then up to the supervision centre.
    for _ in range(kit.district.escalation.renotify_count_for(case.priority) + 1):
        assert await sched.run_due() == 1
        kit.clock.advance(kit.district.escalation.renotify_interval)
    told = await supervisor.wait_for_message(lambda m: "【上报督办】" in m.content, WAIT)
    assert "原因：超时未派单" in told.content and "超时未签收" not in told.content
