"""Trial 31 #13: a follow-up (回访) answered in words was lost.

After 办结 the citizen typed 还没拿到钱呢 窗口说要等 instead of pressing 未解决: a new
problem was proposed and the case stayed 办结. After the second 办结, 满意 谢谢你们 got
不客气 and the survey stayed unanswered. Now, while the 回访 waits, such a reply is its
answer: not solved reopens the case with the words for the unit, satisfied closes it.
A new problem typed while the 回访 waits is still a new problem.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import CaseStatus, Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, FakeUser, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 3131
CHIEF = 3132


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _resolve(kit: BotKit, chief: FakeUser, citizen: FakeUser, case_id: int) -> None:
    case = await kit.case(case_id)
    await card_of(chief, case)
    number = case.number or ""
    card = [
        m
        for m in chief.transcript()
        if m.content.startswith("【") and number in m.content and m.buttons
    ][-1]
    if "签收" in [b["text"] for b in card.buttons]:
        await kit.callback_answer(chief.press(card, "签收"))
        card = await chief.wait_for_message(
            lambda m: number in m.content and "办结" in [b["text"] for b in m.buttons], WAIT
        )
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发工资", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    assert (await kit.case(case_id)).status == CaseStatus.RESOLVED


async def _follow_up_notes(kit: BotKit, case_id: int) -> list[str | None]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent.note)
            .where(CaseEvent.case_id == case_id, CaseEvent.type == "followed_up")
            .order_by(CaseEvent.id)
        )
        return list(rows.all())


async def test_a_follow_up_typed_in_words_is_the_answer(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王大爷")
    case = await file_request(kit, citizen, LABOR_TEXT)
    await _resolve(kit, chief, citizen, case.id)

    # A new problem while the 回访 waits: proposed as a new problem, the case untouched.
    proposal = await kit.say(citizen, "我家楼下的路灯坏了一个星期", "提交")
    assert "回访" not in proposal.content
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED

    told = await kit.say(citizen, "还没拿到钱呢 窗口说要等", "回访")
    assert case.number in told.content and "未解决" in told.content
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED
    assert await _follow_up_notes(kit, case.id) == ["还没拿到钱呢 窗口说要等"]
    # The unit hears the words, as after the 未解决 button.
    await chief.wait_for_message(lambda m: "还没拿到钱呢" in m.content, WAIT)

    await _resolve(kit, chief, citizen, case.id)
    thanked = await kit.say(citizen, "满意 谢谢你们", "回访")
    assert "已解决·满意" in thanked.content and "不客气" not in thanked.content
    closed = await kit.case(case.id)
    assert closed.status == CaseStatus.CLOSED
    assert len(await _follow_up_notes(kit, case.id)) == 2
    # With nothing waiting, thanks are small talk again.
    again = await kit.say(citizen, "谢谢你们")
    assert "回访" not in again.content
    assert len(await kit.cases()) == 1
