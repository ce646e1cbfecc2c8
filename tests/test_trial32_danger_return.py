"""Trial 32 D20: a danger-now case returned by the police without 签收.

The citizen wrote of parking fees and, in the same message, of a strong gas smell on the
third floor with nobody answering the door. The police (the danger's owner) pressed 退单
with 「燃气泄漏不归公安管，应由燃气公司处理」: every card then read 区建设局 (taken from the
parking-fee words), the desk's 【紧急退单】 offered 「派至区建设局」 first, the citizen was told
nothing, and once the case had climbed to 群工办 nobody was reminded of it ever again.

Now the desk's proposal for a danger case is the danger's owner (never the other words nor
the returner's reason), the citizen is told to call the emergency line again while a unit
is found, and an ownerless danger case keeps reminding the desk and the district every
acknowledgement period until it is dispatched.
"""

from __future__ import annotations

from datetime import timedelta

from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from tests.botkit import WAIT, BotKit
from tests.criticalkit import police_chief
from tests.test_trial_defects import card_of, events_of

CITIZEN = 3201
POLICE = 3202
DESK = 3203
OFFICE = 3204
MIXED = (
    "我想反映一下物业乱收停车费的问题，收费标准一直不公示。"
    "对了刚才路过三楼闻到很大的煤气味，敲门也没人应"
)
REASON = "燃气泄漏不归公安管，应由燃气公司处理"


async def test_a_returned_gas_smell_is_proposed_to_its_owner_and_never_forgotten(
    kit: BotKit,
) -> None:
    police = await police_chief(kit, POLICE)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    office = kit.user(OFFICE, "王主任")
    await kit.bind(office, kit.district.leadership, Role.CHIEF)
    citizen = kit.user(CITIZEN, "张女士")
    await kit.answer(citizen, citizen.send_text(MIXED), "所在的地点")
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    police_station = kit.district.bureaus["police"].station_id
    assert case.severity == "critical" and case.owning_unit_id == police_station
    number = case.number or ""

    # The police return it at once, without 签收.
    await kit.press(police, await card_of(police, case), "退单", "退单理由")
    await kit.say(police, REASON, "已退单")
    returned = await kit.case(case.id)
    assert returned.owning_unit_id == kit.district.dispatcher
    # The classification is the danger's owner's, not the parking fees' bureau.
    assert returned.bureau == "police", returned.bureau
    alert = await desk.wait_for_message(
        lambda m: m.content.startswith("【紧急退单】") and number in m.content, WAIT
    )
    labels = [b["text"] for b in alert.buttons]
    police_name = kit.district.bureaus["police"].name
    assert labels[0] == f"派至{police_name}", labels
    assert not any("建设局" in label for label in labels), labels
    # The citizen is told that a unit is being found and to call again if in danger.
    told = await citizen.wait_for_message(
        lambda m: number in m.content and "重新安排" in m.content, WAIT
    )
    assert "119" in told.content or "110" in told.content, told.content

    # Nobody dispatches it: two escalations, then reminders every hour, for ever.
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    for _ in range(6):
        kit.clock.advance(timedelta(hours=1, minutes=1))
        await sched.run_due()
    kit.runtime.outbox_written()
    await kit.delivered()
    kinds = [e.type for e in await events_of(kit, case.id)]
    assert kinds.count("escalated") == 2, kinds
    assert kinds.count("renotified") >= 3, kinds
    for person in (desk, office):
        reminders = [
            m.content
            for m in person.transcript()
            if m.content.startswith("【催派单】") and number in m.content
        ]
        assert len(reminders) >= 3, (person, reminders)
    # Once dispatched, the reminders stop.
    live = [
        m
        for m in desk.transcript()
        if number in m.content and f"派至{police_name}" in [b["text"] for b in m.buttons]
    ]
    assert live, [m.content[:40] for m in desk.transcript()]
    await kit.press(desk, live[-1], f"派至{police_name}", lambda m: "已派单" in m.content)
    await kit.delivered()
    dispatched = await kit.case(case.id)
    assert dispatched.owning_unit_id == police_station
    before = [e.type for e in await events_of(kit, case.id)].count("renotified")
    kit.clock.advance(timedelta(minutes=30))
    await sched.run_due()
    after = [e.type for e in await events_of(kit, case.id)].count("renotified")
    assert after == before


async def test_the_danger_card_and_pending_name_the_gas_smell_first(kit: BotKit) -> None:
    """Trial 32 D16: every card read 「内容：我想反映一下物业乱收停车费的问题…」 with no line
    saying what the danger was, and /pending's excerpt stopped before the gas smell."""
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "张女士")
    await kit.answer(citizen, citizen.send_text(MIXED), "所在的地点")
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    card = await card_of(police, case)
    lines = card.content.splitlines()
    assert lines[1].startswith("危险情况"), lines
    assert "煤气味" in lines[1] and "停车费" not in lines[1]
    listing = await kit.say(police, "/pending", "待办案件")
    item = listing.content[listing.content.index(case.number or "") :]
    excerpt = next(line for line in item.splitlines() if "内容：" in line)
    assert "煤气味" in excerpt, excerpt
