"""Open311's per-key limits over real HTTP: a runaway partner is held back, per key;
danger now still gets through; the refusal is a 429 with ``Retry-After``."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.services.clock import FakeClock
from bot.web.api_keys import create_api_key
from bot.web.open311 import Open311Context, add_open311_routes
from bot.web.throttle import Throttle
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.factories import START, make_service

Client = TestClient[Any, Any]
PLACE = {"address_string": "幸福路12号"}
ROUTINE = "小区门口的路灯坏了一个多星期了，晚上很黑"


@pytest.fixture
async def client(db: Database, district: District) -> AsyncIterator[Client]:
    service = make_service(db, district, FakeClock(START))
    rules = dict(Throttle().rules, o311_file_key="3/minute", o311_read_key="2/minute")
    ctx = dataclasses.replace(Open311Context.from_service(service), throttle=Throttle(rules=rules))
    app = web.Application()
    add_open311_routes(app, ctx)
    async with TestClient(TestServer(app)) as c:
        yield c


async def _cases(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Case)) or 0)


async def _post(client: Client, key: str, text: str, **extra: str) -> tuple[int, Any, str | None]:
    resp = await client.post(
        "/open311/v2/requests.json", data={"api_key": key, "description": text, **extra}
    )
    return resp.status, await resp.json(), resp.headers.get("Retry-After")


async def test_a_key_over_its_filing_limit_gets_429_and_nothing_is_filed(
    client: Client, db: Database
) -> None:
    app_key = await create_api_key(db, "城市服务App")
    for i in range(3):
        status, body, _ = await _post(client, app_key, f"{ROUTINE}（第{i + 1}次）", **PLACE)
        assert status == 201, body
    status, body, wait = await _post(client, app_key, f"{ROUTINE}（第4次）", **PLACE)
    assert status == 429
    assert body[0]["code"] == 429 and "提交过于频繁" in body[0]["description"]
    assert wait is not None and int(wait) >= 1
    assert await _cases(db) == 3
    # Another partner's key is not held back by the first one's traffic.
    other = await create_api_key(db, "热线系统")
    status, body, _ = await _post(client, other, ROUTINE, **PLACE)
    assert status == 201, body
    assert await _cases(db) == 4


async def test_danger_now_is_filed_when_the_ordinary_limit_is_spent(
    client: Client, db: Database
) -> None:
    app_key = await create_api_key(db, "城市服务App")
    for i in range(3):
        assert (await _post(client, app_key, f"{ROUTINE}（{i}）", **PLACE))[0] == 201
    assert (await _post(client, app_key, ROUTINE + "（又一次）", **PLACE))[0] == 429
    status, body, _ = await _post(client, app_key, "隔壁楼着火了，好大的烟，快来人")
    assert status == 201, body
    assert "119" in body[0]["service_notice"].splitlines()[0]
    assert await _cases(db) == 4


async def test_searches_over_the_keys_limit_get_429(client: Client, db: Database) -> None:
    app_key = await create_api_key(db, "城市服务App")
    path = f"/open311/v2/requests.json?api_key={app_key}"
    assert (await client.get(path)).status == 200
    assert (await client.get(path)).status == 200
    resp = await client.get(path)
    assert resp.status == 429 and resp.headers.get("Retry-After")
    assert "查询过于频繁" in (await resp.json())[0]["description"]
