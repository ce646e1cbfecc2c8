"""Found in the product trial of stop 22: a warning the officer lowered from 特别重大 to
一般 reached the chief as an ordinary 一般 card, with no word that the rules had rated it
特别重大 nor why it was lowered. (Since then a critical level goes no lower than 较大.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.lowering import file_lowered

SEVERITY = {"较大": "medium", "重大": "high"}

OFFICER = 3301
CHIEF = 2301
KNIFE = "村民老刘拿着刀在村委会门口说要砍人"
CROWD = "小区业主五十余人拉横幅聚集维权"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _file(kit: BotKit, text: str, level: str, reason: str | None) -> None:
    officer = kit.user(OFFICER, "张信息员")
    if reason is not None:  # a critical one is filed at once by the bot (trial 26 T24)
        await file_lowered(kit, officer, text, SEVERITY[level], reason)
        return
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, text, "预警研判")
    await kit.press(officer, proposal, "更改等级", lambda m: m is proposal and len(m.buttons) >= 4)
    if reason is None:
        await kit.press(
            officer, proposal, level, lambda m: m is proposal and "确认" in str(m.buttons)
        )
    else:
        await kit.press(officer, proposal, level, "须说明理由")
        # The proposal comes again, with the reason, as a new message.
        proposal = await kit.say(officer, reason, lambda m: "确认" in str(m.buttons))
    await kit.press(officer, proposal, "确认", "预警已报送")


async def test_trial_the_chief_is_told_a_critical_warning_was_lowered_and_why(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    boss = kit.user(CHIEF, "杨站长")
    await kit.bind(boss, "dongcheng", Role.CHIEF)
    await _file(kit, KNIFE, "较大", "刀是玩具，已核实")
    (case,) = await kit.cases()
    assert case.severity == "medium"
    number = case.number or ""
    card = await boss.wait_for_message(lambda m: m.content.startswith("【预警信息】"), WAIT)
    told = await boss.wait_for_message(lambda m: m.content.startswith("【定级说明】"), WAIT)
    assert number in told.content and "“特别重大”下调为“较大”" in told.content
    assert "下调理由：刀是玩具，已核实" in told.content and "砍人" in told.content
    # It comes after the card and carries the card's buttons, so the chief can act on it.
    replies = [m for m in boss.transcript() if m.from_bot]
    assert replies.index(card) < replies.index(told)
    assert not told.buttons  # information only, no stale case buttons (trial 27 N2)


async def test_trial_a_raised_warning_sends_no_lowering_notice(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    boss = kit.user(CHIEF, "杨站长")
    await kit.bind(boss, "dongcheng", Role.CHIEF)
    await _file(kit, CROWD, "特别重大", None)
    await boss.wait_for_message(lambda m: m.content.startswith("【预警信息】"), WAIT)
    await kit.delivered()
    assert not [m for m in boss.transcript() if "【定级说明】" in m.content]
