"""Trial 25 T7 (the bot's part): a self-harm message was run as an ordinary complaint —
a receipt with 办结时限, then the station's result text about 当事人 and a satisfaction
survey of the person's own crisis.

The receipt says people will call and gives the crisis line, with no deadlines; 办结
closes the case at once with a human word and the line again — no result text, no
survey buttons, no follow-up timer, no ``followed_up`` event. Other requests are
unchanged (tests/test_bot_citizen.py and the follow-up tests).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import CaseStatus, Role
from storage.models import Timer
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import events_of

CITIZEN = 2591
POLICE = 2592
WORDS = "我不想活了，活着太累了"
RESULT = "已上门核实，当事人情绪稳定，已联系家属陪护"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_self_harm_case_gets_care_not_a_survey(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小李")
    action = citizen.send_text(WORDS)
    hotline = kit.district.crisis_hotline
    await citizen.wait_for_message(lambda m: hotline in m.content, WAIT, since=action)
    receipt = await citizen.wait_for_message(
        lambda m: "工作人员会尽快联系您" in m.content, WAIT, since=action
    )
    assert hotline in receipt.content and "办结时限" not in receipt.content
    assert "想说什么随时发消息给我们" in receipt.content  # the chat is where they can write
    assert not any("已登记" in m.content for m in citizen.transcript() if m.from_bot)
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "critical" and number in receipt.content

    card = await police.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    await kit.callback_answer(police.press(card, "签收"))
    await police.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    prompt = await kit.press(police, card, "办结", "办结说明")
    # The person gets no result text: the prompt does not promise it (trial 29 #13).
    assert "将告知反映人" not in prompt.content
    assert "不转告反映人" in prompt.content and "不发起回访" in prompt.content
    await kit.say(police, RESULT, "办结类型")
    await kit.say(police, "实际解决", "已办结")

    told = await citizen.wait_for_message(lambda m: "已经跟进了您的求助" in m.content, WAIT)
    assert hotline in told.content and not told.buttons
    await kit.delivered()
    seen = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any(RESULT in t or "满意" in t or "解决了吗" in t for t in seen)
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.CLOSED
    types = [e.type for e in await events_of(kit, case.id)]
    assert types[-2:] == ["resolved", "closed"] and "followed_up" not in types
    async with kit.db.session() as s:
        timers = (
            await s.scalars(
                select(Timer).where(
                    Timer.case_id == case.id,
                    Timer.fired_at.is_(None),
                    Timer.cancelled_at.is_(None),
                )
            )
        ).all()
    assert list(timers) == []
