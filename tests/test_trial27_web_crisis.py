"""Trial 27 N8 over real HTTP: self-harm through the web form and Open311 gets the crisis path.

The bot's rules (trial 25 T7, trial 26 T4) in the other channels: the crisis line and
people who will call, no 办结时限 on the receipt, and no 办结时限, 提请督办 or result text
on the web status page, even after the units' side escalated it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.runtime.scheduler import Scheduler
from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.web.api_keys import create_api_key
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from bot.web.open311 import Open311Context, add_open311_routes
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.factories import START, make_service

Client = TestClient[Any, Any]
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE_RE = re.compile(r'<strong class="code">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>')
NUMBER_RE = re.compile(r"<strong>(MQ\d{8}-\d{4,})</strong>")
SELF_HARM = "我真的不想活了，今晚就从楼上跳下去"


@dataclass
class Site:
    client: Client
    service: CaseService
    clock: FakeClock
    db: Database
    key: str


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    clock = FakeClock(START)
    service = make_service(db, district, clock)
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    add_open311_routes(app, Open311Context.from_service(service))
    key = await create_api_key(db, "城市服务App")
    async with TestClient(TestServer(app)) as client:
        yield Site(client, service, clock, db, key)


async def _case(db: Database, number: str) -> Case:
    async with db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None
    return case


async def test_self_harm_on_the_web_form_gets_the_crisis_line_and_no_deadline(
    site: Site, district: District
) -> None:
    page = await (await site.client.get("/report")).text()
    token = TOKEN_RE.search(page)
    assert token is not None
    resp = await site.client.post("/report", data={"csrf_token": token[1], "text": SELF_HARM})
    filed = await resp.text()
    assert resp.status == 200
    assert district.crisis_hotline in filed and "您不是一个人" in filed
    # Nobody can message us from the web form: the receipt names the hotline to
    # talk to instead (trial 29 #13).
    assert "发消息" not in filed and f"随时拨打心理援助热线{district.crisis_hotline}" in filed
    assert "办结时限" not in filed and "时限" not in filed
    number, code = NUMBER_RE.search(filed), CODE_RE.search(filed)
    assert number is not None and code is not None
    case = await _case(site.db, number[1])
    assert case.severity == "critical" and case.resolve_due_at is not None  # units' side

    # 2.5 hours without anyone acknowledging: escalated on the units' side only.
    scheduler = Scheduler(site.db, district, site.clock, site.service)
    for _ in range(5):
        site.clock.advance(timedelta(minutes=30))
        await scheduler.run_due()
    assert (await _case(site.db, number[1])).escalation_level >= 1
    status = await site.client.post("/report/status", data={"number": number[1], "phone": code[1]})
    shown = await status.text()
    assert status.status == 200 and number[1] in shown
    assert district.crisis_hotline in shown
    assert "督办" not in shown and "办结时限" not in shown and "超期" not in shown


async def test_self_harm_through_open311_gets_the_crisis_line_and_no_deadline(
    site: Site, district: District
) -> None:
    data = {"api_key": site.key, "service_code": "civil_affairs", "description": SELF_HARM}
    resp = await site.client.post("/open311/v2/requests.json", data=data)
    body = await resp.json()
    assert resp.status == 201, body
    notice = body[0]["service_notice"]
    assert district.crisis_hotline in notice and "您不是一个人" in notice
    assert "发消息" not in notice and f"随时拨打心理援助热线{district.crisis_hotline}" in notice
    assert "时限" not in notice
    number = body[0]["service_request_id"]
    got = await site.client.get(f"/open311/v2/requests/{number}.json", params={"api_key": site.key})
    record = (await got.json())[0]
    assert record["expected_datetime"] is None
    assert (await _case(site.db, number)).severity == "critical"
