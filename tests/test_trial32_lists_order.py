"""Trial 32 D22 and D29: the lists a supervisor reads first.

The dashboard listed seven routine overdue cases above a knife threat and a gas leak with
no owner, and its 时限 column showed a long-gone 督办签收时限 for a case 办理超期. /pending
listed critical cases first but its 查看 buttons kept the old order (the four danger cases'
buttons last) and stopped at ten. Now both lists put open critical cases first, then overdue;
the 时限 shown is the one the badge speaks of; /pending's buttons follow the list and every
listed case has one.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.runtime.scheduler import Scheduler
from bot.services.cases import RequestDraft
from bot.services.notification_labels import fmt_time
from tests.botkit import BotKit
from tests.criticalkit import KNIFE, police_chief
from tests.dashkit import Dash
from tests.factories import chief, citizen, load_case

POLICE = 3231
THEFTS = [f"我的电动车昨晚在小区{n}号楼下被偷了，监控拍到了人" for n in range(1, 13)]


async def test_pending_buttons_follow_the_list_critical_first(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    person = await kit.person(POLICE)
    assert person is not None
    reporter = await citizen(kit.db)
    routine = [
        await kit.runtime.cases.file_request(reporter.id, RequestDraft(text=t, bureau="police"))
        for t in THEFTS
    ]
    assert all(v.owning_unit_id == "police" for v in routine)
    kit.clock.advance(timedelta(hours=30))  # every routine case misses its 签收
    knife = await kit.runtime.cases.file_request(reporter.id, RequestDraft(text=KNIFE))
    assert knife.severity == "critical" and knife.owning_unit_id == "police"

    listing = await kit.say(police, "/pending", "待办案件")
    numbers = re.findall(r"^\d+\. .*?(MQ\d{8}-\d{4})", listing.content, re.M)
    assert numbers[0] == knife.number, listing.content
    buttons = [b["text"].removeprefix("查看 ") for b in listing.buttons]
    assert buttons == numbers, (buttons, numbers)
    assert len(buttons) == len(routine) + 1


async def test_the_dashboard_lists_danger_first_and_shows_the_missed_deadline(
    dash: Dash,
) -> None:
    me = await citizen(dash.db)
    lamp = await dash.cases.file_request(me.id, RequestDraft(text="小区路灯坏了一个月"))
    owner = await chief(dash.db, lamp.owning_unit_id)
    await dash.cases.acknowledge(lamp.id, owner.id)
    await dash.cases.resolve(lamp.id, owner.id, "已更换路灯灯泡并试亮正常")
    await dash.cases.answer_follow_up(lamp.id, me.id, False, "unsatisfied", "路灯还是不亮")
    reopened = await load_case(dash.db, lamp.id)
    assert reopened.status == "reopened" and reopened.resolve_due_at is not None
    # Past the 办结时限 of the reopened case, with its escalations on the way.
    sched = Scheduler(dash.db, dash.district, dash.clock, dash.cases)
    while dash.clock.now() <= reopened.resolve_due_at + timedelta(hours=1):
        dash.clock.advance(timedelta(hours=12))
        await sched.run_due()
    late = await load_case(dash.db, lamp.id)
    assert late.resolve_due_at is not None and late.ack_due_at is not None
    knife = await dash.cases.file_request(me.id, RequestDraft(text=KNIFE))
    assert knife.severity == "critical"

    office = await chief(dash.db, dash.district.leadership)
    await dash.login(office.id)
    page = await (await dash.client.get("/dashboard")).text()
    rows = re.findall(r'<a href="/dashboard/cases/(\d+)">', page)
    assert rows.index(str(knife.id)) < rows.index(str(lamp.id)), rows
    row = page[page.index(f'/dashboard/cases/{lamp.id}"') :].split("</tr>", 1)[0]
    assert "办理超期" in row
    deadline = re.search(r'data-label="时限"[^>]*>([^<]*)<', row)
    assert deadline is not None
    assert deadline.group(1) == fmt_time(late.resolve_due_at, dash.runtime.cases.tz)
