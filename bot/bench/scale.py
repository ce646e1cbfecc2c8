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
* ``report`` — the monthly report (:func:`bot.services.reports.monthly_report`).

For every statement a function ran that took more than a few milliseconds the
plan is printed (``EXPLAIN ANALYZE`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on
SQLite) with the indexes it used.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from bot.bench.service import BenchDatabase, create_database
from bot.services.callbacks import CallbackCodec
from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from bot.services.organisation import sync_organisation
from bot.services.reports import monthly_report
from bot.services.scores import unit_scores
from config.district import District, load_district
from storage.db import Database
from storage.models import Case

TZ = ZoneInfo("Asia/Shanghai")
TARGET_MS = {"postgres": 500.0, "sqlite": 2000.0}
BATCH = 100_000
#: Final status → share of cases (open ones are about a third, as in a busy district).
STATUS_MIX: tuple[tuple[str, float], ...] = (
    ("closed", 0.50),
    ("followed_up", 0.04),
    ("resolved", 0.08),
    ("in_progress", 0.06),
    ("acknowledged", 0.08),
    ("dispatched", 0.17),
    ("returned", 0.03),
    ("reopened", 0.04),
)
#: The events that lead to each final status, in order.
LIFECYCLE: dict[str, tuple[str, ...]] = {
    "dispatched": ("registered", "dispatched"),
    "acknowledged": ("registered", "dispatched", "acknowledged"),
    "in_progress": ("registered", "dispatched", "acknowledged", "in_progress"),
    "resolved": ("registered", "dispatched", "acknowledged", "resolved"),
    "followed_up": ("registered", "dispatched", "acknowledged", "resolved", "followed_up"),
    "closed": ("registered", "dispatched", "acknowledged", "resolved", "followed_up", "closed"),
    "returned": ("registered", "dispatched", "returned"),
    "reopened": ("registered", "dispatched", "acknowledged", "resolved", "followed_up", "reopened"),
}
_TO_STATUS = {
    "registered": "registered",
    "dispatched": "dispatched",
    "acknowledged": "acknowledged",
    "in_progress": "in_progress",
    "resolved": "resolved",
    "followed_up": "followed_up",
    "closed": "closed",
    "returned": "returned",
    "reopened": "reopened",
    "reminded": None,
}
TEXTS = (
    "公司拖欠我三个月工资不发，老板一直找借口",
    "小区路灯坏了一个多月没人修",
    "邻居装修噪音太大，晚上十一点还在施工",
    "孩子上学报名需要什么材料",
    "工厂晚上偷排污水，河里的鱼都死了",
)
CASE_COLUMNS = [
    "id",
    "number",
    "kind",
    "channel",
    "original_text",
    "normalized_text",
    "room",
    "bureau",
    "confidence",
    "keywords",
    "severity",
    "priority",
    "status",
    "owning_unit_id",
    "territorial_unit_id",
    "reporter_id",
    "address",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "photo_file_ids",
    "head_count",
    "ack_due_at",
    "first_contact_due_at",
    "resolve_due_at",
    "dispatched_at",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
    "escalation_level",
    "escalated_to_unit_id",
    "resolution_note",
    "created_at",
    "updated_at",
    "version",
]
EVENT_COLUMNS = [
    "id",
    "case_id",
    "type",
    "from_status",
    "to_status",
    "unit_id",
    "actor_id",
    "channel",
    "note",
    "data",
    "created_at",
]
PEOPLE_COLUMNS = [
    "id",
    "telegram_user_id",
    "chat_id",
    "name",
    "role",
    "unit_id",
    "leader_rank",
    "phone",
    "blocked_at",
    "active",
    "created_at",
]


@dataclass
class Generated:
    """What the generator wrote."""

    cases: int = 0
    events: int = 0
    people: int = 0
    seconds: float = 0.0
    busiest_unit: str = ""
    sample_case_id: int = 0
    month: str = ""


@dataclass
class _Plan:
    sql: str
    ms: float
    plan: str
    indexes: list[str] = field(default_factory=list)


def _owners(district: District) -> list[str]:
    kinds = {"department_station", "street_station", "park_station", "service_room"}
    kinds |= {"community_room", "residential_room", "centre"}
    return [uid for uid, unit in district.units.items() if unit.kind.value in kinds]


class _Generator:
    """Deterministic rows for cases, events and citizens."""

    def __init__(self, district: District, cases: int, events: int, now: datetime) -> None:
        self.rng = random.Random(20260303)
        self.cases = cases
        self.target_events = events
        self.now = now
        self.owners = _owners(district)
        # A skewed load: the first units get much more than the last ones.
        self.weights = [1.0 / (i + 1) ** 0.6 for i in range(len(self.owners))]
        self.citizens = max(1, cases // 10)
        self.first_person = 1_000
        self.statuses = [s for s, _ in STATUS_MIX]
        self.status_weights = [w for _, w in STATUS_MIX]
        lifecycle_mean = sum(len(LIFECYCLE[s]) * w for s, w in STATUS_MIX)
        self.extra_per_case = max(0.0, events / max(1, cases) - lifecycle_mean)
        self.events_written = 0
        self.unit_counts: dict[str, int] = {}

    def people(self) -> Iterator[tuple[Any, ...]]:
        created = self.now - timedelta(days=800)
        for i in range(self.citizens):
            pid = self.first_person + i
            yield (
                pid,
                5_000_000_000 + pid,
                5_000_000_000 + pid,
                f"群众{pid}",
                "citizen",
                None,
                None,
                None,
                None,
                True,
                created,
            )

    def rows(self) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
        """Per case: the case row and its event rows (ids assigned in order)."""
        rng = self.rng
        span = timedelta(days=730).total_seconds()
        event_id = 0
        for case_id in range(1, self.cases + 1):
            created = self.now - timedelta(seconds=rng.random() * span)
            owner = rng.choices(self.owners, self.weights)[0]
            self.unit_counts[owner] = self.unit_counts.get(owner, 0) + 1
            status = rng.choices(self.statuses, self.status_weights)[0]
            kind = "warning" if rng.random() < 0.1 else "request"
            severity = (
                rng.choice(("low", "medium", "high", "critical")) if kind == "warning" else "low"
            )
            ack_due = created + timedelta(hours=1 if severity in ("high", "critical") else 24)
            resolve_due = created + timedelta(days=7)
            steps = list(LIFECYCLE[status])
            extra = int(self.extra_per_case) + (rng.random() < self.extra_per_case % 1)
            if status in ("dispatched", "acknowledged", "in_progress", "reopened"):
                steps[2:2] = []  # reminders go at the end for open cases
            steps += ["reminded"] * extra
            times: list[datetime] = []
            t = created
            for _ in steps:
                times.append(t)
                t = t + timedelta(minutes=rng.randint(5, 60 * 24))
            text_ = TEXTS[case_id % len(TEXTS)] + f"（{case_id}）"
            milestones = dict(zip(steps, times, strict=True))
            last = times[-1]
            case_row = (
                case_id,
                f"MQ{created:%Y%m%d}-{case_id:07d}",
                kind,
                "telegram",
                text_,
                text_,
                "livelihood",
                "labor",
                0.8,
                json.dumps(["工资"], ensure_ascii=False),
                severity,
                "normal",
                status,
                owner,
                None,
                self.first_person + rng.randrange(self.citizens),
                None,
                None,
                None,
                None,
                None,
                "[]",
                None,
                ack_due,
                None,
                resolve_due,
                milestones.get("dispatched"),
                milestones.get("acknowledged"),
                milestones.get("resolved"),
                milestones.get("closed"),
                0,
                None,
                None,
                created,
                last,
                len(steps),
            )
            events: list[tuple[Any, ...]] = []
            prev: str | None = None
            for type_, at in zip(steps, times, strict=True):
                event_id += 1
                to = _TO_STATUS[type_]
                data: dict[str, Any] = {}
                if type_ == "acknowledged":
                    data = {"on_time": at <= ack_due}
                elif type_ == "resolved":
                    data = {"on_time": at <= resolve_due}
                elif type_ == "followed_up":
                    data = {
                        "solved": rng.random() < 0.85,
                        "satisfaction": rng.choice(
                            ("satisfied", "satisfied", "basically_satisfied", "unsatisfied")
                        ),
                    }
                events.append(
                    (
                        event_id,
                        case_id,
                        type_,
                        prev if to else None,
                        to,
                        owner,
                        None,
                        "system",
                        None,
                        json.dumps(data),
                        at,
                    )
                )
                if to:
                    prev = to
            self.events_written += len(events)
            yield case_row, events


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


async def _load_postgres(url: str, gen: _Generator, log: Callable[[str], None]) -> None:
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
        cases: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for case_row, event_rows in gen.rows():
            cases.append(case_row)
            events.extend(event_rows)
            if len(events) >= BATCH * 4:
                await conn.copy_records_to_table("cases", records=cases, columns=CASE_COLUMNS)
                await conn.copy_records_to_table(
                    "case_events", records=events, columns=EVENT_COLUMNS
                )
                log(f"  {case_row[0]:,} cases, {gen.events_written:,} events …")
                cases, events = [], []
        if cases:
            await conn.copy_records_to_table("cases", records=cases, columns=CASE_COLUMNS)
            await conn.copy_records_to_table("case_events", records=events, columns=EVENT_COLUMNS)
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


def _load_sqlite(path: str, gen: _Generator, log: Callable[[str], None]) -> None:
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
        cases: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for case_row, event_rows in gen.rows():
            cases.append(case_row)
            events.extend(event_rows)
            if len(events) >= BATCH * 4:
                conn.execute("BEGIN")
                insert("cases", CASE_COLUMNS, cases)
                insert("case_events", EVENT_COLUMNS, events)
                conn.execute("COMMIT")
                log(f"  {case_row[0]:,} cases, {gen.events_written:,} events …")
                cases, events = [], []
        conn.execute("BEGIN")
        insert("cases", CASE_COLUMNS, cases)
        insert("case_events", EVENT_COLUMNS, events)
        conn.execute("COMMIT")
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
    gen = _Generator(district, cases, events, now)
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
    print_plans: bool,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Time the dashboard's queries on a grown database; figures per query."""
    service = CaseService(db, district, FakeClock(datetime.now(UTC)), CallbackCodec(b"b" * 32))
    year, month = (int(x) for x in generated.month.split("-"))
    unit = generated.busiest_unit
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
        "scores": lambda: unit_scores(db, district, year, month, tz=TZ),
        "report": lambda: monthly_report(db, district, generated.month, tz=TZ),
    }
    backend = "sqlite" if db.is_sqlite else "postgres"
    target = TARGET_MS[backend]
    out: dict[str, Any] = {}
    for name, fn in queries.items():
        cold, runs, statements = await _timed(db, fn, repeat)
        median = statistics.median(runs)
        slow = sorted(statements, key=lambda st: -st[2])
        plans = [await _explain(db, sql, params, ms) for sql, params, ms in slow[:3] if ms >= 2]
        if not plans and slow:
            sql, params, ms = slow[0]
            plans = [await _explain(db, sql, params, ms)]
        out[name] = {
            "cold_ms": round(cold, 1),
            "median_ms": round(median, 1),
            "max_ms": round(max(runs), 1),
            "target_ms": target,
            "met": max(runs) < target,
            "statements": len(statements),
            "indexes_used": sorted({i for p in plans for i in p.indexes}),
        }
        log(
            f"[{backend}] {name}: median {median:.1f} ms, max {max(runs):.1f} ms, cold "
            f"{cold:.1f} ms ({len(statements)} statements) — target {target:.0f} ms: "
            f"{'met' if max(runs) < target else 'MISSED'}; indexes: "
            f"{', '.join(out[name]['indexes_used']) or 'none'}"
        )
        if print_plans:
            for plan in plans:
                log(f"  statement ({plan.ms:.1f} ms): {' '.join(plan.sql.split())[:300]}")
                for line in plan.plan.splitlines():
                    log(f"    {line}")
    out["context"] = {"busiest_unit": unit, "open_cases_of_busiest_unit": int(open_count or 0)}
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
            queries = await time_queries(db, district, generated, repeat, print_plans, log)
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
        "database_mb": round(int(size or 0) / 1024 / 1024, 1),
        "month": generated.month,
        "queries": queries,
    }
