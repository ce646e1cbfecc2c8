"""Trial 28 P3: a bystander reporting someone else about to jump is not comforted as if
they were the person at risk.

楼顶有人要跳楼 and 我看到一个小伙子…好像要跳河 tell of another person: the reporter reads
110 first and what to do until the police come (stay, keep the person in sight and
talking), gets an ordinary receipt and an ordinary case life (the result and the
survey). The case stays critical and goes to the police at once. 我不想活了 keeps the
crisis path (tests/test_trial_self_harm_care.py). The same rule holds on the web form
and Open311 (HTTP tests below).
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
from bot.web.api_keys import create_api_key
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from bot.web.open311 import Open311Context, add_open311_routes
from config.district import District
from nlp.at_risk import at_risk
from storage.db import Database
from storage.enums import CaseStatus, Role
from storage.models import Case, CaseEvent
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.emergencykit import calls
from tests.factories import START, make_service

CITIZEN = 2881
POLICE = 2882
ROOF = "楼顶有人要跳楼，围了很多人"
BRIDGE = "我看到一个小伙子站在桥栏杆外面，好像要跳河"
ROOF_TRADITIONAL = "樓頂有人要跳樓，圍了很多人"
RESULT = "民警已到场将当事人劝下，已交由家属陪护"
CRISIS_WORDS = ("您并不孤单", "您不是一个人", "心理援助热线")

Client = TestClient[Any, Any]
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER_RE = re.compile(r"<strong>(MQ\d{8}-\d{4,})</strong>")


@pytest.mark.parametrize(
    ("text", "who"),
    [
        (ROOF, "other"),
        (BRIDGE, "other"),
        (ROOF_TRADITIONAL, "other"),
        ("对面楼有个女的坐在窗台上要跳楼", "other"),
        ("我妈喝了农药，叫不醒", "other"),
        ("三号楼顶上站着个女的，腿都跨到栏杆外面了", "other"),
        ("我朋友刚给我发消息说撑不下去了，吃了一整瓶安眠药", "other"),
        ("老刘一直念叨我不想活了，刚才把自己反锁在屋里", "other"),
        ("低保被停的王某在民政局办公室里把一整板安眠药都嚼了", "other"),
        ("我跟他说我不想活了", "self"),
        ("活着没意思，老婆跟人跑了", "self"),
        ("我在我家楼顶，不想活了", "self"),
        ("我一个人在出租屋里，吃了一整瓶安眠药", "self"),
        ("我不想活了", "self"),
        ("我真的撑不下去了，不想活了", "self"),
        ("老板再不给钱我就跳楼", "self"),
        ("我们工人再拿不到钱就跳楼", "self"),
        ("他打我，我不想活了", "self"),
        ("小区门口的下水道堵了", None),
    ],
)
def test_who_is_at_risk(text: str, who: str | None) -> None:
    assert at_risk(text) == who


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


async def test_a_bystander_gets_110_what_to_do_a_receipt_and_the_survey(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "路人")
    action = citizen.send_text(ROOF)
    line = await citizen.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    assert calls("110")(line) and not calls("120")(line)
    assert "视线内" in line.content and "说话" in line.content
    await citizen.wait_for_message(lambda m: "跳过" in str(m.buttons) or "地点" in m.content, WAIT)
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    data = await _registered(kit, case.id)
    assert data["emergency"] == "other_at_risk" and data["services"] == ["110"]
    await kit.delivered()
    seen = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any(w in t for t in seen for w in CRISIS_WORDS)
    assert kit.district.crisis_hotline not in "".join(seen)
    assert any(number in t for t in seen)

    card = await police.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    await kit.callback_answer(police.press(card, "签收"))
    await police.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(police, card, "办结", "办结说明")
    await kit.say(police, RESULT, "办结类型")
    await kit.say(police, "实际解决", "已办结")
    told = await citizen.wait_for_message(lambda m: RESULT in m.content, WAIT)
    assert "满意" in str(told.buttons)
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.RESOLVED


async def test_the_writer_at_risk_keeps_the_crisis_words(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 10, "小李")
    action = citizen.send_text("我不想活了")
    hotline = kit.district.crisis_hotline
    await citizen.wait_for_message(lambda m: hotline in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert (await _registered(kit, case.id))["emergency"] == "self_harm"


@pytest.fixture
async def client(db: Database, district: District) -> AsyncIterator[tuple[Client, str]]:
    service = make_service(db, district, FakeClock(START))
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    add_open311_routes(app, Open311Context.from_service(service))
    key = await create_api_key(db, "城市服务App")
    async with TestClient(TestServer(app)) as c:
        yield c, key


async def test_the_web_form_tells_a_bystander_to_call_110(
    client: tuple[Client, str], db: Database, district: District
) -> None:
    c, _ = client
    page = await (await c.get("/report")).text()
    token = TOKEN_RE.search(page)
    assert token is not None
    resp = await c.post("/report", data={"csrf_token": token[1], "text": ROOF_TRADITIONAL})
    filed = await resp.text()
    assert resp.status == 200
    assert "110（报警）" in filed and "视线内" in filed and "120（急救）" not in filed
    assert district.crisis_hotline not in filed
    assert not any(w in filed for w in CRISIS_WORDS)
    assert "办结时限" in filed
    number = NUMBER_RE.search(filed)
    assert number is not None
    async with db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number[1]))
    assert case is not None and case.severity == "critical"


async def test_open311_tells_a_bystander_to_call_110(
    client: tuple[Client, str], district: District
) -> None:
    c, key = client
    data = {"api_key": key, "service_code": "civil_affairs", "description": BRIDGE}
    resp = await c.post("/open311/v2/requests.json", data=data)
    body = await resp.json()
    assert resp.status == 201, body
    notice = body[0]["service_notice"]
    assert "110" in notice and "视线内" in notice
    assert district.crisis_hotline not in notice
