"""fix32c leftovers.

* A station's staff member or a chief with no leader rank could write 民情日记 entries that
  counted nowhere (only leaders of deputy-section rank and above owe one a month): the entry is
  kept, and the writer is told plainly that only leaders' diaries count toward the quota.
* A case never dispatched read 「已登记【已超期】」 on the citizen's /status once the desk's
  派单时限 passed: it reads 待分派 with the desk's own deadline, and no overdue mark.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from bot.services.diary import compliance, month_of
from bot.services.notification_labels import fmt_time
from storage.enums import CaseStatus, Role
from storage.models import DiaryEntry, Person
from tests.botkit import BotKit
from tests.dashkit import Dash
from tests.factories import START, make_person
from tests.test_trial_defects import JUNK_TEXT, file_request
from tests.trial32kit import run_timers_until

STAFF = 3331
CHIEF = 3332
CITIZEN = 3333
ENTRY = "/diary 走访和平社区3户困难家庭，反映楼道照明不足"


async def _entries(kit: BotKit) -> int:
    async with kit.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(DiaryEntry)) or 0)


async def test_a_diary_without_leader_rank_is_kept_and_said_not_to_count(kit: BotKit) -> None:
    staff = kit.user(STAFF, "赵工作人员")
    await kit.bind(staff, "dongcheng", Role.STAFF)
    chief = kit.user(CHIEF, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    month = month_of(kit.clock.now().astimezone(kit.runtime.settings.timezone).date())

    for user in (staff, chief):  # neither is registered with a leader rank
        done = (await kit.say(user, ENTRY, "已记入")).content
        assert "只有副科级以上领导干部的民情日记计入每月考核篇数" in done, done
        assert "本篇已保存" in done and "登记职级" in done, done
        listed = (await kit.say(user, "/diary", "本月您已记民情日记")).content
        assert "1 篇" in listed and "计入每月考核篇数" in listed, listed
    assert await _entries(kit) == 2
    report = await compliance(kit.db, month, "dongcheng", tz=kit.runtime.settings.timezone)
    assert [r.name for r in report.leaders] == []  # counted nowhere, as the writers are told

    # Registered as a leader, the same chief's entries count, and nothing more is said.
    async with kit.db.session() as s:
        await s.execute(
            update(Person).where(Person.telegram_user_id == CHIEF).values(leader_rank="section")
        )
    done = (await kit.say(chief, ENTRY, "已记入")).content
    assert "2 篇" in done and "计入每月考核篇数" not in done, done


async def test_a_case_never_dispatched_reads_waiting_at_the_desk_not_overdue(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "王二")
    case = await file_request(kit, citizen, JUNK_TEXT)
    assert (case.status, case.owning_unit_id) == (CaseStatus.REGISTERED, kit.district.dispatcher)
    number = case.number or ""
    tz = kit.runtime.settings.timezone

    status = (await kit.say(citizen, "/status", "您反映的问题")).content
    head = next(line for line in status.splitlines() if number in line)
    assert "待分派" in head and "已登记" not in head, status
    assert f"分派时限：{fmt_time(case.ack_due_at, tz)}" in status, status

    # The desk lets its 派单时限 pass: the case is overdue to the units, not to the citizen.
    (case,) = await run_timers_until(
        kit, [case.id], lambda c: c[0].ack_due_at is not None and c[0].deadline_missed
    )
    assert case.status == CaseStatus.REGISTERED
    status = (await kit.say(citizen, "/status", "您反映的问题")).content
    head = next(line for line in status.splitlines() if number in line)
    assert "待分派" in head and "已超期" not in status, status
    assert "承办：正在分派承办单位" in status and "分派时限：" in status, status
    assert "已督促尽快分派" in status, status


async def test_the_dashboard_says_a_rankless_entry_is_saved_but_not_counted(dash: Dash) -> None:
    staff = await make_person(dash.db, "staff", "dongcheng", name="赵干事")
    async with dash.db.session() as s:
        person = await s.get(Person, staff.id)
        assert person is not None
        person.created_at = START - timedelta(days=30)
    await dash.login(staff.id)
    token = await dash.csrf("/dashboard/diary")
    saved = await dash.client.post(
        "/dashboard/diary",
        data={
            "csrf_token": token,
            "visited_on": "2026-03-02",
            "content": "走访和平社区困难家庭三户",
        },
    )
    html = await saved.text()
    assert saved.status == 200 and "民情日记已保存" in html, html
    assert "只有副科级以上领导干部的民情日记计入每月考核篇数" in html and "本篇不计入" in html
    async with dash.db.session() as s:
        entry = (await s.scalars(select(DiaryEntry))).one()
    assert entry.author_id == staff.id
