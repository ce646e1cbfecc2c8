"""Trial 26 T9: the button's word typed at the step that shows it acts as the button,
and a draft is never dropped without a word.

Elderly users type what they see: 提交 at a citizen's proposal, 确认 at an officer's
warning proposal, 报送 / 放弃 at 「先报送刚才的预警吗？」. A new description typed while an
earlier one was not submitted says that the earlier one is kept (with 继续提交 when it was
in its steps).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 2691
OFFICER = 2692
LAND = "我们村的土地承包经营权被村委会收回了，给别人种，合同还没到期"
WARNING = "小区业主五十余人拉横幅聚集维权"
SECOND = "东城菜市场两家商户因摊位边界发生争吵，围观群众较多"
DROWNING = "河边有人落水了，快来人救命"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_submit_typed_at_the_proposal_acts_as_the_button(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王大爷")
    await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    step = await kit.say(citizen, "提交", "可选")
    assert "1/3" in step.content
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == LABOR_TEXT


async def test_a_new_description_says_the_earlier_draft_is_kept(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王大爷")
    first = await kit.say(citizen, LAND, lambda m: bool(m.buttons))
    told = await kit.say(citizen, LABOR_TEXT, "已保留")
    assert LAND[:10] in told.content
    # The earlier proposal still files the earlier text.
    await kit.press(citizen, first, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == LAND


async def test_a_draft_kept_in_its_steps_is_not_replaced_silently(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王大爷")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    action = citizen.send_text(DROWNING)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    # A new problem instead of 继续提交: the kept draft is named, with 继续提交.
    told = await kit.say(citizen, LAND, "还没有提交完")
    assert LABOR_TEXT[:10] in told.content
    await kit.press(citizen, told, "继续提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    texts = [c.original_text for c in await kit.cases()]
    assert texts == [DROWNING, LABOR_TEXT]


async def test_confirm_typed_at_a_warning_proposal_files_it(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, WARNING, "预警研判")
    action = officer.send_text("确认")
    await officer.wait_for_message(lambda m: "预警已报送" in m.content, WAIT, since=action)
    await kit.delivered()
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.original_text == WARNING
    shown = next(m for m in officer.transcript() if m.message_id == proposal.message_id)
    assert not shown.buttons  # the proposal's 确认 is answered
    said = [m.content for m in officer.transcript() if m.from_bot]
    assert not any("内容：确认" in m or "先报送刚才的预警吗" in m for m in said)


@pytest.mark.parametrize(("word", "filed"), [("报送", True), ("放弃", False)])
async def test_the_pending_question_answered_by_typing(kit: BotKit, word: str, filed: bool) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    await kit.say(officer, WARNING, "预警研判")
    await kit.say(officer, SECOND, "先报送刚才的预警吗")
    action = officer.send_text(word)
    second = await officer.wait_for_message(
        lambda m: "预警研判" in m.content and SECOND[:8] in m.content, WAIT, since=action
    )
    assert second.buttons
    stored = [c.original_text for c in await kit.cases()]
    assert stored == ([WARNING] if filed else [])
