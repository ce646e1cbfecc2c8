"""Trial 28 P5: markup does not raise a level, and 特别重大 carries its deadlines and alerts.

The web form took `<script>…</script>我们小区<img src=x onerror=alert(1)>门口的下水道堵了` and
the case was labelled 特别重大 with no reason, yet kept the ordinary deadlines and no
district alert. The web form did classify the text as typed (no escaping before
classification); the learned model read the tag's Latin letters as danger, and a citizen's
request rated critical without danger now kept the ordinary deadline class. Now the level
is read from the words without the markup (as the emergency line is), the bot and the form
agree on the same text, and a request rated 特别重大 gets the critical deadlines and the
district's copies.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from config.district import District
from storage.db import Database
from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.factories import CODEC, START
from tests.test_bot_station import file_request

Client = TestClient[Any, Any]
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER_RE = re.compile(r"<strong>(MQ\d{8}-\d{4,})</strong>")
MARKUP = (
    '<script>alert("x")</script>我们小区<img src=x onerror=alert(1)>门口的下水道堵了，污水漫到路上'
)
SHORT_MARKUP = "下水道堵了<img src=x>"
#: Critical by the rubric, no emergency line (no family with numbers): a crowd acting.
CROWD = "上百名业主正在堵路，准备冲击售楼处"


@pytest.fixture
async def form(db: Database, district: District) -> AsyncIterator[tuple[Client, FakeClock]]:
    clock = FakeClock(START)
    service = CaseService(db, district, clock, CODEC)  # the real classifier
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    async with TestClient(TestServer(app)) as c:
        yield c, clock


async def _post(c: Client, db: Database, text: str) -> tuple[Case, str]:
    page = await (await c.get("/report")).text()
    token = TOKEN_RE.search(page)
    assert token is not None
    resp = await c.post(
        "/report", data={"csrf_token": token[1], "text": text, "phone": "13611112222"}
    )
    filed = await resp.text()
    assert resp.status == 200, filed
    number = NUMBER_RE.search(filed)
    assert number is not None, filed
    async with db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number[1]))
    assert case is not None
    return case, filed


@pytest.mark.parametrize("text", [MARKUP, SHORT_MARKUP])
async def test_markup_on_the_web_form_raises_no_level(
    form: tuple[Client, FakeClock], db: Database, text: str
) -> None:
    c, clock = form
    case, filed = await _post(c, db, text)
    assert case.severity != "critical" and case.priority == "normal"
    assert case.original_text == text  # stored as typed
    assert case.ack_due_at is not None and case.ack_due_at - clock.now() > timedelta(hours=2)
    assert "情况紧急" not in filed


async def test_a_critical_request_on_the_web_form_gets_critical_deadlines(
    form: tuple[Client, FakeClock], db: Database
) -> None:
    c, clock = form
    case, _ = await _post(c, db, CROWD)
    assert case.severity == "critical" and case.priority == "critical"
    assert case.ack_due_at is not None and case.ack_due_at - clock.now() <= timedelta(hours=1)


@pytest.mark.parametrize(
    "text",
    [
        "楼下新开的烧烤店油烟直接往上冒，窗户都不敢开",
        "家里遭了火灾，东西都烧光了，有没有临时救助可以申请",
    ],
)
async def test_a_level_without_urgency_by_the_rules_alerts_nobody(
    form: tuple[Client, FakeClock], db: Database, text: str
) -> None:
    # Rated critical by the learned model alone, or by the rules for a past event: 215
    # of 2,445 labelled citizen messages; critical deadlines for them would be a storm.
    c, _ = form
    case, _ = await _post(c, db, text)
    assert case.priority == "normal"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_bot_rates_the_same_markup_text_as_the_web_form(kit: BotKit) -> None:
    citizen = kit.user(2891, "张大姐")
    case = await file_request(kit, citizen, SHORT_MARKUP)
    assert case.severity != "critical" and case.priority == "normal"
    assert case.original_text == SHORT_MARKUP


async def test_a_critical_request_in_the_bot_alerts_the_district(kit: BotKit) -> None:
    centre = kit.user(2892, "督办中心")
    await kit.bind(centre, kit.district.warning_centres[0], Role.STAFF)
    desk = kit.user(2893, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(2894, "业主")
    # Filed at once, no 提交 (review 32 S8: the rubric's 特别重大 told now).
    await kit.say(citizen, CROWD, "特别重大")
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.priority == "critical"
    assert case.ack_due_at is not None and case.ack_due_at - kit.clock.now() <= timedelta(hours=1)
    number = case.number or ""
    for unit in (centre, desk):
        card = await unit.wait_for_message(lambda m: number in m.content, WAIT)
        assert "特别重大" in card.content
