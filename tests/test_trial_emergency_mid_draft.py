"""Trial defect dfx3 #3: danger now typed in the middle of a draft is handled at once and
the draft is kept.

A citizen filling in a request (at the location step) and an officer in the guided
warning flow (at the proposal) type an emergency: it gets the emergency line and is
filed at once as critical, as before; the draft is not lost, the reply says so, and
the user goes on with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import KNIFE
from tests.emergencykit import calls
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 1601
OFFICER = 3601
DROWNING = "河边有人落水了，快来人救命"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_citizen_emergency_at_a_step_is_filed_and_the_request_kept(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")

    action = citizen.send_text(DROWNING)
    await citizen.wait_for_message(calls("110"), WAIT, since=action)
    kept = await citizen.wait_for_message(lambda m: "草稿已保留" in m.content, WAIT, since=action)
    assert "公司拖欠我三个月工资" in kept.content
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    (emergency,) = await kit.cases()
    assert emergency.severity == "critical" and emergency.original_text == DROWNING

    # 继续提交: back at the step the draft was at, and on to filing the request.
    await kit.press(citizen, kept, "继续提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    first, second = await kit.cases()
    assert first.id == emergency.id
    assert second.original_text == LABOR_TEXT and second.severity != "critical"


async def test_officer_emergency_at_the_proposal_is_filed_and_the_draft_kept(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, "小区业主五十余人拉横幅聚集维权", "预警研判")

    action = officer.send_text(KNIFE)
    await officer.wait_for_message(calls("110"), WAIT, since=action)
    filed = await officer.wait_for_message(lambda m: "预警已报送" in m.content, WAIT, since=action)
    assert "特别重大" in filed.content
    kept = await officer.wait_for_message(lambda m: "仍保留" in m.content, WAIT, since=action)
    assert "拉横幅聚集维权" in kept.content
    (emergency,) = await kit.cases()
    assert emergency.severity == "critical" and emergency.kind == "warning"

    # The kept proposal still files.
    await kit.press(officer, proposal, "确认", "预警已报送")
    first, second = await kit.cases()
    assert first.id == emergency.id and second.original_text == "小区业主五十余人拉横幅聚集维权"
