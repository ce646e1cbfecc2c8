"""Small helpers for the case-service tests: people, a fake classifier, services, queries."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.runtime.scheduler import Scheduler
from bot.services.callbacks import CallbackAction, CallbackCodec
from bot.services.cases import CaseService
from bot.services.clock import Clock, FakeClock, service_clock
from config.district import District
from config.settings import load_settings
from storage.db import Database
from storage.models import Case, CaseEvent, OutboxMessage, Person, Timer

CODEC = CallbackCodec(b"test-secret-for-callbacks-0123456789")
#: A fixed start: Tuesday 2026-03-03 09:00 in Shanghai.
START = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)

#: The suite's clock: the service's clock as configured (``MINQING_CLOCK_START``: a
#: chosen instant that runs on; unset: the real time). Tests that need "now" or
#: "today" take it from here, never from ``date.today()`` or ``datetime.now()``.
SUITE_CLOCK: Clock = service_clock(load_settings().clock_start)


def suite_now() -> datetime:
    """The current time on the suite's clock (UTC)."""
    return SUITE_CLOCK.now()


_ids = itertools.count(1_000_001)


@dataclass(frozen=True)
class FakeClassification:
    """The shape of ``nlp.classify``'s result."""

    room: str
    bureau: str
    confidence: float
    keywords: list[str] = field(default_factory=list)
    alternatives: list[tuple[str, str, float]] = field(default_factory=list)
    truncated: bool = False
    severity: str = "low"


#: substring -> (room, bureau, confidence, severity)
RULES: dict[str, tuple[str, str, float, str]] = {
    "路灯": ("urban", "construction", 0.9, "low"),
    "拖欠工资": ("livelihood", "labor", 0.85, "medium"),
    "打架": ("general", "police", 0.8, "high"),
    "聚集": ("general", "police", 0.8, "critical"),
    "说不清": ("urban", "planning", 0.2, "low"),
}


def fake_classifier(text: str) -> FakeClassification:
    """A deterministic keyword classifier for tests."""
    for word, (room, bureau, confidence, severity) in RULES.items():
        if word in text:
            return FakeClassification(
                room, bureau, confidence, [word], [("social", "health", 0.1)], False, severity
            )
    return FakeClassification("unknown", "unknown", 0.0, [], [], False, "low")


def make_service(db: Database, district: District, clock: FakeClock | None = None) -> CaseService:
    """A service with the fake classifier and a fake clock at :data:`START`."""
    return CaseService(db, district, clock or FakeClock(START), CODEC, classifier=fake_classifier)


def make_scheduler(service: CaseService, db: Database | None = None) -> Scheduler:
    """A scheduler sharing the service's clock (optionally on another Database object)."""
    return Scheduler(db or service.db, service.district, service.clock, service)


async def make_person(
    db: Database,
    role: str = "citizen",
    unit_id: str | None = None,
    *,
    name: str | None = None,
    chat: bool = True,
    phone: str | None = None,
) -> Person:
    """Insert a person (with a Telegram chat unless ``chat`` is False)."""
    n = next(_ids)
    async with db.session() as s:
        person = Person(
            telegram_user_id=n if chat else None,
            chat_id=n if chat else None,
            name=name or f"{role}-{n}",
            role=role,
            unit_id=unit_id,
            phone=phone,
        )
        s.add(person)
        await s.flush()
        return person


async def citizen(db: Database, *, chat: bool = True) -> Person:
    """A citizen."""
    return await make_person(db, "citizen", chat=chat)


async def chief(db: Database, unit_id: str) -> Person:
    """A chief (站长/室主任) of ``unit_id``."""
    return await make_person(db, "chief", unit_id)


async def staff(db: Database, unit_id: str) -> Person:
    """A staff member of ``unit_id``."""
    return await make_person(db, "staff", unit_id)


async def officer(db: Database, unit_id: str) -> Person:
    """An information officer of ``unit_id``."""
    return await make_person(db, "officer", unit_id)


async def outbox(db: Database, case_id: int | None = None, after: int = 0) -> list[OutboxMessage]:
    """Outbox rows (of one case) with id > ``after``, in order."""
    async with db.session() as s:
        stmt = select(OutboxMessage).where(OutboxMessage.id > after).order_by(OutboxMessage.id)
        if case_id is not None:
            stmt = stmt.where(OutboxMessage.case_id == case_id)
        return list((await s.scalars(stmt)).all())


async def last_outbox_id(db: Database) -> int:
    """The newest outbox id (0 if none)."""
    rows = await outbox(db)
    return rows[-1].id if rows else 0


async def events(db: Database, case_id: int) -> list[CaseEvent]:
    """The events of a case, oldest first."""
    async with db.session() as s:
        rows = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
        return list(rows.all())


async def event_types(db: Database, case_id: int) -> list[str]:
    """The event types of a case, oldest first."""
    return [e.type for e in await events(db, case_id)]


async def load_case(db: Database, case_id: int) -> Case:
    """The case row."""
    async with db.session() as s:
        case = await s.get(Case, case_id)
        assert case is not None
        return case


async def timers(db: Database, case_id: int) -> list[Timer]:
    """All timers of a case."""
    async with db.session() as s:
        rows = await s.scalars(select(Timer).where(Timer.case_id == case_id).order_by(Timer.id))
        return list(rows.all())


def recipients(rows: Sequence[OutboxMessage], kind: str | None = None) -> set[int]:
    """The person ids of ``rows`` (optionally only one kind)."""
    return {
        r.person_id for r in rows if r.person_id is not None and (kind is None or r.kind == kind)
    }


def buttons(row: OutboxMessage) -> list[CallbackAction]:
    """The decoded callback actions of a row's buttons, in order."""
    markup: dict[str, Any] | None = row.reply_markup
    if not markup:
        return []
    out: list[CallbackAction] = []
    for line in markup["inline_keyboard"]:
        for b in line:
            decoded = CODEC.decode(b["callback_data"])
            assert decoded is not None
            out.append(decoded)
    return out


def actions(row: OutboxMessage) -> list[str]:
    """The action codes of a row's buttons (``ack``, ``done``, ``fu:satisfied`` …)."""
    return [b.action.value + (f":{b.arg}" if b.arg else "") for b in buttons(row)]
