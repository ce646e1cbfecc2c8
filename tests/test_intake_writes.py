"""A cheap hot path (issue 16): the writes one ordinary update costs, counted on the engine.

Every statement the engine runs is seen by a SQLAlchemy event listener; a
transaction counts as a write transaction when it ran at least one INSERT,
UPDATE or DELETE. No timing is involved.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event

from bot.fakeapi import FakeUser, UserAction
from bot.runtime.persistence import DatabasePersistence
from config.district import District
from storage.models import InboundUpdate
from tests.botkit import BotKit, sqlite_bot

CITIZEN = 9101
WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


@dataclass
class WriteCounter:
    """Write transactions and written rows' tables, as the engine sees them."""

    transactions: int = 0
    tables: Counter[str] = field(default_factory=Counter)

    def attach(self, kit: BotKit) -> None:
        engine = kit.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        match = WRITE.match(statement)
        if match:
            conn.info["writes"] = conn.info.get("writes", 0) + 1
            self.tables[match.group(2).lower()] += 1

    def _commit(self, conn: Any) -> None:
        if conn.info.pop("writes", 0):
            self.transactions += 1

    def _rollback(self, conn: Any) -> None:
        conn.info.pop("writes", None)

    def reset(self) -> None:
        self.transactions = 0
        self.tables.clear()


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def settled(kit: BotKit, action: UserAction) -> None:
    for _ in range(200):
        async with kit.db.session() as s:
            row = await s.get(InboundUpdate, action.update_id)
            if row is not None and row.processed_at is not None:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the update was never marked handled")


async def measured(
    kit: BotKit, counter: WriteCounter, user: FakeUser, text: str, expect: str
) -> tuple[int, Counter[str]]:
    """Write transactions and tables of one update, from its arrival to its settling."""
    counter.reset()
    action = user.send_text(text)
    await kit.answer(user, action, expect)
    await settled(kit, action)
    await asyncio.sleep(0)  # let the settling transaction's commit event run
    return counter.transactions, Counter(counter.tables)


async def test_an_ordinary_update_costs_the_inbox_row_and_one_settling_write(kit: BotKit) -> None:
    counter = WriteCounter()
    counter.attach(kit)
    citizen = kit.user(CITIZEN, "周")
    # First contact (the citizen's people row) is not an ordinary update; warm up.
    await measured(kit, counter, citizen, "公司拖欠我三个月工资不发", "提交")
    await measured(kit, counter, citizen, "/cancel", "取消")

    # A question that changes no state: the inbox row taken in, then marked handled.
    transactions, tables = await measured(
        kit, counter, citizen, "/which 公司拖欠我三个月工资", "办理部门"
    )
    assert transactions == 2, tables  # accept (before Telegram is answered) + settle
    assert tables == Counter({"inbound_updates": 2}), tables  # nothing in bot_state

    # A description that starts a conversation and a draft: still one settling
    # transaction, carrying the inbox row and the state together.
    transactions, tables = await measured(
        kit, counter, citizen, "公司拖欠我三个月工资不发，老板一直找借口", "提交"
    )
    assert transactions == 2, tables
    assert tables["inbound_updates"] == 2 and tables["bot_state"] >= 1, tables
    assert set(tables) == {"inbound_updates", "bot_state"}, tables

    # Leaving the conversation deletes its state, in the same settling transaction.
    transactions, tables = await measured(kit, counter, citizen, "/cancel", "取消")
    assert transactions == 2 and tables["bot_state"] >= 1, tables

    # Back to no state: nothing is written for it.
    transactions, tables = await measured(
        kit, counter, citizen, "/which 公司拖欠我三个月工资", "办理部门"
    )
    assert transactions == 2 and tables == Counter({"inbound_updates": 2}), tables


async def test_memory_keeps_no_idle_citizen_and_state_comes_back_from_the_database(
    kit: BotKit,
) -> None:
    assert kit.app is not None
    app = kit.app
    citizens = [kit.user(CITIZEN + 10 + i, f"群众{i}") for i in range(12)]
    proposals = []
    for citizen in citizens:
        action = citizen.send_text("公司拖欠我三个月工资不发，老板一直找借口")
        proposals.append(await kit.answer(citizen, action, "提交"))
        await settled(kit, action)
    # Twelve citizens each in the middle of a conversation with a draft: nothing of it is
    # held in memory once their updates are settled (it is in bot_state) …
    for _ in range(100):  # the last one is released just after its settling commit
        if not app.user_data:
            break
        await asyncio.sleep(0.02)
    assert dict(app.user_data) == {}
    assert all(len(c) == 0 for c in app._conversation_handler_conversations.values())
    persistence = app.persistence
    assert isinstance(persistence, DatabasePersistence) and persistence.cached_slots() == 0
    # … and each conversation continues where it was, read back for that one citizen.
    for citizen, proposal in zip(citizens[:3], proposals[:3], strict=True):
        action = citizen.press(proposal, "提交")
        await kit.answer(citizen, action, "可选 1/3")
        await settled(kit, action)
    for _ in range(100):  # the last one is released just after its settling commit
        if not app.user_data:
            break
        await asyncio.sleep(0.02)
    assert dict(app.user_data) == {}
