"""Trial 26 T16: after an emergency typed mid-draft, 「继续提交」 returns to the draft's step.

The emergency's details step (place and phone, or 跳过) ends the request conversation;
the 继续提交 button under 「草稿已保留」 must still bring the citizen back to the step the
draft was at, and finishing the steps files the draft. Before, the button only answered
「这个问题正在提交中…」 and the draft was never filed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 2616
FAINTED = "河边有人落水了，快来人救命"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.mark.parametrize("details", ["跳过", "河边公园北门 13700009999"])
async def test_resume_after_the_emergency_details_step_files_the_draft(
    kit: BotKit, details: str
) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")  # the draft is at the contact step

    action = citizen.send_text(FAINTED)
    kept = await citizen.wait_for_message(lambda m: "草稿已保留" in m.content, WAIT, since=action)
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    # The emergency's details step is answered first: it ends the conversation.
    await kit.say(citizen, details, lambda m: "跳过" not in m.content or "已将" in m.content)

    resumed = await kit.press(citizen, kept, "继续提交", "可选 2/3")
    assert "联系" in resumed.content or "电话" in resumed.content
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    emergency, request = await kit.cases()
    assert emergency.severity == "critical" and emergency.original_text == FAINTED
    assert request.original_text == LABOR_TEXT and request.severity != "critical"
