"""Trial 30 #15 and #14: the 退单 reason step.

#15: the refusal of a reason too short gave the example 「应由区人社局办理」; the district has
区劳动局 and 区人事局, no 区人社局. The example now names a bureau of the district's own
configuration, as every bureau the step names must.

#14: /skip at the reason printed two messages: 「…的退单没有完成（未填写退单理由）…」 and then
「没有 /skip 这个命令…」. Now /skip gets one answer — the reason cannot be skipped — and the
step still waits: the next text is the reason. (上报's reason may be skipped: /skip is 跳过.)
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 3014
CHIEF = 3015

#: A district bureau as a text names it: 区劳动局, 区公安分局.
_BUREAU_NAME = re.compile(r"区[\u4e00-\u9fff]{1,3}?分?局")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _asked_for_a_reason(kit: BotKit) -> tuple[FakeUser, int]:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.press(chief, card, "退单", "退单理由")
    return chief, case.id


async def test_the_return_example_names_a_bureau_the_district_has(kit: BotKit) -> None:
    chief, _ = await _asked_for_a_reason(kit)
    refused = await kit.say(chief, "。", "退单理由过于简单")
    names = _BUREAU_NAME.findall(refused.content)
    assert "区劳动局" in names, refused.content
    known = {b.name for b in kit.district.bureaus.values()}
    assert set(names) <= known, (set(names) - known, refused.content)


async def test_skip_at_the_return_reason_gets_one_clear_answer(kit: BotKit) -> None:
    chief, case_id = await _asked_for_a_reason(kit)
    seen = len(chief.transcript())
    told = await kit.say(chief, "/skip", "不能跳过")
    reason = "属于社保缴费问题，应由区劳动局办理"
    await kit.say(chief, reason, "已退单")
    after = chief.transcript()[seen:]
    cut = next(i for i, m in enumerate(after) if not m.from_bot and m.content == reason)
    answers = [m.content for m in after[:cut] if m.from_bot]
    assert answers == [told.content], answers
    assert "退单理由" in told.content and "/cancel" in told.content
    for wrong in ("没有 /skip 这个命令", "没有完成"):
        assert wrong not in told.content
    stored = await kit.case(case_id)
    assert stored.status == CaseStatus.RETURNED
