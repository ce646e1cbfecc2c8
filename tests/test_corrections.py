"""Routing corrections (issue 14): each kind recorded with its change; the routing page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services.cases import CaseService, RequestDraft, WarningDraft
from bot.services.clock import FakeClock
from bot.services.corrections import latest_corrections, mark_learnt
from bot.services.lifecycle import CaseError
from config.district import District
from storage.db import Database
from storage.models import RoutingCorrection
from tests.dashkit import serve
from tests.factories import START, chief, citizen, make_person, make_service, officer, staff

LAMP = "小区路灯坏了一个月"
UNCLEAR = "这个事情说不清归谁管"


async def corrections(db: Database) -> list[RoutingCorrection]:
    async with db.session() as s:
        query = select(RoutingCorrection).order_by(RoutingCorrection.id)
        return list((await s.scalars(query)).all())


@pytest.fixture
def service(db: Database, district: District) -> CaseService:
    return make_service(db, district)


async def returned_and_redispatched(
    service: CaseService, db: Database, target: str
) -> tuple[int, int]:
    """LAMP filed (auto to construction), returned by its chief, dispatched by the desk."""
    me = await citizen(db)
    view = await service.file_request(me.id, RequestDraft(text=LAMP))
    boss = await chief(db, "construction")
    view = await service.return_case(view.id, boss.id, "路灯归公安管")
    assert isinstance(service.clock, FakeClock)
    service.clock.advance(timedelta(hours=2))
    desk = await staff(db, service.district.dispatcher)
    await service.dispatch(view.id, desk.id, target)
    return view.id, desk.id


async def test_a_return_then_dispatch_records_what_the_classifier_said_and_where_it_went(
    service: CaseService, db: Database
) -> None:
    case_id, desk_id = await returned_and_redispatched(service, db, "police")
    [row] = await corrections(db)
    assert (row.case_id, row.kind, row.text) == (case_id, "returned", LAMP)
    assert (row.classified_room, row.classified_bureau) == ("urban", "construction")
    assert row.confidence == pytest.approx(0.9) and row.keywords == ["路灯"]
    assert (row.final_room, row.final_bureau, row.final_unit_id) == ("general", "police", "police")
    assert row.actor_id == desk_id
    assert row.created_at == START + timedelta(hours=2)  # the service's clock
    assert row.learnt_at is None


async def test_a_desk_dispatch_is_recorded_even_when_it_agrees(
    service: CaseService, db: Database
) -> None:
    me = await citizen(db)
    view = await service.file_request(me.id, RequestDraft(text=UNCLEAR))
    assert view.owning_unit_id == service.district.dispatcher  # 0.2 < 0.6: the desk
    desk = await staff(db, service.district.dispatcher)
    await service.dispatch(view.id, desk.id, "planning")
    [row] = await corrections(db)
    assert row.kind == "desk" and row.actor_id == desk.id
    assert (row.classified_bureau, row.final_bureau) == ("planning", "planning")


async def test_a_refused_dispatch_records_nothing(service: CaseService, db: Database) -> None:
    me = await citizen(db)
    view = await service.file_request(me.id, RequestDraft(text=UNCLEAR))
    desk = await staff(db, service.district.dispatcher)
    with pytest.raises(CaseError):
        await service.dispatch(view.id, desk.id, "police", expected_version=view.version + 5)
    outsider = await chief(db, "construction")
    with pytest.raises(CaseError):
        await service.dispatch(view.id, outsider.id, "police")
    assert await corrections(db) == []


async def test_a_citizens_other_office_is_a_correction_and_the_same_office_is_not(
    service: CaseService, db: Database
) -> None:
    me = await citizen(db)
    await service.file_request(me.id, RequestDraft(text=LAMP, bureau="construction"))
    assert await corrections(db) == []
    view = await service.file_request(me.id, RequestDraft(text=LAMP, bureau="police"))
    [row] = await corrections(db)
    assert (row.case_id, row.kind, row.actor_id) == (view.id, "citizen", me.id)
    assert (row.classified_bureau, row.final_room, row.final_bureau) == (
        "construction",
        "general",
        "police",
    )


async def test_an_officers_other_room_is_a_correction(service: CaseService, db: Database) -> None:
    info = await officer(db, "dongcheng")
    # No danger now in the text: a fight going on (小区门口有人打架) is the police's whatever
    # room the officer picks (trial 33b E1), so no correction could be recorded for it.
    await service.file_warning(info.id, WarningDraft(text="村口有人聚集闹事", room="general"))
    assert await corrections(db) == []
    view = await service.file_warning(info.id, WarningDraft(text="村口有人聚集闹事", room="urban"))
    [row] = await corrections(db)
    assert (row.case_id, row.kind, row.actor_id) == (view.id, "officer", info.id)
    assert (row.classified_room, row.classified_bureau) == ("general", "police")
    assert (row.final_room, row.final_bureau) == ("urban", "unknown")


async def test_the_latest_correction_of_a_case_is_where_it_belonged(
    service: CaseService, db: Database
) -> None:
    case_id, _ = await returned_and_redispatched(service, db, "police")
    police = await chief(db, "police")
    await service.return_case(case_id, police.id, "不归我们")
    desk = await staff(db, service.district.dispatcher)
    await service.dispatch(case_id, desk.id, "planning")
    assert len(await corrections(db)) == 2
    [latest] = await latest_corrections(db)
    assert (latest.kind, latest.final_bureau) == ("returned", "planning")


async def test_the_routing_page_is_for_the_district_office_and_shows_the_figures(
    db: Database, district: District
) -> None:
    service = make_service(db, district)
    async with serve(db, district, service=service) as dash:
        returned_id, _ = await returned_and_redispatched(service, db, "police")
        me = await citizen(db)
        await service.file_request(me.id, RequestDraft(text=LAMP))  # right the first time
        # The citizen's own office: right the first time, and the classifier corrected.
        await service.file_request(me.id, RequestDraft(text=LAMP, bureau="police"))
        waiting = await service.file_request(me.id, RequestDraft(text=UNCLEAR))  # at the desk
        assert waiting.owning_unit_id == district.dispatcher

        await dash.login((await chief(db, "construction")).id)
        assert (await dash.client.get("/dashboard/routing")).status == 403
        assert "分派准确率" not in await (await dash.client.get("/dashboard")).text()
        dash.logout_locally()

        await dash.login((await make_person(db, "admin", "office")).id)
        response = await dash.client.get("/dashboard/routing")
        html = await response.text()
        assert response.status == 200
        month = html[html.index("<td>2026-03</td>") : html.index("</tr>", html.index("2026-03"))]
        # 3 dispatched (the one at the desk is not) = 2 first time right + 1 redirected;
        # 2 classifier's offices corrected (the return, and the citizen's own choice).
        cells = [c.split("</td>")[0] for c in month.split('<td class="num">')[1:]]
        assert cells == ["3", "2", "1", "66.7%", "2"]
        dispatched, first_right, redirected = (int(c) for c in cells[:3])
        assert first_right + redirected == dispatched
        assert "已派单 = 首次即准确 + 转派" in html and "系统分类被纠正" in html
        confusions = html[html.index("最常见的分错") : html.index("待学习的纠正")]
        assert '<td>区建设局</td><td>区公安分局</td><td class="num">2</td>' in confusions
        # Two corrections to the police by fewer than three people: nothing for
        # `lexicon learn` to learn from yet, so not listed as waiting for it.
        pending = html[html.index("待学习的纠正") : html.index("暂不能学习")]
        assert "待学习的纠正（0）" in pending
        not_yet = html[html.index("暂不能学习") : html.index("不参与学习")]
        assert "暂不能学习（2）" in not_yet and f"/dashboard/cases/{returned_id}" in not_yet
        assert "纠正到区公安分局的仅2件" in not_yet

        rows = await latest_corrections(db)
        assert await mark_learnt(db, [r.id for r in rows], service.clock.now()) == 2
        html = await (await dash.client.get("/dashboard/routing")).text()
        assert "待学习的纠正（0）" in html and "暂不能学习（0）" in html
        assert "<td>区建设局</td><td>区公安分局</td>" in html  # confusions stay
