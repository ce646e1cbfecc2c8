"""Fault runs (short variants): the service loses nothing under faults, and we count it.

Each test drives ``minqing serve`` in a child process against the fake Bot API
(see :mod:`bot.bench.faults`) and asserts on the counts: every acknowledged update
has its case, every outbox row arrived at the fake, duplicates within the
documented bound. The slow and destructive runs (``kill -9`` — it waits for the
60 s delivery lease — and the PostgreSQL restart) need ``MINQING_SLOW_TESTS=1``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.bench.fault_report import FaultReport
from bot.bench.faults import (
    run_api_faults,
    run_kill9,
    run_pg_restart,
    run_sqlite_lock,
    run_two_instances,
)
from tests.conftest import postgres_admin_url

SLOW = os.environ.get("MINQING_SLOW_TESTS") == "1"
needs_slow = pytest.mark.skipif(not SLOW, reason="slow fault run: set MINQING_SLOW_TESTS=1")
needs_postgres = pytest.mark.skipif(
    postgres_admin_url() is None, reason="MINQING_TEST_POSTGRES_URL is not set"
)


def assert_nothing_lost(
    report: FaultReport, max_duplicates: int = 0, rows_per_case: int | None = 2
) -> None:
    """Every acknowledged update filed its case once; every outbox row arrived."""
    print(report.summary())
    assert report.updates_posted > 0
    assert report.updates_never_acknowledged == 0, report.summary()
    assert report.acknowledged_without_case == [], report.summary()
    assert report.duplicate_cases == 0, report.summary()
    assert report.cases_in_db == report.updates_posted, report.summary()
    if rows_per_case is not None:  # two cards (chief, staff); the officer's receipt
        # is the conversation's own reply (one receipt, issue 18), not an outbox row
        assert report.outbox_written == rows_per_case * report.cases_in_db, report.summary()
    assert report.outbox_undelivered == 0 and report.outbox_failed == 0, report.summary()
    assert report.rows_never_seen_at_fake == 0, report.summary()
    # A row folded into a scheduler pass's digest arrived as a line of it (trial 28 P4).
    assert report.rows_delivered_at_fake + report.rows_folded == report.outbox_written, (
        report.summary()
    )
    assert report.duplicate_deliveries <= max_duplicates, report.summary()


async def test_bot_api_answering_429_then_500_loses_nothing(tmp_path: Path) -> None:
    report = await run_api_faults("sqlite", tmp_path, rate=2.0, duration=6.0, drain_timeout=60)
    assert_nothing_lost(report)
    faults = " ".join(report.notes)
    assert "429" in faults and "500" in faults


async def test_sqlite_held_exclusive_for_seconds_loses_nothing(tmp_path: Path) -> None:
    report = await run_sqlite_lock(
        tmp_path, rate=5.0, duration=5.0, lock_seconds=3.0, drain_timeout=60
    )
    assert_nothing_lost(report)
    assert any("held BEGIN EXCLUSIVE for 3.0 s" in n for n in report.notes)


@needs_postgres
async def test_two_instances_on_one_postgres_deliver_once_and_fire_timers_once(
    tmp_path: Path,
) -> None:
    report = await run_two_instances(
        tmp_path, rate=5.0, duration=4.0, timer_wait=40, drain_timeout=60
    )
    assert_nothing_lost(report, rows_per_case=None)  # re-notifications add rows
    assert report.timers_due is not None and report.timers_due > 0
    assert report.timers_fired == report.timers_due
    assert report.timers_fired_twice == 0


@pytest.mark.slow
@needs_slow
async def test_kill_9_during_a_burst_then_restart_loses_nothing(tmp_path: Path) -> None:
    # Updates the webhook acknowledged (200) but the killed process had not handled
    # are replayed from the inbox by the restarted one once their lease runs out.
    report = await run_kill9("sqlite", tmp_path, rate=8.0, duration=8.0, drain_timeout=120)
    # The documented repeat: at most one per row in flight when the process died.
    assert_nothing_lost(report, max_duplicates=report.outbox_written)


@pytest.mark.slow
@needs_slow
@needs_postgres
@pytest.mark.skipif(shutil.which("pg_ctlcluster") is None, reason="needs pg_ctlcluster")
async def test_postgres_restart_during_a_burst_loses_nothing(tmp_path: Path) -> None:
    report = await run_pg_restart(tmp_path, rate=5.0, duration=10.0, drain_timeout=120)
    assert_nothing_lost(report)
    assert any("/healthz after the restart: 200" in n for n in report.notes)
