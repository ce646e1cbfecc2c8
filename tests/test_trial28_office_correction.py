"""A citizen's 不是这个部门 / 不对 / 换一个 while a draft is open (dfx21, after trial 28 P7).

Since trial 28 P7 a short message sent soon after a proposal joins the draft (楼上漏水,
漏水三天了, 物业不管 are one problem). 不是这个部门 was joined too: the complaint read
「楼上漏水，不是这个部门」 and the office stayed. Now such a correction opens the
换一个部门 picker and the description stays as it was, at the proposal and at the
steps after 提交; a real detail (地址是和平路3号) still joins. The bot and the fake
Bot API end to end.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 2871
LEAK = "楼上漏水"
PICKER = "请选择负责的部门"


#: The service's own loggers (a library's DEBUG lines are not on in service).
OWN_LOGGERS = ("bot", "handlers", "storage", "nlp", "config")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _file(kit: BotKit, citizen: FakeUser, chosen: ChatMessage) -> None:
    """提交 under the chosen office, every step skipped."""
    await kit.press(citizen, chosen, "提交", "可选 1/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "提交成功")


@pytest.mark.parametrize("correction", ["不是这个部门", "不对", "换一个", "不对，应该是劳动局"])
async def test_a_correction_opens_the_office_picker_and_is_not_merged(
    kit: BotKit, correction: str
) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    proposal = await kit.say(citizen, LEAK, "提交")
    picker = await kit.say(citizen, correction, PICKER)
    assert "并入" not in picker.content and correction not in picker.content
    labor = kit.district.bureaus["labor"].name
    assert labor in [b["text"] for b in picker.buttons]
    # « 返回 brings the proposal back; the picker again from the proposal's own button.
    back = await kit.press(citizen, picker, "« 返回", "提交")
    assert f"您的描述：{LEAK}\n" in back.content
    again = await kit.say(citizen, correction, PICKER)
    chosen = await kit.press(citizen, again, labor, "提交")
    assert labor in chosen.content
    await _file(kit, citizen, chosen)
    (case,) = await kit.cases()
    assert case.original_text == LEAK and case.bureau == "labor"
    assert proposal.content != chosen.content


async def test_a_detail_still_joins_the_draft(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 1, "张大姐")
    await kit.say(citizen, LEAK, "提交")
    joined = await kit.say(citizen, "地址是和平路3号", "提交")
    assert "并入" in joined.content and PICKER not in joined.content
    assert "楼上漏水，地址是和平路3号" in joined.content


async def test_a_correction_at_a_step_goes_back_to_the_office_choice(
    kit: BotKit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    citizen = kit.user(CITIZEN + 2, "张大姐")
    proposal = await kit.say(citizen, LEAK, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "和平路3号", "可选 2/3")
    action = citizen.send_text("不是这个部门")
    paused = await kit.answer(citizen, action, "重新选择部门")
    assert paused.reply_markup == {"remove_keyboard": True}
    picker = await kit.answer(citizen, action, PICKER)
    labor = kit.district.bureaus["labor"].name
    chosen = await kit.press(citizen, picker, labor, "提交")
    await _file(kit, citizen, chosen)
    (case,) = await kit.cases()
    assert case.original_text == LEAK and case.bureau == "labor"
    # What was entered before the correction is kept (the step was skipped this time).
    assert case.address == "和平路3号"
    # The logs say what happened, never what the citizen wrote.
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.split(".")[0] in OWN_LOGGERS)
    for said in (LEAK, "和平路3号", "不是这个部门"):
        assert said not in ours
    assert "office corrected" in ours
