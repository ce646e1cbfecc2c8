"""Trial D11/D28: the sandbox's time is the time of everything on its database.

A CLI command pointed at a sandbox's database (``DATABASE_URL=…sandbox.db minqing diary add``)
dated its entry by the real clock although the trainee had fast-forwarded the sandbox into the
民情日; and a 快进 over the 27th sent no 民情日 reminder, because the hourly housekeeping that
sends it never ran inside the jump. Dates come from the service's clock, never today.
"""

from __future__ import annotations

import asyncio
import calendar
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import update

from bot.fakeapi.sandbox import SandboxState, advance_and_fire, save_clock
from bot.runtime.housekeeping import run_diary_reminders, run_housekeeping
from bot.runtime.scheduler import Scheduler
from bot.services.clock import OffsetClock
from bot.services.diary import local_today
from storage.enums import Role
from storage.models import Person
from tests.botkit import WAIT, BotKit
from tests.factories import suite_now
from tests.test_cli_web import add_leader, db_at, in_folder, run_cli, run_in_process

__all__ = ["in_folder"]  # the fixture, imported for the tests below


def _days_to_28th(now: datetime) -> int:
    """Days from ``now`` (district date) to the next 28th at least 3 days ahead."""
    day = local_today(now)
    target = day.replace(day=28)
    if (target - day).days < 3:
        last = calendar.monthrange(day.year, day.month)[1]
        nxt = day.replace(day=last) + timedelta(days=1)
        target = nxt.replace(day=28)
    return (target - day).days


async def test_cli_diary_on_a_sandbox_database_dates_by_the_sandbox_clock(
    in_folder: Path,
) -> None:
    assert (await asyncio.to_thread(run_in_process, "init"))[0] == 0
    await add_leader(in_folder)
    # The sandbox on this database, fast-forwarded into the 28th (民情日), records its clock
    # as it does after every 快进.
    clock = OffsetClock(suite_now())
    clock.advance(timedelta(days=_days_to_28th(suite_now())))
    db = db_at(in_folder)
    try:
        await save_clock(SandboxState(db, clock, [], None, None))
    finally:
        await db.dispose()
    sandbox_day = local_today(clock.now())
    assert sandbox_day.day == 28 and sandbox_day != local_today(suite_now())

    added = run_cli(
        "diary", "add", "--person", "777", "民情日走访东城", "三户困难家庭", cwd=in_folder
    )
    assert added.returncode == 0, added.stderr
    assert f"for {sandbox_day.isoformat()}" in added.stdout  # the sandbox's 28th, not "today"
    report = run_cli("diary", "compliance", cwd=in_folder)  # this month: the sandbox's
    assert report.returncode == 0, report.stderr
    assert f"民情日记 {sandbox_day.isoformat()[:7]}" in report.stdout
    assert "1/1 (100.0%)" in report.stdout


async def test_a_fast_forward_over_the_27th_sends_the_diary_reminder(kit: BotKit) -> None:
    chief = kit.user(3301, "王站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    async with kit.db.session() as s:
        await s.execute(
            update(Person)
            .where(Person.telegram_user_id == 3301)
            .values(name="王站长", leader_rank="deputy_section")
        )
    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)

    async def run_timers(fold: bool = True, hold_until: datetime | None = None) -> int:
        return await scheduler.run_due(fold=fold, hold_until=hold_until)

    async def chores() -> object:
        return await run_housekeeping(kit.runtime)

    state = SandboxState(
        kit.db,
        cast(Any, kit.clock),
        [],
        run_timers,
        kit.runtime.outbox_written,
        run_chores=chores,
        run_reminders=lambda: run_diary_reminders(kit.runtime),
        tz=kit.runtime.settings.timezone,
    )
    # From now over the next 27th to the 3rd of the month after: no housekeeping inside
    # that window would remind (the reminder is due from the 27th to the month's end).
    start = kit.clock.now()
    today = local_today(start)
    last = calendar.monthrange(today.year, today.month)[1]
    first_next = today.replace(day=last) + timedelta(days=1)
    if today.day >= 27:  # this month's 27th is behind: the next month's
        last = calendar.monthrange(first_next.year, first_next.month)[1]
        first_next = first_next.replace(day=last) + timedelta(days=1)
    reminded_month = (first_next - timedelta(days=1)).month
    delta = timedelta(days=(first_next - today).days + 2)
    await advance_and_fire(state, delta)
    assert kit.clock.now() == start + delta
    assert local_today(kit.clock.now()).day == 3
    await kit.delivered()
    reminder = await chief.wait_for_message(
        lambda m: f"您{reminded_month}月份的民情日记还没有记录" in m.content, WAIT
    )
    assert reminder.content.startswith("【民情日记提醒】")
    assert "王站长同志" in reminder.content
