"""Every audience's flow in the sandbox, at a phone's and a desktop's width (issue 18).

A citizen files and follows up, the station chief 签收 / 办结 / 退单, the dispatcher
re-dispatches, the new owner 上报, an information officer files a warning, and the
district's office opens the dashboard and the assessment page — all by clicking
and typing in headless Chromium, asserting on what each person is shown. Screenshots
of every step land in ``artifacts/screenshots/walk-<size>-NN-*.png``.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.sandboxkit import running_sandbox
from tests.test_browser import CASE_NUMBER, LABOR_TEXT, WAIT_MS, browser, shot

if TYPE_CHECKING:
    from playwright.async_api import Browser, Locator, Page

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, imported for this module's tests

SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"
LINK = re.compile(r"http://\S+/login\?token=\S+")


async def type_in(phone: Locator, text: str) -> None:
    """Type ``text`` in a phone's composer and send it."""
    await phone.locator(".composer input").fill(text)
    await phone.locator(".composer button").click()


async def press(phone: Locator, has_text: str, label: str) -> None:
    """Press the inline button ``label`` under the newest bot message containing ``has_text``."""
    button = phone.page.get_by_role("button", name=label, exact=True)
    message = phone.locator(".msg.bot").filter(has_text=has_text).filter(has=button).last
    await message.locator(".inline-kb").get_by_role("button", name=label, exact=True).click()


async def skip(phone: Locator) -> None:
    await phone.locator(".reply-keyboard").get_by_role("button", name="跳过").click()


async def bot_texts(phone: Locator) -> list[str]:
    return [t for t in await phone.locator(".msg.bot").all_inner_texts()]


async def settled(phone: Locator, number: str, seconds: float = 2.0) -> list[str]:
    """The bot messages mentioning ``number`` once deliveries have had time to arrive."""
    await asyncio.sleep(seconds)
    return [t for t in await bot_texts(phone) if number in t]


async def no_overflow(page: Page) -> None:
    assert await page.evaluate(NO_OVERFLOW), await page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_every_audience_walks_through_the_sandbox(
    browser: Browser, tmp_path: Path, size: str
) -> None:
    from playwright.async_api import expect

    width, height = SIZES[size]
    n = iter(range(1, 100))

    async def snap(page: Page, name: str, full: bool = False) -> None:
        await shot(page, f"walk-{size}-{next(n):02d}-{name}", full_page=full)

    async with running_sandbox(tmp_path) as url:
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
        toasts: list[str] = []
        await page.goto(url)
        citizen = page.locator("#phone-citizen")
        officer = page.locator("#phone-officer")
        chief = page.locator("#phone-chief")
        await expect(citizen.locator(".persona")).to_contain_text("张大姐", timeout=WAIT_MS)
        assert await page.locator("#toast").is_hidden()  # no stale toast on load
        await no_overflow(page)

        # An empty message is answered with a hint, not the fake API's JSON.
        await type_in(citizen, "   ")
        await expect(page.locator("#toast")).to_have_text("请先输入要发送的文字")
        toasts.append(await page.locator("#toast").inner_text())

        # --- the citizen: the bureau and what it does first, the room second.
        await type_in(citizen, LABOR_TEXT)
        proposal = citizen.locator(".msg.bot").filter(has_text="建议由以下部门办理").last
        await expect(proposal).to_be_visible(timeout=WAIT_MS)
        text = await proposal.inner_text()
        assert text.index("办理部门：区劳动局") < text.index("民生保障服务室"), text
        for filler in ("三个", "事情", "怎么"):
            assert f"“{filler}”" not in text
        await snap(page, "citizen-proposal")
        await press(citizen, "建议由以下部门办理", "提交")
        for step in ("可选 1/3", "可选 2/3", "可选 3/3"):
            await expect(citizen.locator(".screen")).to_contain_text(step, timeout=WAIT_MS)
            await skip(citizen)
        await expect(citizen.locator(".screen")).to_contain_text("提交成功", timeout=WAIT_MS)
        match = CASE_NUMBER.search(await citizen.locator(".screen").inner_text())
        assert match
        number = match.group(0)
        assert len(await settled(citizen, number)) == 1  # one receipt
        await snap(page, "citizen-filed")

        # --- the station chief: 签收, then 办结 with a note.
        card = chief.locator(".msg.bot").filter(has_text=number)
        await expect(card.first).to_be_visible(timeout=WAIT_MS)
        await press(chief, number, "签收")
        await expect(chief.locator(".screen")).to_contain_text("状态：已签收", timeout=WAIT_MS)
        await press(chief, number, "办结")
        await expect(chief.locator(".screen")).to_contain_text("办结说明", timeout=WAIT_MS)
        await type_in(chief, "已协调企业补发一个月工资")
        await expect(chief.locator(".screen")).to_contain_text("办结类型", timeout=WAIT_MS)
        await type_in(chief, "实际解决")
        await expect(chief.locator(".screen")).to_contain_text("已办结", timeout=WAIT_MS)
        await snap(page, "chief-resolved")

        # --- the citizen is not satisfied: one acknowledgement of the comment.
        await expect(citizen.locator(".screen")).to_contain_text("解决了吗", timeout=WAIT_MS)
        await press(citizen, "解决了吗", "未解决")
        await expect(citizen.locator(".screen")).to_contain_text("简要说明", timeout=WAIT_MS)
        before = len(await bot_texts(citizen))
        await type_in(citizen, "只补发了一个月，还欠两个月")
        await expect(citizen.locator(".screen")).to_contain_text("已收到您的意见", timeout=WAIT_MS)
        await asyncio.sleep(2)
        assert len(await bot_texts(citizen)) == before + 1
        await snap(page, "citizen-follow-up")

        # --- the chief returns it (退单) with a reason; the dispatcher re-dispatches.
        await expect(chief.locator(".screen")).to_contain_text("重办", timeout=WAIT_MS)
        await press(chief, number, "签收")
        await expect(chief.locator(".screen")).to_contain_text("状态：已签收", timeout=WAIT_MS)
        await press(chief, number, "退单")
        await expect(chief.locator(".screen")).to_contain_text("退单理由", timeout=WAIT_MS)
        await type_in(chief, "欠薪已移交劳动监察，补发部分应由民政救助")
        await expect(chief.locator(".screen")).to_contain_text("已退单", timeout=WAIT_MS)
        desk_card = chief.locator(".msg.bot").filter(has_text=number).filter(has_text="退单")
        await expect(chief.locator(".persona-select")).to_have_value(
            re.compile(r"^\d+$"), timeout=WAIT_MS
        )
        await expect(chief.locator(".screen")).to_contain_text("【退单】", timeout=WAIT_MS)
        buttons = await chief.locator(".inline-kb button").all_inner_texts()
        assert "派至区劳动局" not in buttons, buttons  # not the bureau that returned it
        await snap(page, "desk-card")
        await press(chief, number, "民生保障")
        await expect(chief.locator(".screen")).to_contain_text("请选择承办部门", timeout=WAIT_MS)
        await press(chief, "请选择承办部门", "区民政局")
        await expect(page.locator("#toast")).to_contain_text("已派单", timeout=WAIT_MS)
        assert desk_card is not None

        # --- the new owner escalates (上报) with a reason, as on the web.
        # The phone follows the case to the new owner's chief: wait for the switch, or the
        # desk's own 【退单】 notice (which keeps its 上报) is pressed by the desk.
        civil = chief.locator(".persona-select option", has_text="区民政局")
        civil_chat = await civil.first.get_attribute("value")
        await expect(chief.locator(".persona-select")).to_have_value(
            civil_chat or "", timeout=WAIT_MS
        )
        await expect(chief.locator(".screen")).to_contain_text("区民政局", timeout=WAIT_MS)
        await expect(
            chief.locator(".msg.bot").filter(has_text=number).locator("button", has_text="上报")
        ).to_have_count(1, timeout=WAIT_MS)
        await press(chief, number, "上报")
        await expect(chief.locator(".screen")).to_contain_text("上报理由", timeout=WAIT_MS)
        await type_in(chief, "涉及劳动监察与民政救助两个部门，需区里协调")
        await expect(chief.locator(".screen")).to_contain_text("已上报", timeout=WAIT_MS)
        await snap(page, "chief-escalated")

        # --- the information officer: one parser for the head count, one receipt.
        await type_in(officer, "/warn")
        await expect(officer.locator(".screen")).to_contain_text("请描述预警情况", timeout=WAIT_MS)
        await type_in(officer, "和平社区有人因宅基地纠纷争吵，情绪激动")
        await expect(officer.locator(".screen")).to_contain_text("预警研判", timeout=WAIT_MS)
        await press(officer, "预警研判", "确认")
        await expect(officer.locator(".screen")).to_contain_text("可选 1/3", timeout=WAIT_MS)
        await skip(officer)
        await expect(officer.locator(".screen")).to_contain_text("可选 2/3", timeout=WAIT_MS)
        await type_in(officer, "大概四五个人")
        await expect(officer.locator(".screen")).to_contain_text("可选 3/3", timeout=WAIT_MS)
        await skip(officer)
        await expect(officer.locator(".screen")).to_contain_text("预警已报送", timeout=WAIT_MS)
        warned = CASE_NUMBER.findall(await officer.locator(".screen").inner_text())
        assert warned and len(await settled(officer, warned[-1])) == 1
        await snap(page, "officer-warning")
        await no_overflow(page)

        # --- the district office's head (主任) opens the dashboard from /web.
        await chief.locator(".persona-select").select_option(
            label="区委群众工作委员会办公室（群工办）"
        )
        await type_in(chief, "/web")
        link_msg = chief.locator(".msg.bot").filter(has_text="登录链接").last
        await expect(link_msg).to_be_visible(timeout=WAIT_MS)
        found = LINK.search(await link_msg.inner_text())
        assert found and found.group(0).startswith(url)  # the served port
        dash = await browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
        await dash.goto(found.group(0))
        me = dash.locator("nav.dash .me")
        await expect(me).to_contain_text("主任")
        label = await me.inner_text()
        assert label.count("群工办") == 1 and label.count("主任") == 1, label
        await expect(dash.locator("table.cases")).to_contain_text(number)
        await no_overflow(dash)
        await snap(dash, "dashboard-cases", True)
        if size == "desktop":
            # A date is one line: "2026-12-02 10:46", never "2026-12-" / "02 10:46".
            cells = dash.locator("table.cases td[data-label=时限]")
            lines = await cells.evaluate_all(
                """cs => cs.map(c => { const r = document.createRange();
                    r.selectNodeContents(c); return r.getClientRects().length; })"""
            )
            assert lines and set(lines) == {1}, lines
        await dash.goto(url + "dashboard/assessment")
        await expect(dash.locator("h1, h2").first).to_be_visible()
        widths = await dash.locator(".chart svg").evaluate_all(
            "ss => ss.map(s => s.getBoundingClientRect().width)"
        )
        assert widths and min(widths) >= 280, widths
        await no_overflow(dash)
        await snap(dash, "dashboard-assessment", True)
        await dash.close()
        await page.close()
        assert toasts == ["请先输入要发送的文字"]
