"""b33 #1: a farewell in aftercare closes no 回访; it reaches the crisis path.

Someone whose self-harm case was closed (办结 with care) less than 30 days ago, with
another case waiting for its 回访, wrote 谢谢你们 我要走了: the waiting case was closed
as 已解决·满意 and nobody who had helped them heard of it. A farewell in aftercare is a
danger sign: the person gets the crisis line first, the unit that owned the self-harm
case is alerted (the words recorded on that case), and no waiting 回访 is answered.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, said_since
from tests.test_pf30_crisis_aftercare import POLICE, closed_crisis
from tests.test_trial31_follow_up_in_words import _follow_up_notes, _resolve
from tests.test_trial_defects import LABOR_TEXT, events_of, file_request

CITIZEN = 3331
CHIEF = 3332


async def _aftercare_with_a_follow_up_waiting(kit: BotKit) -> tuple[int, int]:
    """The crisis case closed with care, then a labour case resolved, its 回访 waiting."""
    citizen = kit.user(CITIZEN, "小周")
    crisis = await closed_crisis(kit, citizen)
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    routine = await file_request(kit, citizen, LABOR_TEXT)
    await _resolve(kit, chief, citizen, routine.id)
    return crisis.id, routine.id


@pytest.mark.parametrize("words", ["谢谢你们 我要走了", "满意，谢谢，以后不会再麻烦你们了"])
async def test_a_farewell_in_aftercare_reaches_the_crisis_path(kit: BotKit, words: str) -> None:
    crisis_id, routine_id = await _aftercare_with_a_follow_up_waiting(kit)
    citizen = kit.user(CITIZEN, "小周")
    police = kit.user(POLICE, "")
    action = citizen.send_text(words)
    await citizen.wait_for_message(
        lambda m: kit.district.crisis_hotline in m.content, WAIT, since=action
    )
    await kit.handled(action)
    await kit.delivered()
    said = said_since(citizen, action)
    # The line first; never a 回访 answer.
    assert said[0].startswith("⚠️") and "110" in said[0], said
    assert not any("满意" in m or "回访" in m or "已结案" in m for m in said), said
    assert (await kit.case(routine_id)).status == CaseStatus.RESOLVED
    assert await _follow_up_notes(kit, routine_id) == []
    # The unit that owned the self-harm case is alerted with the words, recorded there.
    notes = [e for e in await events_of(kit, crisis_id) if e.type == "note_added"]
    assert [e.note for e in notes] == [words]
    assert (notes[0].data or {}).get("aftercare") is True
    crisis = await kit.case(crisis_id)
    await police.wait_for_message(
        lambda m: words in m.content and (crisis.number or "?") in m.content, WAIT
    )
    assert crisis.status == CaseStatus.CLOSED


async def test_after_aftercare_the_words_answer_the_follow_up(kit: BotKit) -> None:
    """30 days after the crisis case closed (service clock), 满意 谢谢 closes as before."""
    _, routine_id = await _aftercare_with_a_follow_up_waiting(kit)
    kit.clock.advance(timedelta(days=31))
    citizen = kit.user(CITIZEN, "小周")
    told = await kit.say(citizen, "满意 谢谢你们", "回访")
    assert "满意" in told.content
    assert (await kit.case(routine_id)).status == CaseStatus.CLOSED
