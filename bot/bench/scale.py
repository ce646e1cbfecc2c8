"""``minqing bench scale``: grow the database, then time the dashboard's main queries.

The generator writes cases with consistent lifecycles (events in order, the
final status matching the last event, deadlines, follow-up data) spread over
the last 24 months, plus citizens who reported them. Loading is bulk: on
PostgreSQL ``COPY`` through asyncpg's ``copy_records_to_table`` with the
tables' secondary indexes dropped during the load and recreated from their
exact definitions afterwards (and foreign-key triggers off for the session);
on SQLite ``executemany`` in large transactions with ``synchronous=OFF`` and a
big page cache, the same index treatment. ``ANALYZE`` runs before timing.

Timed (each ``--repeat`` times, after one warm-up run):

* ``pending_for_unit`` — open cases of the busiest unit, overdue first
  (:meth:`bot.services.cases.CaseService.pending_for_unit`);
* ``overview`` — the district overview, cases by unit and status (the SQL a
  dashboard would run: ``GROUP BY owning_unit_id, status``);
* ``timeline`` — one case's history (:meth:`bot.services.cases.CaseService.timeline`);
* ``scores`` — every unit's figures for a month (:func:`bot.services.scores.unit_scores`);
* ``report`` — the monthly report (:func:`bot.services.reports.monthly_report`);
* ``scores_events`` — the same scores computed from the event log alone
  (:func:`bot.services.scores_events.unit_scores_from_events`, the reference
  the summary is checked against; no target), and whether both agree.

The scores read the summary table ``case_unit_scores``, which the service
keeps in step with every event it writes; the bulk load bypasses the service,
so the summary is rebuilt from the event log after the load (timed apart, the
same statement as the migration's backfill).

For every statement a function ran that took more than a few milliseconds the
plan is printed (``EXPLAIN ANALYZE`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on
SQLite) with the indexes it used.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from bot.bench.database import BenchDatabase, create_database
from bot.bench.scale_data import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    PEOPLE_COLUMNS,
    TARGET_MS,
    TZ,
    CaseGenerator,
    Generated,
    _Plan,
    batches,
)
from bot.services.callbacks import CallbackCodec
from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.services.organisation import sync_organisation
from bot.services.reports import monthly_report
from bot.services.scores import month_bounds, unit_scores
from bot.services.scores_events import same_figures, unit_scores_from_events
from config.district import District, load_district
from storage.case_scores import rebuild
from storage.db import Database
from storage.models import Case


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


_PG_INDEX = re.compile(r"(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)")
_SQLITE_INDEX = re.compile(r"USING (?:COVERING )?INDEX (\w+)|USING (INTEGER PRIMARY KEY)")


class _Capture:
    """Records the statements (and their times) a piece of code runs on an engine."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.statements: list[tuple[str, Any, float]] = []
        self._started: dict[int, float] = {}

    def _before(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        began = self._started.pop(id(cursor), time.perf_counter())
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, params, (time.perf_counter() - began) * 1000))

    def __enter__(self) -> _Capture:
        event.listen(self.db.engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(self.db.engine.sync_engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.db.engine.sync_engine, "before_cursor_execute", self._before)
        event.remove(self.db.engine.sync_engine, "after_cursor_execute", self._after)


async def _explain(db: Database, statement: str, params: Any, ms: float) -> _Plan:
    prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
    async with db.engine.connect() as conn:
        result = await conn.exec_driver_sql(prefix + statement, params)
        rows = result.fetchall()
    if db.is_sqlite:
        lines = [str(r[-1]) for r in rows]
        found = [m.group(1) or m.group(2) for line in lines for m in _SQLITE_INDEX.finditer(line)]
    else:
        lines = [str(r[0]) for r in rows]
        found = [m.group(1) for line in lines for m in _PG_INDEX.finditer(line)]
    return _Plan(statement, ms, "\n".join(lines), sorted(set(found)))


async def _timed(
    db: Database, fn: Callable[[], Awaitable[Any]], repeat: int
) -> tuple[float, list[float], list[tuple[str, Any, float]]]:
    """First (cold) run in ms, the timed runs in ms, and the statements of the last run."""
    started = time.perf_counter()
    await fn()
    cold = (time.perf_counter() - started) * 1000
    runs: list[float] = []
    statements: list[tuple[str, Any, float]] = []
    for i in range(repeat):
        if i == repeat - 1:
            with _Capture(db) as cap:
                started = time.perf_counter()
                await fn()
                runs.append((time.perf_counter() - started) * 1000)
            statements = cap.statements
        else:
            started = time.perf_counter()
            await fn()
            runs.append((time.perf_counter() - started) * 1000)
    return cold, runs, statements


async def time_queries(
    db: Database,
    district: District,
    generated: Generated,
    repeat: int,
    log: Callable[[str], None],
    print_plans: bool,
) -> dict[str, Any]:
    """Time the dashboard's queries on a grown database; figures per query."""
    service = CaseService(db, district, FakeClock(datetime.now(UTC)), CallbackCodec(b"b" * 32))
    year, month = (int(x) for x in generated.month.split("-"))
    unit = generated.busiest_unit
    as_of = month_bounds(year, month, TZ)[1]  # figures as of the month's end
    async with db.session() as s:
        open_count = await s.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.owning_unit_id == unit, Case.status.not_in(["closed", "followed_up"]))
        )

    async def overview() -> Any:
        async with db.session() as s:
            return (
                await s.execute(
                    select(Case.owning_unit_id, Case.status, func.count()).group_by(
                        Case.owning_unit_id, Case.status
                    )
                )
            ).all()

    queries: dict[str, Callable[[], Awaitable[Any]]] = {
        "pending_for_unit": lambda: service.pending_for_unit(unit, limit=50),
        "overview": overview,
        "timeline": lambda: service.timeline(generated.sample_case_id),
        "scores": lambda: unit_scores(db, district, year, month, as_of=as_of, tz=TZ),
        "report": lambda: monthly_report(db, district, generated.month, as_of=as_of, tz=TZ),
        "scores_events": lambda: unit_scores_from_events(
            db, district, year, month, as_of=as_of, tz=TZ
        ),
    }
    backend = "sqlite" if db.is_sqlite else "postgres"
    out: dict[str, Any] = {}
    for name, fn in queries.items():
        target = TARGET_MS.get((backend, name), TARGET_MS[backend])
        cold, runs, statements = await _timed(db, fn, repeat)
        median = statistics.median(runs)
        slow = sorted(statements, key=lambda st: -st[2])
        plans = [await _explain(db, sql, params, ms) for sql, params, ms in slow[:3] if ms >= 2]
        if not plans and slow:
            sql, params, ms = slow[0]
            plans = [await _explain(db, sql, params, ms)]
        reference = name == "scores_events"
        out[name] = {
            "cold_ms": round(cold, 1),
            "median_ms": round(median, 1),
            "max_ms": round(max(runs), 1),
            "target_ms": None if reference else target,
            "met": None if reference else max(runs) < target,
            "statements": len(statements),
            "indexes_used": sorted({i for p in plans for i in p.indexes}),
        }
        log(
            f"[{backend}] {name}: median {median:.1f} ms, max {max(runs):.1f} ms, cold "
            f"{cold:.1f} ms ({len(statements)} statements) — "
            + (
                "the reference, no target"
                if reference
                else f"target {target:.0f} ms: {'met' if max(runs) < target else 'MISSED'}"
            )
            + "; indexes: "
            f"{', '.join(out[name]['indexes_used']) or 'none'}"
        )
        if print_plans:
            for plan in plans:
                log(f"  statement ({plan.ms:.1f} ms): {' '.join(plan.sql.split())[:300]}")
                for line in plan.plan.splitlines():
                    log(f"    {line}")
    summary = await unit_scores(db, district, year, month, as_of=as_of, tz=TZ)
    from_events = await unit_scores_from_events(db, district, year, month, as_of=as_of, tz=TZ)
    agree = same_figures(summary, from_events)
    log(
        f"[{backend}] scores from the summary and from the event log "
        f"({len(summary)} units): {'the same' if agree else 'DIFFERENT'}"
    )
    out["context"] = {
        "busiest_unit": unit,
        "open_cases_of_busiest_unit": int(open_count or 0),
        "summary_equals_event_log": agree,
    }
    return out


async def run_scale(
    *,
    database: str,
    cases: int,
    events: int,
    repeat: int,
    keep: bool,
    workdir: Path,
    print_plans: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run ``bench scale`` on one backend; the figures."""
    district = load_district()
    bench_db = await create_database(database, workdir if not keep else Path.cwd(), "scale")
    try:
        log(f"[{database}] generating {cases:,} cases and ~{events:,} events …")
        generated = await grow(bench_db, district, cases, events, log)
        rate = (generated.cases + generated.events) / generated.seconds
        log(
            f"[{database}] loaded {generated.cases:,} cases, {generated.events:,} events, "
            f"{generated.people:,} citizens in {generated.seconds:.1f} s ({rate:,.0f} rows/s)"
        )
        db = Database(bench_db.url)
        try:
            started = time.perf_counter()
            async with db.engine.begin() as conn:
                summary_rows = await rebuild(conn)
            async with db.engine.connect() as conn:
                await conn.execute(text("ANALYZE case_unit_scores"))
                await conn.commit()
            summary_seconds = time.perf_counter() - started
            log(
                f"[{database}] rebuilt the scores' summary from the event log: "
                f"{summary_rows:,} rows in {summary_seconds:.1f} s"
            )
            if db.is_sqlite:
                async with db.engine.connect() as conn:
                    size = (
                        await conn.execute(
                            text(
                                "SELECT page_count * page_size FROM pragma_page_count(), "
                                "pragma_page_size()"
                            )
                        )
                    ).scalar()
            else:
                async with db.engine.connect() as conn:
                    size = (
                        await conn.execute(text("SELECT pg_database_size(current_database())"))
                    ).scalar()
            queries = await time_queries(db, district, generated, repeat, log, print_plans)
        finally:
            await db.dispose()
    finally:
        if keep:
            log(f"[{database}] kept the database: {bench_db.url}")
        else:
            await bench_db.drop()
    return {
        "cases": generated.cases,
        "events": generated.events,
        "citizens": generated.people,
        "load_seconds": round(generated.seconds, 1),
        "load_rows_per_s": round(rate),
        "summary_rows": summary_rows,
        "summary_seconds": round(summary_seconds, 1),
        "database_mb": round(int(size or 0) / 1024 / 1024, 1),
        "month": generated.month,
        "queries": queries,
    }
