"""Trial 25 T14 (the service's part): an Open311 caller's service_code was recorded as a
citizen's correction of the classifier (群众换部门), which ``lexicon learn`` then learnt from.

A request filed through Open311 with a service_code other than the classifier's office
goes to that office as before, but no routing correction is written and the station's
card does not say 群众自选部门; a citizen's own 换一个部门 in Telegram still is one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.web.api_keys import create_api_key
from bot.web.open311 import Open311Context, add_open311_routes
from config.district import District
from storage.enums import Role
from storage.models import RoutingCorrection
from tests.botkit import WAIT, BotKit, sqlite_bot

CHIEF = 2601
LAMP = "小区门口的路灯坏了一个月了，晚上很黑"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_an_open311_service_code_is_no_citizen_correction(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "环保站长")
    await kit.bind(chief, "environment", Role.CHIEF)
    key = await create_api_key(kit.db, "城市服务App")
    app = web.Application()
    add_open311_routes(app, Open311Context.from_service(kit.runtime.cases))
    client: TestClient[Any, Any]
    async with TestClient(TestServer(app)) as client:
        resp = await client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": "environment",
                "description": LAMP,
                "address_string": "东城街道和平路8号",
            },
        )
        assert resp.status == 201, await resp.text()
    (case,) = await kit.cases()
    assert case.owning_unit_id == "environment"  # the caller's category is still followed
    assert case.channel == "open311"
    number = case.number or ""
    card = await chief.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    assert "自选部门" not in card.content
    async with kit.db.session() as s:
        rows = (await s.scalars(select(RoutingCorrection))).all()
    assert list(rows) == []
