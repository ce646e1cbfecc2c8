"""Trial 30 #8: a Telegram case is not opened on the web status page by number + phone.

The page says 「通过 Telegram 反映的诉求，请在机器人中发送 /status 查看」, yet
``/report/status`` with ``MQ20261207-0001`` and the phone the citizen gave in the bot
showed the whole case — its words, the unit, every step. Case numbers run -0001,
-0002 … each day, and the person complained about often knows the citizen's phone.
Now the page opens only cases filed on the web form (or through Open311), each with
its 查询码 or phone; a Telegram case gets the page an unknown number gets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.clock import FakeClock
from config.district import District
from tests.botkit import BotKit, sqlite_bot
from tests.formkit import case_number, file_form, form_site
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 3061
PHONE = "13900001111"
WEB_PHONE = "13900002222"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_telegram_case_is_not_shown_on_the_web(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    proposal = await kit.say(citizen, LABOR_TEXT, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, PHONE, "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.channel == "telegram" and case.contact_phone == PHONE
    # In the bot the citizen still sees it.
    await kit.say(citizen, "/status", number)

    assert isinstance(kit.clock, FakeClock)
    async with form_site(kit.runtime.cases, kit.clock) as site:
        for proof in (PHONE, "139 0000 1111"):
            shown = await (
                await site.client.post("/report/status", data={"number": number, "phone": proof})
            ).text()
            assert LABOR_TEXT not in shown and "办理过程" not in shown
            assert "没有找到与该编号和电话" in shown
            assert "请在机器人中发送 /status 查看" in shown
        linked = await (
            await site.client.get(f"/report/status?number={number}&phone={PHONE}")
        ).text()
        assert LABOR_TEXT not in linked and "办理过程" not in linked

        # A web-form case still opens with its phone.
        status, page = await file_form(site, text="拖欠工资两个月了，找谁？", phone=WEB_PHONE)
        assert status == 200, page
        web_number = case_number(page)
        shown = await (
            await site.client.post(
                "/report/status", data={"number": web_number, "phone": WEB_PHONE}
            )
        ).text()
        assert "拖欠工资两个月了" in shown and "办理过程" in shown
