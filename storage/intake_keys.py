"""Intake keys: what a filed case came in as, so that it is filed once (``intake_keys``).

The runtime names the update being handled (:func:`handling`, ``tg:UPDATE_ID``); the
filing service asks :func:`next_key` for the key of the case it is about to file, looks
it up (:func:`filed_case`) and writes it with the case (:func:`remember`), in one
transaction. A replay of the same update after ``kill -9`` (its case committed, the
update not yet marked handled) therefore finds its case and files nothing; two instances
filing the same update at once collide on the primary key, and the second one's
transaction is rolled back (:func:`is_key_conflict`). The web form (``web:FORM_ID``) and an
Open311 POST with an ``Idempotency-Key`` (``o311:API_KEY_ID:VALUE``) are keyed the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import rowcount
from storage.models import IntakeKey


@dataclass
class _Handling:
    base: str
    filed: int = field(default=0)


_current: ContextVar[_Handling | None] = ContextVar("minqing_intake_key", default=None)


@contextmanager
def handling(base: str) -> Iterator[None]:
    """Name what the code run inside files its cases for (``tg:UPDATE_ID``)."""
    token = _current.set(_Handling(base))
    try:
        yield
    finally:
        _current.reset(token)


def next_key() -> str | None:
    """The key of the next case filed while handling (None outside :func:`handling`).

    The first case of an update is keyed ``BASE``, a second one ``BASE#2``: a replay
    runs the same handlers, so it asks for the same keys in the same order.
    """
    current = _current.get()
    if current is None:
        return None
    current.filed += 1
    return current.base if current.filed == 1 else f"{current.base}#{current.filed}"


def peek_key() -> str | None:
    """The key :func:`next_key` would give now, without taking it (a check before filing)."""
    current = _current.get()
    if current is None:
        return None
    n = current.filed + 1
    return current.base if n == 1 else f"{current.base}#{n}"


def telegram_key(update_id: int) -> str:
    """The intake key base of a Telegram update."""
    return f"tg:{update_id}"


async def filed_case(session: AsyncSession, key: str) -> int | None:
    """The id of the case already filed under ``key``, if any."""
    return await session.scalar(select(IntakeKey.case_id).where(IntakeKey.key == key))


async def remember(session: AsyncSession, key: str, case_id: int, now: datetime) -> None:
    """Record that ``case_id`` was filed under ``key`` (in the filing's transaction).

    Flushed at once: a second instance that filed the same update first makes this
    raise :class:`~sqlalchemy.exc.IntegrityError` here, before anything is sent.
    """
    session.add(IntakeKey(key=key, case_id=case_id, created_at=now))
    await session.flush()


def is_key_conflict(exc: IntegrityError) -> bool:
    """Whether ``exc`` is the primary key of ``intake_keys`` refusing a second filing."""
    return "intake_keys" in str(exc.orig) or "pk_intake_keys" in str(exc.orig)


async def purge(session: AsyncSession, before: datetime) -> int:
    """Forget keys written before ``before`` (a replay comes within minutes, a retry hours)."""
    result = await session.execute(delete(IntakeKey).where(IntakeKey.created_at < before))
    return rowcount(result)
