"""``bench scale``'s bulk load: the generated rows into a fresh database, indexes rebuilt after.

On PostgreSQL ``COPY`` through asyncpg's ``copy_records_to_table`` with the
tables' secondary indexes dropped during the load and recreated from their
exact definitions afterwards (and foreign-key triggers off for the session);
on SQLite ``executemany`` in large transactions with ``synchronous=OFF`` and a
big page cache, the same index treatment. ``ANALYZE`` runs at the end. The
rows come from :mod:`bot.bench.scale_data`; :func:`grow` is the whole step.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

from bot.bench.database import BenchDatabase
from bot.bench.scale_data import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    PEOPLE_COLUMNS,
    TZ,
    CaseGenerator,
    Generated,
    batches,
)
from bot.services.organisation import sync_organisation
from config.district import District
from storage.db import Database


async def _pg_connect(url: str) -> Any:
    import asyncpg  # type: ignore[import-untyped]

    u = make_url(url)
    return await asyncpg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password,
        database=u.database,
    )


async def _load_postgres(url: str, gen: CaseGenerator, log: Callable[[str], None]) -> None:
    conn = await _pg_connect(url)
    try:
        defs = [
            (r["indexname"], r["indexdef"])
            for r in await conn.fetch(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY($1) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                ["cases", "case_events", "people"],
            )
        ]
        for name, _ in defs:
            await conn.execute(f'DROP INDEX "{name}"')
        await conn.execute("SET session_replication_role = replica")
        await conn.copy_records_to_table("people", records=gen.people(), columns=PEOPLE_COLUMNS)
        for cases, events, last in batches(gen):
            if cases:
                await conn.copy_records_to_table("cases", records=cases, columns=CASE_COLUMNS)
                await conn.copy_records_to_table(
                    "case_events", records=events, columns=EVENT_COLUMNS
                )
            if last is not None:
                log(f"  {last:,} cases, {gen.events_written:,} events …")
        await conn.execute("SET session_replication_role = origin")
        log(f"  recreating {len(defs)} indexes …")
        for _, definition in defs:
            await conn.execute(definition)
        for table, column in (("cases", "id"), ("case_events", "id"), ("people", "id")):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"(SELECT max({column}) FROM {table}))"
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _load_sqlite(path: str, gen: CaseGenerator, log: Callable[[str], None]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-400000")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA foreign_keys=OFF")
        defs = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
            "AND tbl_name IN ('cases', 'case_events', 'people')"
        ).fetchall()
        for name, _ in defs:
            conn.execute(f'DROP INDEX "{name}"')

        def insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
            marks = ", ".join("?" * len(columns))
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [tuple(_sqlite_value(v) for v in row) for row in rows],
            )

        conn.execute("BEGIN")
        insert("people", PEOPLE_COLUMNS, list(gen.people()))
        conn.execute("COMMIT")
        for cases, events, last in batches(gen):
            conn.execute("BEGIN")
            insert("cases", CASE_COLUMNS, cases)
            insert("case_events", EVENT_COLUMNS, events)
            conn.execute("COMMIT")
            if last is not None:
                log(f"  {last:,} cases, {gen.events_written:,} events …")
        log(f"  recreating {len(defs)} indexes …")
        for _, definition in defs:
            conn.execute(definition)
        conn.execute("ANALYZE")
    finally:
        conn.close()


async def grow(
    bench_db: BenchDatabase, district: District, cases: int, events: int, log: Callable[[str], None]
) -> Generated:
    """Migrate, load the organisation and bulk-load the generated rows."""
    db = Database(bench_db.url)
    try:
        await db.migrate()
        await sync_organisation(db, district)
    finally:
        await db.dispose()
    now = datetime.now(UTC)
    gen = CaseGenerator(district, cases, events, now)
    started = time.perf_counter()
    if bench_db.backend == "postgres":
        await _load_postgres(bench_db.url, gen, log)
    else:
        await asyncio.to_thread(_load_sqlite, bench_db.name, gen, log)
    seconds = time.perf_counter() - started
    busiest = max(gen.unit_counts, key=lambda u: gen.unit_counts[u])
    month_start = (now.astimezone(TZ).replace(day=1) - timedelta(days=1)).replace(day=1)
    return Generated(
        cases=cases,
        events=gen.events_written,
        people=gen.citizens,
        seconds=seconds,
        busiest_unit=busiest,
        sample_case_id=cases // 2 or 1,
        month=f"{month_start:%Y-%m}",
    )
