"""Review 35a: /warn's head-count step danger first (F1); a correction's full words kept (F2);
the split denial question keyed per message (F3) and naming the case's own number (F4).

The bot over the fake Bot API; what the users read and what is stored.
"""

from __future__ import annotations

from sqlalchemy import select

from storage.models import CaseEvent
from tests.botkit import BotKit, said_since
from tests.test_stop35_split_denial import _split_fight
from tests.test_stop35_warning_step_fix import _filed


async def _notes(kit: BotKit, case_id: int) -> list[str]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == "note_added")
        )
        return [str(e.note) for e in rows.all()]


async def test_danger_with_a_head_count_is_danger_first(kit: BotKit) -> None:
    """F1: danger with a count at the head-count step: the line, a critical filing, words kept."""
    officer, case_id = await _filed(kit, 3581)
    await kit.say(officer, "站点门口", "多少人")
    danger = "不对，是五十多人，有人拿刀砍人"
    action = officer.send_text(danger)
    await kit.handled(action)
    said = said_since(officer, action)
    assert any("110" in m for m in said), said
    cases = await kit.cases()
    assert len(cases) == 2, cases
    filed = cases[-1]
    assert filed.severity == "critical" and "拿刀砍人" in filed.original_text
    assert (await kit.case(case_id)).head_count == 20  # the draft kept, not set from the danger
    # A plain count is still the step's answer.
    await kit.say(officer, "五十多人", "照片")
    assert (await kit.case(case_id)).head_count == 50


async def test_a_correction_keeps_the_words_and_the_old_place(kit: BotKit) -> None:
    """F2: 人数是五十人，另外… keeps the officer's words; a correction keeps the old value."""
    officer, case_id = await _filed(kit, 3582)
    await kit.say(officer, "站点门口", "多少人")
    words = "不对，人数是五十人，另外还有两名老人行动不便"
    action = officer.send_text(words)
    await kit.handled(action)
    case = await kit.case(case_id)
    assert case.head_count == 50
    notes = await _notes(kit, case_id)
    assert any("两名老人行动不便" in n for n in notes), notes
    await kit.say(officer, "改一下地点", "正确的发生地点")
    await kit.say(officer, "创业社区东门外卖站点", "照片")
    assert (await kit.case(case_id)).address == "创业社区东门外卖站点"
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == "details_added")
        )
        data = [e.data or {} for e in rows.all()]
    assert {"place": "创业社区东门外卖站点", "was_place": "站点门口"} in data, data
    assert any(d.get("was_head_count") == 20 and d.get("head_count") == 50 for d in data), data
    # A plain correction adds no note of its own (its 已更正 says it all).
    assert len(await _notes(kit, case_id)) == 1


MIXED = "第2件不是我反映的，另外我家楼上卫生间漏水好几天了"
MIXED_TOO = "第2件不是我反映的，还有小区门口的垃圾好几天没人清运"


async def test_the_question_names_the_case_number(kit: BotKit) -> None:
    """F4: the question and its button name the case's own number, never 第2件 guessed."""
    _, citizen, _, new, _ = await _split_fight(kit, 3583)
    action = citizen.send_text(MIXED.replace("第2件", "第3件"))
    asked = await kit.answer(citizen, action, "还是一件新的事")
    await kit.handled(action)
    assert "第2件" not in asked.content and new.number in asked.content
    labels = [b["text"] for b in asked.buttons]
    assert labels == [f"是对{new.number}的说明", "是一件新的事"]


async def test_two_questions_are_both_kept(kit: BotKit) -> None:
    """F3: a second mixed message never overwrites the first question: both are answered."""
    _, citizen, _, new, _ = await _split_fight(kit, 3584)
    first = citizen.send_text(MIXED)
    asked_first = await kit.answer(citizen, first, "还是一件新的事")
    await kit.handled(first)
    second = citizen.send_text(MIXED_TOO)
    asked_second = await kit.answer(citizen, second, "还是一件新的事")
    await kit.handled(second)
    proposal = await kit.press(citizen, asked_first, "是一件新的事", "您的描述")
    assert "漏水" in proposal.content
    await kit.say(citizen, "/cancel", "")
    proposal = await kit.press(citizen, asked_second, "是一件新的事", "您的描述")
    assert "垃圾" in proposal.content
    assert (await kit.case(new.id)).status != "withdrawn"
