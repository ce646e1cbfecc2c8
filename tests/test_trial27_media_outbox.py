"""Trial 27 N18: what a reporter sends as voice, video or file reaches the station itself.

A person in crisis who can only speak or show (a voice, a video, a video note, a file, a
sticker) used to reach the station as a file reference in a note. The outbox now sends
each on by its file_id (``sendVoice``, ``sendVideo``, ``sendVideoNote``, ``sendDocument``,
``sendSticker``), after the 补充说明 that announces it, with the retries of any row; a
file Telegram refuses is passed on as its reference. An ordinary case's 补充说明 may be
an attachment too. The fake Bot API implements these methods as the real one, with its
errors (no file, an unknown file_id, a file_id of another kind).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.error import BadRequest, Forbidden

from bot.fakeapi import ChatMessage, FakeBotApi, FakeUser, running_fake_bot_api
from bot.runtime.delivery_media import MEDIA_REFERENCE_NOTE
from config.district import District
from storage.db import Database
from storage.enums import Role
from storage.models import CaseEvent, OutboxMessage
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.deliverykit import rows_by_id, worker, write
from tests.fakeapikit import CITIZEN as CHAT
from tests.fakeapikit import TOKEN
from tests.test_trial_defects import LABOR_TEXT, file_request

CITIZEN = 2741
POLICE = 2742
LABOR = 2743
TEXT = "我不想活了，活着没意思"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _in_crisis(kit: BotKit, citizen: FakeUser) -> int:
    action = citizen.send_text(TEXT)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    return case.id


def _got(user: FakeUser, kind: str) -> list[ChatMessage]:
    return [m for m in user.transcript() if m.from_bot and m.kind == kind]


async def _media_rows(kit: BotKit) -> list[OutboxMessage]:
    async with kit.db.session() as s:
        rows = await s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "media"))
        return list(rows.all())


async def test_a_person_in_crisis_is_heard_and_seen_by_the_station(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case_id = await _in_crisis(kit, citizen)

    sent = {
        "voice": citizen.send_voice(duration=7),
        "video": citizen.send_media("video", duration=12),
        "video_note": citizen.send_media("video_note", duration=9),
        "document": citizen.send_media("document", "遗书的照片扫描件"),
        "sticker": citizen.send_sticker(emoji="😢"),
    }
    for action in sent.values():
        await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=action)
    await kit.delivered()

    own = {m.message_id: m for m in citizen.transcript() if not m.from_bot}
    for kind, action in sent.items():
        theirs = own[action.message_id or 0]
        file_id = (getattr(theirs, kind) or {})["file_id"]
        (got,) = _got(police, kind)  # the thing itself, not a reference to read
        assert (getattr(got, kind) or {})["file_id"] == file_id, kind
    assert (_got(police, "voice")[0].voice or {})["duration"] == 7
    # The note announces each one and keeps its reference; the event records it.
    notes = [m.content for m in police.transcript() if "补充说明" in m.content]
    assert any("【语音，7秒】见随后转发的语音" in n for n in notes), notes
    assert any("遗书的照片扫描件" in n and "【文件】" in n for n in notes), notes
    async with kit.db.session() as s:
        events = (
            await s.scalars(
                select(CaseEvent).where(
                    CaseEvent.case_id == case_id, CaseEvent.type == "note_added"
                )
            )
        ).all()
    recorded = [e.data["media"][0]["type"] for e in events if e.data and "media" in e.data]
    assert recorded == list(sent)
    assert {r.status for r in await _media_rows(kit)} == {"sent"}
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any("无法识别" in t for t in said)
    assert len(await kit.cases()) == 1


async def test_a_file_telegram_refuses_goes_as_its_reference(kit: BotKit) -> None:
    """A file_id Telegram will not send (here: another kind's) is passed on as text."""
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    await _in_crisis(kit, citizen)
    kit.fake.fail("sendVoice", 400, count=1, description="Bad Request: type of file mismatch")
    action = citizen.send_voice(duration=4)
    await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=action)
    await kit.delivered()
    (row,) = await _media_rows(kit)
    assert row.status == "sent"
    assert any("无法在 Telegram 中直接转发，文件编号：" in m.content for m in police.transcript())


async def test_a_blocked_station_chat_fails_the_media_row_like_any_other(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    await _in_crisis(kit, citizen)
    await kit.delivered()
    kit.fake.block(police.id)
    action = citizen.send_media("video", duration=3)
    await citizen.wait_for_message(lambda m: "转给" in m.content, WAIT, since=action)
    await kit.delivered()
    (row,) = await _media_rows(kit)
    assert row.status == "failed"
    assert not _got(police, "video")


async def test_an_ordinary_cases_note_may_be_a_file(kit: BotKit) -> None:
    """补充说明 on an ordinary request, sent as a file: the station gets the file."""
    labor = kit.user(LABOR, "劳动局站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    tail = (case.number or "").rsplit("-", 1)[-1]
    status = await kit.say(citizen, "/status", "您反映的问题")
    await kit.press(citizen, status, f"补充说明 {tail}", "请直接发送要补充")
    action = citizen.send_media("document", "工资条", file_name="工资条.pdf")
    await citizen.wait_for_message(lambda m: "补充说明已加入" in m.content, WAIT, since=action)
    await kit.delivered()
    (doc,) = _got(labor, "document")
    theirs = next(m for m in citizen.transcript() if m.message_id == action.message_id)
    assert (doc.document or {})["file_id"] == (theirs.document or {})["file_id"]
    assert (await kit.events(case.id)).count("note_added") == 1


async def test_a_media_row_waits_out_a_429_and_is_sent_once(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    """Telegram's flood wait on sendVoice: the row is retried after it, not lost or doubled."""
    media = {"media": {"type": "voice", "file_id": "AwACAgUAAxkBAAvoice"}}
    text = "MQ 报告人发送的语音"
    await write(db, [{"chat_id": 1400, "text": text, "kind": "media", "reply_markup": media}])
    flood = fake.fail("sendVoice", 429, count=1, retry_after=1)
    w = worker(db, bot)
    await w.drain(timeout=10)
    assert flood.served == 1 and w.stats.rate_limited == 1
    (got,) = [m for m in fake.transcript(1400) if m.from_bot]
    assert got.kind == "voice" and got.caption == text
    calls = fake.calls("sendVoice")
    assert [c.response_status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0
    (row,) = (await rows_by_id(db)).values()
    assert (row.status, row.attempts) == ("sent", 2)


async def test_a_refused_file_is_delivered_as_its_reference(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    fake.strict_file_ids = True  # Telegram does not know this file_id (any more)
    media = {"media": {"type": "document", "file_id": "BQACAgUAAxkBAAgone"}}
    await write(
        db,
        [{"chat_id": 1401, "text": "MQ 报告人发送的文件", "kind": "media", "reply_markup": media}],
    )
    await worker(db, bot).drain(timeout=10)
    (got,) = [m for m in fake.transcript(1401) if m.from_bot]
    assert "文件编号：BQACAgUAAxkBAAgone" in got.content
    (row,) = (await rows_by_id(db)).values()
    assert row.status == "sent" and MEDIA_REFERENCE_NOTE in (row.last_error or "")


@pytest.fixture(name="strict_fake")
async def strict_fake_api() -> AsyncIterator[FakeBotApi]:
    async with running_fake_bot_api(token=TOKEN, strict_file_ids=True) as api:
        yield api


async def test_the_fake_sends_media_by_file_id_as_telegram_does(strict_fake: FakeBotApi) -> None:
    fake = strict_fake
    user = fake.user(CHAT, "王芳")
    voice = user.send_voice(duration=5)
    video = user.send_media("video", duration=8)
    photo = user.send_photo()
    own = {m.message_id: m for m in user.transcript()}
    voice_id = (own[voice.message_id or 0].voice or {})["file_id"]
    video_id = (own[video.message_id or 0].video or {})["file_id"]
    photo_id = (own[photo.message_id or 0].photo or [{}])[-1]["file_id"]
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
        sent = await bot.send_voice(CHAT, voice=voice_id, caption="MQ 报告人发送的语音")
        assert sent.voice is not None and sent.voice.file_id == voice_id
        assert sent.voice.duration.total_seconds() == 5 and sent.caption == "MQ 报告人发送的语音"
        moving = await bot.send_video(CHAT, video=video_id)
        assert moving.video is not None and moving.video.duration.total_seconds() == 8
        with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
            await bot.send_document(CHAT, document=photo_id)
        with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
            await bot.send_video(CHAT, video=voice_id)
        with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
            await bot.send_voice(CHAT, voice="AwACAgUAAxkBAAnot-a-file")
        with pytest.raises(BadRequest, match="caption is too long"):
            await bot.send_voice(CHAT, voice=voice_id, caption="长" * 1025)
        fake.block(CHAT)
        with pytest.raises(Forbidden):
            await bot.send_voice(CHAT, voice=voice_id)
    shown = [m for m in user.transcript() if m.from_bot]
    assert [m.kind for m in shown] == ["voice", "video"]
    assert fake.calls("sendVoice")[0].response_status == 200
