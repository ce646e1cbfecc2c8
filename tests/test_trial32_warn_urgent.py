"""Trial 32 D30: ``/warn 紧急`` filed a content-free 特别重大 and never asked what happened;
``/warn <b>紧急</b>`` put the tags on the chief's card.

Filing at once stays (safety first); the receipt is now followed by 「请立即补充：发生了什么？
在哪里？有没有人受伤？」 and the answer goes on the same case, its units told; the card shows
the words without markup.
"""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import WAIT, BotKit

OFFICER = 3251
CHIEF = 3252
FACTS = "人民广场东门有人持刀伤人，一人受伤倒地，嫌疑人往北跑了"


async def test_an_urgent_word_alone_is_filed_and_the_officer_asked_for_the_facts(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(CHIEF, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    await kit.say(officer, "/warn <b>紧急</b>", "预警已报送")
    ask = await officer.wait_for_message(lambda m: "发生了什么" in m.content, WAIT)
    assert "在哪里" in ask.content and "有没有人受伤" in ask.content
    (case,) = await kit.cases()
    number = case.number or ""
    card = await chief.wait_for_message(
        lambda m: number in m.content and "内容：" in m.content, WAIT
    )
    assert "<b>" not in card.content and "内容：紧急" in card.content

    await kit.say(officer, FACTS, "补充说明已加入")
    assert len(await kit.cases()) == 1
    assert "note_added" in await kit.events(case.id)
    await chief.wait_for_message(lambda m: number in m.content and FACTS in m.content, WAIT)


async def test_a_warning_with_facts_is_not_asked_again(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, f"/warn 紧急：{FACTS}", "预警已报送")
    await kit.delivered()
    assert not any("发生了什么" in m.content for m in officer.transcript())


async def test_the_same_urgent_word_again_joins_the_first_warning(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn 紧急", "发生了什么")
    (case,) = await kit.cases()
    again = await kit.say(officer, "/warn 紧急", "未重复报送")
    assert (case.number or "") in again.content
    await kit.delivered()
    assert sum("发生了什么" in m.content for m in officer.transcript()) == 2
    assert len(await kit.cases()) == 1
    await kit.say(officer, FACTS, "补充说明已加入")
    assert "note_added" in await kit.events(case.id)
