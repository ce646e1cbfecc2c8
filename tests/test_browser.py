"""Headless Chromium through the sandbox's three phones and the dashboard.

Uses Debian's Chromium through Playwright's Python API (``playwright install``
is never needed). Skipped only when no Chromium is found *and*
``MINQING_TEST_CHROMIUM`` is unset; when that variable is set (CI sets it), a
missing browser or a missing ``playwright`` package fails the tests.

Screenshots of every step land in ``artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.runtime.assembly import open_runtime
from bot.services.cases import RequestDraft
from bot.services.clock import FakeClock
from bot.services.organisation import sync_organisation
from bot.web.auth import create_login_link
from bot.web.dashboard import add_dashboard_routes
from config.district import District
from config.settings import load_settings
from storage.db import Database
from tests.conftest import REPO_ROOT
from tests.factories import START, chief, citizen, load_case, make_person, make_service
from tests.sandboxkit import running_sandbox

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

pytestmark = pytest.mark.browser

CHROMIUM_ENV = "MINQING_TEST_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = REPO_ROOT / "artifacts" / "screenshots"
WAIT_MS = 20_000
LABOR_TEXT = "公司拖欠我三个月工资不发，老板一直找借口"
CASE_NUMBER = re.compile(r"MQ\d{8}-\d{4,}")


def chromium_executable() -> str | None:
    """The Chromium to drive: ``MINQING_TEST_CHROMIUM``, else one found on this machine."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _exists(path: str) -> bool:
    return Path(path).exists()


def _prepare_shots() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """A headless Chromium (skipped only without a browser and without the variable)."""
    executable = chromium_executable()
    required = bool(os.environ.get(CHROMIUM_ENV))
    if executable is None:
        pytest.skip(f"no Chromium executable found and {CHROMIUM_ENV} is unset")
    if not required:
        pytest.importorskip("playwright", reason="the playwright package is not installed")
    from playwright.async_api import async_playwright

    if required and not _exists(executable):
        pytest.fail(f"{CHROMIUM_ENV}={executable} does not exist")
    _prepare_shots()
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save a screenshot of ``page`` as ``artifacts/screenshots/NAME.png``."""
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


# --- the sandbox --------------------------------------------------------------------------


async def test_sandbox_citizen_files_and_the_chief_acknowledges(
    browser: Browser, tmp_path: Path
) -> None:
    from playwright.async_api import expect

    async with running_sandbox(tmp_path) as url:
        page = await browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        await page.goto(url)
        citizen_phone = page.locator("#phone-citizen")
        chief_phone = page.locator("#phone-chief")
        await expect(citizen_phone.locator(".persona")).to_contain_text("张大姐", timeout=WAIT_MS)
        await shot(page, "sandbox-01-loaded")

        await citizen_phone.locator(".composer input").fill(LABOR_TEXT)
        await citizen_phone.locator(".composer button").click()
        submit = citizen_phone.locator(".inline-kb").get_by_role("button", name="提交", exact=True)
        await expect(submit).to_be_visible(timeout=WAIT_MS)
        await expect(citizen_phone.locator(".screen")).to_contain_text("民生保障服务室")
        await shot(page, "sandbox-02-proposal")
        await submit.click()
        for step in ("可选 1/3", "可选 2/3", "可选 3/3"):
            await expect(citizen_phone.locator(".screen")).to_contain_text(step, timeout=WAIT_MS)
            skip = citizen_phone.locator(".reply-keyboard").get_by_role("button", name="跳过")
            await skip.click()
        screen = citizen_phone.locator(".screen")
        await expect(screen).to_contain_text("提交成功", timeout=WAIT_MS)
        match = CASE_NUMBER.search(await screen.inner_text())
        assert match, await screen.inner_text()
        number = match.group(0)
        await shot(page, "sandbox-03-citizen-filed")

        card = chief_phone.locator(".msg.bot").filter(has_text=number)
        await expect(card.first).to_be_visible(timeout=WAIT_MS)
        await expect(chief_phone.locator(".persona-select")).to_have_value(
            re.compile(r"^\d+$"), timeout=WAIT_MS
        )
        ack = card.get_by_role("button", name="签收", exact=True)
        await expect(ack.first).to_be_visible(timeout=WAIT_MS)
        await shot(page, "sandbox-04-chief-card")
        await ack.first.click()
        await expect(screen).to_contain_text(f"（{number}）已由", timeout=WAIT_MS)
        await expect(screen).to_contain_text("签收")
        await shot(page, "sandbox-05-citizen-told")
        await page.close()


# --- the dashboard ------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def dashboard_server(url: str, district: District) -> AsyncIterator[tuple[str, Any]]:
    """A prepared database and the dashboard on a real port; yields (base URL, helpers)."""
    db = Database(url)
    await db.migrate()
    await sync_organisation(db, district)
    clock = FakeClock(START)
    runtime = await open_runtime(load_settings({}), clock=clock, district=district, db=db)
    runtime.cases = make_service(db, district, clock)
    app = web.Application()
    add_dashboard_routes(app, runtime, public_url="http://127.0.0.1")
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/"), (db, clock, runtime)
    finally:
        await server.close()
        await runtime.close()
        await db.dispose()


async def test_dashboard_chief_logs_in_and_acknowledges(
    browser: Browser, sqlite_url: str, district: District
) -> None:
    from playwright.async_api import expect

    async with dashboard_server(sqlite_url, district) as (base, (db, clock, runtime)):
        boss = await chief(db, "construction")
        reporter = await citizen(db)
        old = await runtime.cases.file_request(
            reporter.id,
            RequestDraft(
                text="小区东门的路灯坏了一个多月，晚上出行很不方便，<script>alert(1)</script>",
                contact_name="王大爷",
                contact_phone="13800001234",
                territorial_unit_id="dongcheng_heping",
                address="和平路12号",
            ),
        )
        clock.advance(timedelta(days=2))
        new = await runtime.cases.file_request(
            reporter.id, RequestDraft(text="楼道里的路灯不亮了，老人上下楼容易摔倒")
        )
        link = await create_login_link(db, boss.id, base, now=clock.now())
        parts = urlsplit(link)

        page = await browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        dialogs: list[str] = []
        page.on("dialog", lambda d: dialogs.append(d.message))
        await page.goto(f"{base}{parts.path}?{parts.query}")
        await expect(page).to_have_url(f"{base}/dashboard")
        table = page.locator("table.cases")
        await expect(table).to_contain_text(old.number)
        await expect(table).to_contain_text(new.number)
        await expect(table.locator("tr.late")).to_have_count(1)
        await shot(page, "dashboard-01-list", full_page=True)

        phone = await browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        await phone.context.add_cookies(await page.context.cookies())  # type: ignore[arg-type]
        await phone.goto(f"{base}/dashboard")
        await shot(phone, "dashboard-02-list-phone", full_page=True)

        await page.get_by_role("link", name=old.number).click()
        await expect(page.locator("h1")).to_contain_text(old.number)
        await expect(page.locator("main")).to_contain_text("<script>alert(1)</script>")
        await shot(page, "dashboard-03-case", full_page=True)

        await page.get_by_role("button", name="签收", exact=True).click()
        await expect(page.locator(".ok")).to_contain_text("已签收")
        timeline = page.locator("ol.timeline")
        await expect(timeline).to_contain_text("签收 · 区建设局群众工作站")
        await expect(timeline).to_contain_text(boss.name)
        await shot(page, "dashboard-04-acknowledged", full_page=True)
        assert (await load_case(db, old.id)).status == "acknowledged"
        assert dialogs == []

        await phone.goto(f"{base}/dashboard/cases/{old.id}")
        await shot(phone, "dashboard-05-case-phone", full_page=True)
        await page.goto(f"{base}/dashboard/assessment")
        await expect(page.locator("svg#ranking, svg[aria-labelledby^=ranking]")).to_have_count(1)
        await shot(page, "dashboard-06-assessment", full_page=True)
        for path, name in (
            ("/dashboard/coverage", "dashboard-07-coverage"),
            ("/dashboard/diary", "dashboard-08-diary"),
            ("/dashboard/files", "dashboard-09-files"),
        ):
            await page.goto(f"{base}{path}")
            await shot(page, name, full_page=True)
        await page.close()
        await phone.close()

        # A street chief keeps a community's residential file; the office sees the overview.
        street = await chief(db, "dongcheng")
        admin = await make_person(db, "admin", "office")
        for person, path, name in (
            (street, "/dashboard/files/dongcheng_heping", "dashboard-10-file"),
            (admin, "/dashboard/overview", "dashboard-11-overview"),
        ):
            other = await browser.new_page(viewport={"width": 1280, "height": 860})
            login = urlsplit(await create_login_link(db, person.id, base, now=clock.now()))
            await other.goto(f"{base}{login.path}?{login.query}")
            await other.goto(f"{base}{path}")
            if person is street:
                await other.get_by_text("编辑“党务工作”").click()
                await other.locator("#party_affairs textarea").fill("党员42名，党小组3个。")
                await other.locator("#party_affairs").get_by_role("button", name="保存").click()
                await expect(other.locator(".ok")).to_contain_text("档案栏目已保存")
                await expect(other.locator("#party_affairs")).to_contain_text("党员42名")
            else:
                await expect(other.locator("h1")).to_contain_text("全区概况")
            await shot(other, name, full_page=True)
            await other.close()
