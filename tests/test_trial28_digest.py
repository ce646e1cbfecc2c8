"""Trial 28 P4: the scheduler's reminders come as one digest per person and pass.

After a day of missed deadlines the station chief got 74 messages, the supervision
centre 88 and the officer 36 (one per case and event). Now each of them gets one
digest listing the cases with what happened and the one action each needs, with
查看 buttons; a critical case's alert still comes singly and first. Every event
and every notice stays recorded. The bot, the fake Bot API and the real scheduler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeapi.server import FakeUser
from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import Role
from storage.models import OutboxMessage
from storage.outbox_digest import FOLDED_NOTE
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER = 2801
STATION = 2802
CENTRE = 2803
POLICE = 2804
CITIZEN = 2805
WARNINGS = [
    "和平社区3号楼楼道堆放杂物，居民有意见",
    "幸福路菜市场门口占道经营，影响通行",
    "阳光小区路灯坏了一周没人修",
    "东城街道二号院垃圾清运不及时，有异味",
]
DROWNING = "河边有个小孩掉进水里了，快来人"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_day_of_missed_deadlines_comes_as_one_digest_each(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    centre = kit.user(CENTRE, "督办中心")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    for text in WARNINGS:
        await kit.say(officer, f"/warn {text}", "预警已报送")
    citizen = kit.user(CITIZEN, "王芳")
    await kit.answer(citizen, citizen.send_text(DROWNING), "已登记")
    cases = await kit.cases()
    routine = [c for c in cases if c.severity != "critical"]
    (critical,) = [c for c in cases if c.severity == "critical"]
    assert len(routine) == len(WARNINGS)
    await kit.delivered()
    seen = {id(u): len(u.transcript()) for u in (officer, station, centre, police)}

    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)

    def new(user: FakeUser) -> list[str]:
        got = [m.content for m in user.transcript()[seen[id(user)] :]]
        seen[id(user)] = len(user.transcript())
        return got

    numbers = [c.number or "" for c in routine]
    # Pass 1, a day later: every 签收时限 has passed. The station chief gets one digest
    # naming every case with what it needs, not one 【催签收】 per case.
    kit.clock.advance(timedelta(days=1))
    assert await sched.run_due() >= len(cases)
    await kit.delivered()
    at_station = new(station)
    assert len(at_station) == 1 and at_station[0].startswith("【待办汇总】"), at_station
    assert all(n in at_station[0] for n in numbers)
    assert "超期未签收 → 请签收" in at_station[0]
    digest_msg = station.transcript()[-1]
    labels = [b["text"] for b in digest_msg.buttons]
    assert labels and all(label.startswith("查看 MQ") for label in labels)
    # The drowning child's alert is not folded: the centre gets its 【上报督办】 on its own.
    at_centre = new(centre)
    assert [t for t in at_centre if t.startswith("【上报督办】")], at_centre
    assert not any(t.startswith("【待办汇总】") for t in at_centre)
    assert any(critical.number in t for t in at_centre if t.startswith("【上报督办】"))
    # A 查看 button opens the case's card with the chief's buttons.
    card = await kit.press(station, digest_msg, labels[0], lambda m: "承办单位" in m.content)
    assert any(b["text"] == "签收" for b in card.buttons)
    new(station)

    # Pass 2 (second 催签收) and pass 3 (escalation to the centre), 31 minutes apart.
    kit.clock.advance(timedelta(minutes=31))
    await sched.run_due()
    kit.clock.advance(timedelta(minutes=31))
    await sched.run_due()
    await kit.delivered()
    at_station = new(station)
    assert len(at_station) == 2 and all(t.startswith("【待办汇总】") for t in at_station)
    assert "已上报督查督办中心（第1级）" in at_station[1]
    at_centre = new(centre)
    (digest,) = [t for t in at_centre if t.startswith("【待办汇总】")]
    assert all(n in digest for n in numbers) and critical.number not in digest
    assert "请督促承办单位" in digest
    # Besides it, only the critical case's own messages (its next escalation).
    assert all(critical.number in t for t in at_centre if t != digest)
    # The officer: one 进展汇总 instead of one 已提交督办 per warning.
    at_officer = new(officer)
    assert len(at_officer) == 1 and at_officer[0].startswith("【进展汇总】"), at_officer
    assert all(n in at_officer[0] for n in numbers) and "督办" in at_officer[0]

    # Nothing is lost: every case's reminders and escalations are in its log, and the
    # folded notices stay in the outbox.
    for case in routine:
        events = await kit.events(case.id)
        assert "renotified" in events and "escalated" in events
    async with kit.db.session() as s:
        folded = (
            await s.scalars(select(OutboxMessage).where(OutboxMessage.last_error == FOLDED_NOTE))
        ).all()
    assert {r.case_id for r in folded} == {c.id for c in routine}
    assert all(r.case_id != critical.id for r in folded)


async def test_one_case_due_is_sent_as_before(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    await kit.say(officer, f"/warn {WARNINGS[0]}", "预警已报送")
    (case,) = await kit.cases()
    assert case.ack_due_at is not None
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    assert await sched.run_due() == 1
    ping = await station.wait_for_message(lambda m: m.content.startswith("【催签收】"), WAIT)
    assert any(b["text"] == "签收" for b in ping.buttons)
