"""pf30 #4 (trial finding #11): the units a case is escalated to see the phone masked.

A citizen's phone number was shown in full to every escalation level (the
supervision centre's chief got 13912345678 on the 【上报督办】 card) although they
supervise the owning station and never call the reporter. Now their card reads
``139****5678`` (the contact field and a number in the text alike, as Open311's
public list masks them); the owning station's handlers still read it in full, and the
database keeps it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 3041
CHIEF = 3042
CENTRE = 3043
PHONE = "13912345678"
IN_TEXT = "13812345678"
MASKED = "139****5678"
TEXT = f"单位拖欠我三个月工资，老板电话{IN_TEXT}一直不接"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_an_escalation_level_reads_the_phone_masked(kit: BotKit) -> None:
    centre = kit.user(CENTRE, "督办中心")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, TEXT, lambda m: "提交" in str(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, PHONE, "可选 3/3")
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    assert case.contact_phone == PHONE and IN_TEXT in case.original_text
    owner = kit.user(CHIEF, "站长")
    await kit.bind(owner, case.owning_unit_id, Role.CHIEF)
    chief = await kit.person(CHIEF)
    assert chief is not None
    assert kit.runtime.cases.next_level(case) == kit.district.supervision

    await kit.runtime.cases.escalate(case.id, chief.id, "企业拒不配合，请求督办")
    kit.runtime.outbox_written()
    await kit.delivered()
    number = case.number or ""
    card = await centre.wait_for_message(
        lambda m: number in m.content and "联系" in m.content, WAIT
    )
    seen = "\n".join(m.content for m in centre.transcript() if number in m.content)
    assert MASKED in card.content
    assert PHONE not in seen and IN_TEXT not in seen, seen
    assert "138****5678" in seen

    # The owning station calls back: its card has both numbers in full.
    own = await owner.wait_for_message(lambda m: number in m.content and PHONE in m.content, WAIT)
    assert IN_TEXT in own.content
    case = await kit.case(case.id)
    assert case.escalated_to_unit_id == kit.district.supervision
    assert case.contact_phone == PHONE
