"""Bodies an attacker sends to Open311, the dashboard and the web form (dfx12's probe).

Found by trying the endpoints as an attacker would, on both databases:

* a JSON ``description`` that is a list or an object was filed as its Python
  spelling (``['路灯坏了', 'x']``) — now a 400 naming the field;
* a body over the server's limit got aiohttp's English ``text/plain`` 413 — on
  Open311 it is now the GeoReport error list, on the people's pages a Chinese page.

A forged 派单 form dispatched a case to units the page never offers (群工办, a
community work room) — now refused.

Forged or repeated keys, SQL in the filters, another unit's cases and ids past the
end were tried too and were already refused (404, 403 or an empty list).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.services.cases import RequestDraft
from bot.services.clock import FakeClock
from bot.web.api_keys import create_api_key
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from bot.web.open311 import Open311Context, add_open311_routes
from bot.web.server import CLIENT_MAX_SIZE
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.dashkit import Dash
from tests.factories import START, chief, citizen, load_case, make_service

Client = TestClient[Any, Any]
#: Over the service's body limit (and aiohttp's default one).
HUGE = CLIENT_MAX_SIZE + 1000


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[tuple[Client, str]]:
    """Open311 and the web form on one application with the service's body limit."""
    service = make_service(db, district, FakeClock(START))
    app = web.Application(client_max_size=CLIENT_MAX_SIZE)
    add_open311_routes(app, Open311Context.from_service(service))
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    key = await create_api_key(db, "攻击测试")
    async with TestClient(TestServer(app)) as client:
        yield client, key


async def _count(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Case)) or 0)


async def test_open311_json_fields_must_be_text(site: tuple[Client, str], db: Database) -> None:
    client, key = site
    url = "/open311/v2/requests.json"
    for value in (["路灯坏了一个月", "x"], {"text": "路灯坏了一个月"}, True):
        resp = await client.post(
            url, json={"api_key": key, "description": value, "address_string": "和平路"}
        )
        assert resp.status == 400, value
        [error] = await resp.json()
        assert error == {"code": 400, "description": "description must be a string or a number"}
    resp = await client.post(
        url, json={"api_key": key, "description": "路灯坏了一个月", "address_string": ["和平路"]}
    )
    assert resp.status == 400
    assert "address_string must be" in (await resp.json())[0]["description"]
    assert await _count(db) == 0
    # Numbers stay numbers: lat and long as JSON numbers are filed.
    resp = await client.post(
        url,
        json={
            "api_key": key,
            "description": "路灯坏了一个月",
            "lat": 30.27,
            "long": 120.15,
        },
    )
    assert resp.status == 201, await resp.text()
    assert await _count(db) == 1


async def test_open311_body_over_the_limit_is_a_georeport_413(
    site: tuple[Client, str], db: Database
) -> None:
    client, key = site
    form = f"api_key={key}&address_string=x&description=".encode() + b"a" * HUGE
    for fmt, body, ctype in (
        ("json", form, "application/x-www-form-urlencoded"),
        ("json", b'{"description": "' + b"a" * HUGE + b'"}', "application/json"),
        ("xml", form, "application/x-www-form-urlencoded"),
    ):
        resp = await client.post(
            f"/open311/v2/requests.{fmt}", data=body, headers={"Content-Type": ctype}
        )
        assert resp.status == 413, (fmt, ctype)
        if fmt == "json":
            [error] = await resp.json()
            assert error == {
                "code": 413,
                "description": f"the request body is larger than {CLIENT_MAX_SIZE} bytes",
            }
        else:
            root = ET.fromstring(await resp.text())
            assert root.findtext("error/code") == "413"
    assert await _count(db) == 0


async def test_web_form_body_over_the_limit_is_a_chinese_page(
    site: tuple[Client, str], db: Database
) -> None:
    client, _ = site
    resp = await client.post(
        "/report",
        data=b"text=" + b"a" * HUGE,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert resp.status == 413 and resp.content_type == "text/html"
    page = await resp.text()
    assert "提交的内容超过了大小限制" in page and "Maximum request body" not in page
    assert await _count(db) == 0


async def test_dashboard_body_over_the_limit_is_a_chinese_page(dash: Dash) -> None:
    boss = await chief(dash.db, "construction")
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text="小区路灯坏了一个月"))
    await dash.login(boss.id)
    token = await dash.csrf()
    body = f"csrf_token={token}&action=done&version={view.version}&closure=solved&note=".encode()
    resp = await dash.client.post(
        f"/dashboard/cases/{view.id}/act",
        data=body + b"x" * HUGE,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert resp.status == 413 and resp.content_type == "text/html"
    page = await resp.text()
    assert "内容过大" in page and "返回工作台" in page and "Maximum request body" not in page
    case = await load_case(dash.db, view.id)
    assert case.status == "dispatched" and case.resolution_note is None


async def test_dashboard_dispatch_only_to_what_the_page_offers(dash: Dash) -> None:
    """A forged 派单 form sent a case to 群工办 itself or to a community work room,
    which the page never offers (nor the bot's buttons)."""
    desk = await chief(dash.db, dash.district.dispatcher)
    me = await citizen(dash.db)
    await dash.login(desk.id)
    token = await dash.csrf()
    community = next(u for u in dash.district.units.values() if u.kind == "community_room")
    for target in ("office", community.id, "labor"):
        view = await dash.cases.file_request(me.id, RequestDraft(text="说不清是什么事"))
        page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
        offered = f'value="{target}"' in page
        resp = await dash.client.post(
            f"/dashboard/cases/{view.id}/act",
            data={"csrf_token": token, "action": "disp", "version": view.version, "target": target},
            allow_redirects=False,
        )
        case = await load_case(dash.db, view.id)
        if target == "labor":
            assert offered and resp.status == 303
            assert (case.status, case.owning_unit_id) == ("dispatched", "labor")
        else:
            assert not offered
            assert resp.status == 400 and "请选择有效的承办单位。" in await resp.text()
            assert (case.status, case.owning_unit_id) == ("registered", dash.district.dispatcher)
