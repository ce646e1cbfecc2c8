"""Trial 34 #10: a /diary entry about receiving 12 residents got two contradicting answers.

`/diary 在社区接待群众12人，主要反映停车难…` was rated 重大 (the 12 visitors read as a
crowd), told 「民情日记不记录预警」 and then 「已记入民情日记」. Visitors an office received
are no crowd: one answer, the entry recorded. A diary text the rules do rate 重大 still
gets one answer: the receipt and the /warn prompt together, with no claim that the entry
was not recorded.
"""

from __future__ import annotations

from bot.services.diary import list_entries
from storage.enums import Role
from tests.botkit import WAIT, BotKit

CHIEF = 3481
VISITORS = "在社区接待群众12人，主要反映停车难，已记录并转交城管"
WAGES = "走访时听说三十多名工人明天要到区政府门口聚集讨薪"


async def test_visitors_received_are_an_ordinary_entry_with_one_answer(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    action = chief.send_command(f"/diary {VISITORS}")
    answer = await chief.wait_for_message(lambda m: "民情日记" in m.content, WAIT, since=action)
    assert answer.content.startswith("已记入民情日记"), answer.content
    await kit.delivered()
    said = [
        m.content for m in chief.transcript() if m.from_bot and m.message_id > answer.message_id - 1
    ]
    assert len(said) == 1, said
    assert "重大" not in answer.content and "不记录" not in answer.content
    person = await kit.person(CHIEF)
    assert person is not None
    (entry,) = await list_entries(kit.db, author_id=person.id)
    assert entry.content == VISITORS
    assert await kit.cases() == []


async def test_a_serious_entry_is_recorded_and_prompted_in_one_answer(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    action = chief.send_command(f"/diary {WAGES}")
    answer = await chief.wait_for_message(lambda m: "民情日记" in m.content, WAIT, since=action)
    await kit.delivered()
    assert answer.content.startswith("已记入民情日记"), answer.content
    assert f"/warn {WAGES}" in answer.content and "重大" in answer.content
    assert "不记录" not in answer.content
    said = [
        m.content for m in chief.transcript() if m.from_bot and m.message_id >= answer.message_id
    ]
    assert len(said) == 1, said
    assert await kit.cases() == []
