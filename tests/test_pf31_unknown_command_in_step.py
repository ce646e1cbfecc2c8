"""pf31 #4: an unknown command (/foo) while a step waits sends one clear message.

A chief writing a 退单 reason who typed /foo got two messages: 「…的退单没有完成…」 and
「没有 /foo 这个命令…」, and the reason step was gone. Now /foo gets one answer that names
the unknown command and says the step still waits; the next text is the reason. A known
command (/status) still leaves the step as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 3131
CHIEF = 3132
OFFICER = 3133
REASON = "属于社保缴费问题，应由区劳动局办理"


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


async def test_an_unknown_command_at_a_note_gets_one_answer_and_the_note_waits(
    kit: BotKit,
) -> None:
    chief, case_id = await _asked_for_a_reason(kit)
    seen = len(chief.transcript())
    told = await kit.say(chief, "/foo", "没有 /foo 这个命令")
    await kit.say(chief, REASON, "已退单")
    after = chief.transcript()[seen:]
    cut = next(i for i, m in enumerate(after) if not m.from_bot and m.content == REASON)
    answers = [m.content for m in after[:cut] if m.from_bot]
    assert answers == [told.content], answers
    assert "没有完成" not in told.content and "/cancel" in told.content
    stored = await kit.case(case_id)
    assert stored.status == CaseStatus.RETURNED
    assert stored.owning_unit_id != "labor"


async def test_a_known_command_at_a_note_still_leaves_it(kit: BotKit) -> None:
    chief, case_id = await _asked_for_a_reason(kit)
    await kit.say(chief, "/help", "没有完成")
    await chief.wait_for_message(lambda m: "/status" in m.content, WAIT)
    assert (await kit.case(case_id)).status != CaseStatus.RETURNED


async def test_an_unknown_command_at_a_warning_to_confirm_keeps_it(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    proposal = await kit.say(
        officer,
        "东城菜市场门口有二十多名商户聚集，反映摊位费上涨",
        lambda m: "确认" in str(m.buttons),
    )
    seen = len(officer.transcript())
    await kit.say(officer, "/foo", "没有 /foo 这个命令")
    await kit.delivered()
    answers = [m.content for m in officer.transcript()[seen:] if m.from_bot]
    assert len(answers) == 1 and "没有报送" not in answers[0], answers
    # The warning still waits for its 确认.
    await kit.press(officer, proposal, "确认", "预警已报送")
    assert len(await kit.cases()) == 1


async def test_an_unknown_command_in_a_citizens_draft_keeps_the_step(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(
        citizen, "小区门口的路灯坏了一个月了，晚上很黑", lambda m: "提交" in str(m.buttons)
    )
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    seen = len(citizen.transcript())
    told = await kit.say(citizen, "/foo", "没有 /foo 这个命令")
    await kit.say(citizen, "跳过", "可选 2/3")
    after = citizen.transcript()[seen:]
    cut = next(i for i, m in enumerate(after) if not m.from_bot and m.content == "跳过")
    assert [m.content for m in after[:cut] if m.from_bot] == [told.content]
    # Not 「反映问题请直接发送文字描述」: a text now would be read as the place.
    assert "没有丢失" in told.content and "直接发送文字描述" not in told.content
    assert not await kit.cases()
