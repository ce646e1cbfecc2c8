"""Trial 25 T9: the follow-up on the web is the citizen's word, never the station's.

The phone is on the handling station's card, so it opens the status page but never the
follow-up; a case filed in Telegram is followed up only in Telegram (and, since trial
30 #8, not shown on the status page at all); the web's answers need
the token of a page opened with the 查询码 (over real HTTP, ``/report``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services.cases import RequestDraft
from bot.web.throttle import Throttle
from config.district import District
from storage.db import Database
from storage.enums import Channel
from storage.models import Case
from tests.factories import chief, citizen
from tests.formkit import Site
from tests.test_web_citizen_trial import _code, _post, _serve, _status_page

PHONE = "13812345678"


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    async for s in _serve(db, district, Throttle()):
        yield s


async def _status_of(db: Database, number: str) -> str:
    async with db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None
    return case.status


async def _resolve(site: Site, number: str) -> None:
    async with site.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None
    boss = await chief(site.db, "construction")
    await site.service.acknowledge(case.id, boss.id)
    site.clock.advance(timedelta(hours=2))
    await site.service.resolve(case.id, boss.id, "已再次检查，路灯已更换", closure="solved")


async def test_t9_a_station_cannot_answer_a_telegram_citizens_follow_up(site: Site) -> None:
    person = await citizen(site.db)
    view = await site.service.file_request(
        person.id, RequestDraft(text="和平路的路灯坏了", contact_phone=PHONE)
    )
    await _resolve(site, view.number)
    # What the station knows from its card: the number and the phone. The trial's POST.
    forged = await site.client.post(
        "/report/followup", data={"number": view.number, "phone": PHONE, "answer": "satisfied"}
    )
    page = await forged.text()
    assert forged.status == 403 and "感谢您的评价" not in page and "页面已过期" in page
    assert await _status_of(site.db, view.number) == "resolved"
    # The phone does not open a Telegram case on the web at all (trial 30 #8): the page
    # an unknown number gets, which says to use /status in the bot.
    shown = await _status_page(site, view.number, PHONE)
    assert "已办结" not in shown and 'action="/report/followup"' not in shown
    assert "和平路的路灯坏了" not in shown and "请在机器人中发送 /status 查看" in shown
    # The Telegram citizen's own answer still counts.
    after = await site.service.answer_follow_up(
        view.id, person.id, False, "unsatisfied", "还是不亮", Channel.TELEGRAM
    )
    assert after.status == "reopened"


async def test_t9_on_the_web_only_the_lookup_code_opens_the_follow_up(site: Site) -> None:
    status, page, _ = await _post(site, text="和平路的路灯坏了", phone=PHONE)
    assert status == 200
    number = re.search(r"MQ\d{8}-\d{4}", page)
    assert number is not None
    code = _code(page)
    await _resolve(site, number[0])
    by_phone = await _status_page(site, number[0], PHONE)
    assert 'action="/report/followup"' not in by_phone and "请使用提交后显示的查询码" in by_phone
    for data in (
        {"number": number[0], "phone": PHONE, "answer": "satisfied"},
        {"number": number[0], "phone": code, "answer": "satisfied"},  # no token: no CSRF proof
        {"number": number[0], "token": "9999999999.AAAA", "answer": "satisfied"},
    ):
        refused = await site.client.post("/report/followup", data=data)
        assert refused.status == 403, data
    assert await _status_of(site.db, number[0]) == "resolved"
    by_code = await _status_page(site, number[0], code)
    token = re.search(r'name="token" value="([^"]+)"', by_code)
    assert token is not None and 'action="/report/followup"' in by_code
    # A token is bound to its case.
    other = await site.client.post(
        "/report/followup",
        data={"number": "MQ20260303-0099", "token": token[1], "answer": "satisfied"},
    )
    assert other.status == 403
    done = await site.client.post(
        "/report/followup", data={"number": number[0], "token": token[1], "answer": "satisfied"}
    )
    assert done.status == 200 and "感谢您的评价" in await done.text()
    assert await _status_of(site.db, number[0]) in ("closed", "followed_up")
