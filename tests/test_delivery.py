"""Outbox delivery against the fake Bot API, on SQLite and PostgreSQL.

Every test writes outbox rows directly, runs :class:`bot.runtime.delivery.DeliveryWorker`
with the real ``telegram.Bot`` talking HTTP to :class:`bot.fakeapi.FakeBotApi`,
and counts what the fake received against what was written.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.fakeapi import FakeBotApi, running_fake_bot_api
from bot.runtime.delivery import DeliveryWorker, _Delivered, backlog
from bot.services.clock import FakeClock
from storage import outbox
from storage.db import READ_ONLY, Database
from storage.enums import OutboxStatus, Role
from storage.models import Case, CaseCard, OutboxMessage, Person
from tests.factories import SUITE_CLOCK, suite_now

CITIZEN_CHAT = 1001
CHIEF_CHAT = 2001
STAFF_CHAT = 2002
BLOCKED_STAFF_CHAT = 2003
DISTRICT_CHIEF_CHAT = 3001
CITIZEN_PHONE = "13812345678"

FAST: dict[str, Any] = {
    "private_interval": timedelta(seconds=0.01),
    "group_interval": timedelta(seconds=0.01),
    "global_rate": 1000.0,
    "retry_base": timedelta(seconds=0.02),
    "retry_cap": timedelta(seconds=0.2),
    "poll_interval": timedelta(seconds=0.05),
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    """A running fake Bot API."""
    async with running_fake_bot_api() as api:
        yield api


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    """The real ``telegram.Bot`` pointed at the fake."""
    request = HTTPXRequest(connection_pool_size=32, read_timeout=5.0)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as b:
        yield b


def worker(db: Database, bot: Bot, **options: Any) -> DeliveryWorker:
    """A worker on the suite's clock, with fast retries and pacing unless told otherwise."""
    return DeliveryWorker(db, bot, **{"clock": SUITE_CLOCK, **FAST, **options})


@dataclass
class World:
    """The people and the case the tests write about."""

    citizen: int
    chief: int
    staff: int
    case: int
    orphan_case: int


async def seed(db: Database) -> World:
    """A citizen, the dongcheng station's chief and staff, a district chief, two cases."""
    async with db.session() as s:
        people = {
            "citizen": Person(
                telegram_user_id=CITIZEN_CHAT,
                chat_id=CITIZEN_CHAT,
                name="张三",
                role=Role.CITIZEN.value,
                phone=CITIZEN_PHONE,
            ),
            "chief": Person(
                telegram_user_id=CHIEF_CHAT,
                chat_id=CHIEF_CHAT,
                name="李站长",
                role=Role.CHIEF.value,
                unit_id="dongcheng",
            ),
            "staff": Person(
                telegram_user_id=STAFF_CHAT,
                chat_id=STAFF_CHAT,
                name="王工作人员",
                role=Role.STAFF.value,
                unit_id="dongcheng",
                phone="13900001111",
            ),
            "blocked": Person(
                telegram_user_id=BLOCKED_STAFF_CHAT,
                chat_id=BLOCKED_STAFF_CHAT,
                name="赵已屏蔽",
                role=Role.STAFF.value,
                unit_id="dongcheng",
                blocked_at=FakeClock(suite_now()).now(),
            ),
            "no_chat": Person(name="无会话", role=Role.STAFF.value, unit_id="dongcheng"),
            "officer": Person(
                telegram_user_id=2004,
                chat_id=2004,
                name="信息员",
                role=Role.OFFICER.value,
                unit_id="dongcheng",
            ),
            "district": Person(
                telegram_user_id=DISTRICT_CHIEF_CHAT,
                chat_id=DISTRICT_CHIEF_CHAT,
                name="群工办主任",
                role=Role.CHIEF.value,
                unit_id="office",
            ),
        }
        s.add_all(people.values())
        await s.flush()
        case = _case(people["citizen"].id, "dongcheng", "MQ-0001")
        # A work room with nobody in it: notices go up to the district office.
        orphan = _case(people["citizen"].id, "gaoxin_chuangye", "MQ-0002")
        s.add_all([case, orphan])
        await s.flush()
        return World(
            citizen=people["citizen"].id,
            chief=people["chief"].id,
            staff=people["staff"].id,
            case=case.id,
            orphan_case=orphan.id,
        )


def _case(reporter_id: int, unit_id: str, number: str) -> Case:
    return Case(
        number=number,
        kind="request",
        original_text="楼道灯坏了",
        normalized_text="楼道灯坏了",
        room="urban",
        bureau="construction",
        owning_unit_id=unit_id,
        reporter_id=reporter_id,
        contact_phone=CITIZEN_PHONE,
    )


async def write(db: Database, rows: Iterable[dict[str, Any]]) -> list[int]:
    """Insert outbox rows (one transaction) and return their ids in order."""
    ids = []
    async with db.session() as s:
        for row in rows:
            ids.append((await outbox.enqueue(s, **{"now": suite_now(), **row})).id)
    return ids


async def rows_by_id(db: Database) -> dict[int, OutboxMessage]:
    async with db.session() as s:
        return {r.id: r for r in (await s.scalars(select(OutboxMessage))).all()}


def sent_texts(fake: FakeBotApi, method: str = "sendMessage") -> Counter[str]:
    """How many times each text was accepted by the fake."""
    return Counter(str(c.params.get("text")) for c in fake.calls(method) if c.ok)


def tally(fake: FakeBotApi, texts: list[str]) -> tuple[int, int, int]:
    """(written, delivered at least once, duplicate deliveries) for these texts."""
    got = sent_texts(fake)
    delivered = sum(1 for t in texts if got[t] >= 1)
    duplicates = sum(max(0, got[t] - 1) for t in texts)
    return len(texts), delivered, duplicates


def chat_order(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [m.content for m in fake.transcript(chat_id) if m.from_bot]


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


# ---------------------------------------------------------------------------- crashes


async def test_claimed_rows_of_a_dead_worker_are_delivered_after_the_lease(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    texts = [f"租约 {i}" for i in range(12)]
    await write(db, ({"chat_id": 1600 + i, "text": t} for i, t in enumerate(texts)))
    clock = FakeClock(suite_now())
    lease = timedelta(seconds=60)
    async with db.session() as s:  # the dead worker claims, then never sends
        result = await outbox.claim(
            s,
            worker_id="dead",
            now=clock.now(),
            lease=lease,
            limit=5,
            private_interval=timedelta(0),
            group_interval=timedelta(0),
        )
    assert len(result.claimed) == 5
    heir = worker(db, bot, clock=clock, lease=lease)
    assert await heir.run_once() == 7
    assert await heir.run_once() == 0  # the dead worker's leases still hold
    assert (await backlog(db, clock)).count == 5
    clock.advance(lease + timedelta(seconds=1))
    assert await heir.run_once() == 5
    assert tally(fake, texts) == (12, 12, 0)
    rows = await rows_by_id(db)
    assert sorted(r.attempts for r in rows.values()) == [1] * 7 + [2] * 5
    assert {r.status for r in rows.values()} == {OutboxStatus.SENT.value}


async def test_lost_answer_is_retried_and_repeats_at_most_once(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    texts = [f"超时 {i}" for i in range(5)]
    await write(db, ({"chat_id": 1650 + i, "text": t} for i, t in enumerate(texts)))
    # One request (chat 1650's) is answered after the worker stopped waiting, but still
    # executed. The delay and the worker's patience are far apart (3 s against 1 s) and the
    # other chats are not delayed at all: with a 0.2 s patience an ordinary request on a busy
    # machine also timed out now and then and counted as a second retry.
    fake.delay("sendMessage", 3.0, count=1, chat_id=1650)
    w = worker(db, bot, lease=timedelta(seconds=10), send_timeout=timedelta(seconds=1))
    await w.drain(timeout=20)
    await fake.wait_for(
        lambda: len([c for c in fake.calls("sendMessage") if c.ok]) == 6, timeout=10
    )
    written, delivered, duplicates = tally(fake, texts)
    assert (written, delivered, duplicates) == (5, 5, 1)
    assert sent_texts(fake)[texts[0]] == 2  # the slow chat's text, and only it, came twice
    assert w.stats.retried == 1 and w.stats.sent == 5
    print(
        f"\nfault run lost answer: written={written} delivered={delivered} duplicates={duplicates}"
    )


class _DiesBeforeMarking(DeliveryWorker):
    """A worker that sends and then hangs instead of recording (killed later)."""

    async def _on_delivered(self, m: Any, d: _Delivered) -> None:
        await asyncio.Event().wait()


async def test_killed_after_sending_repeats_at_most_once(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    texts = [f"崩溃 {i}" for i in range(10)]
    await write(db, ({"chat_id": 1700 + i, "text": t} for i, t in enumerate(texts)))
    lease = timedelta(seconds=0.6)
    doomed = _DiesBeforeMarking(db, bot, clock=SUITE_CLOCK, lease=lease, concurrency=16, **FAST)
    task = asyncio.create_task(doomed.run_once())
    await fake.wait_for(lambda: len(fake.calls("sendMessage")) == 10, timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    heir = worker(db, bot, lease=lease)
    await heir.drain(timeout=10)
    written, delivered, duplicates = tally(fake, texts)
    assert (written, delivered) == (10, 10)
    assert max(sent_texts(fake)[t] for t in texts) <= 2
    assert duplicates == 10  # every in-flight row was repeated exactly once
    print(
        f"\nfault run kill-after-send: written={written} delivered={delivered} "
        f"duplicates={duplicates}"
    )


async def test_killed_mid_request_loses_nothing(db: Database, fake: FakeBotApi, bot: Bot) -> None:
    texts = [f"中断 {i}" for i in range(10)]
    await write(db, ({"chat_id": 1800 + i, "text": t} for i, t in enumerate(texts)))
    lease = timedelta(seconds=0.8)
    fake.delay("sendMessage", 0.3, count=4)  # four requests are in flight when the worker dies
    doomed = worker(db, bot, lease=lease)
    task = asyncio.create_task(doomed.run_once())
    await fake.wait_for(lambda: fake.in_flight("sendMessage") == 4, timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    rows = await rows_by_id(db)
    in_flight = sum(1 for r in rows.values() if r.status == OutboxStatus.SENDING.value)
    assert in_flight >= 4

    heir = worker(db, bot, lease=lease)
    await heir.drain(timeout=10)
    written, delivered, duplicates = tally(fake, texts)
    assert (written, delivered) == (10, 10)
    assert max(sent_texts(fake)[t] for t in texts) <= 2
    assert duplicates <= in_flight
    print(
        f"\nfault run kill-mid-request: written={written} delivered={delivered} "
        f"duplicates={duplicates} in_flight_at_kill={in_flight}"
    )


# ---------------------------------------------------------------------------- concurrency


async def test_two_workers_share_the_rows_without_duplicates(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    chats = [1900 + i for i in range(50)]
    texts = [f"并发 {chat} {n}" for n in range(4) for chat in chats]
    await write(db, ({"chat_id": int(t.split()[1]), "text": t} for t in texts))
    fake.fail("sendMessage", 500, count=6)
    second_db = Database(db.url)
    try:
        a = worker(db, bot, worker_id="A", batch_size=10)
        b = worker(second_db, bot, worker_id="B", batch_size=10)
        await asyncio.gather(a.drain(timeout=30), b.drain(timeout=30))
    finally:
        await second_db.dispose()
    written, delivered, duplicates = tally(fake, texts)
    assert (written, delivered, duplicates) == (200, 200, 0)
    assert len([c for c in fake.calls("sendMessage") if c.ok]) == 200
    assert a.stats.sent + b.stats.sent == 200
    assert a.stats.lease_lost == b.stats.lease_lost == 0
    for chat in chats:
        assert chat_order(fake, chat) == [f"并发 {chat} {n}" for n in range(4)]
    print(
        f"\nfault run two workers ({db.engine.dialect.name}): written={written} "
        f"delivered={delivered} duplicates={duplicates} split A={a.stats.sent} "
        f"B={b.stats.sent}"
    )


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


# ---------------------------------------------------------------------------- service loop


async def test_run_forever_wakes_on_notify_and_stops_cleanly(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    w = worker(db, bot, poll_interval=timedelta(seconds=30))
    stop = asyncio.Event()
    task = asyncio.create_task(w.run_forever(stop))
    await asyncio.sleep(0)
    await write(db, [{"chat_id": 2300, "text": "立即送达"}])
    w.notify()
    await fake.wait_for_message(2300, timeout=3)
    stop.set()
    await asyncio.wait_for(task, timeout=3)
    assert w.stats.sent == 1


async def test_an_idle_worker_polls_with_reads_and_takes_no_write_transaction(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    """Looking for rows nobody announced is a read; the claim (a write) waits for a due row."""
    begun = Counter[str]()

    def on_begin(conn: Connection) -> None:
        begun["read" if conn.get_execution_options().get(READ_ONLY) else "write"] += 1

    engine = db.engine.sync_engine
    event.listen(engine, "begin", on_begin)
    try:
        w = worker(db, bot, poll_interval=timedelta(seconds=0.01))
        stop = asyncio.Event()
        task = asyncio.create_task(w.run_forever(stop))

        async def polls(reads: int) -> None:
            for _ in range(1000):
                if begun["read"] >= reads:
                    return
                await asyncio.sleep(0.01)
            raise AssertionError(f"the worker polled {begun['read']} times, not {reads}")

        await polls(5)  # past the start (which hands back dead workers' rows: a write)
        writes_at_start = begun["write"]
        await polls(25)
        assert begun["write"] == writes_at_start  # 20 polls, no write transaction

        # A row written without notify() (e.g. by another process) is still found by a poll.
        await write(db, [{"chat_id": 2350, "text": "无人通知也送达"}])
        await fake.wait_for_message(2350, timeout=3)
        stop.set()
        await asyncio.wait_for(task, timeout=3)
        assert w.stats.sent == 1
    finally:
        event.remove(engine, "begin", on_begin)


async def test_stop_leaves_the_rest_pending_for_the_next_run(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    texts = [f"停止 {n}" for n in range(6)]
    await write(db, ({"chat_id": 2400, "text": t} for t in texts))
    w = worker(db, bot, private_interval=timedelta(seconds=0.3))
    stop = asyncio.Event()
    task = asyncio.create_task(w.run_forever(stop))
    await fake.wait_for_message(2400, timeout=3)
    stop.set()
    await asyncio.wait_for(task, timeout=2)
    rows = await rows_by_id(db)
    assert not [r for r in rows.values() if r.status == OutboxStatus.SENDING.value]
    assert 1 <= w.stats.sent < 6
    await worker(db, bot).drain(timeout=10)
    assert tally(fake, texts) == (6, 6, 0)
    assert chat_order(fake, 2400) == texts


async def test_backlog_counts_undelivered_rows(db: Database) -> None:
    clock = FakeClock(suite_now())
    start = clock.now()
    async with db.session() as s:
        await outbox.enqueue(s, chat_id=1, text="a", now=start)
        await outbox.enqueue(s, chat_id=2, text="b", now=start + timedelta(seconds=5))
    clock.advance(timedelta(seconds=65))
    left = await backlog(db, clock)
    assert left.count == 2 and left.oldest_age == timedelta(seconds=65)
    assert (await backlog(db, clock)).count == 2
    async with db.session() as s:
        for row in (await s.scalars(select(OutboxMessage))).all():
            row.status = OutboxStatus.SENT.value
    assert await backlog(db, clock) == outbox.Backlog(count=0, oldest_age=None)
