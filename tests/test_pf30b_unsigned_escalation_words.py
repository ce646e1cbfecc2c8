"""Trial 30 #12: a citizen in danger whose case nobody signs hears plain words.

隔壁着火了！！浓烟很大, nobody signs, an hour passes twice: the citizen got
「您的诉求（MQ…）已提交督查督办中心督办。」 and then
「…已提交区委群众工作委员会办公室（群工办）督办。」
— no word that nobody has answered, no reminder to call 119. Now each escalation for
a missed 签收 tells them 「承办单位还未回应，已报告上级催办；如仍有危险请立即拨打119（火警）」.
Once signed, a later escalation (办理超期) keeps the usual 督办 notice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 3051
FIRE = "隔壁着火了！！浓烟很大"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_unsigned_escalations_in_plain_words(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await kit.answer(citizen, citizen.send_text(FIRE), "119")
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    seen = len(citizen.transcript())

    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    for _ in range(2):
        kit.clock.advance(timedelta(hours=1))
        await scheduler.run_due()
    await kit.delivered()
    case = await kit.case(case.id)
    assert case.escalation_level == 2 and case.acknowledged_at is None
    told = [m.content for m in citizen.transcript()[seen:] if m.from_bot]
    plain = [t for t in told if "还未回应" in t]
    assert len(plain) == 2, told
    for t in plain:
        assert t == (
            f"您反映的紧急情况（{case.number}）承办单位还未回应，已报告上级催办；"
            "如仍有危险请立即拨打119（火警）。"
        )
    assert not any("督办" in t for t in told), told
