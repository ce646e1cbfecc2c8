"""Review left open #1: a farewell sent out of the blue on an OPEN self-harm case alarms.

Someone whose self-harm case was still open wrote, unprompted, 谢谢大家，再见 or
谢谢你们了 以后不麻烦了: the first was read as a polite goodbye, the second was in no
list of last words, and both reached the police as an ordinary 补充说明 with the
routine answer. On an open self-harm case a goodbye is a sign however polite
(bot.services.cases.aftercare.is_farewell, ``open_case``): the person gets the
emergency line first, the units 【紧急·告别信号】 with the words, recorded on the case —
found by the database, so a chat that lost its memory of the case is no gap. Ordinary
thanks from someone with no such case stays small talk. The bot over the fake Bot API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import filed_without_place
from tests.test_pf30_crisis_aftercare import POLICE
from tests.test_trial_defects import events_of

CITIZEN = 3471
OTHER = 3472


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _forget_chats(kit: BotKit) -> None:
    """The bot restarts with no chat memory (``user_data``): only the database knows."""
    await kit.stop()
    async with kit.db.session() as s:
        await s.execute(text("DELETE FROM bot_state WHERE kind = 'user_data'"))
    await kit.start()


@pytest.mark.parametrize("forget", [False, True], ids=["same-chat", "memory-lost"])
@pytest.mark.parametrize("words", ["谢谢大家，再见", "谢谢你们了 以后不麻烦了", "嗯，谢谢，拜拜"])
async def test_a_farewell_out_of_the_blue_on_an_open_self_harm_case_alarms(
    kit: BotKit, words: str, forget: bool
) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小林")
    await filed_without_place(kit, citizen, "我不想活了")
    (case,) = await kit.cases()
    number = case.number or ""
    if forget:
        await _forget_chats(kit)

    mark = citizen.send_text(words)
    await citizen.wait_for_message(lambda m: "您不是一个人" in m.content, WAIT, since=mark)
    await kit.delivered()
    told = said_since(citizen, mark)
    # The emergency line first, as a message of its own; then the human answer.
    assert told[0].startswith("⚠️") and "110" in told[0], told
    assert kit.district.crisis_hotline in told[1], told
    alert = await police.wait_for_message(
        lambda m: number in m.content and "紧急·告别信号" in m.content, WAIT
    )
    assert words in alert.content
    notes = [e for e in await events_of(kit, case.id) if e.type == "note_added"]
    assert [(e.note, (e.data or {}).get("danger")) for e in notes] == [(words, "farewell")]
    assert len(await kit.cases()) == 1


async def test_thanks_from_someone_with_no_such_case_stays_ordinary(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    other = kit.user(OTHER, "小王")
    for words in ("谢谢大家，再见", "谢谢你们了 以后不麻烦了"):
        mark = other.send_text(words)
        await other.wait_for_message(lambda m: True, WAIT, since=mark)
        await kit.delivered()
        told = said_since(other, mark)
        assert not any(m.startswith("⚠️") or "心理援助" in m for m in told), told
    assert await kit.cases() == []
    assert not any("紧急" in m.content for m in police.transcript() if m.from_bot)
