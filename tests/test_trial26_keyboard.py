"""Trial 26 T6: the emergency's 📍/跳过 reply keyboard goes when its step ends.

A citizen reports danger now and leaves the place-and-phone step unanswered; the case
is handled, 办结 and rated. What they write next is a new problem, read as such, and the
keyboard is gone from their phone. It also goes when the step is left for another
problem, and a location shared when no step waits for it takes a stale keyboard away.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 2661
POLICE = 2662
JUMPER = "河边有人落水了，快来人救命"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _emergency(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(JUMPER)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    assert kit.fake.reply_keyboard(CITIZEN) is not None  # 📍 / 跳过 on screen


async def test_the_keyboard_goes_once_the_case_is_closed(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    await _emergency(kit)
    citizen = kit.user(CITIZEN, "王芳")
    (case,) = await kit.cases()
    card = await police.wait_for_message(
        lambda m: (case.number or "") in m.content and "签收" in str(m.buttons), WAIT
    )
    await kit.callback_answer(police.press(card, "签收"))
    await police.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(police, card, "办结", "办结说明")
    await kit.say(police, "已到现场劝下当事人，已交家属看护", "办结类型")
    await kit.say(police, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    await kit.press(citizen, question, "满意", "感谢")

    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    assert "劳动" in proposal.content
    assert kit.fake.reply_keyboard(CITIZEN) is None
    stored = await kit.case(case.id)
    assert stored.address is None  # the new problem was not taken for the place


async def test_the_keyboard_goes_when_another_problem_is_written(kit: BotKit) -> None:
    await _emergency(kit)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.say(citizen, "我们小区路灯坏了好几天了，晚上出门很不方便", lambda m: bool(m.buttons))
    assert kit.fake.reply_keyboard(CITIZEN) is None


async def test_a_location_shared_with_no_step_waiting_takes_the_keyboard_away(
    kit: BotKit,
) -> None:
    await _emergency(kit)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.say(citizen, "/start", "您好")
    assert kit.fake.reply_keyboard(CITIZEN) is None
    await kit.answer(citizen, citizen.send_location(latitude=30.1, longitude=120.2), "收到位置")
    assert kit.fake.reply_keyboard(CITIZEN) is None
