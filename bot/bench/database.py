"""Databases for benchmark and fault runs: made for one run, migrated, dropped after.

* :func:`provision_database` — a fresh, migrated database with the default
  organisation, on SQLite (a temporary file) or PostgreSQL (a database created
  for the run on the server of :func:`postgres_admin_url` and dropped afterwards).
* :func:`add_people` — staff, chiefs and officers bound to units directly in
  the database (faster than invites, same rows).
* :func:`ledger` — what the database says was written and delivered, the
  count every fault run ends with.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.services.organisation import sync_organisation
from config.district import District, load_district
from storage.db import Database
from storage.inbox import count_unhandled
from storage.models import Case, OutboxMessage, Person

#: Environment variables naming a PostgreSQL server where databases may be created.
POSTGRES_ENVS = ("MINQING_BENCH_POSTGRES_URL", "MINQING_TEST_POSTGRES_URL")
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    """The PostgreSQL URL through which benchmark databases are created."""
    for name in POSTGRES_ENVS:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return DEFAULT_POSTGRES_URL


async def postgres_admin(sql: str, admin_url: str | None = None) -> None:
    """Run one statement on the PostgreSQL admin connection (CREATE/DROP DATABASE)."""
    import asyncpg  # type: ignore[import-untyped]

    url = make_url(admin_url or postgres_admin_url())
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
        timeout=10,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@dataclass
class BenchDatabase:
    """A database made for one run.

    Attributes:
        backend: ``sqlite`` or ``postgres``.
        url: SQLAlchemy URL (async driver).
        name: The PostgreSQL database name or the SQLite file path.
    """

    backend: str
    url: str
    name: str

    async def drop(self) -> None:
        """Remove the database (PostgreSQL) or its files (SQLite)."""
        if self.backend == "postgres":
            await postgres_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            _remove_sqlite_files(self.name)


def _remove_sqlite_files(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(path + suffix).unlink()


async def create_database(backend: str, workdir: Path, label: str = "bench") -> BenchDatabase:
    """Create an empty database (no schema) on ``backend``."""
    if backend == "sqlite":
        path = workdir / f"minqing-{label}-{uuid.uuid4().hex[:8]}.db"
        return BenchDatabase("sqlite", f"sqlite+aiosqlite:///{path}", str(path))
    if backend != "postgres":
        raise ValueError(f"unknown database backend {backend!r} (sqlite or postgres)")
    prefix = os.environ.get("MINQING_BENCH_DB_PREFIX", "mq")  # e.g. a branch name
    name = f"{prefix}_{label}_{uuid.uuid4().hex[:10]}"
    await postgres_admin(f'CREATE DATABASE "{name}"')
    url = make_url(postgres_admin_url()).set(drivername="postgresql+asyncpg", database=name)
    return BenchDatabase("postgres", url.render_as_string(hide_password=False), name)


@contextlib.asynccontextmanager
async def provision_database(
    backend: str, workdir: Path, district: District | None = None, label: str = "bench"
) -> AsyncIterator[BenchDatabase]:
    """A migrated database with the organisation loaded, dropped on exit.

    Args:
        backend: ``sqlite`` or ``postgres``.
        workdir: Where a SQLite file goes.
        district: The organisation (default: the embedded district).
        label: Part of the database name.

    Yields:
        The database description (open it with :class:`storage.db.Database`).
    """
    bench_db = await create_database(backend, workdir, label)
    try:
        db = Database(bench_db.url)
        try:
            await db.migrate()
            await sync_organisation(db, district or load_district())
        finally:
            await db.dispose()
        yield bench_db
    finally:
        await bench_db.drop()


async def add_people(
    db: Database, specs: Iterable[tuple[str, str]], first_id: int, name_prefix: str = "bench"
) -> list[Person]:
    """Insert people bound to units, with Telegram ids ``first_id``, ``first_id + 1`` …

    Args:
        db: The database.
        specs: ``(unit_id, role)`` pairs.
        first_id: The first Telegram user id (also the chat id).
        name_prefix: Names are ``{prefix}-{id}``.

    Returns:
        The people, in order.
    """
    people: list[Person] = []
    async with db.session() as s:
        for i, (unit_id, role) in enumerate(specs):
            tid = first_id + i
            person = Person(
                telegram_user_id=tid,
                chat_id=tid,
                name=f"{name_prefix}-{tid}",
                role=role,
                unit_id=unit_id,
            )
            s.add(person)
            people.append(person)
        await s.flush()
    return people


@dataclass
class Ledger:
    """What the database says was written and delivered (for the fault runs).

    Attributes:
        cases: Cases in the database.
        outbox: Outbox rows.
        sent: Rows marked sent.
        undelivered: Rows pending or sending.
        failed: Rows failed for good.
        unhandled_updates: Telegram updates taken in but not yet handled by the bot.
    """

    cases: int
    outbox: int
    sent: int
    undelivered: int
    failed: int
    unhandled_updates: int = 0


async def ledger(db: Database) -> Ledger:
    """Count cases, outbox rows by delivery state, and updates not yet handled."""
    async with db.session() as s:
        cases = int(await s.scalar(select(func.count()).select_from(Case)) or 0)
        rows = (
            await s.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            )
        ).all()
        unhandled = await count_unhandled(s)
    by = {str(status): int(n) for status, n in rows}
    return Ledger(
        cases=cases,
        outbox=sum(by.values()),
        sent=by.get("sent", 0),
        undelivered=by.get("pending", 0) + by.get("sending", 0),
        failed=by.get("failed", 0),
        unhandled_updates=unhandled,
    )
