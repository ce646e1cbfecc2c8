"""pf29 defect 3: a 办理记录 reaches the case's other holders.

The owning station's chief replied to the card (已派网格员上门…): the note was kept on
the case, but the escalation chief who holds the case after 上报 heard nothing until
they opened the timeline. Now every other handler who holds the case gets it as a
【办理记录】 notice, as they get the reporter's 补充说明; the writer is told so, and the
citizen still reads nothing of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, escalated, note_on_card, sqlite_bot
from tests.test_trial_defects import file_request

WAGES = "单位不给交社保，已经两年了，老板说我是临时工"
NOTE = "已约谈用人单位，下周一前补缴"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_note_reaches_the_escalation_chief_not_the_citizen(kit: BotKit) -> None:
    chief = kit.user(2971, "杨站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    colleague = kit.user(2972, "劳动站干事")
    await kit.bind(colleague, "labor", Role.STAFF)
    citizen = kit.user(2973, "群众")
    case = await file_request(kit, citizen, WAGES)
    assert case.owning_unit_id == "labor"
    number = case.number or ""
    _, _, supervisor = await escalated(kit, case, 2971, 2974, "督办中心主任")
    card = await chief.wait_for_message(lambda m: number in m.content and bool(m.buttons), WAIT)

    kept = await note_on_card(kit, chief, card, number, NOTE)
    assert "其他单位" in kept.content
    await kit.delivered()
    for holder in (supervisor, colleague):
        told = await holder.wait_for_message(lambda m: m.content.startswith("【办理记录】"), WAIT)
        assert number in told.content and NOTE in told.content, told.content
        assert "杨站长" in told.content
    # The writer gets no copy of their own note; the citizen reads none of it.
    assert not any(m.content.startswith("【办理记录】") for m in chief.transcript())
    assert not any(NOTE in m.content for m in citizen.transcript() if m.from_bot)
    assert (await kit.events(case.id))[-1] == "staff_note"
    # The notice names the case: a reply to it is a note on that case too.
    told = await supervisor.wait_for_message(lambda m: m.content.startswith("【办理记录】"), WAIT)
    await note_on_card(kit, supervisor, told, number, "请本周内反馈补缴凭证")
    await kit.delivered()
    back = await chief.wait_for_message(lambda m: "请本周内反馈补缴凭证" in m.content, WAIT)
    assert back.content.startswith("【办理记录】") and number in back.content
