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

The rows are made in :mod:`bot.bench.scale_data`, loaded by
:mod:`bot.bench.scale_load` and timed by :mod:`bot.bench.scale_queries`; this
module runs the steps in order and keeps the figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.bench.database import create_database
from bot.bench.scale_load import grow
from bot.bench.scale_queries import time_queries
from config.district import load_district
from storage.case_scores import rebuild
from storage.db import Database


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
