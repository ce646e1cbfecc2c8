"""The update inbox: nothing a user sent is lost between "received" and "handled"."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

from sqlalchemy import select
from telegram import Update

from bot.runtime.inbox import DurableUpdateQueue, UpdateInbox
from bot.runtime.inbox_owner import default_owner
from bot.services.clock import FakeClock
from config.district import District
from storage.db import Database
from storage.models import Case, InboundUpdate
from tests.botkit import sqlite_bot
from tests.factories import suite_now


def _update(update_id: int, text: str = "你好") -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "甲"},
            "text": text,
        },
    }


async def test_accept_is_durable_once_and_done_forgets_the_payload(db: Database) -> None:
    inbox = UpdateInbox(db, FakeClock(suite_now()))
    assert await inbox.accept(_update(10), "webhook") is True
    assert await inbox.accept(_update(10), "webhook") is False
    async with db.session() as s:
        row = await s.get(InboundUpdate, 10)
        assert row is not None and row.payload is not None and row.processed_at is None
    await inbox.done(10)
    async with db.session() as s:
        row = await s.get(InboundUpdate, 10)
        assert row is not None and row.payload is None and row.processed_at is not None
    # A handled update is never replayed, and its id still turns a retry away.
    assert await inbox.reclaim() == []
    assert await inbox.accept(_update(10), "webhook") is False


async def test_an_update_whose_process_died_is_replayed_after_its_lease(db: Database) -> None:
    clock = FakeClock(suite_now())
    crashed = UpdateInbox(db, clock, lease=timedelta(seconds=30), max_attempts=2)
    assert await crashed.accept(_update(20, "楼道灯坏了"), "polling")
    # The same process never replays what it is still handling.
    clock.advance(timedelta(minutes=5))
    assert await crashed.reclaim() == []
    # A restarted process waits for the lease, then takes it over, once per lease.
    restarted = UpdateInbox(
        db,
        FakeClock(clock.now() - timedelta(minutes=5)),
        lease=timedelta(seconds=30),
        max_attempts=2,
    )
    assert await restarted.reclaim() == []
    restarted.clock = clock
    [payload] = await restarted.reclaim()
    assert payload["update_id"] == 20 and payload["message"]["text"] == "楼道灯坏了"
    assert await restarted.reclaim() == []
    # A third instance after another lease: the attempt limit stops a poison update.
    clock.advance(timedelta(minutes=1))
    assert await UpdateInbox(db, clock, max_attempts=2).reclaim() == []


async def test_a_restarted_process_takes_back_its_dead_predecessors_updates_at_once(
    db: Database,
) -> None:
    clock = FakeClock(suite_now())
    host, _, boot, pidns = default_owner().split(":")
    exited = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import os; print(os.getpid())", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await exited.communicate()
    dead_pid = int(out)
    before_reboot = "00000000" if boot != "00000000" else "11111111"
    holders = {
        30: f"{host}:{dead_pid}:{boot}:{pidns}",  # killed: its pid no longer exists
        31: f"{host}:{os.getppid()}:{before_reboot}:{pidns}",  # of a boot before this one
        32: f"{host}:{os.getppid()}:{boot}:{pidns}",  # alive (the test runner's parent)
        33: f"elsewhere:{dead_pid}:{boot}:{pidns}",  # another host: cannot be judged here
        34: f"{host}:{dead_pid}:{boot}:1{pidns}",  # another container of the same name
    }
    for update_id, owner in holders.items():
        inbox = UpdateInbox(db, clock, lease=timedelta(seconds=30), owner=owner)
        assert await inbox.accept(_update(update_id, f"第{update_id}条"), "webhook")

    restarted = UpdateInbox(db, clock, lease=timedelta(seconds=30))
    assert await restarted.reclaim() == []  # every lease still runs
    assert await restarted.release_dead_owners() == (2 if boot != "-" else 1)
    taken = sorted(p["update_id"] for p in await restarted.reclaim())
    assert taken == ([30, 31] if boot != "-" else [30])
    # The living and the unknown keep their updates until their lease runs out.
    assert await restarted.release_dead_owners() == 0
    assert await restarted.reclaim() == []
    clock.advance(timedelta(seconds=31))
    assert sorted(p["update_id"] for p in await restarted.reclaim()) == (
        [32, 33, 34] if boot != "-" else [31, 32, 33, 34]
    )
    async with db.session() as s:
        row = await s.get(InboundUpdate, 30)
        assert row is not None and row.attempts == 2  # the killed attempt still counts


async def test_the_bot_answers_an_update_taken_in_before_a_crash(
    sqlite_url: str, district: District
) -> None:
    async with sqlite_bot(sqlite_url, district) as kit:
        assert kit.app is not None
        queue = kit.app.update_queue
        assert isinstance(queue, DurableUpdateQueue)
        # Written to the inbox (the webhook answered 200), then the process "died":
        # nothing was queued. After the lease, a running instance hands it back.
        payload = {
            "update_id": 900001,
            "message": {
                "message_id": 77,
                "date": 0,
                "chat": {"id": 6001, "type": "private", "first_name": "孙"},
                "from": {"id": 6001, "is_bot": False, "first_name": "孙"},
                "text": "/which 公司拖欠我三个月工资",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        assert await UpdateInbox(kit.db, kit.clock).accept(payload, "webhook")
        kit.clock.advance(timedelta(minutes=1))
        for replayed in await kit.runtime.inbox.reclaim():
            queue.put_accepted(Update.de_json(replayed, kit.app.bot))
        answer = await kit.fake.wait_for_message(6001, timeout=10)
        assert "民生保障" in answer.text
        # The handler's reply goes out before it returns; then the update is marked handled.
        for _ in range(100):
            async with kit.db.session() as s:
                row = await s.get(InboundUpdate, 900001)
                if row is not None and row.processed_at is not None:
                    break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the replayed update was never marked handled")
        async with kit.db.session() as s:
            assert (await s.scalars(select(Case))).all() == []  # /which files nothing
