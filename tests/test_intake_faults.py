"""Faults the intake survives (issue 15, breaks 2 and 3): retried, then dead-lettered, never lost.

The database fault is injected at the driver boundary of the real SQLite
database: the next INSERT into ``cases`` fails with SQLite's own "database is
locked" error, which SQLAlchemy raises as ``OperationalError`` — what a
restarted or overloaded database does to a handler.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from bot.fakeapi import ChatMessage, FakeUser
from bot.runtime.inbox import DEFAULT_RETRY_BACKOFF, UpdateInbox
from bot.runtime.telegram_app import hand_over
from config.district import District
from handlers import texts
from storage.health import health_figures
from storage.models import Case, InboundUpdate
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 1501
TEXT = "公司拖欠我三个月工资不发，老板一直找借口"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


class CaseInsertFault:
    """Make the next ``times`` INSERTs into ``cases`` fail as a locked database does."""

    def __init__(self, kit: BotKit) -> None:
        self.remaining = 0
        self.raised = 0
        event.listen(kit.db.engine.sync_engine, "before_cursor_execute", self._before)

    def arm(self, times: int) -> None:
        self.remaining = times

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.remaining > 0 and statement.lstrip().upper().startswith("INSERT INTO CASES"):
            self.remaining -= 1
            self.raised += 1
            raise sqlite3.OperationalError("database is locked")


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def last_update_row(kit: BotKit) -> InboundUpdate:
    async with kit.db.session() as s:
        row = await s.scalar(select(InboundUpdate).order_by(InboundUpdate.update_id.desc()))
        assert row is not None
        return row


async def replay(kit: BotKit, after: timedelta) -> int:
    """What the host's replay loop does, once, ``after`` on the service clock."""
    assert kit.app is not None
    kit.clock.advance(after)
    return await hand_over(kit.app, await kit.runtime.inbox.reclaim(), kit.runtime.inbox)


async def up_to_the_last_step(kit: BotKit, user: FakeUser) -> None:
    proposal = await kit.say(user, TEXT, "提交")
    await kit.press(user, proposal, "提交", "可选 1/3")
    await kit.answer(user, user.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(user, user.press_reply_button("跳过"), "可选 3/3")


async def case_count(kit: BotKit) -> int:
    async with kit.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Case)) or 0)


async def test_break2_transient_db_error_keeps_the_update(kit: BotKit) -> None:
    fault = CaseInsertFault(kit)
    citizen = kit.user(CITIZEN, "赵")
    await up_to_the_last_step(kit, citizen)

    # The last step files the case; the database fails once in the middle of it.
    fault.arm(1)
    action = citizen.press_reply_button("跳过")

    async def failed_and_handed_back() -> bool:
        row = await last_update_row(kit)
        return row.last_error == "OperationalError"

    await until(failed_and_handed_back, "the failure recorded on the update")
    row = await last_update_row(kit)
    # Not marked handled, not given up: the update is kept for a retry.
    assert row.processed_at is None and row.dead_at is None and row.payload is not None
    assert fault.raised == 1 and await case_count(kit) == 0
    # No "not saved, try again" to the citizen: the service retries by itself.
    assert not [m for m in kit.fake.sent_messages(CITIZEN) if texts.NOT_SAVED_ERROR in m.content]

    # The replay after the back-off files it, and the citizen gets the receipt.
    assert await replay(kit, DEFAULT_RETRY_BACKOFF + timedelta(seconds=1)) == 1
    receipt = await kit.answer(citizen, action, "提交成功")
    assert receipt is not None and await case_count(kit) == 1
    await until(lambda: _processed(kit, row.update_id), "the retried update marked handled at last")


async def _processed(kit: BotKit, update_id: int) -> bool:
    async with kit.db.session() as s:
        row = await s.get(InboundUpdate, update_id)
        return row is not None and row.processed_at is not None


async def test_break2_an_update_failing_every_attempt_is_dead_lettered_and_told(
    kit: BotKit,
) -> None:
    fault = CaseInsertFault(kit)
    citizen = kit.user(CITIZEN, "赵")
    await up_to_the_last_step(kit, citizen)
    fault.arm(100)
    action = citizen.press_reply_button("跳过")
    max_attempts = kit.runtime.inbox.max_attempts
    for attempt in range(1, max_attempts + 1):
        await until(lambda n=attempt: _raised(fault, n), f"attempt {attempt} failing")
        if attempt < max_attempts:
            await until(lambda: _released(kit), "the failed update handed back")
            assert await replay(kit, DEFAULT_RETRY_BACKOFF * attempt + timedelta(seconds=1)) == 1

    told: ChatMessage = await kit.answer(citizen, action, texts.DEAD_LETTERED)
    assert told.content == texts.DEAD_LETTERED
    row = await last_update_row(kit)
    assert row.dead_at is not None and row.processed_at is None and row.payload is not None
    assert row.attempts == max_attempts and await case_count(kit) == 0
    async with kit.db.session() as s:
        figures = await health_figures(s, kit.clock.now())
    assert figures.dead_letters == 1 and figures.oldest_dead_letter_at is not None
    # A dead letter is never replayed again.
    assert await replay(kit, timedelta(hours=1)) == 0


async def _raised(fault: CaseInsertFault, n: int) -> bool:
    return fault.raised >= n


async def _released(kit: BotKit) -> bool:
    row = await last_update_row(kit)
    return row.last_error is not None and row.lease_until is not None


def _message(update_id: int, user_id: int, text: str | dict[str, Any]) -> dict[str, Any]:
    message: Any = text
    if isinstance(text, str):
        message = {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": user_id, "type": "private", "first_name": "钱"},
            "from": {"id": user_id, "is_bot": False, "first_name": "钱"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        }
    return {"update_id": update_id, "message": message}


async def test_break3_poison_update_does_not_block_replay(kit: BotKit) -> None:
    assert kit.app is not None
    # Written to the inbox by the webhook (200 answered), then the process died
    # before any was handled; one of them cannot be parsed at all.
    crashed = UpdateInbox(kit.db, kit.clock)
    payloads = [
        _message(700001, 7001, "/which 公司拖欠我三个月工资"),
        _message(700002, 7002, {"chat": "not a chat"}),
        _message(700003, 7003, "/which 孩子明年上小学，报名需要什么材料"),
        _message(700004, 7004, "/which 邻居家被盗了，派出所什么时候来看现场"),
    ]
    for payload in payloads:
        assert await crashed.accept(payload, "webhook")

    # A running instance takes them over after the lease: the poison one is set aside.
    assert await replay(kit, timedelta(minutes=1)) == 3
    for user_id, room in ((7001, "民生保障"), (7003, "社会事业"), (7004, "综合职能")):
        answer = await kit.fake.wait_for_message(user_id, timeout=10)
        assert room in answer.text
    async with kit.db.session() as s:
        poison = await s.get(InboundUpdate, 700002)
        assert poison is not None and poison.dead_at is not None
        assert poison.last_error is not None and poison.last_error.startswith("unparseable")
        figures = await health_figures(s, kit.clock.now())
    assert figures.dead_letters == 1
    for update_id in (700001, 700003, 700004):
        await until(lambda u=update_id: _processed(kit, u), f"update {update_id} handled")
    # Nothing left to replay, and the dead letter does not come back.
    assert await replay(kit, timedelta(hours=1)) == 0
