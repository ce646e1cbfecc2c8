"""Review 32 S12: a self-harm reporter's words are no typed 回访 answer.

Stop 32 moved the typed-回访 reader ahead of the crisis route: someone whose self-harm
case was open and who had another case waiting for 回访 wrote 谢谢你们 我要走了 — the
waiting case was closed as 已解决·满意 and the words never reached the people handling
the crisis; 还是没解决 我真的撑不下去了 reopened the routine case instead. Now such words
go to the self-harm case (its helpers told, the human answer with the crisis line), and
the waiting case keeps its 回访 buttons.
"""

from __future__ import annotations

import pytest

from storage.enums import CaseStatus, Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, FakeUser, said_since
from tests.criticalkit import police_chief
from tests.test_trial31_follow_up_in_words import _follow_up_notes, _resolve
from tests.test_trial_defects import LABOR_TEXT, events_of, file_request

CITIZEN = 3241
CHIEF = 3242
POLICE = 3243
SELF_HARM_TEXT = "活着太累了 今晚就从楼上跳下去 不想再拖累爸妈"


async def _waiting_and_in_crisis(kit: BotKit) -> tuple[FakeUser, FakeUser, Case, Case]:
    """A labour case waits for its 回访; then its reporter writes of harming themselves."""
    police = await police_chief(kit, POLICE)
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小周")
    routine = await file_request(kit, citizen, LABOR_TEXT)
    await _resolve(kit, chief, citizen, routine.id)
    action = citizen.send_text(SELF_HARM_TEXT)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    crisis = (await kit.cases())[-1]
    assert crisis.id != routine.id
    return citizen, police, routine, crisis


@pytest.mark.parametrize("words", ["谢谢你们 我要走了", "还是没解决 我真的撑不下去了"])
async def test_farewell_words_reach_the_crisis_helpers_not_the_follow_up(
    kit: BotKit, words: str
) -> None:
    citizen, police, routine, crisis = await _waiting_and_in_crisis(kit)
    action = citizen.send_text(words)
    await citizen.wait_for_message(
        lambda m: kit.district.crisis_hotline in m.content, WAIT, since=action
    )
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("回访" in m or "满意" in m for m in said), said
    # The waiting case is untouched: still waiting, no answer recorded.
    assert (await kit.case(routine.id)).status == CaseStatus.RESOLVED
    assert await _follow_up_notes(kit, routine.id) == []
    # The words are a 补充说明 on the self-harm case, and its helpers hear them.
    notes = [e.note for e in await events_of(kit, crisis.id) if e.type == "note_added"]
    assert notes == [words]
    await police.wait_for_message(lambda m: words in m.content, WAIT)


async def test_not_solved_with_self_harm_words_answers_no_follow_up(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小周")
    routine = await file_request(kit, citizen, LABOR_TEXT)
    await _resolve(kit, chief, citizen, routine.id)
    await kit.say(citizen, "还是没解决 我不想活了", kit.district.crisis_hotline)
    assert (await kit.case(routine.id)).status == CaseStatus.RESOLVED
    assert await _follow_up_notes(kit, routine.id) == []
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical"
    await police.wait_for_message(lambda m: (cases[-1].number or "?") in m.content, WAIT)


async def test_plain_follow_up_words_still_answer_once_no_crisis_is_open(kit: BotKit) -> None:
    """The guard is for a person in crisis only: 还没拿到钱呢 still reopens (trial 31 #13)."""
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王大爷")
    routine = await file_request(kit, citizen, LABOR_TEXT)
    await _resolve(kit, chief, citizen, routine.id)
    told = await kit.say(citizen, "还没拿到钱呢", "回访")
    assert "未解决" in told.content
    assert (await kit.case(routine.id)).status == CaseStatus.REOPENED
