"""Monthly scores from the event log, on a constructed month, against hand-computed figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.cases import CaseService, RequestDraft
from bot.services.clock import FakeClock
from bot.services.scores import month_bounds, unit_scores
from bot.services.scores_events import same_figures, unit_scores_from_events
from config.district import District
from storage.db import Database
from tests.factories import chief, citizen, make_service, staff

LAMP = "路灯坏了"
H = timedelta(hours=1)
D = timedelta(days=1)


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


async def build_month(db: Database, district: District) -> CaseService:
    """Cases of March 2026 (Asia/Shanghai) for the construction and planning stations.

    A: acked after 1 h, resolved after 2 d, answer 满意.
    B: acked after 30 h (late), resolved after 10 d (late), answer 已解决·基本满意.
    C: acked and resolved in time, answer 未解决 → reopened, acked and resolved in
       time again, answer 满意.
    D: returned by construction, dispatched by the desk to planning, acked in time.
    E: filed 2026-02-28 17:00 UTC = 03-01 01:00 in Shanghai → March; never acked.
    F: filed 2026-02-28 15:00 UTC = 02-28 23:00 in Shanghai → February; acked in March.
    G: filed 2026-03-31 17:00 UTC = 04-01 01:00 in Shanghai → April.
    """
    clock = FakeClock(utc(2026, 3, 1))
    svc = make_service(db, district, clock)
    boss = await chief(db, "construction")
    planner = await chief(db, "planning")
    desk = await staff(db, "service_centre")
    me = await citizen(db)

    async def file(at: datetime) -> int:
        clock.set(at)
        return (await svc.file_request(me.id, RequestDraft(text=LAMP))).id

    a = await file(utc(2026, 3, 2, 2))
    clock.set(utc(2026, 3, 2, 3))
    await svc.acknowledge(a, boss.id)
    clock.set(utc(2026, 3, 4, 3))
    await svc.resolve(a, boss.id, "已修复路灯")
    await svc.answer_follow_up(a, me.id, True, "satisfied")

    b = await file(utc(2026, 3, 3, 2))
    clock.set(utc(2026, 3, 3, 2) + 30 * H)
    await svc.acknowledge(b, boss.id)
    clock.set(utc(2026, 3, 13, 2))
    await svc.resolve(b, boss.id, "已修复路灯")
    await svc.answer_follow_up(b, me.id, True, "basically_satisfied")

    c = await file(utc(2026, 3, 5, 2))
    clock.set(utc(2026, 3, 5, 3))
    await svc.acknowledge(c, boss.id)
    clock.set(utc(2026, 3, 6, 3))
    await svc.resolve(c, boss.id, "已修复路灯")
    clock.set(utc(2026, 3, 6, 5))
    await svc.answer_follow_up(c, me.id, False, "unsatisfied", "还是不亮")
    clock.set(utc(2026, 3, 6, 6))
    await svc.acknowledge(c, boss.id)
    clock.set(utc(2026, 3, 7, 6))
    await svc.resolve(c, boss.id, "已更换线路")
    await svc.answer_follow_up(c, me.id, True, "satisfied")

    d = await file(utc(2026, 3, 6, 2))
    clock.set(utc(2026, 3, 6, 4))
    await svc.return_case(d, boss.id, "属于规划")
    clock.set(utc(2026, 3, 6, 5))
    await svc.dispatch(d, desk.id, "planning")
    clock.set(utc(2026, 3, 6, 6))
    await svc.acknowledge(d, planner.id)

    await file(utc(2026, 2, 28, 17))  # E

    f = await file(utc(2026, 2, 28, 15))
    clock.set(utc(2026, 3, 1, 1))
    await svc.acknowledge(f, boss.id)

    await file(utc(2026, 3, 31, 17))  # G
    return svc


def test_month_bounds_are_in_shanghai_time() -> None:
    assert month_bounds(2026, 3) == (utc(2026, 2, 28, 16), utc(2026, 3, 31, 16))
    assert month_bounds(2026, 12) == (utc(2026, 11, 30, 16), utc(2026, 12, 31, 16))
    with pytest.raises(ValueError):
        month_bounds(2026, 13)


AFTER = utc(2026, 4, 15)  # every deadline of the month has passed


async def test_scores_of_a_constructed_month(db: Database, district: District) -> None:
    await build_month(db, district)
    march = {s.unit_id: s for s in await unit_scores(db, district, 2026, 3, as_of=AFTER)}
    assert set(march) == {"construction", "planning"}

    c = march["construction"]
    assert c.unit_name == "区建设局群众工作站" and c.month == "2026-03"
    # Cases: A, B, C, D, E → 5 dispatched; D returned → 4 counted against the unit.
    assert (c.dispatched, c.returned, c.counted) == (5, 1, 4)
    # Response: due A, B, C, E (E never acknowledged, its deadline passed) → 4;
    # in time A, C (both acknowledgements in time); B late, E never → 2 / 4.
    assert (c.ack_due, c.acknowledged_on_time) == (4, 2)
    assert c.response_rate == pytest.approx(0.5)
    # Resolution due: A, B, C resolved, E open past its deadline → 4; every
    # resolution in time: A, C → on-time rate 2 / 4.
    assert (c.resolve_due, c.resolved, c.resolved_on_time) == (4, 3, 2)
    assert c.on_time_rate == pytest.approx(0.5)
    # Follow-up answers: A 满意, B 基本满意, C 未解决, C 满意 → 3 cases answered,
    # one answer disputes the 办结; the 办结 of A, B, C (2nd) stand, E has none →
    # resolution 3 / 4.
    assert (c.followed_up, c.disputed, c.standing, c.explained) == (3, 1, 3, 0)
    assert c.resolution_rate == pytest.approx(0.75)
    # Satisfaction, each case's last answer: (1 + 0.8 + 1) / 3 = 2.8 / 3.
    assert c.satisfaction_points == pytest.approx(2.8)
    assert c.satisfaction_rate == pytest.approx(2.8 / 3)
    # Return rate: 1 / 5 = 0.2; reopen rate: C of A, B, C resolved → 1 / 3.
    assert c.return_rate == pytest.approx(0.2)
    assert c.reopen_rate == pytest.approx(1 / 3)
    # Total (weights 20/20/30/30): (20 × 0.5 + 20 × 0.5 + 30 × 0.75 + 30 × 2.8/3) / 100
    #      × 100 = 10 + 10 + 22.5 + 28 = 70.5.
    assert c.total == pytest.approx(70.5)

    p = march["planning"]
    # D only: acknowledged in time, never resolved, its resolution deadline
    # (03-13 05:00 UTC) passed — the case that used to score 100.
    assert (p.dispatched, p.returned, p.acknowledged_on_time, p.resolved) == (1, 0, 1, 0)
    assert (p.ack_due, p.resolve_due) == (1, 1)
    assert p.response_rate == pytest.approx(1.0) and p.on_time_rate == pytest.approx(0.0)
    assert p.resolution_rate == pytest.approx(0.0)
    assert p.satisfaction_rate is None and p.reopen_rate is None
    assert p.return_rate == pytest.approx(0.0)
    # Missing satisfaction scores 0: 20 × 1.0 / 100 × 100 = 20.
    assert p.missing_rates == ["satisfaction"]
    assert p.total == pytest.approx(20.0)

    (feb,) = await unit_scores(db, district, 2026, 2, as_of=AFTER)
    assert (feb.unit_id, feb.dispatched, feb.acknowledged_on_time) == ("construction", 1, 1)
    (apr,) = await unit_scores(db, district, 2026, 4, as_of=AFTER)
    assert (apr.unit_id, apr.dispatched, apr.acknowledged_on_time) == ("construction", 1, 0)
    assert apr.total == pytest.approx(0.0)

    only = await unit_scores(db, district, 2026, 3, as_of=AFTER, unit_ids=["planning"])
    assert [s.unit_id for s in only] == ["planning"]
    assert await unit_scores(db, district, 2025, 3, as_of=AFTER) == []


async def test_a_case_not_yet_due_is_in_no_denominator(db: Database, district: District) -> None:
    await build_month(db, district)
    # As of 03-07 00:00 UTC D (planning) is acknowledged, its resolution due 03-13:
    # on-time and resolution rates have no denominator yet — not 0 %.
    (p,) = await unit_scores(db, district, 2026, 3, as_of=utc(2026, 3, 7), unit_ids=["planning"])
    assert (p.ack_due, p.resolve_due) == (1, 0)
    assert p.on_time_rate is None and p.resolution_rate is None
    # Missing data scores 0 (missing_data = "zero"): acknowledging and doing
    # nothing else cannot reach the top: 20 × 1.0 / 100 × 100 = 20.
    assert p.total == pytest.approx(20.0)


async def test_trial_last_follow_up_counts(db: Database, district: District) -> None:
    """Only a case's last follow-up answer is rated (a trial showed 50 % for a 满意 case)."""
    clock = FakeClock(utc(2026, 3, 2, 2))
    svc = make_service(db, district, clock)
    boss = await chief(db, "construction")
    me = await citizen(db)

    async def handled(first: tuple[bool, str], last: tuple[bool, str]) -> None:
        case_id = (await svc.file_request(me.id, RequestDraft(text=LAMP))).id
        await svc.acknowledge(case_id, boss.id)
        await svc.resolve(case_id, boss.id, "已修复路灯")
        await svc.answer_follow_up(case_id, me.id, *first)  # → 重办
        clock.advance(H)
        await svc.acknowledge(case_id, boss.id)
        await svc.resolve(case_id, boss.id, "已更换线路")
        await svc.answer_follow_up(case_id, me.id, *last)
        clock.advance(H)

    await handled((False, "unsatisfied"), (True, "satisfied"))
    (first,) = await unit_scores(db, district, 2026, 3, as_of=AFTER)
    assert (first.followed_up, first.disputed, first.standing) == (1, 1, 1)
    assert first.satisfaction_points == pytest.approx(1.0)
    assert first.satisfaction_rate == pytest.approx(1.0)  # was 0.5

    await handled((True, "unsatisfied"), (True, "basically_satisfied"))
    (both,) = await unit_scores(db, district, 2026, 3, as_of=AFTER)
    # (1 + 0.8) / 2 cases, not (0 + 1 + 0 + 0.8) / 4 answers.
    assert (both.followed_up, both.disputed, both.reopened) == (2, 1, 2)
    assert both.satisfaction_rate == pytest.approx(0.9)


async def test_the_constructed_month_from_the_event_log_is_the_same(
    db: Database, district: District
) -> None:
    """The hand-computed month above, from the summary and from the event log alone."""
    await build_month(db, district)
    for as_of in (utc(2026, 3, 7), AFTER):
        for month in (2, 3, 4):
            fast = await unit_scores(db, district, 2026, month, as_of=as_of)
            slow = await unit_scores_from_events(db, district, 2026, month, as_of=as_of)
            assert fast and same_figures(fast, slow)
