"""The smaller breaks of issue 15 (break 8), each as an attacker or an operator meets it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.runtime.metrics import Metrics
from bot.services.clock import FakeClock
from bot.web.core import WebContext, add_core_routes
from config.district import District
from storage.db import Database
from tests.dashkit import Dash
from tests.factories import START, chief, make_service
from tests.formkit import PHONE, TOKEN_RE, Site, case_number, file_form, form_site, form_token
from tests.open311kit import open311_api

Client = TestClient[Any, Any]
PUBLIC = "https://minqing.example.gov.cn"


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    clock = FakeClock(START)
    async with form_site(make_service(db, district, clock), clock) as site:
        yield site


@pytest.fixture
async def open311(db: Database, district: District) -> AsyncIterator[tuple[Client, str]]:
    clock = FakeClock(START)
    async with open311_api(make_service(db, district, clock), clock, public_url=PUBLIC) as api:
        yield api.client, api.key


# --- Open311 ------------------------------------------------------------------------------


async def test_break8_control_characters_keep_open311_xml_parseable(
    open311: tuple[Client, str],
) -> None:
    client, key = open311
    text = "路灯坏了\x00\x07\x1b[31m\x0b\x0c\ufffe 三天了\x7f"
    resp = await client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "construction",
            "description": text,
            "address_string": "和平路12号",
        },
    )
    assert resp.status == 201, await resp.text()
    listing = await client.get(f"/open311/v2/requests.xml?api_key={key}")
    assert listing.status == 200
    root = ET.fromstring(await listing.text())  # raised "not well-formed" before
    [description] = [e.text for e in root.iter("description")]
    assert description is not None and "路灯坏了" in description and "三天了" in description


@pytest.mark.parametrize(
    "query",
    [
        "start_date=9999-12-31",
        "end_date=0001-01-01",
        "start_date=0001-01-01T00:00:00",
        "end_date=9999-12-31T23:59:59%2B14:00",
        "start_date=0001-01-02&end_date=0001-01-03",
    ],
)
async def test_break8_open311_extreme_dates_are_a_bad_request(
    open311: tuple[Client, str], query: str
) -> None:
    client, key = open311
    for fmt in ("json", "xml"):
        resp = await client.get(f"/open311/v2/requests.{fmt}?api_key={key}&{query}")
        assert resp.status == 400, (fmt, query, await resp.text())


async def test_break8_discovery_names_the_configured_url_not_the_host_header(
    open311: tuple[Client, str],
) -> None:
    client, _ = open311
    for fmt in ("json", "xml"):
        resp = await client.get(
            f"/open311/discovery.{fmt}", headers={"Host": "evil.example", "X-Forwarded-Host": "x"}
        )
        body = await resp.text()
        assert resp.status == 200 and "evil.example" not in body
        assert f"{PUBLIC}/open311/v2" in body


# --- the citizen form -----------------------------------------------------------------------


async def test_break8_status_lookup_limits_phone_guessing(site: Site) -> None:
    status, page = await file_form(
        site, text="和平路的路灯坏了", phone=PHONE, place="dongcheng_heping"
    )
    assert status == 200, page
    number = case_number(page)
    answers = []
    for guess in range(13900000000, 13900000008):
        resp = await site.client.post("/report/status", data={"number": number, "phone": guess})
        answers.append(resp.status)
    # Five wrong phones an hour for one case, then a polite refusal, even for the right one.
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}
    refused = await site.client.get(f"/report/status?number={number}&phone={PHONE}")
    assert refused.status == 429 and "操作过于频繁" in await refused.text()
    assert refused.headers["Retry-After"]


async def test_trial29_p9_wrong_guesses_never_lock_out_the_citizens_code(site: Site) -> None:
    """Strangers' wrong phone guesses lock the case for phones, never for the 查询码."""
    status, page = await file_form(site, text="和平路的路灯坏了", place="dongcheng_heping")
    assert status == 200, page
    number = case_number(page)
    code = re.search(r'<strong class="code">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>', page)
    assert code is not None
    for guess in range(13900000000, 13900000006):
        await site.client.post("/report/status", data={"number": number, "phone": guess})
    locked = await site.client.post("/report/status", data={"number": number, "phone": PHONE})
    assert locked.status == 429
    # A wrong code counts for the address only; the citizen's own code opens the page.
    wrong = await site.client.post("/report/status", data={"number": number, "phone": "ABCD-EFGH"})
    assert wrong.status == 200 and "已派单" not in await wrong.text()
    own = await site.client.post("/report/status", data={"number": number, "phone": code[1]})
    shown = await own.text()
    assert own.status == 200 and "已派单" in shown and "和平路的路灯坏了" in shown


async def test_break8_status_lookup_limits_one_address_across_case_numbers(site: Site) -> None:
    statuses = []
    for n in range(1, 15):
        resp = await site.client.get(f"/report/status?number=MQ20260303-{n:04d}&phone=139")
        statuses.append(resp.status)
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}


async def test_break8_web_form_filing_is_limited_per_session(site: Site) -> None:
    statuses = []
    for i in range(6):
        status, _ = await file_form(
            site, text=f"和平路的路灯坏了 第{i}盏", place="dongcheng_heping"
        )
        statuses.append(status)
    assert statuses[:3] == [200] * 3 and set(statuses[3:]) == {429}
    async with site.db.session() as s:
        from sqlalchemy import func, select

        from storage.models import Case

        assert await s.scalar(select(func.count()).select_from(Case)) == 3


async def test_break8_web_form_filing_is_limited_per_address(site: Site) -> None:
    statuses = []
    for i in range(8):
        site.client.session.cookie_jar.clear()  # a fresh session each time, as a script does
        token = await form_token(site.client)
        resp = await site.client.post(
            "/report",
            data={"csrf_token": token, "text": f"路灯坏了 {i}", "place": "dongcheng_heping"},
        )
        statuses.append(resp.status)
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    assert TOKEN_RE  # the form's token pattern is shared with test_citizen_form


# --- the dashboard --------------------------------------------------------------------------


async def test_break8_logout_revokes_the_session_cookie(db: Database, district: District) -> None:
    from tests.dashkit import serve

    async with serve(db, district) as dash:
        await _logout_then_replay(dash)


async def _logout_then_replay(dash: Dash) -> None:
    from bot.web.auth import SESSION_COOKIE

    boss = await chief(dash.db, "construction")
    await dash.login(boss.id)
    cookie = dash.client.session.cookie_jar.filter_cookies(dash.client.make_url("/"))
    value = cookie[SESSION_COOKIE].value
    token = await dash.csrf()
    response = await dash.client.post("/logout", data={"csrf_token": token})
    assert response.status == 200
    # A copy of the cookie (a shared computer, a stolen cookie) no longer logs in.
    dash.client.session.cookie_jar.update_cookies({SESSION_COOKIE: value})
    assert (await dash.client.get("/dashboard")).status == 401


# --- /healthz -------------------------------------------------------------------------------


async def _healthz(ctx: WebContext) -> tuple[int, dict[str, Any]]:
    app = web.Application()
    add_core_routes(app, ctx)
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/healthz")
        return resp.status, await resp.json()


async def test_break8_healthz_fails_when_the_database_refuses_writes(db: Database) -> None:
    """Reads work, writes fail: what PostgreSQL does on a full disk (or a read-only standby)."""
    if db.is_sqlite:
        pytest.skip("SQLite cannot be made to refuse writes but allow reads from outside")
    status, body = await _healthz(WebContext(db, FakeClock(START), Metrics()))
    assert status == 200 and body["database"] == "ok"
    name = make_url(db.url).database
    async with db.engine.begin() as conn:
        await conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    await db.engine.dispose()
    read_only = Database(db.url)
    try:
        status, body = await _healthz(WebContext(read_only, FakeClock(START), Metrics()))
    finally:
        await read_only.dispose()
    assert status == 503 and body["status"] == "error" and body["database"] == "read_only"


async def test_break8_healthz_fails_when_the_disk_is_nearly_full(db: Database) -> None:
    ctx = WebContext(db, FakeClock(START), Metrics(), min_free_bytes=2**62)
    status, body = await _healthz(ctx)
    assert status == 503 and body["disk"] == "low"
    assert isinstance(body["disk_free_bytes"], int) and body["disk_free_bytes"] < 2**62
