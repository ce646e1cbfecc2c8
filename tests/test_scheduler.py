"""Timers on SQLite and PostgreSQL: re-notify, escalate, 催办; exactly once.

The follow-up's timers: test_scheduler_follow_up.py.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services.cases import RequestDraft, WarningDraft
from bot.services.clock import FakeClock
from bot.services.lifecycle import CaseError
from config.district import District
from storage.db import Database
from storage.models import CaseEvent, Timer
from tests.factories import (
    START,
    actions,
    chief,
    citizen,
    event_types,
    events,
    last_outbox_id,
    load_case,
    make_scheduler,
    make_service,
    officer,
    outbox,
    recipients,
    staff,
    timers,
)

LAMP = "小区门口的路灯坏了一个月了"
SECOND = timedelta(seconds=1)


async def test_escalates_two_levels_when_nobody_acknowledges(
    db: Database, district: District
) -> None:
    """Work room → street station → supervision centre (low warning: 24 h, then 2 × 30 min)."""
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    room_chief = await chief(db, "dongcheng_heping")
    street_chief = await chief(db, "dongcheng")
    sup_chief = await chief(db, "supervision_centre")
    reporter = await officer(db, "dongcheng_heping")
    view = await svc.file_warning(reporter.id, WarningDraft(text="邻里因噪音争吵", severity="low"))
    assert await sched.run_due() == 0

    # Level 0: the deadline passes → two re-notifications 30 min apart, to the room only.
    for round_ in (1, 2):
        clock.advance(timedelta(hours=24) + SECOND if round_ == 1 else timedelta(minutes=30))
        mark = await last_outbox_id(db)
        assert await sched.run_due() == 1
        ev = (await events(db, view.id))[-1]
        assert (ev.type, ev.data["round"], ev.data["unit_ids"]) == (
            "renotified",
            round_,
            ["dongcheng_heping"],
        )
        rows = await outbox(db, view.id, after=mark)
        assert [(r.person_id, r.kind) for r in rows] == [
            (room_chief.id, "card"),
            (room_chief.id, "message"),
        ]
        assert "催签收" in rows[1].text and actions(rows[1])[0] == "ack"
    assert (await load_case(db, view.id)).escalation_level == 0

    # 30 min after the second re-notification: escalate to the street station.
    clock.advance(timedelta(minutes=30))
    mark = await last_outbox_id(db)
    assert await sched.run_due() == 1
    case = await load_case(db, view.id)
    assert (case.escalation_level, case.escalated_to_unit_id) == (1, "dongcheng")
    assert case.ack_due_at == clock.now() + timedelta(hours=24)
    ev = (await events(db, view.id))[-1]
    assert (ev.type, ev.data["reason"], ev.data["to_unit_id"], ev.actor_id) == (
        "escalated",
        "ack_overdue",
        "dongcheng",
        None,
    )
    rows = await outbox(db, view.id, after=mark)
    assert recipients(rows, "card") == {room_chief.id, street_chief.id}
    assert recipients(rows, "message") == {room_chief.id, street_chief.id, reporter.id}
    street_ping = next(r for r in rows if r.person_id == street_chief.id and r.kind == "message")
    assert "上报督办" in street_ping.text and "东城街道群众工作站" in street_ping.text
    # The street station supervises now: 催办 / 上报, not the room's 签收 (D15).
    assert actions(street_ping)[0] == "urge" and "ack" not in actions(street_ping)
    assert sup_chief.id not in recipients(rows)

    # Level 1: 24 h for the street station, with no more re-pinging: then up again.
    clock.advance(timedelta(hours=24) - SECOND)
    assert await sched.run_due() == 0
    clock.advance(2 * SECOND)
    mark = await last_outbox_id(db)
    assert await sched.run_due() == 1
    case = await load_case(db, view.id)
    assert (case.escalation_level, case.escalated_to_unit_id) == (2, "supervision_centre")
    rows = await outbox(db, view.id, after=mark)
    assert sup_chief.id in recipients(rows, "card") and sup_chief.id in recipients(rows, "message")
    assert await event_types(db, view.id) == [
        "registered",
        "dispatched",
        "renotified",
        "renotified",
        "escalated",
        "escalated",
    ]

    # The supervision centre supervises (D15): it cannot 签收 for the room; the room's
    # chief acknowledges at last and escalation stops for good.
    with pytest.raises(CaseError) as refused:
        await svc.acknowledge(view.id, sup_chief.id)
    assert refused.value.code == "supervising"
    await svc.acknowledge(view.id, room_chief.id)
    clock.advance(timedelta(hours=30))
    assert await sched.run_due() == 0
    assert (await event_types(db, view.id))[-1] == "acknowledged"
    ack = (await events(db, view.id))[-1]
    assert ack.data["on_time"] is False and ack.unit_id == "dongcheng_heping"


async def test_no_escalation_once_acknowledged(db: Database, district: District) -> None:
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    boss = await chief(db, "construction")
    me = await citizen(db)
    early = await svc.file_request(me.id, RequestDraft(text=LAMP))
    late = await svc.file_request(me.id, RequestDraft(text="路灯不亮"))
    clock.advance(timedelta(hours=1))
    await svc.acknowledge(early.id, boss.id)
    # `late` is acknowledged only after its first re-notification.
    clock.advance(timedelta(hours=23) + SECOND)
    assert await sched.run_due() == 1
    await svc.acknowledge(late.id, boss.id)
    clock.advance(timedelta(days=3))
    assert await sched.run_due() == 0
    assert await event_types(db, early.id) == ["registered", "dispatched", "acknowledged"]
    assert await event_types(db, late.id) == [
        "registered",
        "dispatched",
        "renotified",
        "acknowledged",
    ]
    pending = [
        t for t in await timers(db, late.id) if t.fired_at is None and t.cancelled_at is None
    ]
    assert [t.kind for t in pending] == ["resolve_due"]


async def test_resolution_deadline_reminds_and_escalates(db: Database, district: District) -> None:
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    boss = await chief(db, "construction")
    sup = await staff(db, "supervision_centre")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    await svc.acknowledge(view.id, boss.id)
    clock.advance(timedelta(days=7) + SECOND)
    mark = await last_outbox_id(db)
    assert await sched.run_due() == 1
    assert await event_types(db, view.id) == [
        "registered",
        "dispatched",
        "acknowledged",
        "reminded",
        "escalated",
    ]
    case = await load_case(db, view.id)
    assert (case.escalated_to_unit_id, case.status) == ("supervision_centre", "acknowledged")
    rows = await outbox(db, view.id, after=mark)
    assert any("催办" in r.text for r in rows if r.person_id == boss.id and r.kind == "message")
    assert sup.id in recipients(rows, "message")
    assert (await svc.get_case_view(view.id, boss.id)).overdue
    # Resolved late: recorded as not on time, no more reminders.
    await svc.resolve(view.id, boss.id, "已督促修复")
    assert (await events(db, view.id))[-1].data["on_time"] is False
    clock.advance(timedelta(days=6))
    assert await sched.run_due() == 0


async def test_each_timer_fires_exactly_once(db: Database, district: District) -> None:
    """Two schedulers (two Database objects, like two processes) race; then a restart."""
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    await chief(db, "construction")
    me = await citizen(db)
    ids = [(await svc.file_request(me.id, RequestDraft(text=f"{LAMP} {i}"))).id for i in range(6)]
    clock.advance(timedelta(hours=24) + SECOND)

    other_db = Database(db.url)
    try:
        first, second = make_scheduler(svc), make_scheduler(svc, other_db)
        fired = await asyncio.gather(first.run_due(), second.run_due())
        assert sum(fired) == 6
        # "restart": new scheduler objects on new connections find nothing to do...
        restarted_db = Database(db.url)
        try:
            restarted = make_scheduler(svc, restarted_db)
            assert await restarted.run_due() == 0
            # ...until the next round is due, which again fires once per case.
            clock.advance(timedelta(minutes=30))
            fired = await asyncio.gather(restarted.run_due(), second.run_due(limit=2))
            assert sum(fired) == 6
        finally:
            await restarted_db.dispose()
    finally:
        await other_db.dispose()
    async with db.session() as s:
        rows = (
            await s.execute(
                select(CaseEvent.type, func.count())
                .where(CaseEvent.case_id.in_(ids))
                .group_by(CaseEvent.type)
            )
        ).all()
        counts = {str(t): int(n) for t, n in rows}
        unfired_due = await s.scalar(
            select(func.count())
            .select_from(Timer)
            .where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at <= clock.now()
            )
        )
    assert counts["renotified"] == 12  # 6 cases × 2 rounds, never more
    assert unfired_due == 0
    for case_id in ids:
        assert [e.data["round"] for e in await events(db, case_id) if e.type == "renotified"] == [
            1,
            2,
        ]


async def test_returned_case_timers_are_cancelled(db: Database, district: District) -> None:
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    wrong = await chief(db, "construction")
    desk = await chief(db, "service_centre")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    await svc.return_case(view.id, wrong.id, "不属于本单位")
    # The desk has 24 h to dispatch; then it is re-notified (not the wrong unit).
    clock.advance(timedelta(hours=24) + SECOND)
    mark = await last_outbox_id(db)
    assert await sched.run_due() == 1
    rows = await outbox(db, view.id, after=mark)
    assert recipients(rows, "message") == {desk.id}
    assert (await events(db, view.id))[-1].data["unit_ids"] == ["service_centre"]


async def test_run_forever_stops(db: Database, district: District) -> None:
    svc = make_service(db, district)
    sched = make_scheduler(svc)
    task = asyncio.create_task(sched.run_forever(interval=3600))
    await asyncio.sleep(0.05)
    sched.stop()
    await asyncio.wait_for(task, timeout=5)
    assert task.done() and task.exception() is None


async def test_a_failing_timer_does_not_block_the_queue(db: Database, district: District) -> None:
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    await chief(db, "construction")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    async with db.session() as s:
        s.add(
            Timer(
                case_id=view.id,
                kind="ack_due",
                due_at=START,
                payload={"round": "x"},
                created_at=START,
            )
        )
        await s.flush()
    # payload "round" is garbage → the handler raises; it is marked fired and the rest runs
    async with db.session() as s:
        bad = await s.scalar(select(Timer).where(Timer.due_at == START))
        assert bad is not None
        bad.payload = {"unit_id": "construction", "level": 0, "round": "x"}
    clock.advance(timedelta(hours=24) + SECOND)
    assert await sched.run_due() == 2
    async with db.session() as s:
        bad = await s.scalar(select(Timer).where(Timer.due_at == START))
        assert bad is not None and bad.fired_at is not None and bad.payload.get("error") is True
    assert (await event_types(db, view.id)).count("renotified") == 1


async def test_scheduler_and_acknowledgements_race_without_deadlock(
    db: Database, district: District
) -> None:
    """Timers firing while chiefs acknowledge the same cases: all consistent, no deadlock."""
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    boss = await chief(db, "construction")
    me = await citizen(db)
    ids = [(await svc.file_request(me.id, RequestDraft(text=f"{LAMP} {i}"))).id for i in range(5)]
    clock.advance(timedelta(hours=25))
    other_db = Database(db.url)
    try:
        sched = make_scheduler(svc, other_db)
        results = await asyncio.wait_for(
            asyncio.gather(sched.run_due(), *(svc.acknowledge(i, boss.id) for i in ids)),
            timeout=30,
        )
    finally:
        await other_db.dispose()
    assert all(getattr(v, "status", None) == "acknowledged" for v in results[1:])
    clock.advance(timedelta(hours=2))
    assert await make_scheduler(svc).run_due() == 0
    for case_id in ids:
        types = await event_types(db, case_id)
        assert types in (
            ["registered", "dispatched", "acknowledged"],
            ["registered", "dispatched", "renotified", "acknowledged"],
        ), types


async def test_trial_reminders_bounded_and_deadlines_consistent(
    db: Database, district: District
) -> None:
    """Trial item 11: one day of an unacknowledged critical case must not flood the chief.

    Seen in the trial: 12 【催办】 in a day, 【催签收】 restarting at 第1次 at every level and
    a fresh 签收时限 later than the 办结时限.
    """
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    boss = await chief(db, "dongcheng")
    reporter = await officer(db, "dongcheng")
    view = await svc.file_warning(
        reporter.id, WarningDraft(text="两村村民因土地纠纷聚集", severity="critical")
    )
    mark = await last_outbox_id(db)
    end = clock.now() + timedelta(days=1)
    while clock.now() < end:
        clock.advance(timedelta(minutes=10))
        await sched.run_due()
        case = await load_case(db, view.id)
        if case.ack_due_at is not None and case.resolve_due_at is not None:
            assert case.ack_due_at <= case.resolve_due_at, clock.now()
    pings = [
        r.text
        for r in await outbox(db, view.id, after=mark)
        if r.person_id == boss.id and r.kind == "message"
    ]
    urged = [t for t in pings if t.startswith("【催办】")]
    renotified = [t for t in pings if t.startswith("【催签收】")]
    # At most one 催办 a day, and the 催签收 series is counted once, never restarted.
    assert len(urged) <= 2, urged
    # A critical case gets no 催签收 series: its first missed 签收 escalates (trial 26 T5);
    # at the top of the chain the unsigned danger is chased once per its 签收 period
    # (1 h, review 32 S5: once a day left it silent), one series numbered 1, 2, 3 …
    # never restarted — not the trial's flood of 催办 and restarted series.
    assert district.escalation.renotify_count_for("critical") == 0
    assert 0 < len(renotified) <= 24, renotified
    assert all("督办签收时限已过" in t for t in renotified), renotified
    numbered = [f"（第{n}次提醒）" in t for n, t in enumerate(renotified, 1)]
    assert all(numbered), renotified
    # Escalation took over from re-pinging: the case reached the top of the chain.
    case = await load_case(db, view.id)
    assert case.escalated_to_unit_id == district.leadership
    assert len(pings) - len(renotified) <= 8, pings
