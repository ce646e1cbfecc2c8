"""pf31 #1: thoughts of death told as a state (我最近总想死, 老是想着死) through the real bot.

Rated critical, they got no crisis care: the habit word (最近总, 老是) read the wish as
a past habit, not a danger now. Ideation as a state gets what 我想死 gets — the human
words, the psychological-aid hotline with 110/120 for danger now, a critical case owned
by the police — and its look-alikes (想到死去的奶奶, 累死了, 最近总想吃辣) stay requests.
"""

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
from config.district import District
from storage.db import Database
from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.factories import START, make_service

CITIZEN = 3101
POLICE = 3102
PICKER_WORDS = ("我不能确定由哪个部门", "建议由以下部门办理", "只是咨询")
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER_RE = re.compile(r"<strong>(MQ\d{8}-\d{4,})</strong>")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize(
    "text",
    [
        "我最近总想死",
        "我最近总是想到死",
        "老是想着死",
        "活着没意思 最近天天想",
        "这阵子天天失眠，老是有轻生的念头",
        "我每天都觉得活着没意思",
    ],
)
async def test_ideation_told_as_a_state_gets_the_crisis_care(kit: BotKit, text: str) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小周")
    action = citizen.send_text(text)
    hotline = kit.district.crisis_hotline
    # At once the human words and the hotline; then the receipt: people, 110/120 if in danger.
    first = await citizen.wait_for_message(lambda m: hotline in m.content, WAIT, since=action)
    assert "您并不孤单" in first.content
    receipt = await citizen.wait_for_message(
        lambda m: "您不是一个人" in m.content, WAIT, since=action
    )
    assert hotline in receipt.content
    assert "110" in receipt.content and "120" in receipt.content
    assert "办结时限" not in receipt.content
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    assert (await kit.registered(case.id))["emergency"] == "self_harm"
    await police.wait_for_message(lambda m: (case.number or "?") in m.content, WAIT)
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any(w in t for t in said for w in PICKER_WORDS), said


@pytest.mark.parametrize(
    "text",
    [
        "我老是想到死去的奶奶",
        "天天加班累死了",
        "笑死我了",
        "最近热死了",
        "我最近总想吃辣",
        "最近总是累得想死，单位天天加班不给加班费",
        "我去年想过自杀，现在早就好了",
    ],
)
async def test_look_alikes_of_ideation_get_no_crisis_care(kit: BotKit, text: str) -> None:
    citizen = kit.user(CITIZEN, "小周")
    citizen.send_text(text)
    await citizen.wait_for_message(lambda m: True, WAIT)
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    hotline = kit.district.crisis_hotline
    assert not any(hotline in t or "您不是一个人" in t for t in said), said
    assert not [c for c in await kit.cases() if c.severity == "critical"]


@pytest.fixture
async def client(db: Database, district: District) -> AsyncIterator[TestClient[Any, Any]]:
    service = make_service(db, district, FakeClock(START))
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_the_web_form_gives_ideation_as_a_state_the_crisis_care(
    client: TestClient[Any, Any], db: Database, district: District
) -> None:
    page = await (await client.get("/report")).text()
    token = TOKEN_RE.search(page)
    assert token is not None
    resp = await client.post("/report", data={"csrf_token": token[1], "text": "我最近总想死"})
    filed = await resp.text()
    assert resp.status == 200
    assert district.crisis_hotline in filed and "您不是一个人" in filed
    number = NUMBER_RE.search(filed)
    assert number is not None
    async with db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number[1]))
    assert case is not None and case.severity == "critical"
    assert case.owning_unit_id == district.bureaus["police"].station_id
