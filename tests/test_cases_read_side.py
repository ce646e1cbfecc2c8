"""Case services on SQLite and PostgreSQL: filing and the read side (where a case goes,
who gets rows, views, the "which office?" preview, the default classifier).

The lifecycle (handling, returns, escalation): test_cases.py; who may act and who sees
what: test_case_permissions.py; warnings: test_case_warnings.py. Split from test_cases.py
(pf31 #8).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.cases import CaseService, RequestDraft
from bot.services.clock import FakeClock
from bot.services.lifecycle import CaseError
from config.district import District
from storage.db import Database
from tests.factories import (
    START,
    chief,
    citizen,
    event_types,
    events,
    make_service,
    outbox,
    recipients,
)

LAMP = "小区门口的路灯坏了一个月了，晚上很黑"


async def test_unclear_request_waits_at_the_desk(db: Database, district: District) -> None:
    svc = make_service(db, district)
    desk = await chief(db, "service_centre")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text="有件事说不清该找谁"))
    assert (view.status, view.owning_unit_id) == ("registered", "service_centre")
    assert view.resolve_due_at is None and view.ack_due_at == START + timedelta(hours=24)
    assert await event_types(db, view.id) == ["registered"]
    rows = await outbox(db, view.id)
    assert recipients(rows, "card") == {desk.id}
    assert "分派" in next(r for r in rows if r.person_id == me.id).text
    # the citizen's own choice goes straight to the bureau
    view2 = await svc.file_request(me.id, RequestDraft(text="有件事说不清该找谁", bureau="health"))
    assert (view2.status, view2.owning_unit_id, view2.room) == ("dispatched", "health", "social")


async def test_citizen_without_chat_gets_no_rows(db: Database, district: District) -> None:
    svc = make_service(db, district)
    boss = await chief(db, "construction")
    web_citizen = await citizen(db, chat=False)
    view = await svc.file_request(web_citizen.id, RequestDraft(text=LAMP), "web")
    rows = await outbox(db, view.id)
    assert recipients(rows) == {boss.id}
    assert (await events(db, view.id))[0].channel == "web"


async def test_read_side(db: Database, district: District) -> None:
    clock = FakeClock(START)
    svc = make_service(db, district, clock)
    boss = await chief(db, "construction")
    me = await citizen(db)
    first = await svc.file_request(me.id, RequestDraft(text=LAMP))
    clock.advance(timedelta(hours=2))
    second = await svc.file_request(me.id, RequestDraft(text="路灯又坏了"))
    await svc.acknowledge(second.id, boss.id)
    clock.advance(timedelta(hours=23))
    third = await svc.file_request(me.id, RequestDraft(text="还有一盏路灯"))
    # now the first is past its acknowledgement deadline (24 h)
    pending = await svc.pending_for_unit("construction")
    assert [v.id for v in pending] == [first.id, third.id, second.id]
    assert [v.overdue for v in pending] == [True, False, False]
    mine = await svc.cases_of_reporter(me.id)
    assert [v.id for v in mine] == [third.id, second.id, first.id]
    assert await svc.pending_for_unit("labor") == []
    text, markup = await svc.render_card(first.id, boss.id)
    assert "【签收超时】" in text and markup is not None


async def test_preview(db: Database, district: District) -> None:
    svc = make_service(db, district)
    p = svc.preview("小区路灯坏了找谁")
    assert (p.room, p.bureau, p.unsure) == ("urban", "construction", False)
    assert p.room_name == "城建规划服务室" and p.bureau_name == "区建设局"
    assert p.address.startswith("群众服务中心三楼") and p.phone and p.hours
    assert p.keywords == ("路灯",)
    assert [a.bureau for a in p.alternatives] == ["health"]
    unsure = svc.preview("说不清")
    assert unsure.unsure
    nothing = svc.preview("你好")
    assert nothing.room == "unknown" and nothing.unsure and nothing.address == ""
    with pytest.raises(CaseError):
        svc.preview("   ")


async def test_default_classifier_is_used_when_none_given(db: Database, district: District) -> None:
    # Without an explicit classifier the service uses nlp.classify when the
    # package has it, and otherwise sends everything to the dispatcher desk.
    svc = CaseService(db, district, FakeClock(START), make_service(db, district).codec)
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP, bureau="construction"))
    assert view.owning_unit_id == "construction"
