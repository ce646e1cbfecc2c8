"""Extensions (延期申请): asked before the deadline, approved or refused by 督查督办中心."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services.cases import CaseService, RequestDraft
from bot.services.clock import FakeClock
from bot.services.lifecycle import CaseError
from bot.services.scores import unit_scores
from config.district import District
from storage.db import Database
from storage.models import Person
from tests.factories import (
    actions,
    chief,
    citizen,
    events,
    last_outbox_id,
    load_case,
    make_service,
    outbox,
)

SH = ZoneInfo("Asia/Shanghai")


def sh(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SH)


async def _setup(
    db: Database, district: District
) -> tuple[CaseService, FakeClock, Person, Person, Person, int]:
    clock = FakeClock(sh(9, 28, 10))  # Monday before 国庆
    svc = make_service(db, district, clock)
    boss = await chief(db, "construction")
    supervisor = await chief(db, "supervision_centre")
    me = await citizen(db)
    case_id = (await svc.file_request(me.id, RequestDraft(text="路灯坏了"))).id
    await svc.acknowledge(case_id, boss.id)
    return svc, clock, boss, supervisor, me, case_id


async def test_an_approved_extension_moves_the_deadline_and_keeps_the_original(
    db: Database, district: District
) -> None:
    svc, clock, boss, supervisor, me, case_id = await _setup(db, district)
    original = (await load_case(db, case_id)).resolve_due_at
    assert original == sh(10, 5, 10)  # 7 calendar days (the default config)
    clock.set(sh(9, 30, 9))
    with pytest.raises(CaseError) as err:
        await svc.request_extension(case_id, boss.id, "  ", 3)
    assert err.value.code == "bad_input"
    after = await last_outbox_id(db)
    await svc.request_extension(case_id, boss.id, "需协调供电部门更换线路", 3)
    # 3 working days after 10-05 (a 国庆 holiday): 10-08, 10-09, 10-10 (调休 Saturday).
    requested = sh(10, 10, 10)
    asked = [r for r in await outbox(db, case_id, after) if r.person_id == supervisor.id]
    ask = next(r for r in asked if "延期申请" in r.text)
    assert "需协调供电部门更换线路" in ask.text and "2026-10-10 10:00" in ask.text
    assert actions(ask) == ["xok", "xno"]
    with pytest.raises(CaseError) as err:
        await svc.request_extension(case_id, boss.id, "再延", 1)
    assert err.value.code == "pending"
    with pytest.raises(CaseError) as err:
        await svc.decide_extension(case_id, boss.id, True)  # not the supervision centre
    assert err.value.code == "forbidden"

    clock.set(sh(9, 30, 11))
    after = await last_outbox_id(db)
    await svc.decide_extension(case_id, supervisor.id, True, "同意")
    case = await load_case(db, case_id)
    assert case.resolve_due_at == requested and case.extension_due_at is None
    told = [r.text for r in await outbox(db, case_id, after) if r.person_id == me.id]
    assert any("同意延期" in t and "2026-10-10 10:00" in t for t in told)
    approved = [e for e in await events(db, case_id) if e.type == "extension_approved"]
    assert approved[0].data["original_due"] == original.isoformat()

    # 办结 after the original deadline but before the extended one is on time.
    clock.set(sh(10, 9, 10))
    await svc.resolve(case_id, boss.id, "已更换线路")
    (score,) = await unit_scores(
        db, district, 2026, 9, as_of=sh(11, 1, 0), unit_ids=["construction"]
    )
    assert (score.extended, score.resolved_on_time, score.resolve_due) == (1, 1, 1)
    assert not (await load_case(db, case_id)).deadline_missed


async def test_a_refused_extension_changes_nothing(db: Database, district: District) -> None:
    svc, clock, boss, supervisor, me, case_id = await _setup(db, district)
    original = (await load_case(db, case_id)).resolve_due_at
    assert original is not None
    clock.set(sh(9, 30, 9))
    await svc.request_extension(case_id, boss.id, "人手不足", 2)
    after = await last_outbox_id(db)
    await svc.decide_extension(case_id, supervisor.id, False, "不符合延期条件")
    case = await load_case(db, case_id)
    assert case.resolve_due_at == original and case.extension_due_at is None
    to_station = [r.text for r in await outbox(db, case_id, after) if r.person_id == boss.id]
    assert any("未获批准" in t for t in to_station)
    assert not [r for r in await outbox(db, case_id, after) if r.person_id == me.id]
    with pytest.raises(CaseError) as err:
        await svc.decide_extension(case_id, supervisor.id, True)
    assert err.value.code == "no_request"
    # After the deadline no extension can be asked.
    clock.set(original + timedelta(minutes=1))
    with pytest.raises(CaseError) as err:
        await svc.request_extension(case_id, boss.id, "来不及了", 2)
    assert err.value.code == "too_late"
    (score,) = await unit_scores(
        db, district, 2026, 9, as_of=sh(11, 1, 0), unit_ids=["construction"]
    )
    assert score.extended == 0 and score.resolved_on_time == 0 and score.resolve_due == 1


async def test_extension_asked_and_approved_on_the_dashboard(
    db: Database, district: District
) -> None:
    from tests.dashkit import serve

    svc, clock, boss, supervisor, _me, case_id = await _setup(db, district)
    clock.set(sh(9, 30, 9))
    async with serve(db, district, service=svc) as dash:
        url = f"/dashboard/cases/{case_id}"
        await dash.login(boss.id)
        html = await (await dash.client.get(url)).text()
        assert 'value="ext"' in html and 'name="days"' in html
        token = await dash.csrf()
        version = str((await load_case(db, case_id)).version)
        form = {"csrf_token": token, "action": "ext", "version": version, "days": "3"}
        refused = await dash.client.post(f"{url}/act", data={**form, "note": ""})
        assert refused.status == 400 and "申请延期必须填写理由" in await refused.text()
        done = await dash.client.post(f"{url}/act", data={**form, "note": "需协调供电部门"})
        assert done.status == 200 and "延期申请已提交" in await done.text()
        assert (await load_case(db, case_id)).extension_due_at == sh(10, 10, 10)

        dash.logout_locally()
        await dash.login(supervisor.id)
        html = await (await dash.client.get(url)).text()
        assert 'value="xok"' in html and 'value="xno"' in html
        token = await dash.csrf()
        version = str((await load_case(db, case_id)).version)
        form = {"csrf_token": token, "action": "xok", "version": version}
        done = await dash.client.post(f"{url}/act", data=form)
        assert done.status == 200 and "已同意延期" in await done.text()
    case = await load_case(db, case_id)
    assert case.resolve_due_at == sh(10, 10, 10) and case.extension_due_at is None
