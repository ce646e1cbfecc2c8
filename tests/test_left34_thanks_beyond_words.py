"""Review left open #6: 满意，不知道怎么感谢你们 answers the 回访 as satisfied.

Typed while a 回访 waited, the thanks beyond words (不知道怎么感谢你们) was read as an
unsure answer (不知道) and the citizen was asked to confirm 已解决 / 部分解决 / 未解决.
Gratitude beyond words is gratitude (nlp.follow_up): the case closes 满意 as after the
button. An answer that is unsure (满意，不知道为什么还收费) is still asked about. The bot
over the fake Bot API.
"""

from __future__ import annotations

import pytest

from storage.enums import CaseStatus, Role
from tests.botkit import BotKit
from tests.test_trial31_follow_up_in_words import CHIEF, CITIZEN, _resolve
from tests.test_trial_defects import LABOR_TEXT, events_of, file_request


@pytest.mark.parametrize(
    "words", ["满意，不知道怎么感谢你们", "解决了，真不知道该怎么谢谢你们才好"]
)
async def test_thanks_beyond_words_is_satisfied(kit: BotKit, words: str) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王大爷")
    case = await file_request(kit, citizen, LABOR_TEXT)
    await _resolve(kit, chief, citizen, case.id)

    told = await kit.say(citizen, words, "回访")
    assert "满意" in told.content and "部分解决" not in told.content, told.content
    assert not told.buttons
    assert (await kit.case(case.id)).status == CaseStatus.CLOSED
    (event,) = [e for e in await events_of(kit, case.id) if e.type == "followed_up"]
    assert (event.data or {}).get("satisfaction") == "satisfied", event.data


async def test_an_unsure_answer_is_still_asked_about(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王大爷")
    case = await file_request(kit, citizen, LABOR_TEXT)
    await _resolve(kit, chief, citizen, case.id)
    asked = await kit.say(citizen, "满意，不知道为什么还收费", "请确认")
    assert [b["text"] for b in asked.buttons] == ["已解决", "部分解决", "未解决"]
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
