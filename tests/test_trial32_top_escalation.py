"""Trial 32 D15 and D19: what happens at the top of the escalation chain.

D15: a case that reached 群工办 (the top) for a missed 签收 went silent when the 督办
签收时限 passed: no 催签收 to the unit, nothing to 群工办, and the cards kept showing
the passed deadline as if it were running. Now the missed 签收 keeps producing a
催签收 (daily for a routine case) to the owner and a line for every supervising
level, and the card says the deadline has passed.

D19: the automatic escalation of a case reopened twice took a case 群工办 was
supervising down to 督查督办中心 (level 1). An escalation never lowers the level:
a reopen keeps the supervision reached, and the second reopen of a case already at
the top stays there, with 群工办 told.

The bot over the fake Bot API, the real scheduler; every date from the service's clock.
"""

from __future__ import annotations

from datetime import timedelta

from bot.runtime.scheduler import Scheduler
from bot.services.cases import RequestDraft
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit

CITIZEN = 3211
LABOR = 3212
CENTRE = 3213
OFFICE = 3214
WAGES = "单位拖欠我三个月工资，老板跑路了，找不到人"


async def _at_the_top(kit: BotKit, sched: Scheduler) -> int:
    """A wage case at 区劳动局 left unsigned until it reaches 群工办; its id."""
    citizen = kit.user(CITIZEN, "张大姐")
    await kit.say(citizen, "你好")
    person = await kit.person(CITIZEN)
    assert person is not None
    draft = RequestDraft(text=WAGES, bureau="labor")
    view = await kit.runtime.cases.file_request(person.id, draft)
    top = kit.district.leadership
    step = kit.district.escalation.renotify_interval
    for _ in range(20):
        case = await kit.case(view.id)
        if case.escalated_to_unit_id == top:
            break
        assert case.ack_due_at is not None
        kit.clock.advance(max(case.ack_due_at - kit.clock.now(), step) + timedelta(seconds=1))
        await sched.run_due()
    case = await kit.case(view.id)
    assert (case.escalation_level, case.escalated_to_unit_id) == (2, top)
    return view.id


async def test_a_missed_sign_at_the_top_keeps_being_chased(kit: BotKit) -> None:
    labor = kit.user(LABOR, "马站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    office = kit.user(OFFICE, "王主任")
    await kit.bind(office, kit.district.leadership, Role.CHIEF)
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    case_id = await _at_the_top(kit, sched)
    case = await kit.case(case_id)
    number = case.number or ""
    top_due = case.ack_due_at
    assert top_due is not None
    await kit.delivered()
    renotified = (await kit.events(case_id)).count("renotified")

    kit.clock.advance(top_due - kit.clock.now() + timedelta(seconds=1))
    await sched.run_due()
    await kit.delivered()
    assert (await kit.events(case_id)).count("renotified") == renotified + 1
    chased = await labor.wait_for_message(
        lambda m: m.content.startswith("【催签收】") and "督办签收时限已过" in m.content, WAIT
    )
    assert number in chased.content and "区委群众工作委员会办公室" in chased.content
    told = await office.wait_for_message(
        lambda m: number in m.content and "【催签收】" in m.content, WAIT
    )
    assert "承办单位仍未签收" in told.content
    # Every card shows the passed deadline as passed.
    cards = [m for m in labor.transcript() if m.from_bot and m.content.startswith("【群众诉求】")]
    shown = [m.content for m in cards if "督办签收时限" in m.content]
    assert shown and all("（已过，仍未签收）" in c for c in shown), shown

    # A day later, still unsigned: another one; nothing in between.
    kit.clock.advance(timedelta(hours=23))
    await sched.run_due()
    assert (await kit.events(case_id)).count("renotified") == renotified + 1
    kit.clock.advance(timedelta(hours=1, seconds=1))
    await sched.run_due()
    assert (await kit.events(case_id)).count("renotified") == renotified + 2
    stored = await kit.case(case_id)
    assert (stored.escalation_level, stored.escalated_to_unit_id) == (2, kit.district.leadership)


async def test_a_second_reopen_never_lowers_the_supervision(kit: BotKit) -> None:
    labor = kit.user(LABOR, "马站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    office = kit.user(OFFICE, "王主任")
    await kit.bind(office, kit.district.leadership, Role.CHIEF)
    centre = kit.user(CENTRE, "陈主任")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    case_id = await _at_the_top(kit, sched)
    number = (await kit.case(case_id)).number or ""
    svc = kit.runtime.cases
    chief = await kit.person(LABOR)
    citizen = await kit.person(CITIZEN)
    assert chief is not None and citizen is not None
    for round_ in (1, 2):
        await svc.acknowledge(case_id, chief.id)
        await svc.resolve(case_id, chief.id, "已督促公司补发三个月工资")
        await svc.answer_follow_up(
            case_id, citizen.id, solved=False, satisfaction="unsatisfied", comment="根本没收到钱"
        )
        stored = await kit.case(case_id)
        assert stored.status == CaseStatus.REOPENED and stored.reopen_count == round_
        # The district office keeps supervising it: never back down to level 1 or 0.
        assert (stored.escalation_level, stored.escalated_to_unit_id) == (
            2,
            kit.district.leadership,
        ), round_
    await kit.delivered()
    told = [
        m
        for m in office.transcript()
        if m.from_bot and number in m.content and m.content.startswith("【重办】")
    ]
    assert len(told) == 2, [m.content[:40] for m in office.transcript()]
    assert "第2次" in told[-1].content
    assert not any("督查督办中心（第1级）" in m.content for m in office.transcript())
    assert not any("已上报：督查督办中心" in m.content for m in labor.transcript() if m.from_bot)
