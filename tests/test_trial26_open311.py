"""Trial 26 T7 over real HTTP: Open311 files a danger now that gives no place.

河边有个小孩掉进水里了，快来人 without lat/long or address_string was refused with a
400; it is filed as critical with the police, and the notice starts with the
emergency line. An ordinary request still needs a place.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.web.api_keys import create_api_key
from bot.web.open311 import Open311Context, add_open311_routes
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.factories import CODEC, START

Client = TestClient[Any, Any]
URL = "/open311/v2/requests.json"


@dataclass
class Api:
    client: Client
    key: str
    db: Database


@pytest.fixture
async def api(db: Database, district: District) -> AsyncIterator[Api]:
    service = CaseService(db, district, FakeClock(START), CODEC)
    app = web.Application()
    add_open311_routes(app, Open311Context.from_service(service))
    key = await create_api_key(db, "城市服务App")
    async with TestClient(TestServer(app)) as client:
        yield Api(client, key, db)


async def _count(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Case)) or 0)


async def test_a_drowning_without_a_place_is_filed_with_the_emergency_line(
    api: Api, district: District
) -> None:
    data = {
        "api_key": api.key,
        "service_code": "land",
        "description": "河边有个小孩掉进水里了，快来人",
    }
    resp = await api.client.post(URL, data=data)
    body = await resp.json()
    assert resp.status == 201, body
    notice = body[0]["service_notice"]
    assert notice.startswith("⚠️") and "110" in notice and "119" in notice
    number = body[0]["service_request_id"]
    async with api.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None and case.severity == "critical"
    assert case.owning_unit_id == district.bureaus["police"].station_id
    assert case.address is None and case.latitude is None


async def test_an_ordinary_request_still_needs_a_place(api: Api) -> None:
    data = {
        "api_key": api.key,
        "service_code": "land",
        "description": "村里的土地确权登记什么时候办",
    }
    resp = await api.client.post(URL, data=data)
    body = await resp.json()
    assert resp.status == 400
    assert "location is required" in body[0]["description"]
    assert await _count(api.db) == 0


async def test_trial27_english_danger_is_filed_without_a_place(api: Api) -> None:
    """Trial 27 N17: 「help! fire at building 5」 was refused with a 400 for lack of a place."""
    before = await _count(api.db)
    data = {"api_key": api.key, "description": "help! fire at building 5"}
    resp = await api.client.post(URL, data=data)
    body = await resp.json()
    assert resp.status == 201, body
    notice = body[0]["service_notice"]
    assert notice.startswith("⚠️") and "119" in notice and "110" in notice
    assert await _count(api.db) == before + 1

    # An ordinary English request still needs a place; the 400 names the emergency numbers.
    data = {"api_key": api.key, "description": "the streetlight on our road is broken"}
    refused = await api.client.post(URL, data=data)
    text = await refused.text()
    assert refused.status == 400 and "location" in text and "119" in text
    assert await _count(api.db) == before + 1
