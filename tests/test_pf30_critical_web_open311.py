"""pf30 #5: a danger the emergency line missed is never held back by the web's limits,
and never shown with its words on Open311's public list.

有人在区法院门口割腕，说判决不公，血流了一地 names no danger now to the emergency line,
yet the classifier rates it 特别重大. Typed into the web form after a few routine
filings it met the form's 429; filed through Open311 it was listed with its words
by every GET /requests.json. Now it is accepted and filed (the limit still refuses the
routine filing after it), and the public list leaves it out, as it leaves out a case
filed critical; asked for by its number it shows its status without its words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.services.triage import emergency_of
from bot.web.api_keys import create_api_key
from bot.web.open311 import Open311Context, add_open311_routes
from bot.web.open311_requests import WITHHELD
from bot.web.throttle import Throttle
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.factories import CODEC, START
from tests.formkit import Site, case_number, file_form, form_site
from tests.open311kit import URL, Open311Api, open311_api

#: Danger the emergency line misses and the classifier rates critical.
MISSED = "有人在区法院门口割腕，说判决不公，血流了一地"
#: Talk of suicide about another person, no danger now: rated critical as well.
LOW_TALK = "王某离婚后情绪很差 跟人说活着没意思 家人在看着 暂时没啥事"
ROUTINE = "和平路的路灯坏了"


def real_service(db: Database, district: District, clock: FakeClock | None = None) -> CaseService:
    """The service with the real classifier (the danger is the classifier's rating)."""
    return CaseService(db, district, clock or FakeClock(START), CODEC)


def test_the_emergency_line_misses_what_the_classifier_rates_critical(
    db: Database, district: District
) -> None:
    service = real_service(db, district)
    for text in (MISSED, LOW_TALK):
        assert emergency_of(text) is None
        assert service.preview(text).severity == "critical"


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    clock = FakeClock(START)
    async with form_site(real_service(db, district, clock), clock) as site:
        yield site


async def test_the_web_form_files_a_critical_rating_past_the_limit(site: Site) -> None:
    statuses = [
        (await file_form(site, text=f"{ROUTINE} 第{i}盏", place="dongcheng_heping"))[0]
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]  # the session's limit: 3 a minute
    status, page = await file_form(site, text=MISSED)
    assert status == 200, page
    number = case_number(page)
    cases = await site.cases()
    assert len(cases) == 4 and cases[-1].number == number
    assert cases[-1].original_text == MISSED
    # The limit still holds routine filings back.
    status, page = await file_form(site, text=f"{ROUTINE} 第9盏", place="dongcheng_heping")
    assert status == 429 and "过于频繁" in page
    assert len(await site.cases()) == 4


@pytest.fixture
async def api(db: Database, district: District) -> AsyncIterator[Open311Api]:
    clock = FakeClock(START)
    async with open311_api(real_service(db, district, clock), clock) as api:
        yield api


async def test_open311_lists_no_critical_rating_with_its_words(api: Open311Api) -> None:
    place = {"address_string": "东城街道和平路88号"}
    missed = await api.file(description=MISSED, **place)
    talk = await api.file(description=LOW_TALK, **place)
    routine = await api.file(description=ROUTINE, **place)
    for number in (missed, talk):
        case = await api.case(number)
        assert case.severity != "critical"  # filed lower: no danger now, no urgency

    resp = await api.read(URL)
    assert resp.status == 200
    body = await resp.text()
    listed = [r["service_request_id"] for r in await resp.json()]
    assert listed == [routine]
    for words in ("割腕", "活着没意思"):
        assert words not in body
    # Asked for by its number: its status, not its words.
    resp = await api.read(f"/open311/v2/requests/{missed}.json")
    (record,) = await resp.json()
    assert record["description"] == WITHHELD and record["address"] is None
    # A search by status or date leaves them out too.
    resp = await api.read(f"{URL}?status=open")
    assert [r["service_request_id"] for r in await resp.json()] == [routine]


async def test_an_open311_key_over_its_limit_still_files_a_critical_rating(
    db: Database, district: District
) -> None:
    clock = FakeClock(START)
    service = real_service(db, district, clock)
    rules = dict(Throttle().rules, o311_file_key="2/minute")
    ctx = dataclasses.replace(Open311Context.from_service(service), throttle=Throttle(rules=rules))
    app = web.Application()
    add_open311_routes(app, ctx)
    key = await create_api_key(db, "城市服务App")
    place = {"api_key": key, "address_string": "东城街道和平路88号"}
    async with TestClient(TestServer(app)) as client:
        answers = []
        for text in (f"{ROUTINE}一", f"{ROUTINE}二", f"{ROUTINE}三", MISSED, f"{ROUTINE}四"):
            resp = await client.post(URL, data={"description": text, **place})
            answers.append(resp.status)
    assert answers == [201, 201, 429, 201, 429]
    async with db.session() as s:
        texts = list((await s.scalars(select(Case.original_text).order_by(Case.id))).all())
    assert texts == [f"{ROUTINE}一", f"{ROUTINE}二", MISSED]
