"""pf30 #2: someone who wrote of harming themselves, their case 办结, writes again.

The police closed 我不想活了 with care; the person wrote 我还是很难受 and got the
department picker (我不能确定由哪个部门办理 … 城建规划 / 社会事业 …) as if filing a
routine request. Now they get the words and the crisis line of the first contact,
no picker and nothing filed; a clear problem of their own is still proposed as usual.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from handlers.texts import steps as st
from storage.enums import CaseStatus
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import police_chief

CITIZEN = 3021
POLICE = 3022
RESULT = "已上门走访，联系家属陪伴，已转介心理咨询"
#: What the department picker and a proposal say.
PICKER_WORDS = ("我不能确定由哪个部门", "建议由以下部门办理", "只是咨询")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def closed_crisis(kit: BotKit, citizen: FakeUser) -> Case:
    """``citizen`` writes 我不想活了 (the crisis words and line), skips the details
    step; the police acknowledge and 办结 it, which closes it with care."""
    await police_chief(kit, POLICE)
    first = await kit.say(citizen, "我不想活了", kit.district.crisis_hotline)
    assert first.content == st.crisis_words(kit.district.crisis_hotline)
    await citizen.wait_for_message(lambda m: "跳过" in m.content, WAIT)
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    chief = await kit.person(POLICE)
    assert chief is not None
    await kit.runtime.cases.acknowledge(case.id, chief.id)
    await kit.runtime.cases.resolve(case.id, chief.id, RESULT)
    kit.runtime.outbox_written()
    await citizen.wait_for_message(lambda m: "已经跟进了您的求助" in m.content, WAIT)
    case = await kit.case(case.id)
    assert case.status == CaseStatus.CLOSED
    return case


@pytest.mark.parametrize("text", ["我还是很难受", "心里很难受，睡不着"])
async def test_words_after_the_case_is_over_get_care_not_a_picker(kit: BotKit, text: str) -> None:
    citizen = kit.user(CITIZEN, "小周")
    case = await closed_crisis(kit, citizen)
    events = await kit.events(case.id)

    answer = await kit.say(citizen, text, kit.district.crisis_hotline)
    assert answer.content.startswith(st.crisis_words(kit.district.crisis_hotline))
    assert "110" in answer.content and not answer.buttons
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any(w in t for t in said for w in PICKER_WORDS), said
    # Nothing filed, and the closed case is left as it was.
    assert [c.id for c in await kit.cases()] == [case.id]
    assert await kit.events(case.id) == events
    # Said again, the same care: the person is never handed the picker.
    again = await kit.say(citizen, "还是难受", kit.district.crisis_hotline)
    assert not again.buttons


async def test_a_clear_problem_after_the_case_is_over_is_proposed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小周")
    await closed_crisis(kit, citizen)
    proposal = await kit.say(citizen, "家门口的路灯坏了好几天", lambda m: bool(m.buttons))
    assert "提交" in str(proposal.buttons)
