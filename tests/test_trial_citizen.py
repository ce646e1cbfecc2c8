"""Defects a citizen met in the trial of 6 Dec 2026 (trial notes item 9)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 1201
LABOR_TEXT = "公司拖欠我三个月工资不发，老板一直找借口"
WATER = "另外我们小区已经停水三天了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _at_photo_step(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")


async def test_trial_text_at_photo_step_added_to_the_description(kit: BotKit) -> None:
    await _at_photo_step(kit)
    citizen = kit.user(CITIZEN, "王芳")
    asked = await kit.say(citizen, "老板姓张，欠了两万多", "补充到本问题")
    assert "另一个问题" in str(asked.reply_markup)
    await kit.answer(citizen, citizen.press_reply_button("补充到本问题"), "已补充")
    await kit.say(citizen, "完成", "提交成功")
    (case,) = await kit.cases()
    assert LABOR_TEXT in case.original_text and "老板姓张，欠了两万多" in case.original_text


async def test_trial_text_at_photo_step_kept_as_the_next_problem(kit: BotKit) -> None:
    await _at_photo_step(kit)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.say(citizen, WATER, "补充到本问题")
    await kit.answer(citizen, citizen.press_reply_button("另一个问题"), "提交本问题后")
    action = citizen.send_text("完成")
    await citizen.wait_for_message(lambda m: "提交成功" in m.content, 10, since=action)
    nxt = await citizen.wait_for_message(lambda m: "提交" in str(m.buttons), 10, since=action)
    assert "停水" in nxt.content
    (case,) = await kit.cases()
    assert case.original_text == LABOR_TEXT


async def test_trial_unanswered_text_at_photo_step_is_not_lost(kit: BotKit) -> None:
    await _at_photo_step(kit)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.say(citizen, WATER, "补充到本问题")
    action = citizen.send_text("完成")
    await citizen.wait_for_message(lambda m: "提交成功" in m.content, 10, since=action)
    nxt = await citizen.wait_for_message(lambda m: "提交" in str(m.buttons), 10, since=action)
    assert "停水" in nxt.content
