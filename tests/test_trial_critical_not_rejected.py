"""Trial 25 T5: the desk could close a critical emergency as 不予受理 in one tap.

A critical case (a danger to life) at the desk — here one the police returned (退单) —
offers the desk's chief no 不予受理, and the service refuses it (the dashboard's action
too) with what to do instead: dispatch it for the owning unit to verify and close. A
case that is not critical is still closable so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.lifecycle import CaseError
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_police, police_chief

CITIZEN = 2561
POLICE = 2562
DESK = 2563


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_critical_case_at_the_desk_cannot_be_rejected(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    desk = kit.user(DESK, "分派台主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    filed = await critical_case_at_police(kit, kit.user(CITIZEN, "王芳"), police)
    case, number, card = filed.case, filed.number, filed.card

    copy = await desk.wait_for_message(lambda m: number in m.content, WAIT)
    assert not copy.buttons
    await kit.press(police, card, "退单", "退单理由")
    await kit.say(police, "地址不在本辖区，请重新派单", "已退单")
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.RETURNED
    assert stored.owning_unit_id == kit.district.dispatcher

    # The desk held a read-only copy: it stays so, and the card comes as a new message.
    desk_card = await desk.wait_for_message(
        lambda m: m.content.startswith("【群众诉求】") and number in m.content and m.buttons, WAIT
    )
    assert desk_card.message_id > copy.message_id
    await kit.delivered()
    assert not copy.buttons and "特别重大" in copy.content
    assert "不予受理" not in [b["text"] for b in desk_card.buttons]
    assert "综合职能" in [b["text"] for b in desk_card.buttons]
    chief = await kit.person(DESK)
    assert chief is not None
    with pytest.raises(CaseError) as refused:
        await kit.runtime.cases.reject(case.id, chief.id, "无法识别的信息")
    assert refused.value.code == "illegal_transition"
    assert "涉及人身安全" in refused.value.message and "派单" in refused.value.message
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.RETURNED and "rejected" not in await kit.events(case.id)
