"""Outbox delivery against the fake Bot API, on SQLite and PostgreSQL.

Every test writes outbox rows directly, runs :class:`bot.runtime.delivery.DeliveryWorker`
with the real ``telegram.Bot`` talking HTTP to :class:`bot.fakeapi.FakeBotApi`,
and counts what the fake received against what was written: normal operation,
transient and permanent faults, cards, pacing. The worker's crashes, two workers
and its service loop: ``tests/test_delivery_worker.py``.
"""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.fakeapi import FakeBotApi
from bot.runtime.delivery import backlog
from storage import outbox
from storage.db import Database
from storage.enums import OutboxStatus
from storage.models import CaseCard, Person
from tests.deliverykit import (
    BLOCKED_STAFF_CHAT,
    CHIEF_CHAT,
    CITIZEN_CHAT,
    CITIZEN_PHONE,
    DISTRICT_CHIEF_CHAT,
    STAFF_CHAT,
    chat_order,
    rows_by_id,
    seed,
    tally,
    worker,
    write,
)

# ---------------------------------------------------------------------------- normal operation


async def test_every_row_delivered_exactly_once_in_order(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    chats = [1100 + i for i in range(10)]
    texts = [f"通知 {chat} 第{n}条" for n in range(3) for chat in chats]
    markup = {"inline_keyboard": [[{"text": "查看", "callback_data": "v:1"}]]}
    await write(
        db,
        (
            {"chat_id": int(t.split()[1]), "text": t, "reply_markup": markup if i == 0 else None}
            for i, t in enumerate(texts)
        ),
    )
    w = worker(db, bot)
    handled = await w.drain(timeout=10)

    assert handled == 30
    assert tally(fake, texts) == (30, 30, 0)
    for chat in chats:
        assert chat_order(fake, chat) == [f"通知 {chat} 第{n}条" for n in range(3)]
    assert fake.transcript(1100)[0].buttons[0]["callback_data"] == "v:1"
    rows = await rows_by_id(db)
    assert {r.status for r in rows.values()} == {OutboxStatus.SENT.value}
    assert all(r.message_id and r.sent_at and r.attempts == 1 for r in rows.values())
    assert w.stats.sent == 30 and w.stats.retried == 0
    assert (await backlog(db)).count == 0
    assert await w.run_once() == 0


# ---------------------------------------------------------------------------- transient faults


async def test_429_and_5xx_burst_then_recovery(db: Database, fake: FakeBotApi, bot: Bot) -> None:
    chats = [1200 + i for i in range(8)]
    texts = [f"消息 {chat} #{n}" for n in range(5) for chat in chats]
    await write(db, ({"chat_id": int(t.split()[1]), "text": t} for t in texts))
    fake.fail("sendMessage", 429, count=4, retry_after=1)
    fake.fail("sendMessage", 500, count=5)
    fake.fail("sendMessage", 502, count=3)  # an HTML page, like nginx in front of the API
    fake.fail("sendMessage", 0, count=2)  # connection dropped without an answer
    w = worker(db, bot)
    await w.drain(timeout=20)

    written, delivered, duplicates = tally(fake, texts)
    assert (written, delivered, duplicates) == (40, 40, 0)
    assert w.stats.rate_limited == 4
    assert w.stats.retried == 10
    assert w.stats.sent == 40
    # retry_after is honoured: nothing reaches a chat within 1 s of its 429.
    calls = fake.calls("sendMessage")
    for flood in (c for c in calls if c.response_status == 429):
        later = [c.at for c in calls if c.chat_id == flood.chat_id and c.at > flood.at]
        assert later and min(later) - flood.at >= 1.0
    for chat in chats:
        assert chat_order(fake, chat) == [f"消息 {chat} #{n}" for n in range(5)]
    rows = await rows_by_id(db)
    assert sum(r.attempts for r in rows.values()) == 40 + 4 + 10
    print(f"\nfault run 429/5xx: written={written} delivered={delivered} duplicates={duplicates}")


async def test_a_retried_row_holds_back_its_chat(db: Database, fake: FakeBotApi, bot: Bot) -> None:
    await write(db, ({"chat_id": 1300, "text": f"第{n}条"} for n in range(3)))
    fake.fail("sendMessage", 503, count=3, chat_id=1300)
    w = worker(db, bot)
    await w.drain(timeout=10)
    assert chat_order(fake, 1300) == ["第0条", "第1条", "第2条"]
    rows = sorted((await rows_by_id(db)).values(), key=lambda r: r.id)
    assert [r.attempts for r in rows] == [4, 1, 1]
    assert rows[0].last_error is not None and "503" in rows[0].last_error


async def test_global_flood_wait_pauses_everything(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    await write(db, ({"chat_id": 1400 + i, "text": f"广播 {i}"} for i in range(6)))
    fake.fail("sendMessage", 429, count=2, retry_after=1)
    w = worker(db, bot, concurrency=2, batch_size=2)
    await w.drain(timeout=10)
    calls = fake.calls("sendMessage")
    floods = [c.at for c in calls if c.response_status == 429]
    assert len(floods) == 2
    # Two chats were told to wait: the worker took it as global and sent nothing for 1 s.
    assert all(c.at - max(floods) >= 1.0 for c in calls if c.ok)
    assert tally(fake, [f"广播 {i}" for i in range(6)]) == (6, 6, 0)


# ---------------------------------------------------------------------------- permanent faults


async def test_blocked_recipient_is_marked_and_the_unit_told(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    world = await seed(db)
    fake.block(CITIZEN_CHAT)
    await write(
        db,
        [
            {
                "chat_id": CITIZEN_CHAT,
                "person_id": world.citizen,
                "case_id": world.case,
                "text": "您的诉求已受理",
            },
            {
                "chat_id": CITIZEN_CHAT,
                "person_id": world.citizen,
                "case_id": world.case,
                "text": "您的诉求已办结",
            },
            {
                "chat_id": CITIZEN_CHAT,
                "person_id": world.citizen,
                "case_id": world.orphan_case,
                "text": "另一件诉求已受理",
            },
            {
                "chat_id": CHIEF_CHAT,
                "person_id": world.chief,
                "case_id": world.case,
                "text": "新案件",
            },
        ],
    )
    w = worker(db, bot)
    await w.drain(timeout=10)

    rows = sorted((await rows_by_id(db)).values(), key=lambda r: r.id)
    citizen_rows = [r for r in rows if r.chat_id == CITIZEN_CHAT]
    assert [r.status for r in citizen_rows] == [OutboxStatus.FAILED.value] * 3
    assert all("blocked" in (r.last_error or "") for r in citizen_rows)
    async with db.session() as s:
        citizen = await s.get(Person, world.citizen)
        assert citizen is not None and citizen.blocked_at is not None
    # Only one call hit the blocked chat: its other rows were failed with it.
    assert len(fake.calls("sendMessage", chat_id=CITIZEN_CHAT)) == 1
    assert w.stats.blocked == 3

    # The owning unit's other reachable members are told, once per case, with the texts.
    for chat in (CHIEF_CHAT, STAFF_CHAT):
        notices = [t for t in chat_order(fake, chat) if t.startswith("⚠️")]
        assert len(notices) == 1
        notice = notices[0]
        assert "群众「张三」已屏蔽机器人" in notice and "请电话联系" in notice
        assert CITIZEN_PHONE in notice and "MQ-0001" in notice
        assert "您的诉求已受理" in notice and "您的诉求已办结" in notice
    assert chat_order(fake, BLOCKED_STAFF_CHAT) == []
    assert chat_order(fake, 2004) == []  # officers are not told
    # Nobody in the orphan case's work room: the district office is told instead.
    district = chat_order(fake, DISTRICT_CHIEF_CHAT)
    assert len(district) == 1 and "另一件诉求已受理" in district[0] and "MQ-0002" in district[0]
    assert w.stats.notices == 3
    notice_rows = [r for r in rows if r.text.startswith("⚠️")]
    assert all(r.status == OutboxStatus.SENT.value for r in notice_rows)


async def test_blocked_staff_member_card(db: Database, fake: FakeBotApi, bot: Bot) -> None:
    world = await seed(db)
    fake.block(STAFF_CHAT, "deactivated")
    await write(
        db,
        [
            {
                "chat_id": STAFF_CHAT,
                "person_id": world.staff,
                "case_id": world.case,
                "kind": "card",
                "text": "案件卡片 MQ-0001",
            }
        ],
    )
    await worker(db, bot).drain(timeout=10)
    [notice] = chat_order(fake, CHIEF_CHAT)
    assert "工作人员「王工作人员」的 Telegram 账号已注销" in notice
    assert "13900001111" in notice and "案件卡片 MQ-0001" in notice
    async with db.session() as s:
        assert await outbox.get_card(s, world.case, STAFF_CHAT) is None


async def test_bad_request_fails_the_row_and_masks_the_log(
    db: Database, fake: FakeBotApi, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    ids = await write(
        db,
        [
            {"chat_id": 1500, "text": f"联系电话 {CITIZEN_PHONE} 请回电"},
            {"chat_id": 1500, "text": "下一条照常送达"},
            {"chat_id": 1501, "text": "坏键盘", "reply_markup": {"bogus": True}},
        ],
    )
    fake.fail("sendMessage", 400, chat_id=1500, count=1, description="Bad Request: chat not found")
    w = worker(db, bot)
    with caplog.at_level(logging.INFO, logger="bot.runtime.delivery"):
        await w.drain(timeout=10)
    rows = await rows_by_id(db)
    assert rows[ids[0]].status == OutboxStatus.FAILED.value
    assert "chat not found" in (rows[ids[0]].last_error or "").lower()
    assert rows[ids[1]].status == OutboxStatus.SENT.value
    assert rows[ids[2]].status == OutboxStatus.FAILED.value
    assert chat_order(fake, 1500) == ["下一条照常送达"]
    assert w.stats.failed == 2
    assert CITIZEN_PHONE not in caplog.text and "138****5678" in caplog.text


async def test_text_over_telegrams_limit_is_delivered_cut_and_kept_whole(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    long_text = "情况说明：" + "长" * 5000
    [row_id] = await write(db, [{"chat_id": 1502, "text": long_text}])
    await worker(db, bot).drain(timeout=10)
    rows = await rows_by_id(db)
    assert rows[row_id].status == OutboxStatus.SENT.value
    assert rows[row_id].text == long_text
    [shown] = chat_order(fake, 1502)
    assert len(shown) <= 4096 and shown.startswith("情况说明：长") and shown.endswith("（已截断）")


# ---------------------------------------------------------------------------- cards


async def test_cards_send_then_edit_in_place_and_coalesce(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    world = await seed(db)

    def card(text: str, button: str = "签收") -> dict[str, Any]:
        markup = {"inline_keyboard": [[{"text": button, "callback_data": "ack:1"}]]}
        return {
            "chat_id": CHIEF_CHAT,
            "person_id": world.chief,
            "case_id": world.case,
            "kind": "card",
            "text": text,
            "reply_markup": markup,
        }

    w = worker(db, bot)
    await write(db, [card("案件 MQ-0001：已派单")])
    await w.drain(timeout=10)
    [first] = fake.calls("sendMessage", chat_id=CHIEF_CHAT)
    message_id = first.response["result"]["message_id"] if first.response else None
    async with db.session() as s:
        stored = await outbox.get_card(s, world.case, CHIEF_CHAT)
        assert stored is not None and stored.message_id == message_id

    await write(db, [card("案件 MQ-0001：已签收", "办结")])
    await w.drain(timeout=10)
    [edit] = fake.calls("editMessageText")
    assert edit.ok and edit.params["message_id"] == message_id
    assert chat_order(fake, CHIEF_CHAT) == ["案件 MQ-0001：已签收"]
    assert fake.message(CHIEF_CHAT, message_id).buttons[0]["text"] == "办结"

    # The same content again: Telegram says "not modified", which is success.
    ids = await write(db, [card("案件 MQ-0001：已签收", "办结")])
    await w.drain(timeout=10)
    rows = await rows_by_id(db)
    assert rows[ids[0]].status == OutboxStatus.SENT.value
    assert rows[ids[0]].last_error == "not modified"
    assert w.stats.edited == 2 and w.stats.sent == 1

    # Three versions pending at once (with a plain message between): one edit shows the newest.
    edits_before = len(fake.calls("editMessageText"))
    ids = await write(
        db,
        [
            card("案件 MQ-0001：处理中"),
            card("案件 MQ-0001：处理中（已联系）"),
            {"chat_id": CHIEF_CHAT, "text": "催办提醒"},
            card("案件 MQ-0001：已办结", "回访"),
        ],
    )
    await w.drain(timeout=10)
    rows = await rows_by_id(db)
    # The oldest card row keeps its place in the queue and carries the newest text.
    assert [rows[i].last_error for i in (ids[1], ids[3])] == [outbox.SUPERSEDED_NOTE] * 2
    assert rows[ids[0]].text == "案件 MQ-0001：已办结"
    assert all(rows[i].status == OutboxStatus.SENT.value for i in ids)
    assert len(fake.calls("editMessageText")) == edits_before + 1
    assert chat_order(fake, CHIEF_CHAT) == ["案件 MQ-0001：已办结", "催办提醒"]
    assert w.stats.superseded == 2

    # The card message was deleted: the next version is sent anew and the card row follows.
    await bot.delete_message(CHIEF_CHAT, message_id)
    await write(db, [card("案件 MQ-0001：已回访", "查看")])
    await w.drain(timeout=10)
    assert chat_order(fake, CHIEF_CHAT) == ["催办提醒", "案件 MQ-0001：已回访"]
    async with db.session() as s:
        cards = (await s.scalars(select(CaseCard))).all()
    assert len(cards) == 1 and cards[0].message_id != message_id
    assert cards[0].message_id == fake.last_message(CHIEF_CHAT).message_id  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- pacing


async def test_pacing_per_chat_and_overall(db: Database, fake: FakeBotApi, bot: Bot) -> None:
    await write(db, ({"chat_id": 2100, "text": f"私聊 {n}"} for n in range(3)))
    await write(db, ({"chat_id": -2100, "text": f"群聊 {n}"} for n in range(3)))
    w = worker(
        db,
        bot,
        private_interval=timedelta(seconds=0.2),
        group_interval=timedelta(seconds=0.4),
    )
    await w.drain(timeout=10)
    private = fake.send_times(2100)
    group = fake.send_times(-2100)
    assert len(private) == len(group) == 3
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(private))
    assert all(b - a >= 0.4 for a, b in itertools.pairwise(group))

    fake.reset()
    await write(db, ({"chat_id": 2200 + i, "text": f"群发 {i}"} for i in range(11)))
    w = worker(db, bot, global_rate=20.0)
    await w.drain(timeout=10)
    times = sorted(c.at for c in fake.calls("sendMessage"))
    assert len(times) == 11 and times[-1] - times[0] >= 10 / 20 - 0.02
