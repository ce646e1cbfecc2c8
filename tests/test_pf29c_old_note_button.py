"""An old 「补充说明」 button of a withdrawn case (trial 29 #12).

The citizen withdrew a case, then pressed the 「补充说明」 button of an older /status
listing. The toast must say the case can no longer be supplemented, not that it
cannot be withdrawn; nothing is asked and the case stays withdrawn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from handlers.texts import reporter_acts as rt
from storage.enums import CaseStatus, Role
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 2961
CHIEF = 2962


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_old_note_button_of_a_withdrawn_case_says_no_more_notes(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    number = case.number or ""
    tail = number.rsplit("-", 1)[-1]
    await card_of(chief, case)

    old = await kit.say(citizen, "/status", "您反映的问题")
    listing = await kit.say(citizen, "/status", "您反映的问题")
    ask = await kit.press(citizen, listing, f"撤回 {tail}", "确定")
    await kit.press(citizen, ask, "确认撤回", lambda m: m is ask and "原因" in m.content)
    await kit.press(citizen, ask, "跳过", lambda m: m is ask and "已撤回" in m.content)
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN

    pressed = citizen.press(old, f"补充说明 {tail}")
    toast = await kit.callback_answer(pressed)
    assert "补充" in toast and "撤回" not in toast
    # No note is asked for: the next /status answer comes with no prompt before it.
    await kit.say(citizen, "/status", number)
    prompt = rt.note_prompt(number)
    assert not [m for m in citizen.transcript() if m.from_bot and m.content == prompt]
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN
