"""Review 3 P1 / P4: an unclear 回访 answer reaches the station at once; a plain 没解决
beside an unsure word is 未解决 (the case reopens); danger is read first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nlp.follow_up import follow_up_answer
from storage.enums import CaseStatus
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, resolved_request
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 3531
CHIEF = 3532


async def test_unclear_words_reach_the_station_before_any_confirmation(kit: BotKit) -> None:
    chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)
    await kit.say(citizen, "还行吧，钱给了一半", "请确认")
    told = await chief.wait_for_message(lambda m: "钱给了一半" in m.content, WAIT)
    assert (case.number or "") in told.content
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED


async def test_a_plain_not_solved_with_an_unsure_word_reopens(kit: BotKit) -> None:
    _chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)
    told = await kit.say(citizen, "还没解决，能不能快点", "回访")
    assert "请确认" not in told.content
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED


@pytest.mark.parametrize(
    "text",
    [
        "还没解决，能不能快点",
        "没修好，不知道找谁",
        "没解决，会不会有人管",
        "还没修好，不清楚什么时候来",
    ],
)
def test_not_solved_beside_unsure_words_is_unsolved(text: str) -> None:
    assert follow_up_answer(text) == "unsolved"


@pytest.mark.parametrize(
    "text", ["还行吧，钱给了一半", "还没去拿呢，不知道能不能拿到", "没解决，只修了一半"]
)
def test_partial_or_unsure_stays_unclear(text: str) -> None:
    assert follow_up_answer(text) == "unclear"


@pytest.mark.parametrize(
    "words",
    [
        pytest.param("钱还是没拿到，不知道怎么办，活不下去了", id="self_harm"),
        pytest.param("钱还是没拿到，不知道还能不能活下去", id="hopeless"),
    ],
)
async def test_crisis_words_in_a_follow_up_reach_the_crisis_path(kit: BotKit, words: str) -> None:
    _chief, citizen, _case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)
    answer = await kit.say(citizen, words)
    await kit.delivered()
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical", answer.content


async def test_unclear_words_stay_on_the_case_when_confirmed_solved(kit: BotKit) -> None:
    _chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)
    asked = await kit.say(citizen, "还没去拿呢，不知道能不能拿到", "请确认")
    question = await kit.press(citizen, asked, "已解决", lambda m: "满意" in m.content)
    await kit.press(citizen, question, "满意", lambda m: "满意" in m.content)
    await kit.delivered()
    async with kit.db.session() as s:
        notes = list(
            (
                await s.scalars(
                    select(CaseEvent.note).where(
                        CaseEvent.case_id == case.id, CaseEvent.type == "note_added"
                    )
                )
            ).all()
        )
    assert any("不知道能不能拿到" in (n or "") for n in notes), notes
    assert kit.app is not None
    data = kit.app.user_data.get(CITIZEN, {})
    assert "fu_words" not in data
