"""Review 3 P8: 你们几点下班 asks the centre's hours; it is no small talk about the bot."""

from __future__ import annotations

from nlp.intent import classify_intent
from tests.botkit import BotKit

CITIZEN = 3581


def test_closing_time_is_no_chit_chat() -> None:
    assert str(classify_intent("你们几点下班")) == "request"


async def test_closing_time_is_not_answered_with_the_greeting_menu(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小周")
    answer = await kit.say(citizen, "你们几点下班")
    assert "请问有什么可以帮您" not in answer.content
    # The unsure proposal names the service centre with its hours.
    assert "办公时间" in answer.content
