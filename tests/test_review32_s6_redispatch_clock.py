"""Review 32 S6: a 改派 gives the new unit its own 签收 round before the case goes up.

A case escalated because its unit never signed, then re-dispatched (改派, trial 32 D14)
by the desk, kept its escalation level — as it should, for the record and for the
district — but the level also decided the new unit's rounds: at level 0 a unit is
re-notified (催签收) before the case goes up, above it the first missed 签收时限 escalated
at once. So the new unit, which had never seen the case, got no 催签收 and was reported
upward as soon as its first window closed. Now the escalation clock restarts for the
new unit (its own 签收时限 and the priority's 催签收 rounds, counted on the service's
clock from the 改派), while the level reached is kept and never drops.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.runtime.scheduler import Scheduler
from bot.services.cases import RequestDraft
from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit
from tests.test_trial32_redispatch import _escalate_unsigned

CITIZEN = 3341
DESK = 3342
CONSTRUCTION = 3343
LEAK = "楼上卫生间漏水把我家天花板泡坏了，物业不管"


async def _renotified_units(kit: BotKit, case_id: int) -> list[list[str]]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.type == "renotified")
            .order_by(CaseEvent.id)
        )
        return [list(e.data.get("unit_ids", [])) for e in rows.all()]


async def test_the_new_unit_gets_its_own_reminders_before_the_case_goes_up(kit: BotKit) -> None:
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    builder = kit.user(CONSTRUCTION, "建设局站长")
    builder_unit = kit.district.bureaus["construction"].station_id
    await kit.bind(builder, builder_unit, Role.CHIEF)
    resident = kit.user(CITIZEN, "张大姐")
    await kit.say(resident, "你好")
    person = await kit.person(CITIZEN)
    desk_person = await kit.person(DESK)
    assert person is not None and desk_person is not None
    cases = kit.runtime.cases
    view = await cases.file_request(person.id, RequestDraft(text=LEAK, bureau="education"))
    sched = Scheduler(kit.db, kit.district, kit.clock, cases)
    await _escalate_unsigned(cases, sched, view.id, 1)
    before = len(await _renotified_units(kit, view.id))

    await cases.dispatch(view.id, desk_person.id, "construction")
    moved = await kit.case(view.id)
    assert moved.owning_unit_id == builder_unit and moved.escalation_level == 1
    assert moved.ack_due_at is not None

    policy = kit.district.escalation
    rounds = policy.renotify_count_for(moved.priority)
    assert rounds > 0  # a routine case: the district's 催签收 rounds before going up
    # Its own 签收时限 passes: 催签收 to the new unit, still at the level reached.
    kit.clock.advance(moved.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    await sched.run_due()
    for _ in range(rounds - 1):
        assert (await kit.case(view.id)).escalation_level == 1
        kit.clock.advance(policy.renotify_interval + timedelta(seconds=1))
        await sched.run_due()
    after = (await _renotified_units(kit, view.id))[before:]
    assert len(after) == rounds and all(builder_unit in units for units in after), after
    assert (await kit.case(view.id)).escalation_level == 1
    await kit.delivered()
    await builder.wait_for_message(
        lambda m: (view.number or "") in m.content and "催签收" in m.content, WAIT
    )
    # Its rounds spent, the case goes on up from the level reached (never back to 0).
    kit.clock.advance(policy.renotify_interval + timedelta(seconds=1))
    await sched.run_due()
    assert (await kit.case(view.id)).escalation_level == 2
