"""Trial 32 D1, D4, D17: a case number inside a short question asks to see that case.

请问MQ…现在怎么样了 from a citizen is answered as the bare number is (their own case's
status, or that it is not theirs), never proposed as a new request nor kept as a draft;
a chief who types a case number of their own unit (alone or with 什么情况) gets its card,
not the citizen's "only your own cases" answer.
"""

from __future__ import annotations

from bot.fakeapi import ChatMessage
from bot.services.progress_questions import asked_case_number
from storage.enums import Role
from tests.botkit import BotKit
from tests.test_trial_defects import LABOR_TEXT, file_request

CHIEF, CITIZEN, STRANGER = 3201, 3202, 3203


def test_a_number_in_a_question_about_it_is_read_and_news_is_not() -> None:
    n = "MQ20261208-0001"
    for text in (n, f"/status {n}", f"请问{n}现在怎么样了", f"{n} 什么情况", f"查一下{n.lower()}"):
        assert asked_case_number(text) == n, text
    # Something new told beside the number is not a question about it.
    for text in (f"{n} 又漏水了", f"{n} 着火了", f"我家楼下有人打架 {n}"):
        assert asked_case_number(text) is None, text


async def test_a_citizen_question_with_a_number_is_answered_not_filed(kit: BotKit) -> None:
    me = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, me, LABOR_TEXT)
    number = case.number or ""
    answer = await kit.say(me, f"请问{number}现在怎么样了", number)
    assert "提交" not in str(answer.buttons) and "交由工作人员分派" not in str(answer.buttons)
    stranger = kit.user(STRANGER, "路人")
    other = await kit.say(stranger, f"请问{number}现在怎么样了", number)
    assert "只能查询自己反映的问题" in other.content and not other.buttons
    # Nothing of it was kept as a draft: the next real problem gets no 「还没有提交」 hint.
    nxt = await kit.say(stranger, "小区门口的路灯坏了一个月了没人修", lambda m: bool(m.buttons))
    assert "还没有提交" not in " ".join(m.content for m in stranger.transcript()[-3:])
    assert nxt.buttons
    assert len(await kit.cases()) == 1


async def test_a_chief_typing_his_units_case_number_gets_its_card(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "马站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    case = await file_request(kit, kit.user(CITIZEN, "王芳"), LABOR_TEXT)
    number = case.number or ""
    for text in (number, f"{number} 什么情况"):
        seen = frozenset(m.message_id for m in chief.transcript())

        def new_card(m: ChatMessage, seen: frozenset[int] = seen) -> bool:
            return m.message_id not in seen and m.content.startswith("【") and number in m.content

        card = await kit.say(chief, text, new_card)
        assert "只能查询自己反映的问题" not in card.content
        assert "签收" in str(card.buttons)
