"""Trial 33 D14: chit-chat with the bot was read as a problem.

你们这个机器人是谁开发的，工资高不高，哈哈 got a 区劳动局 proposal (判断依据 “工资”、
“机器人”). Chit-chat about the bot as a person (who made it, what it earns, whether it
is tired …) now gets the friendly answer with the menu; the same words beside a real
matter (老板拖欠工资) stay a request.
"""

from __future__ import annotations

import pytest

from handlers import texts
from nlp.intent import classify_intent
from tests.botkit import BotKit

CITIZEN = 3351


async def test_chit_chat_with_the_bot_is_no_problem(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小刘")
    answer = await kit.say(citizen, "你们这个机器人是谁开发的，工资高不高，哈哈")
    assert answer.content == texts.small_talk("greeting")
    labels = [b["text"] for b in answer.buttons]
    assert "提交" not in labels
    said = "\n".join(m.content for m in citizen.transcript())
    assert "劳动局" not in said and "办理部门" not in said
    assert await kit.cases() == []


async def test_the_same_words_beside_a_matter_stay_a_request(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小刘")
    proposal = await kit.say(
        citizen, "你们工资高不高我不管，老板拖欠我三个月工资了", lambda m: bool(m.buttons)
    )
    assert "劳动" in proposal.content
    assert "提交" in [b["text"] for b in proposal.buttons]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你们这个机器人是谁开发的，工资高不高，哈哈", "greeting"),
        ("你是哪个公司开发的", "greeting"),
        ("机器人你累不累", "greeting"),
        ("你几岁了", "greeting"),
        ("你吃饭了吗", "greeting"),
        # Requests that share the words.
        ("工资高不高", "request"),
        ("老板拖欠工资", "request"),
        ("你们谁管工资", "request"),
        ("公司不发工资，你们管不管", "request"),
        ("你们累不累，我家楼道灯坏了", "request"),
    ],
)
def test_chit_chat_by_class(text: str, intent: str) -> None:
    assert classify_intent(text) == intent
