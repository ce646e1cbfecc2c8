"""Trial 25 T9: the station could answer a Telegram citizen's follow-up itself on the web
status page (number + the phone its own card shows) and close the case as 满意.

A case filed in Telegram takes its follow-up only from the reporter's Telegram account:
``POST /report/followup`` with its number and phone records nothing and says where to
answer; the citizen's 未解决 in Telegram still reopens the case.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of

CITIZEN = 2571
CHIEF = 2572
PHONE = "13812345678"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_station_cannot_answer_a_telegram_follow_up_on_the_web(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, PHONE, "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.contact_phone == PHONE
    card = await card_of(chief, case)
    assert f"联系电话：{PHONE}" in card.content  # the station sees the phone in full
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发", "办结类型")
    await kit.say(chief, "解释说明", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)

    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(kit.runtime.cases))
    client: TestClient[Any, Any]
    async with TestClient(TestServer(app)) as client:
        resp = await client.post(
            "/report/followup", data={"number": number, "phone": PHONE, "answer": "satisfied"}
        )
        page = await resp.text()
        # The web answers need a token only a page opened with the 查询码 carries (T9).
        shown = await (
            await client.post("/report/status", data={"number": number, "phone": PHONE})
        ).text()
    assert resp.status == 403 and "感谢您的评价" not in page
    # The status page does not open a Telegram case at all (trial 30 #8).
    assert "没有找到与该编号和电话" in shown and LABOR_TEXT not in shown
    assert "请在机器人中发送 /status 查看" in shown and 'action="/report/followup"' not in shown
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.RESOLVED
    assert "followed_up" not in await kit.events(case.id)

    # The citizen's own answer in Telegram still counts.
    prompt = await kit.press(citizen, question, "未解决", "简要说明")
    await kit.press(citizen, prompt, "跳过", "重新交")
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED
