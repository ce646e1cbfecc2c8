"""Trial 31 #4: 「算了 你们别管我了」 from someone who wrote of harming themselves reaches
their helpers.

At the place-and-phone step after a self-harm report, those words were read as declining
the step (算了 ≈ 跳过): 「好的。编号 … 已登记，工作人员会尽快处理。」, on no card and not in the
case's timeline. They are what the helpers most need to know: a 补充说明 on the case, the
police told, and the person gets the human answer with the crisis line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import police_chief
from tests.test_trial_defects import events_of

CITIZEN = 3131
POLICE = 3132


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_leave_me_alone_at_the_step_reaches_the_helpers(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小周")
    action = citizen.send_text("活着太累了 今晚就从楼上跳下去 不想再拖累爸妈")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    words = "算了吧 你们不用管我了"
    action = citizen.send_text(words)
    await citizen.wait_for_message(lambda m: "12356" in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any(m.startswith("好的。") for m in said), said  # not the step's 跳过
    assert any("您不是一个人" in m for m in said), said
    notes = [e for e in await events_of(kit, case.id) if e.type == "note_added"]
    assert [e.note for e in notes] == [words]
    assert [c.id for c in await kit.cases()] == [case.id]
    await police.wait_for_message(lambda m: "不用管我" in m.content, WAIT)
