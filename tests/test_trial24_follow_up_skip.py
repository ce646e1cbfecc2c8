"""Trial 24 T13: 未解决 then 跳过 (no comment) was answered 「已收到您的意见」 — there was none."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 2441
CHIEF = 2442


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_unsolved_without_a_comment_is_not_thanked_for_one(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    prompt = await kit.press(citizen, question, "未解决", "简要说明")
    told = await kit.press(citizen, prompt, "跳过", "重新交")
    assert not told.content.startswith("已收到您的意见")
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED
