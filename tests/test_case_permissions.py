"""Case services on SQLite and PostgreSQL: who may act on a case, who sees contact details."""

from __future__ import annotations

import pytest

from bot.services.cases import RequestDraft
from bot.services.lifecycle import CaseError
from config.district import District
from storage.db import Database
from tests.factories import (
    chief,
    citizen,
    event_types,
    make_person,
    make_service,
    officer,
    outbox,
    staff,
)
from tests.test_cases import LAMP


async def test_permissions(db: Database, district: District) -> None:
    svc = make_service(db, district)
    owner = await chief(db, "construction")
    other = await chief(db, "labor")
    stranger = await citizen(db)
    officer_same_unit = await officer(db, "construction")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    for person in (stranger, other, officer_same_unit):
        with pytest.raises(CaseError) as info:
            await svc.acknowledge(view.id, person.id)
        assert info.value.code == "forbidden"
        with pytest.raises(CaseError) as info:
            await svc.escalate(view.id, person.id)
        assert info.value.code == "forbidden"
    for person in (stranger, other):
        with pytest.raises(CaseError) as info:
            await svc.get_case_view(view.id, person.id)
        assert info.value.code == "forbidden"
    with pytest.raises(CaseError) as info:
        await svc.dispatch(view.id, owner.id, "planning")
    assert info.value.code == "forbidden"
    with pytest.raises(CaseError) as info:
        await svc.acknowledge(999_999, owner.id)
    assert info.value.code == "not_found"

    # Admins, the desk and district centres: act / view (masked for the centre).
    admin = await make_person(db, "admin", "office")
    centre = await staff(db, "supervision_centre")
    desk = await staff(db, "service_centre")
    assert (await svc.get_case_view(view.id, centre.id)).masked
    assert not (await svc.get_case_view(view.id, owner.id)).masked
    # 签收 is the owner's word: the desk's tap on a dispatched case must not speak for the
    # station (found in a product trial: the citizen was told 已由区环保局…签收), nor may
    # the desk handle a case it has sent out (its copy is for reading).
    for act in (svc.acknowledge, svc.start_progress):
        with pytest.raises(CaseError, match=r"区建设局群众工作站承办.*无权办理") as info:
            await act(view.id, desk.id)
        assert info.value.code == "forbidden"
    await svc.acknowledge(view.id, admin.id)
    await svc.start_progress(view.id, owner.id)
    assert await event_types(db, view.id) == [
        "registered",
        "dispatched",
        "acknowledged",
        "in_progress",
    ]


async def test_trial_the_unit_escalated_to_does_not_acknowledge_in_the_owners_name(
    db: Database, district: District
) -> None:
    """Once the centre could 签收 (and the reporter read 已由督查督办中心签收); since D15
    it supervises and the owner acknowledges."""
    svc = make_service(db, district)
    owner = await chief(db, "construction")
    me = await citizen(db)
    view = await svc.file_request(me.id, RequestDraft(text=LAMP))
    await svc.escalate(view.id, owner.id)
    above = district.escalation_target(view.owning_unit_id)
    assert above is not None
    centre = await chief(db, above)
    after = max(r.id for r in await outbox(db, view.id))
    with pytest.raises(CaseError) as info:
        await svc.acknowledge(view.id, centre.id)
    assert info.value.code == "supervising"
    assert not await outbox(db, view.id, after)
    await svc.acknowledge(view.id, owner.id)
    told = [r.text for r in await outbox(db, view.id, after) if r.person_id == me.id]
    assert any(f"已由{district.units[view.owning_unit_id].name}签收" in t for t in told), told


async def test_masking_of_contact_details(db: Database, district: District) -> None:
    svc = make_service(db, district)
    owner = await chief(db, "construction")
    centre = await chief(db, "opinion_centre")
    me = await citizen(db)
    view = await svc.file_request(
        me.id,
        RequestDraft(
            text=LAMP + "，电话13912345678",
            contact_name="李四",
            contact_phone="13912345678",
            latitude=30.1,
            longitude=120.2,
        ),
    )
    seen = await svc.get_case_view(view.id, centre.id)
    assert seen.masked
    assert seen.contact_phone == "139****5678" and seen.contact_name == "李*"
    assert "13912345678" not in seen.text and seen.latitude is None
    full = await svc.get_case_view(view.id, owner.id)
    assert full.contact_phone == "13912345678" and full.latitude == 30.1
