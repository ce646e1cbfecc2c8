"""Trial 30 #5: summary readers keep a danger's urgency and its kind, and 签收 decides 处置.

The office, the 属地 station and 督查督办中心 read every self-harm family's case as
「来件反映有人流露轻生念头」 — an unconscious mother who took a bottle of sleeping pills,
a father who drank pesticide, a grandmother who ate rat poison by mistake — and a
writer's own threat to jump as 「已由…紧急处置」, also on 【上报督办】…超时未签收 for a
case nobody had signed. Now the summary says what happened and that life is at risk,
names an accident as such, and says 尚未签收 until someone of the owner signs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICE = 3011
SUPERVISION = 3012
POLICE = 3013
CITIZENS = 3020
CASES: dict[str, str | None] = {
    "我媽吃了一整瓶安眠藥，叫不醒了😭": "服药过量或中毒",
    "我爸刚才喝了农药": "服药过量或中毒",
    # A poison swallowed by mistake is no self-harm since i13jj (trial 30 #18): no private
    # disclosure, so the district reads the words themselves, never labelled 轻生 or 自伤.
    "奶奶误吃了老鼠药": None,
    "我不想活了，今晚就从楼上跳下去": "轻生念头",
}


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


def _about(user: FakeUser, number: str) -> list[str]:
    return [m.content for m in user.transcript() if m.from_bot and number in m.content]


async def test_summaries_keep_the_kind_and_say_unsigned(kit: BotKit) -> None:
    office = kit.user(OFFICE, "群工办主任")
    await kit.bind(office, kit.district.leadership, Role.CHIEF)
    supervision = kit.user(SUPERVISION, "督办中心")
    await kit.bind(supervision, kit.district.supervision, Role.CHIEF)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    numbers: dict[str, str] = {}
    for i, text in enumerate(CASES):
        citizen = kit.user(CITIZENS + i, f"群众{i}")
        await kit.answer(citizen, citizen.send_text(text), "紧急情况已记录")
        case = (await kit.cases())[-1]
        assert case.severity == "critical" and case.original_text == text
        numbers[text] = case.number or ""
    await kit.delivered()

    for text, gist in CASES.items():
        number = numbers[text]
        card = await office.wait_for_message(_naming(number), WAIT)
        if gist is None:
            assert text in card.content, card.content
            assert "轻生" not in card.content and "自伤" not in card.content, card.content
            continue
        assert gist in card.content, card.content
        assert "有生命危险" in card.content or "情况紧急" in card.content
        assert "尚未签收" in card.content and "紧急处置" not in card.content
        if gist != "轻生念头":
            assert "轻生" not in card.content, card.content
        assert text not in card.content  # still a summary

    # Nobody signs: the 签收时限 passes and the cases go to 督查督办中心.
    scheduler = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    for _ in range(3):
        kit.clock.advance(timedelta(minutes=30))
        await scheduler.run_due()
    await kit.delivered()
    for text in CASES:
        case = next(c for c in await kit.cases() if c.number == numbers[text])
        assert case.acknowledged_at is None and case.escalation_level >= 1
        told = _about(supervision, numbers[text]) + _about(office, numbers[text])
        escalated = [t for t in told if t.startswith("【上报督办】")]
        assert escalated, told
        for t in escalated:
            assert "超时未签收" in t and "无人签收" in t, t
        for t in told:
            assert "紧急处置" not in t, t

    # The police sign the jump (a poisoning is the health bureau's since i13jj): its summary
    # readers now read that it is signed.
    first = "我不想活了，今晚就从楼上跳下去"
    chief = await kit.person(POLICE)
    assert chief is not None
    case = next(c for c in await kit.cases() if c.number == numbers[first])
    await kit.runtime.cases.acknowledge(case.id, chief.id)
    view = await kit.runtime.cases.get_case_view(case.id, (await _person_id(kit, OFFICE)))
    assert "已签收" in view.text and "尚未签收" not in view.text


def _naming(number: str) -> Callable[[ChatMessage], bool]:
    def naming(message: ChatMessage) -> bool:
        return number in message.content

    return naming


async def _person_id(kit: BotKit, telegram_id: int) -> int:
    person = await kit.person(telegram_id)
    assert person is not None
    return person.id
