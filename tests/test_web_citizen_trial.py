"""Trial D24, D13, D23 on the citizen web form, over real HTTP (``/report``)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.services.clock import FakeClock
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from bot.web.throttle import Throttle
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.factories import START, make_service
from tests.test_citizen_form import TOKEN_RE, Site, _number, _token

Client = TestClient[Any, Any]
FIRE = "楼下着火了，浓烟很大，有人被困"
DESK_PHONE = "0000-12345（示例号码）"


async def _serve(db: Database, district: District, throttle: Throttle) -> AsyncIterator[Site]:
    clock = FakeClock(START)
    service = make_service(db, district, clock)
    app = web.Application()
    ctx = CitizenFormContext.from_service(service)
    ctx.throttle = throttle
    add_citizen_form_routes(app, ctx)
    async with TestClient(TestServer(app)) as client:
        yield Site(client, service, clock, db)


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    async for s in _serve(db, district, Throttle()):
        yield s


async def _texts(db: Database) -> list[str]:
    async with db.session() as s:
        return list((await s.scalars(select(Case.original_text).order_by(Case.id))).all())


async def _post(site: Site, **fields: str) -> tuple[int, str, dict[str, str]]:
    """Submit the form the current page carries (the browser's cookie stays)."""
    token = await _token(site.client)
    resp = await site.client.post("/report", data={"csrf_token": token, **fields})
    return resp.status, await resp.text(), dict(resp.headers)


# --- D24: danger is never refused by the rate limit ------------------------------------------


async def test_d24_fire_report_after_the_limit_is_filed_with_the_emergency_line(
    site: Site,
) -> None:
    for i in range(3):
        status, page, _ = await _post(site, text=f"和平路的路灯坏了 第{i}盏")
        assert status == 200, page
    # An ordinary fourth filing: a Chinese page, the wait, whom to call; the text is kept.
    status, page, headers = await _post(
        site, text="小区门口的垃圾三天没人清运", address="和平路12号", name="张大姐"
    )
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
    assert "操作过于频繁" in page and "内容已保留" in page and DESK_PHONE in page
    assert "119" in page and "110" in page  # the general danger hint names the numbers
    assert ">小区门口的垃圾三天没人清运</textarea>" in page
    assert 'value="和平路12号"' in page and 'value="张大姐"' in page
    assert TOKEN_RE.search(page), "the kept form can be sent again"
    assert len(await _texts(site.db)) == 3

    # The fire report from the same browser: filed, and the 119 line comes first.
    status, page, _ = await _post(site, text=FIRE, address="和平路12号")
    assert status == 200, page
    assert "请立即拨打 119（火警）" in page and "12110" in page
    assert page.index("119（火警）") < page.index("案件编号")
    number = _number(page)
    async with site.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None and case.original_text == FIRE and case.channel == "web"
    assert case.priority in ("critical", "high")


async def test_d24_a_flood_of_danger_reports_still_shows_the_numbers_and_keeps_the_text(
    db: Database, district: District
) -> None:
    rules = dict(Throttle().rules, file_danger_ip="2/minute")
    async for site in _serve(db, district, Throttle(rules=rules)):
        for _ in range(2):
            status, page, _ = await _post(site, text=FIRE)
            assert status == 200 and "119（火警）" in page
        status, page, headers = await _post(site, text=FIRE, phone="13912345678")
        assert status == 429 and int(headers["Retry-After"]) >= 1
        # The emergency line first, then the Chinese refusal naming the numbers to call.
        assert "⚠️ 情况紧急，请立即拨打 119（火警）" in page
        assert page.index("119（火警）") < page.index("操作过于频繁")
        assert DESK_PHONE in page and "110" in page and "120" in page
        assert f">{FIRE}</textarea>" in page and 'value="13912345678"' in page
        assert await _texts(db) == [FIRE, FIRE]


async def test_d24_an_input_error_on_a_danger_report_keeps_the_emergency_line(
    site: Site,
) -> None:
    status, page, _ = await _post(site, text=FIRE, phone="12345")
    assert status == 400
    assert "119（火警）" in page and page.index("119（火警）") < page.index('class="error"')
    assert await _texts(site.db) == []


async def test_d24_status_lookup_refusal_names_the_wait(site: Site) -> None:
    statuses = []
    for n in range(12):
        resp = await site.client.get(f"/report/status?number=MQ20260303-{n:04d}&phone=139")
        statuses.append(resp.status)
    assert statuses[-1] == 429
    assert int(resp.headers["Retry-After"]) >= 1
    body = await resp.text()
    assert re.search(r"请约\d+(分钟|小时)后再试", body) and DESK_PHONE in body
