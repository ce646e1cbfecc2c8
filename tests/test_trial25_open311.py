"""Trial 25 through Open311 over real HTTP.

T2: a fire with people trapped, posted with ``service_code=environment``, is owned
by the police (its danger family's owner), not the environment bureau.
T14: an Open311 caller's service_code is not a citizen's correction (nothing for
``lexicon learn``).
T7: a self-harm (any critical) case is never listed by a search, and by its number
shows no words, place or result note.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from config.district import District
from storage.db import Database
from storage.models import RoutingCorrection
from tests.factories import CODEC, START, chief
from tests.open311kit import Open311Api, open311_api


@pytest.fixture
async def api(db: Database, district: District) -> AsyncIterator[Open311Api]:
    # The real classifier: the danger's owner is what is under test.
    clock = FakeClock(START)
    async with open311_api(CaseService(db, district, clock, CODEC), clock) as api:
        yield api


async def _post(api: Open311Api, **fields: str) -> str:
    return await api.file(**{"address_string": "东城街道人民路1号", **fields})


async def _corrections(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(RoutingCorrection)) or 0)


async def test_a_fire_with_people_trapped_goes_to_the_police_whatever_the_code(
    api: Open311Api, district: District
) -> None:
    number = await _post(api, service_code="environment", description="工厂着火了，有人被困在里面")
    case = await api.case(number)
    assert case.severity == "critical"
    assert (case.bureau, case.owning_unit_id) == ("police", district.bureaus["police"].station_id)
    assert await _corrections(api.db) == 0
    resp = await api.read(f"/open311/v2/requests/{number}.json")
    [record] = await resp.json()
    assert record["agency_responsible"] == "区公安分局群众工作站"


async def test_a_service_code_is_not_a_citizens_correction(api: Open311Api) -> None:
    number = await _post(
        api, service_code="environment", description="我家楼下的下水道堵了一个星期"
    )
    case = await api.case(number)
    assert case.bureau == "environment"
    assert await _corrections(api.db) == 0


async def test_a_self_harm_case_is_not_listed_and_its_words_stay_inside(
    api: Open311Api, db: Database, district: District
) -> None:
    text = "我不想活了，活着太累了"
    quiet = await _post(api, description="小区门口路灯坏了一个月")
    number = await _post(api, description=text, address_string="东城街道幸福小区5号楼")
    case = await api.case(number)
    assert case.severity == "critical"
    police = await chief(db, case.owning_unit_id)
    await api.service.acknowledge(case.id, police.id)
    await api.service.resolve(case.id, police.id, "已上门核实，当事人情绪稳定，已联系家属陪护")

    listing = await api.read("/open311/v2/requests.json")
    raw = await listing.text()
    numbers = [r["service_request_id"] for r in await listing.json()]
    assert quiet in numbers and number not in numbers
    assert text not in raw
    one = await api.read(f"/open311/v2/requests/{number}.json")
    raw = await one.text()
    [record] = await one.json()
    assert record["description"] == "（涉及人身安全，内容不公开）"
    assert record["status"] == "closed" and record["address"] is None
    for secret in (text, "当事人", "幸福小区"):
        assert secret not in raw
