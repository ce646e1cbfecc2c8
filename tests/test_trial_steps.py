"""Found in the product trial of stop 22: a sticker or a voice message at a step of the
guided warning was answered 请按提示发送文字，或点「跳过」 at every step — at the photo step
(which wants photos), before 确认 (where the warning is not sent yet and nothing can be
skipped) and at the first step (no 跳过 either)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER = 3401
CROWD = "小区业主五十余人拉横幅聚集维权"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_trial_non_text_at_each_warning_step_is_told_what_that_step_wants(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    first = await kit.answer(officer, officer.send_sticker(), "请用文字描述预警情况")
    assert "跳过" not in first.content
    proposal = await kit.say(officer, CROWD, "预警研判")
    before = await kit.answer(officer, officer.send_voice(), "还没有报送")
    assert "「确认」" in before.content and "跳过" not in before.content
    await kit.press(officer, proposal, "确认", "可选 1/3")
    await kit.say(officer, "跳过", "可选 2/3")
    await kit.say(officer, "跳过", "可选 3/3")
    photos = await kit.answer(officer, officer.send_sticker(), "请发送现场照片")
    assert "「完成」" in photos.content
    done = await kit.say(officer, "完成", "补充完毕")
    assert "预警已报送" in done.content
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.original_text == CROWD
    await officer.wait_for_message(lambda m: "预警已报送" in m.content, WAIT)


async def test_trial_an_older_warning_proposal_cannot_file_the_newer_text(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    first = await kit.say(officer, "两户村民因宅基地边界吵架", "预警研判")
    ok = first.callback_data("确认")
    # A new text does not drop the proposal: asked first (trial 24 T4), 放弃 replaces it.
    question = await kit.say(officer, CROWD, "先报送刚才的预警吗")
    second = await kit.press(
        officer, question, "放弃", lambda m: "预警研判" in m.content and m is not first
    )
    # The proposal the new text replaced loses its buttons ...
    await officer.wait_for_message(lambda m: m is first and not m.buttons, WAIT)
    # ... and its 确认, pressed all the same (an old client), files nothing.
    late = kit.fake.press_button(OFFICER, first.message_id, ok, strict=False)
    assert "较早的预警研判" in await kit.callback_answer(late)
    assert await kit.cases() == []
    await kit.press(officer, second, "确认", "预警已报送")
    (case,) = await kit.cases()
    assert case.original_text == CROWD
    # The confirmed proposal says so, instead of still asking to confirm.
    confirmed = await officer.wait_for_message(
        lambda m: m is second and "已确认，预警已报送" in m.content, WAIT
    )
    assert "请确认" not in confirmed.content and not confirmed.buttons
