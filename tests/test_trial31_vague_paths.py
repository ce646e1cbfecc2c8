"""Trial 31 #15: elderly and vague paths.

- 我有个事想反映 → 请具体说说… → 在家里 got the same question word for word, and 在家里
  was lost from the description that followed. Now the next question shows what was
  heard and asks differently, and the description is proposed with 在家里 in front.
- 啥意思？ after a proposal was merged into the description (您的描述：就是那个钱的事，
  啥意思？). Now it is answered (what the buttons do) and the description stays.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from handlers.texts.triage import VAGUE_QUESTION
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 3151


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_vague_answers_are_kept_and_the_question_moves_on(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王大爷")
    first = await kit.say(citizen, "我有个事想反映", "请具体说说")
    assert first.content == VAGUE_QUESTION
    again = await kit.say(citizen, "在家里", "记下了")
    assert again.content != VAGUE_QUESTION and "「在家里」" in again.content
    proposal = await kit.say(citizen, "你们能不能派个人来看看", lambda m: bool(m.buttons))
    assert "在家里，你们能不能派个人来看看" in proposal.content
    assert "我有个事想反映" not in proposal.content


async def test_asking_what_the_proposal_means_is_answered(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN + 1, "李奶奶")
    await kit.say(citizen, "就是那个钱的事", lambda m: bool(m.buttons))
    told = await kit.say(citizen, "啥意思？", "交由工作人员分派")
    assert "还没有登记" in told.content and "啥意思" not in told.content
    assert await kit.cases() == []
    # The description is unchanged: 提交-ing it later files 就是那个钱的事 alone.
    again = await kit.say(citizen, "/start", lambda m: "就是那个钱的事" in m.content)
    assert "啥意思" not in again.content
