"""Outbox delivery for tests: a fast worker, the people and cases written about, counts.

:func:`worker` runs :class:`bot.runtime.delivery.DeliveryWorker` on the suite's
clock with fast retries and pacing; :func:`seed` writes the people and cases;
:func:`write` enqueues outbox rows; :func:`kill_mid_request` kills a worker with requests
open; :func:`tally`, :func:`sent_texts` and :func:`chat_order` count what the fake Bot API
(the ``fake`` fixture) received.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.fakeapi import FakeBotApi
from bot.runtime.delivery import DeliveryWorker
from bot.services.clock import FakeClock
from storage import outbox
from storage.db import Database
from storage.enums import OutboxStatus, Role
from storage.models import Case, OutboxMessage, Person
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


async def kill_mid_request(
    db: Database, fake: FakeBotApi, bot: Bot, *, lease: timedelta, hold: float, open_within: float
) -> int:
    """Kill a worker while the fake holds its first four ``sendMessage`` requests open.

    Args:
        db: The database.
        fake: The fake Bot API.
        bot: The worker's bot.
        lease: The worker's lease.
        hold: Seconds the fake holds each of the four requests.
        open_within: Seconds to wait for all four to be open at once.

    Returns:
        How many rows the dead worker left ``sending`` (at least four).
    """
    fake.delay("sendMessage", hold, count=4)
    doomed = worker(db, bot, lease=lease)
    task = asyncio.create_task(doomed.run_once())
    await fake.wait_for(lambda: fake.in_flight("sendMessage") == 4, timeout=open_within)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    rows = await rows_by_id(db)
    in_flight = sum(1 for r in rows.values() if r.status == OutboxStatus.SENDING.value)
    assert in_flight >= 4
    return in_flight


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
