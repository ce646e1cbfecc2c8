"""Trial 25 T7: someone who writes of self-harm is not run through a complaint's routine.

After the crisis line they get a receipt without deadlines; when the station
closes the case they get a human word and the crisis line again, never the
station's note about them nor a satisfaction survey; /status shows neither.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2521
POLICE = 2522
TEXT = "我不想活了，活着太累了"
NOTE = "已上门核实，当事人情绪稳定，已联系家属陪护"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_self_harm_gets_care_not_a_deadline_or_a_survey(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(TEXT)
    await kit.answer(citizen, action, "12356")
    receipt = await kit.answer(citizen, action, "已登记")
    assert "办结时限" not in receipt.content and "12356" in receipt.content
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id

    card = await police.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    await kit.callback_answer(police.press(card, "签收"))
    await police.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(police, card, "办结", "办结说明")
    await kit.say(police, NOTE, "办结类型")
    await kit.say(police, "实际解决", "已办结")

    closing = await citizen.wait_for_message(lambda m: "工作人员已跟进" in m.content, WAIT)
    assert "12356" in closing.content and not closing.buttons
    await kit.delivered()
    said = [m for m in citizen.transcript() if m.from_bot]
    for m in said:
        assert "当事人" not in m.content and "满意" not in m.content, m.content
        assert "办结时限" not in m.content, m.content
    assert not any("满意" in str(m.buttons) for m in said)
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.RESOLVED and stored.resolution_note == NOTE

    status = await kit.say(citizen, "/status", number)
    assert "当事人" not in status.content and "办结时限" not in status.content
