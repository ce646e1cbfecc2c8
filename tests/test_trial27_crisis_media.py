"""Trial 27 N18: a person in crisis who sends a voice message (or a photo, a sticker).

It used to get 「暂时无法识别语音，请用文字描述…」 and reach nobody. While their
self-harm case is open it is added to the case as 补充说明 (the voice by its file
reference, a photo itself), the police who hold the case are told, and the person gets
the human answer with the crisis line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2721
POLICE = 2722
TEXT = "我不想活了，活着没意思"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_voice_from_a_person_in_crisis_reaches_their_helpers(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(TEXT)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    await kit.say(citizen, "跳过", "已登记")

    voice = citizen.send_voice(duration=7)
    answer = await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=voice)
    assert "您不是一个人" in answer.content and kit.district.crisis_hotline in answer.content
    await police.wait_for_message(lambda m: "补充说明" in m.content and "语音" in m.content, WAIT)
    await kit.delivered()
    said = [
        m.content
        for m in citizen.transcript()
        if m.from_bot and m.message_id > (voice.message_id or 0)
    ]
    assert not any("无法识别" in m for m in said), said

    sticker = citizen.send_sticker(emoji="😢")
    await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=sticker)
    assert (await kit.events(case.id)).count("note_added") == 2
    assert len(await kit.cases()) == 1  # nothing new was opened
