"""Trial 26 T26: a chief's /help and /start did not mention /web (the dashboard, where
延期申请 is made) or /diary (民情日记, a monthly duty that is assessed)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot

CHIEF, OFFICER, CITIZEN = 2661, 2662, 2663


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_chief_finds_web_and_diary_in_help_and_start(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "建设局站长")
    bound = await kit.bind(chief, "construction", Role.CHIEF)
    for shown in (
        bound,
        await kit.say(chief, "/help", "使用说明"),
        await kit.say(chief, "/start", "您已绑定"),
    ):
        assert "/web" in shown.content and "/diary" in shown.content
    # What /help promises works: /web answers with a login link.
    link = await kit.say(chief, "/web")
    assert "登录" in link.content


async def test_officers_and_citizens_are_not_offered_the_dashboard(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    shown = await kit.say(officer, "/help", "使用说明")
    assert "/warn" in shown.content and "/web" not in shown.content
    citizen = kit.user(CITIZEN, "王芳")
    shown = await kit.say(citizen, "/help", "使用说明")
    assert "/web" not in shown.content and "/diary" not in shown.content
