"""The outbox delivery worker's life, against the fake Bot API, on SQLite and PostgreSQL.

A dead worker's claimed rows after the lease, answers lost or a worker killed
mid-send (at most one repeat, nothing lost), two workers sharing the rows, the
service loop (notify, idle reads, stop) and the backlog count.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from telegram import Bot

from bot.fakeapi import FakeBotApi
from bot.runtime.delivery import DeliveryWorker, _Delivered, backlog
from bot.services.clock import FakeClock
from storage import outbox
from storage.db import READ_ONLY, Database
from storage.enums import OutboxStatus
from storage.models import OutboxMessage
from tests.botkit import WAIT
from tests.deliverykit import (
    FAST,
    chat_order,
    kill_mid_request,
    rows_by_id,
    sent_texts,
    tally,
    worker,
    write,
)
from tests.factories import SUITE_CLOCK, suite_now

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
    await fake.wait_for(lambda: len(fake.calls("sendMessage")) == 10, timeout=WAIT)
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
    # Four requests are in flight when the worker dies: each is held 6 s, so that all four are
    # open at once even when a busy machine makes the worker slow to start the fourth (held
    # 0.3 s, the first could end before the fourth began: seen on two test workers at load 8).
    in_flight = await kill_mid_request(db, fake, bot, lease=lease, hold=6.0, open_within=10)
    heir = worker(db, bot, lease=lease)
    await heir.drain(timeout=10)
    # The dead worker's held requests are still executed (as Telegram would): count them too.
    await fake.wait_for(lambda: fake.in_flight("sendMessage") == 0, timeout=10)
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
    # Woken by notify(), not by the 30 s poll: the suite's WAIT tells one from the other
    # on any machine.
    await fake.wait_for_message(2300, timeout=WAIT)
    stop.set()
    await asyncio.wait_for(task, timeout=WAIT)
    assert w.stats.sent == 1


async def test_an_idle_worker_polls_with_reads_and_takes_no_write_transaction(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    """Looking for rows nobody announced is a read; the claim (a write) waits for a due row.

    PostgreSQL: counted on SQLAlchemy's transactions. SQLite: the poll is one plain
    statement on the hot path (``outbox.next_due_at_hot``), so SQLite's own trace
    counts it, and a write transaction by its ``BEGIN IMMEDIATE``.
    """
    begun = Counter[str]()

    def on_begin(conn: Connection) -> None:
        if not db.is_sqlite:
            begun["read" if conn.get_execution_options().get(READ_ONLY) else "write"] += 1

    def traced(statement: str) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            begun["write"] += 1
        elif statement.startswith("SELECT (SELECT min(next_attempt_at) FROM outbox"):
            begun["read"] += 1

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.run_async(lambda driver: driver.set_trace_callback(traced))

    engine = db.engine.sync_engine
    event.listen(engine, "begin", on_begin)
    if db.is_sqlite:
        event.listen(engine, "connect", on_connect)
        await db.engine.dispose()  # every connection from now on is a traced one
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
        await fake.wait_for_message(2350, timeout=WAIT)
        stop.set()
        await asyncio.wait_for(task, timeout=WAIT)
        assert w.stats.sent == 1
    finally:
        event.remove(engine, "begin", on_begin)
        if db.is_sqlite:
            event.remove(engine, "connect", on_connect)


async def test_stop_leaves_the_rest_pending_for_the_next_run(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    texts = [f"停止 {n}" for n in range(6)]
    await write(db, ({"chat_id": 2400, "text": t} for t in texts))
    w = worker(db, bot, private_interval=timedelta(seconds=0.3))
    stop = asyncio.Event()
    task = asyncio.create_task(w.run_forever(stop))
    await fake.wait_for_message(2400, timeout=WAIT)
    stop.set()
    await asyncio.wait_for(task, timeout=WAIT)
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
