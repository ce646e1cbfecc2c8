"""Trial defect D3 in a real browser: the desk splits a case on the dashboard.

Headless Chromium (``tests/test_browser.py``'s fixture and server): the desk opens the
case, opens 「拆分案件」, types the other matter, keeps 按内容自动分类、分派 and submits;
the page says so and links the new case, whose page links back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from bot.services.cases import RequestDraft
from bot.web.auth import create_login_link
from config.district import District
from storage.models import Case
from tests.factories import citizen, staff
from tests.test_browser import browser, dashboard_server, shot

if TYPE_CHECKING:
    from playwright.async_api import Browser

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, imported for this module's tests

TWO = "小区路灯坏了一个月，另外单位拖欠工资三个月"
WAGES = "单位拖欠工资三个月"


async def test_the_desk_splits_a_case_in_the_browser(
    browser: Browser, sqlite_url: str, district: District
) -> None:
    from playwright.async_api import expect

    async with dashboard_server(sqlite_url, district) as (base, (db, clock, runtime)):
        desk = await staff(db, district.dispatcher)
        reporter = await citizen(db)
        original = await runtime.cases.file_request(reporter.id, RequestDraft(text=TWO))
        login = urlsplit(await create_login_link(db, desk.id, base, now=clock.now()))
        page = await browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        await page.goto(f"{base}{login.path}?{login.query}")
        await page.goto(f"{base}/dashboard/cases/{original.id}")
        await page.get_by_text("一条诉求含两件不相关的事").click()
        await page.get_by_label("另一件事的内容").fill(WAGES)
        await expect(page.get_by_label("分派至")).to_have_value("")
        await page.get_by_role("button", name="拆分登记").click()
        await expect(page.locator(".ok")).to_contain_text("已拆分")
        async with db.session() as s:
            new = (await s.scalars(select(Case).order_by(Case.id.desc()))).first()
        assert new is not None and new.id != original.id
        assert new.original_text == WAGES and new.owning_unit_id == "labor"
        await expect(page.locator("main")).to_contain_text(f"已拆分出{new.number}")
        await shot(page, "dashboard-split-01-original", full_page=True)
        await page.get_by_role("link", name=new.number or "?").first.click()
        await expect(page.locator("h1")).to_contain_text(new.number or "?")
        await expect(page.locator("main")).to_contain_text(f"拆分自{original.number}")
        await shot(page, "dashboard-split-02-new", full_page=True)
        await page.close()
