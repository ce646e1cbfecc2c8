"""The scheduler and the follow-up (回访): an unsatisfied answer reopens, no answer closes."""

from __future__ import annotations

from datetime import timedelta

from bot.services.cases import RequestDraft
from bot.services.clock import FakeClock
from bot.services.lifecycle import CaseError
from config.district import District
from storage.db import Database
from tests.factories import (
    actions,
    chief,
    citizen,
    event_types,
    events,
    last_outbox_id,
    load_case,
    make_scheduler,
    make_service,
    outbox,
)
from tests.test_scheduler import LAMP, SECOND


async def test_follow_up_unsatisfied_reopens(db: Database, district: District) -> None:
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    boss = await chief(db, "construction")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    await svc.acknowledge(view.id, boss.id)
    await svc.resolve(view.id, boss.id, "已报修处理")
    clock.advance(timedelta(days=1))
    mark = await last_outbox_id(db)
    view = await svc.answer_follow_up(view.id, me.id, False, "unsatisfied", "灯还是不亮")
    assert (view.status, view.owning_unit_id) == ("reopened", "construction")
    assert view.ack_due_at == clock.now() + timedelta(hours=24)
    assert view.resolve_due_at == clock.now() + timedelta(days=7)
    evs = await events(db, view.id)
    assert [(e.type, e.to_status) for e in evs[-2:]] == [
        ("followed_up", "followed_up"),
        ("reopened", "reopened"),
    ]
    assert evs[-1].note == "灯还是不亮" and evs[-2].data == {
        "solved": False,
        "satisfaction": "unsatisfied",
    }
    rows = await outbox(db, view.id, after=mark)
    ping = next(r for r in rows if r.person_id == boss.id and r.kind == "message")
    assert "重办" in ping.text and "灯还是不亮" in ping.text and actions(ping)[0] == "ack"
    assert "重新交" in next(r for r in rows if r.person_id == me.id).text
    # the follow-up timer is gone; the new acknowledgement deadline is watched
    clock.advance(timedelta(days=8))
    assert await sched.run_due() >= 1
    assert "closed" not in await event_types(db, view.id)
    # handled again and closed after a happy answer
    await svc.acknowledge(view.id, boss.id)
    await svc.resolve(view.id, boss.id, "已更换线路")
    view = await svc.answer_follow_up(view.id, me.id, True, "basically_satisfied")
    assert view.status == "closed"


async def test_follow_up_without_answer_closes(db: Database, district: District) -> None:
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    sched = make_scheduler(svc)
    boss = await chief(db, "construction")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    await svc.acknowledge(view.id, boss.id)
    await svc.resolve(view.id, boss.id, "已修好路灯")
    clock.advance(timedelta(days=7) - SECOND)
    assert await sched.run_due() == 0
    clock.advance(2 * SECOND)
    mark = await last_outbox_id(db)
    assert await sched.run_due() == 1
    case = await load_case(db, view.id)
    assert case.status == "closed" and case.closed_at == clock.now()
    last = (await events(db, view.id))[-1]
    assert (last.type, last.from_status, last.data["reason"]) == (
        "closed",
        "resolved",
        "no_response",
    )
    assert "followed_up" not in await event_types(db, view.id)
    rows = await outbox(db, view.id, after=mark)
    assert "未收到您的回访答复" in next(r for r in rows if r.person_id == me.id).text
    # a late answer is refused politely

    try:
        await svc.answer_follow_up(view.id, me.id, True, "satisfied")
    except CaseError as exc:
        assert exc.code == "already_answered"
    else:  # pragma: no cover
        raise AssertionError("answer after closing accepted")
