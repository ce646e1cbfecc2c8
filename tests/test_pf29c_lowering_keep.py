"""The answer to a weak reason for lowering a warning offers 「保持」 (trial 29 #13).

An officer lowering a warning two levels typed 「不是不是不是不是」 as the reason; the
reply said 不降级请点「保持」 but had no such button. It has it now, and pressing it
keeps the level and shows the proposal again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot
from tests.test_bot_triage import WAGES_CROWD

OFFICER = 2971


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_weak_reason_answer_has_the_keep_button(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, WAGES_CROWD, "预警研判")
    assert "等级：重大" in proposal.content
    await kit.press(officer, proposal, "更改等级", lambda m: m is proposal and len(m.buttons) == 4)
    await kit.press(officer, proposal, "较大", "须说明理由")

    sticker = await kit.answer(officer, officer.send_sticker(), "不降级请点")
    assert [b["text"] for b in sticker.buttons] == ["保持“重大”"]
    weak = await kit.say(officer, "不是不是不是不是", "不降级请点")
    keep = [b["text"] for b in weak.buttons]
    assert keep and all(label.startswith("保持") for label in keep), keep
    kept = await kit.press(officer, weak, keep[0], "未降级")
    assert "重大" in kept.content
    again = await officer.wait_for_message(
        lambda m: "预警研判" in m.content and "等级：重大" in m.content and m is not proposal,
        10,
    )
    assert "降级理由" not in again.content
    assert not await kit.cases()  # nothing filed: the proposal waits for 确认
