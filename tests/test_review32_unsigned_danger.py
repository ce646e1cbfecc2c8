"""Review 32 S5: a critical case dispatched but unsigned at the top of the chain.

At the top of the escalation chain only a critical case still at the desk was chased
every hour (【催派单】, trial 32 D20); one already dispatched (or 改派'd, or reopened)
that nobody signed got a single 【催签收】 and then nothing for a day. Now every
unsigned critical case is chased once per its 签收 period (1 h); a routine case stays
on the daily round.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services.cases import WarningDraft
from bot.services.clock import FakeClock
from config.district import District
from storage.db import Database
from tests.factories import chief, event_types, load_case, make_scheduler, make_service, officer

TEN_MINUTES = timedelta(minutes=10)


async def _unsigned_warning(
    db: Database, district: District, severity: str, *, top_then_hours: int
) -> tuple[int, int]:
    """A warning of ``severity`` nobody signs, run on the service's clock until it
    reached the top of the chain and then ``top_then_hours`` more: the 催签收 counted
    at the top and after those hours."""
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    await chief(db, "dongcheng")
    reporter = await officer(db, "dongcheng")
    text = "两村村民因土地纠纷聚集" if severity == "critical" else "邻里因噪音争吵"
    draft = WarningDraft(text=text, severity=severity)
    view = await svc.file_warning(reporter.id, draft)
    for _ in range(24 * 6 * 3):
        clock.advance(TEN_MINUTES)
        await sched.run_due()
        if (await load_case(db, view.id)).escalated_to_unit_id == district.leadership:
            break
    case = await load_case(db, view.id)
    assert case.escalated_to_unit_id == district.leadership and case.acknowledged_at is None
    before = (await event_types(db, view.id)).count("renotified")
    end = clock.now() + timedelta(hours=top_then_hours)
    while clock.now() < end:
        clock.advance(TEN_MINUTES)
        await sched.run_due()
    assert (await load_case(db, view.id)).acknowledged_at is None
    return before, (await event_types(db, view.id)).count("renotified")


async def test_an_unsigned_critical_case_at_the_top_is_chased_every_hour(
    db: Database, district: District
) -> None:
    before, after = await _unsigned_warning(db, district, "critical", top_then_hours=4)
    assert after - before >= 3, (before, after)


async def test_an_unsigned_routine_case_at_the_top_stays_daily(
    db: Database, district: District
) -> None:
    before, after = await _unsigned_warning(db, district, "low", top_then_hours=4)
    assert after - before <= 1, (before, after)
