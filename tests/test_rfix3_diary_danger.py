"""Review 3 P2: a leader's accepted /diary entry is read for danger like a refused one."""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import WAIT, BotKit

LEADER = 3571
PETROL = "今天走访时看到有人在区政府门口往身上泼汽油，手里拿着打火机"
VISIT = "今天走访了东城社区的三户困难家庭，了解了他们的冬季取暖情况，大家反映暖气基本正常"


async def test_an_accepted_entry_with_danger_gets_the_line_and_is_filed(kit: BotKit) -> None:
    leader = kit.user(LEADER, "刘主任")
    await kit.bind(leader, "dongcheng", Role.CHIEF)
    first = await kit.say(leader, f"/diary {PETROL}", lambda m: "110" in m.content)
    await leader.wait_for_message(lambda m: "已记入民情日记" in m.content, WAIT)
    said = [m.content for m in leader.transcript() if m.from_bot]
    assert said.index(first.content) < next(i for i, m in enumerate(said) if "已记入" in m)
    (case,) = await kit.cases()
    assert case.kind == "warning" and case.severity == "critical"


async def test_an_ordinary_accepted_entry_is_only_noted(kit: BotKit) -> None:
    leader = kit.user(LEADER, "刘主任")
    await kit.bind(leader, "dongcheng", Role.CHIEF)
    answer = await kit.say(leader, f"/diary {VISIT}")
    assert answer.content.startswith("已记入民情日记")
    assert await kit.cases() == []
