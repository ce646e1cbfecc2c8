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
COMMIT = re.compile(r"^\s*(COMMIT|END)\b", re.IGNORECASE)
ROLLBACK = re.compile(r"^\s*ROLLBACK\s*$", re.IGNORECASE)


@dataclass
class WriteCounter:
    """Write transactions and written rows' tables, as SQLite itself sees them.

    Every pooled connection gets SQLite's trace callback (``sqlite3``'s
    ``set_trace_callback``), so statements are counted whichever way they were
    sent: through SQLAlchemy or on the raw connection (``Database.hot``).
    """

    transactions: int = 0
    tables: Counter[str] = field(default_factory=Counter)
    _writes: dict[int, int] = field(default_factory=dict)

    async def attach(self, kit: BotKit) -> None:
        engine = kit.db.engine.sync_engine
        event.listen(engine, "connect", self._connected)
        await kit.db.engine.dispose()  # every connection from now on is a traced one

    def _connected(self, dbapi_connection: Any, _record: Any) -> None:
        ident = id(dbapi_connection)

        def trace(statement: str) -> None:
            self._statement(ident, statement)

        dbapi_connection.run_async(lambda driver: driver.set_trace_callback(trace))

    def _statement(self, ident: int, statement: str) -> None:
        match = WRITE.match(statement)
        if match:
            self._writes[ident] = self._writes.get(ident, 0) + 1
            self.tables[match.group(2).lower()] += 1
        elif COMMIT.match(statement):
            if self._writes.pop(ident, 0):
                self.transactions += 1
        elif ROLLBACK.match(statement):
            self._writes.pop(ident, None)

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
    """Write transactions and tables from an update's arrival until the bot is done with it."""
    counter.reset()
    action = user.send_text(text)
    await kit.answer(user, action, expect)
    await kit.handled(action)
    await asyncio.sleep(0)  # let a commit event run
    return counter.transactions, Counter(counter.tables)


async def test_an_ordinary_update_costs_one_write_transaction(kit: BotKit) -> None:
    counter = WriteCounter()
    await counter.attach(kit)
    # A lazy settling is written on its own after ``settle_delay`` real seconds. Each step
    # below counts what one update cost, so none may be written on its own in between,
    # however slow the machine: the delay is made longer than the test (the last step
    # shortens it to see that write).
    inbox = kit.runtime.inbox
    inbox.settle_delay = 3600.0
    citizen = kit.user(CITIZEN, "周")
    # First contact: the citizen's people row is written in the transaction that takes
    # the update in (no write of its own).
    transactions, tables = await measured(kit, counter, citizen, "公司拖欠我三个月工资不发", "提交")
    assert transactions == 1, tables
    assert tables == Counter({"inbound_updates": 1, "people": 1}), tables
    person = await kit.person(CITIZEN)
    assert person is not None and person.name == "周" and person.role == "citizen"
    await measured(kit, counter, citizen, "/cancel", "取消")
    await kit.runtime.inbox.flush()

    # A question: the inbox row taken in, and nothing else — its "handled" mark and the
    # draft it keeps (its 登记此问题 button, trial 30 #21) wait for the next write.
    transactions, tables = await measured(
        kit, counter, citizen, "/which 公司拖欠我三个月工资", "办理部门"
    )
    assert transactions == 1, tables
    assert tables == Counter({"inbound_updates": 1}), tables
    assert kit.runtime.inbox.unsettled()  # settled lazily

    # A description that starts a conversation and a draft: one transaction, taking the
    # update in and carrying the previous update's mark and the question's draft.
    transactions, tables = await measured(
        kit, counter, citizen, "公司拖欠我三个月工资不发，老板一直找借口", "提交"
    )
    assert transactions == 1, tables
    assert tables == Counter({"inbound_updates": 2, "bot_state": 1}), tables

    # Leaving the conversation: one transaction again; it carries the description's
    # settling — its mark and its conversation state and draft, together.
    transactions, tables = await measured(kit, counter, citizen, "/cancel", "取消")
    assert transactions == 1, tables
    assert tables["inbound_updates"] == 2 and tables["bot_state"] >= 2, tables
    assert set(tables) == {"inbound_updates", "bot_state"}, tables

    # Back to no state: one transaction, carrying the deletion of /cancel's state.
    transactions, tables = await measured(
        kit, counter, citizen, "/which 公司拖欠我三个月工资", "办理部门"
    )
    assert transactions == 1 and tables["bot_state"] >= 1, tables

    assert len(inbox.unsettled()) == 1  # the question's own mark waits
    await inbox.flush()

    # With no further update, what waits is written alone once the settle delay passes:
    # the question costs its intake and, after the delay, one write of its mark and of
    # the draft it keeps.
    # Waited for on the database (the mark is committed), not on time.
    inbox.settle_delay = 0.05
    counter.reset()
    action = citizen.send_text("/which 公司拖欠我三个月工资")
    await kit.answer(citizen, action, "办理部门")
    await settled(kit, action)
    assert not inbox.unsettled()
    assert counter.transactions == 2
    assert counter.tables == Counter({"inbound_updates": 2, "bot_state": 1}), counter.tables
    async with kit.db.read() as s:
        row = await s.get(InboundUpdate, action.update_id)
        assert row is not None and row.processed_at is not None and row.payload is None


async def test_a_state_waiting_to_be_written_is_not_read_back_stale(kit: BotKit) -> None:
    """A conversation continues from memory while its settling still waits (no stale read)."""
    citizen = kit.user(CITIZEN + 1, "吴")
    action = citizen.send_text("公司拖欠我三个月工资不发，老板一直找借口")
    proposal = await kit.answer(citizen, action, "提交")
    await kit.handled(action)
    # Press at once: the draft may not be in the database yet; the bot still has it.
    press = citizen.press(proposal, "提交")
    await kit.answer(citizen, press, "可选 1/3")


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
