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
from storage.enums import CaseStatus
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, resolved_request, sqlite_bot
from tests.botkit import resolve_as_chief as _resolve
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 3131
CHIEF = 3132


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _follow_up_notes(kit: BotKit, case_id: int) -> list[str | None]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent.note)
            .where(CaseEvent.case_id == case_id, CaseEvent.type == "followed_up")
            .order_by(CaseEvent.id)
        )
        return list(rows.all())


async def test_a_follow_up_typed_in_words_is_the_answer(kit: BotKit) -> None:
    chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)

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
