"""Trial D24, D13, D23 in a real browser: what a citizen sees on ``/report`` in Chromium."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from config.district import District
from storage.db import Database
from storage.models import Case, CaseEvent
from tests.factories import START, chief, make_service
from tests.test_browser import WAIT_MS, browser, shot

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, imported for this module's tests

FIRE = "楼下着火了，浓烟很大，有人被困"
NUMBER = re.compile(r"MQ\d{8}-\d{4,}")
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
async def form(
    db: Database, district: District
) -> AsyncIterator[tuple[str, CaseService, FakeClock]]:
    clock = FakeClock(START)
    service = make_service(db, district, clock)
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/"), service, clock
    finally:
        await server.close()


async def _fill_and_submit(page: Page, base: str, text: str) -> None:
    await page.goto(f"{base}/report")
    await page.locator("#text").fill(text)
    await page.get_by_role("button", name="提交诉求").click()


async def test_trial_citizen_form_in_a_browser(
    browser: Browser, form: tuple[str, CaseService, FakeClock], db: Database
) -> None:
    from playwright.async_api import expect

    base, service, clock = form
    page = await browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")

    # D24: three filings, a fourth is refused politely with the text kept, a fire goes through.
    receipts = []
    for i in range(3):
        await _fill_and_submit(page, base, f"和平路的路灯坏了 第{i}盏")
        await expect(page.locator(".ok")).to_contain_text("已登记", timeout=WAIT_MS)
        receipts.append(await page.locator("body").inner_text())
    await _fill_and_submit(page, base, "小区门口的垃圾三天没人清运")
    await expect(page.locator(".error")).to_contain_text("操作过于频繁", timeout=WAIT_MS)
    await expect(page.locator(".error")).to_contain_text("0000-12345")
    await expect(page.locator("#text")).to_have_value("小区门口的垃圾三天没人清运")
    await shot(page, "webfix-01-throttled-kept")
    await page.locator("#text").fill(FIRE)
    await page.get_by_role("button", name="提交诉求").click()
    await expect(page.locator(".emergency")).to_contain_text("119（火警）", timeout=WAIT_MS)
    receipt = await page.locator("body").inner_text()
    fire_number = NUMBER.search(receipt)
    assert fire_number is not None, receipt
    await shot(page, "webfix-02-fire-filed")
    async with db.session() as s:
        texts = list((await s.scalars(select(Case.original_text).order_by(Case.id))).all())
    assert texts[-1] == FIRE and len(texts) == 4

    # D13: the receipt's 查询码 opens the status; the number alone shows nothing.
    code = CODE.search(receipt.split("查询码", 1)[1])
    assert code is not None, receipt
    await page.goto(f"{base}/report/status?number={fire_number.group(0)}")
    body = page.locator("body")
    await expect(body).to_contain_text("联系电话或查询码", timeout=WAIT_MS)
    assert "承办单位" not in await body.inner_text()
    await page.locator("#phone").fill(code.group(0).lower())
    await page.get_by_role("button", name="查询").click()
    await expect(body).to_contain_text("承办单位", timeout=WAIT_MS)
    await expect(body).to_contain_text(FIRE)
    await shot(page, "webfix-03-status-by-code")

    # D23: after 办结, 未解决 asks what is still wrong, then says what happens next.
    first = await _first_lamp(db)
    lamp_code = CODE.search(receipts[0].split("查询码", 1)[1])
    assert lamp_code is not None and first.number is not None and first.number in receipts[0]
    boss = await chief(db, "construction")
    await service.acknowledge(first.id, boss.id)
    clock.advance(timedelta(hours=2))
    await service.resolve(first.id, boss.id, "已更换灯泡", closure="solved")
    await page.goto(f"{base}/report/status")
    await page.locator("#number").fill(first.number)
    # The lamp was filed without a phone: the code from its receipt.
    await page.locator("#phone").fill(lamp_code.group(0))
    await page.get_by_role("button", name="查询").click()
    await expect(body).to_contain_text("回访", timeout=WAIT_MS)
    # The answers' form carries its token: the code is not typed again (trial T9).
    await page.get_by_role("button", name="未解决").click()
    await expect(body).to_contain_text("还有什么问题", timeout=WAIT_MS)
    await page.locator("#comment").fill("灯换了，第二天又不亮了")
    await shot(page, "webfix-04-what-is-still-wrong")
    await page.get_by_role("button", name="提交", exact=True).click()
    await expect(body).to_contain_text("已重新交区建设局群众工作站办理", timeout=WAIT_MS)
    await expect(body).to_contain_text("办结后会再次请您评价")
    await shot(page, "webfix-05-reopened")
    async with db.session() as s:
        case = await s.get(Case, first.id)
        notes = list(await s.scalars(select(CaseEvent.note).where(CaseEvent.case_id == first.id)))
    assert case is not None and case.status == "reopened"
    assert "灯换了，第二天又不亮了" in notes
    await page.close()


async def _first_lamp(db: Database) -> Case:
    async with db.session() as s:
        case = await s.scalar(select(Case).order_by(Case.id))
    assert case is not None
    return case


async def test_trial26_a_form_left_open_loses_nothing(
    browser: Browser, form: tuple[str, CaseService, FakeClock], db: Database
) -> None:
    """Trial 26 T10 in Chromium: a neighbour's form opened hours earlier. The fire is filed;
    the lamp comes back typed in a fresh form whose one click files it."""
    from playwright.async_api import expect

    from bot.web.citizen_form_tokens import FORM_TTL

    base, _service, clock = form
    page = await browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
    lamp = "和平路的路灯坏了一个星期，晚上看不清路"
    await page.goto(f"{base}/report")
    await page.locator("#text").fill(lamp)
    clock.advance(FORM_TTL + timedelta(minutes=30))
    await page.get_by_role("button", name="提交诉求").click()
    await expect(page.locator(".error")).to_contain_text("尚未提交", timeout=WAIT_MS)
    await expect(page.locator("#text")).to_have_value(lamp)
    await shot(page, "trial26-t10-kept")
    await page.get_by_role("button", name="提交诉求").click()
    await expect(page.locator(".ok")).to_contain_text("已登记", timeout=WAIT_MS)

    await page.goto(f"{base}/report")
    await page.locator("#text").fill(FIRE)
    clock.advance(FORM_TTL + timedelta(minutes=30))
    await page.get_by_role("button", name="提交诉求").click()
    await expect(page.locator(".emergency")).to_contain_text("119（火警）", timeout=WAIT_MS)
    receipt = await page.locator("body").inner_text()
    assert NUMBER.search(receipt) is not None, receipt
    await shot(page, "trial26-t10-fire-filed")
    async with db.session() as s:
        texts = list((await s.scalars(select(Case.original_text).order_by(Case.id))).all())
    assert texts == [lamp, FIRE]
