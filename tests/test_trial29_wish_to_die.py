"""Trial 29 P1 and P2 through the real bot (fake Bot API) and the web form.

P1: 我想死 and its everyday family got a department picker, no crisis line, nobody
alerted; the web form filed a 7-day case. They get the crisis path of 我不想活了: the
human sentence, the crisis hotline, a critical case owned by the police.
P2: a parent's long message that ends with a child about to jump from an open
12th-floor window got a routine 教体局 preview; it gets 110 first and a critical case
owned by the police at once.
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
from storage.models import Case, CaseEvent
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.factories import START, make_service

CITIZEN = 2941
POLICE = 2942
PARENT = (
    "我儿子今年十五岁，在东城第一小学读完后上了初中，这半年成绩下滑厉害，天天玩手机，"
    "我说他几句他就顶嘴，今天晚上我没收了他的手机，他把自己锁在房间里，说要从窗户跳下去，"
    "我们家住十二楼，窗户已经打开了，怎么办啊快帮帮我！"
)
PICKER_WORDS = ("我不能确定由哪个部门", "建议由以下部门办理", "只是咨询")

Client = TestClient[Any, Any]
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER_RE = re.compile(r"<strong>(MQ\d{8}-\d{4,})</strong>")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _registered(kit: BotKit, case_id: int) -> dict[str, Any]:
    async with kit.db.session() as s:
        data = await s.scalar(
            select(CaseEvent.data).where(
                CaseEvent.case_id == case_id, CaseEvent.type == "registered"
            )
        )
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("text", ["我想死", "不如死了算了", "我撑不下去了，想一了百了"])
async def test_a_wish_to_die_gets_the_crisis_line_and_a_critical_case(
    kit: BotKit, text: str
) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小周")
    action = citizen.send_text(text)
    hotline = kit.district.crisis_hotline
    answer = await citizen.wait_for_message(lambda m: hotline in m.content, WAIT, since=action)
    assert "您不是一个人" in answer.content or "您并不孤单" in answer.content
    await citizen.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    data = await _registered(kit, case.id)
    assert data["emergency"] == "self_harm"
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any(w in t for t in said for w in PICKER_WORDS), said
    await police.wait_for_message(lambda m: (case.number or "?") in m.content, WAIT)


async def test_a_child_about_to_jump_told_at_the_end_gets_110_and_the_police(
    kit: BotKit,
) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    parent = kit.user(CITIZEN + 1, "家长")
    action = parent.send_text(PARENT)
    line = await parent.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    assert "110" in line.content
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    await kit.delivered()
    said = [m.content for m in parent.transcript() if m.from_bot]
    assert not any(w in t for t in said for w in PICKER_WORDS), said


@pytest.fixture
async def client(db: Database, district: District) -> AsyncIterator[Client]:
    service = make_service(db, district, FakeClock(START))
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_the_web_form_gives_a_wish_to_die_the_crisis_line(
    client: Client, db: Database, district: District
) -> None:
    page = await (await client.get("/report")).text()
    token = TOKEN_RE.search(page)
    assert token is not None
    form = {"csrf_token": token[1], "text": "我想死，不如死了算了"}
    resp = await client.post("/report", data=form)
    filed = await resp.text()
    assert resp.status == 200
    assert district.crisis_hotline in filed and "您不是一个人" in filed
    assert "7天内办结" not in filed
    number = NUMBER_RE.search(filed)
    assert number is not None
    async with db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number[1]))
    assert case is not None and case.severity == "critical"
    assert case.owning_unit_id == district.bureaus["police"].station_id
