"""Trial 28 P8 and P9: the optional steps of a citizen's request.

P9: 「选择社区」 showed five communities and no way on for a citizen whose community
is not listed. The list now says an address can be typed and ends with
「不在列表中 / 跳过」.
P8: a sticker, a voice message or a location at the photo step got the idle chat's
answers, the location was thrown away and the 完成/跳过 keyboard vanished. Now the
step says in one line what it takes, keeps its keyboard, and a location becomes
the case's place. The bot, the fake Bot API and the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 2821


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_community_list_has_a_way_on(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    listing = await kit.say(citizen, "选择社区", "请选择社区")
    assert "直接输入地址" in listing.content
    labels = [b["text"] for b in listing.buttons]
    assert labels[-1] == "不在列表中 / 跳过" and len(labels) > 1
    await kit.press(citizen, listing, "不在列表中 / 跳过", "可选 2/3")
    assert "已跳过地点" in listing.content and not listing.buttons
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.address is None and case.latitude is None


async def test_the_photo_step_keeps_its_keyboard_and_takes_a_location(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    for send in (citizen.send_sticker, citizen.send_voice):
        told = await kit.answer(citizen, send(), lambda m: "这一步只收现场照片" in m.content)
        assert "表情" not in told.content and "语音" not in told.content
        assert "\n" not in told.content
    placed = await kit.answer(
        citizen, citizen.send_location(39.9087, 116.3975), lambda m: "已记录位置" in m.content
    )
    assert "事发地点" in placed.content and "提交问题时" not in placed.content
    assert await kit.cases() == []  # still at the photo step: nothing filed yet
    # The 完成 button is still on the keyboard, and the case keeps the location.
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.latitude == pytest.approx(39.9087)
    assert case.longitude == pytest.approx(116.3975)
