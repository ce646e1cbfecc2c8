"""Case services on SQLite and PostgreSQL: the lifecycle — filing, handling, returns, escalation.

Filing and the read side: test_cases_read_side.py; who may act and who sees what:
test_case_permissions.py; warnings: test_case_warnings.py.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from bot.services.cases import RequestDraft
from bot.services.clock import FakeClock
from bot.services.lifecycle import CaseError
from config.district import District
from storage.db import Database
from tests.factories import (
    START,
    actions,
    chief,
    citizen,
    event_types,
    events,
    last_outbox_id,
    load_case,
    make_service,
    officer,
    outbox,
    recipients,
    staff,
    timers,
)

LAMP = "小区门口的路灯坏了一个月了，晚上很黑"


async def test_full_lifecycle_with_events_and_outbox(db: Database, district: District) -> None:
    svc = make_service(db, district)
    clock = svc.clock
    assert isinstance(clock, FakeClock)
    boss, worker = await chief(db, "construction"), await staff(db, "construction")
    await officer(db, "construction")  # officers get no cards
    other_chief = await chief(db, "planning")
    me = await citizen(db)

    # --- filed and dispatched automatically
    view = await svc.file_request(
        me.id,
        RequestDraft(
            text=LAMP,
            address="和平路 12 号",
            territorial_unit_id="dongcheng_heping",
            contact_name="张三",
            contact_phone="13812345678",
        ),
        "telegram",
    )
    assert re.fullmatch(r"MQ20260303-\d{4,}", view.number)
    assert (view.status, view.status_label) == ("dispatched", "已派单")
    assert (view.room, view.bureau, view.owning_unit_id) == (
        "urban",
        "construction",
        "construction",
    )
    assert view.room_name == "城建规划服务室" and view.bureau_name == "区建设局"
    assert view.territorial_unit_name == "和平社区群众工作室"
    assert view.contact_phone == "13812345678"  # the reporter sees their own details
    assert view.ack_due_at == START + timedelta(hours=24)
    assert view.resolve_due_at == START + timedelta(days=7)
    assert view.version == 2 and not view.overdue
    case = await load_case(db, view.id)
    assert case.original_text == LAMP and case.normalized_text
    assert case.keywords == ["路灯"] and case.priority == "normal"

    evs = await events(db, view.id)
    assert [(e.type, e.from_status, e.to_status, e.unit_id) for e in evs] == [
        ("registered", None, "registered", "construction"),
        ("dispatched", "registered", "dispatched", "construction"),
    ]
    assert evs[0].actor_id == me.id and evs[0].channel == "telegram"
    assert {t.kind for t in await timers(db, view.id)} == {"ack_due", "resolve_due"}

    rows = await outbox(db, view.id)
    assert recipients(rows, "card") == {boss.id, worker.id}
    assert recipients(rows, "message") == {me.id}
    (confirmation,) = [r for r in rows if r.person_id == me.id]
    assert view.number in confirmation.text
    assert "2026-03-10 09:00" in confirmation.text  # resolve deadline, Shanghai time
    assert "您将收到每一次进展的通知" in confirmation.text
    assert confirmation.chat_id == me.chat_id
    card = next(r for r in rows if r.person_id == boss.id)
    assert card.chat_id == boss.chat_id
    assert actions(card) == ["ack", "ret", "esc"]
    assert "13812345678" in card.text  # the owning unit sees the contact

    # --- acknowledged by the staff member
    mark = await last_outbox_id(db)
    view = await svc.acknowledge(view.id, worker.id, "telegram", expected_version=2)
    assert view.status == "acknowledged" and view.version == 3
    rows = await outbox(db, view.id, after=mark)
    assert recipients(rows, "card") == {boss.id, worker.id}
    assert all(actions(r) == ["start", "done", "ret", "esc"] for r in rows if r.kind == "card")
    (msg,) = [r for r in rows if r.person_id == me.id]
    assert "签收" in msg.text
    ack = (await events(db, view.id))[-1]
    assert (ack.type, ack.actor_id, ack.data["on_time"]) == ("acknowledged", worker.id, True)
    assert [t.kind for t in await timers(db, view.id) if t.cancelled_at is None] == ["resolve_due"]

    # --- in progress, resolved
    clock.advance(timedelta(days=2))
    view = await svc.start_progress(view.id, boss.id, "telegram")
    mark = await last_outbox_id(db)
    view = await svc.resolve(view.id, boss.id, "已更换灯泡", "telegram")
    assert view.status == "resolved" and view.resolution_note == "已更换灯泡"
    rows = await outbox(db, view.id, after=mark)
    assert all(actions(r) == [] for r in rows if r.kind == "card")
    (question,) = [r for r in rows if r.person_id == me.id]
    assert "已更换灯泡" in question.text and "满意" in question.text
    assert actions(question) == [
        "fu:satisfied",
        "fu:basically_satisfied",
        "fu:unsatisfied",
        "fu:unsolved",
    ]
    assert [
        t.kind for t in await timers(db, view.id) if t.cancelled_at is None and t.fired_at is None
    ] == ["follow_up_due"]

    # --- follow-up: solved and satisfied -> closed
    with pytest.raises(CaseError) as info:
        await svc.answer_follow_up(view.id, other_chief.id, True, "satisfied")
    assert info.value.code == "forbidden"
    mark = await last_outbox_id(db)
    view = await svc.answer_follow_up(view.id, me.id, True, "satisfied", "谢谢", "telegram")
    assert view.status == "closed" and view.closed_at is not None
    assert await event_types(db, view.id) == [
        "registered",
        "dispatched",
        "acknowledged",
        "in_progress",
        "resolved",
        "followed_up",
        "closed",
    ]
    fu = (await events(db, view.id))[-2]
    assert fu.data == {"solved": True, "satisfaction": "satisfied"} and fu.note == "谢谢"
    rows = await outbox(db, view.id, after=mark)
    assert recipients(rows, "message") == {me.id}
    assert recipients(rows, "card") == {boss.id, worker.id}
    with pytest.raises(CaseError) as info:
        await svc.answer_follow_up(view.id, me.id, True, "satisfied")
    assert info.value.code == "already_answered"

    # every change after registration (version 1) bumped the version: 6 changes
    assert (await load_case(db, view.id)).version == 7
    timeline = await svc.timeline(view.id, me.id)
    assert [t.label for t in timeline][:3] == ["登记", "派单", "签收"]
    assert timeline[2].actor_name is None  # the reporter does not see staff names
    assert (await svc.timeline(view.id, boss.id))[2].actor_name == worker.name


async def test_illegal_transitions_are_refused(db: Database, district: District) -> None:
    svc = make_service(db, district)
    boss = await chief(db, "construction")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    for call in (
        svc.resolve(view.id, boss.id, "已修好路灯"),
        svc.start_progress(view.id, boss.id),
        svc.answer_follow_up(view.id, me.id, True, "satisfied"),
    ):
        with pytest.raises(CaseError) as info:
            await call
        assert info.value.code == "illegal_transition", info.value
    await svc.acknowledge(view.id, boss.id)
    with pytest.raises(CaseError) as info:
        await svc.acknowledge(view.id, boss.id)
    assert info.value.code == "illegal_transition"
    assert "已签收" in info.value.message
    await svc.start_progress(view.id, boss.id)
    with pytest.raises(CaseError) as info:
        await svc.return_case(view.id, boss.id, "不归我们管")
    assert info.value.code == "illegal_transition"
    with pytest.raises(CaseError) as info:
        await svc.resolve(view.id, boss.id, "   ")
    assert info.value.code == "bad_input"
    # Nothing of the refused calls was written.
    assert await event_types(db, view.id) == [
        "registered",
        "dispatched",
        "acknowledged",
        "in_progress",
    ]


async def test_stale_version_is_refused(db: Database, district: District) -> None:
    svc = make_service(db, district)
    a, b = await chief(db, "construction"), await staff(db, "construction")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    # Two people press 签收 on the same card at once: one wins, the other is told.
    results = await asyncio.gather(
        svc.acknowledge(view.id, a.id, expected_version=view.version),
        svc.acknowledge(view.id, b.id, expected_version=view.version),
        return_exceptions=True,
    )
    wins = [r for r in results if not isinstance(r, BaseException)]
    errors = [r for r in results if isinstance(r, CaseError)]
    assert len(wins) == 1 and len(errors) == 1, results
    assert errors[0].code == "stale" and "最新" in errors[0].message
    assert (await event_types(db, view.id)).count("acknowledged") == 1
    with pytest.raises(CaseError) as info:
        await svc.start_progress(view.id, a.id, expected_version=view.version)
    assert info.value.code == "stale"


async def test_return_and_redispatch(db: Database, district: District) -> None:
    svc = make_service(db, district)
    wrong = await chief(db, "construction")
    desk = await staff(db, "service_centre")
    right = await chief(db, "planning")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    with pytest.raises(CaseError) as info:
        await svc.return_case(view.id, wrong.id, "  ")
    assert info.value.code == "bad_input"

    mark = await last_outbox_id(db)
    view = await svc.return_case(view.id, wrong.id, "属于规划问题", expected_version=view.version)
    assert (view.status, view.owning_unit_id) == ("returned", "service_centre")
    ret = (await events(db, view.id))[-1]
    assert (ret.type, ret.unit_id, ret.note) == ("returned", "construction", "属于规划问题")
    rows = await outbox(db, view.id, after=mark)
    # the wrong unit's card is redrawn without buttons; the desk gets a card and a ping
    (wrong_card,) = [r for r in rows if r.person_id == wrong.id]
    assert wrong_card.kind == "card" and actions(wrong_card) == []
    desk_rows = [r for r in rows if r.person_id == desk.id]
    assert [r.kind for r in desk_rows] == ["card", "message"]
    assert "属于规划问题" in desk_rows[1].text
    # no proposal of the bureau that has just returned it (and no wild guess instead)
    assert not [a for a in actions(desk_rows[0]) if a.startswith("disp:")]
    assert "room:urban" in actions(desk_rows[0]) and "esc" in actions(desk_rows[0])
    (msg,) = [r for r in rows if r.person_id == me.id]
    assert "重新分派" in msg.text and "属于规划问题" not in msg.text
    # the wrong unit can no longer act
    with pytest.raises(CaseError) as info:
        await svc.acknowledge(view.id, wrong.id)
    assert info.value.code == "forbidden"

    mark = await last_outbox_id(db)
    view = await svc.dispatch(view.id, desk.id, "planning", expected_version=view.version)
    assert (view.status, view.owning_unit_id, view.room, view.bureau) == (
        "dispatched",
        "planning",
        "urban",
        "planning",
    )
    rows = await outbox(db, view.id, after=mark)
    assert recipients(rows, "card") == {wrong.id, desk.id, right.id}
    assert actions(next(r for r in rows if r.person_id == right.id)) == ["ack", "ret", "esc"]
    assert "区规划分局群众工作站" in next(r for r in rows if r.person_id == me.id).text
    await svc.acknowledge(view.id, right.id)
    assert await event_types(db, view.id) == [
        "registered",
        "dispatched",
        "returned",
        "dispatched",
        "acknowledged",
    ]
    with pytest.raises(CaseError) as info:
        await svc.dispatch(view.id, desk.id, "labor")
    assert info.value.code == "illegal_transition"
    with pytest.raises(CaseError) as info:
        await svc.dispatch(view.id, desk.id, "nowhere")
    assert info.value.code == "bad_input"


async def test_manual_escalation(db: Database, district: District) -> None:
    svc = make_service(db, district)
    boss = await chief(db, "construction")
    sup = await chief(db, "supervision_centre")
    lead = await chief(db, "office")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    mark = await last_outbox_id(db)
    view = await svc.escalate(view.id, boss.id, "需要规划部门配合")
    assert (view.escalation_level, view.escalated_to_unit_id) == (1, "supervision_centre")
    assert view.status == "dispatched"
    ev = (await events(db, view.id))[-1]
    assert ev.type == "escalated" and ev.data["reason"] == "manual"
    assert ev.data["to_unit_id"] == "supervision_centre" and ev.note == "需要规划部门配合"
    rows = await outbox(db, view.id, after=mark)
    assert {r.person_id for r in rows if r.kind == "message"} == {boss.id, sup.id, me.id}
    # the supervision centre supervises (D15): it may not 签收 in the owner's name;
    # up once more to the leadership, then the top
    with pytest.raises(CaseError) as info:
        await svc.acknowledge(view.id, sup.id)
    assert info.value.code == "supervising"
    view = await svc.escalate(view.id, sup.id)
    assert view.escalated_to_unit_id == "office"
    with pytest.raises(CaseError) as info:
        await svc.escalate(view.id, lead.id)
    assert info.value.code == "top"
    view = await svc.acknowledge(view.id, boss.id)
    assert view.status == "acknowledged"


async def test_trial29_p11_late_acknowledgement_is_not_resolution_overdue(
    db: Database, district: District
) -> None:
    """A case acknowledged late and resolved in time reads 签收超时, never 办理超期."""
    clock = FakeClock(START)
    svc = make_service(db, district, clock)
    me = await citizen(db)
    boss = await chief(db, "construction")
    view = await svc.file_request(me.id, RequestDraft(text="和平路的路灯坏了一个星期了"))
    assert view.owning_unit_id == "construction"
    clock.advance(timedelta(hours=25))  # past the 24 h acknowledgement
    text, _ = await svc.render_card(view.id, boss.id)
    assert "【签收超时】" in text and "办理超期" not in text
    await svc.acknowledge(view.id, boss.id)
    done = await svc.resolve(view.id, boss.id, "已更换灯泡")
    text, _ = await svc.render_card(done.id, boss.id)
    assert "已办结【签收超时】" in text and "办理超期" not in text
    # Past the resolution deadline unresolved: 办理超期.
    late = await svc.file_request(me.id, RequestDraft(text="幸福路的路灯也坏了好几天了"))
    await svc.acknowledge(late.id, boss.id)
    clock.advance(timedelta(days=8))
    text, _ = await svc.render_card(late.id, boss.id)
    assert "【办理超期】" in text
