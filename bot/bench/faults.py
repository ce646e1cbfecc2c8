"""Fault runs: crash, Bot API errors, database outages and two instances — then count.

Every run drives ``minqing serve`` in child processes (webhook mode) whose bot
talks to a fake Bot API in this process. Information officers file one-shot
early warnings (``/warn TEXT〔Bn〕``: one update → one case, a card to each of
the unit's handlers and a receipt to the officer, all through the outbox, plus
the bot's direct confirmation). Updates are posted at a fixed rate by the
harness, which retries a failed webhook call the way Telegram does. At the end
each run COUNTS what was written against what was delivered:

* updates posted, acknowledged by the webhook (2xx) and never acknowledged;
* cases in the database (by the marker ``〔Bn〕`` in their text), acknowledged
  updates without a case (lost after the webhook said OK), duplicated cases;
* outbox rows written, sent, failed, still undelivered; rows that arrived at
  the fake (a successful ``sendMessage``/``editMessageText`` with the row's chat
  and text) and extra copies (duplicates);
* for two instances: due timers, fired timers, and timers whose effect
  (a ``renotified`` event) happened more than once.

Runs (``python -m bot.bench.faults RUN``; ``--help`` for options):

* ``kill9`` — ``kill -9`` of the service in the middle of the burst, restart;
* ``api`` — the Bot API answers 429 then 500 to every call for ``--duration`` s;
* ``pg-restart`` — ``pg_ctlcluster 15 main restart`` during the burst;
* ``sqlite-lock`` — another connection holds ``BEGIN EXCLUSIVE`` for ``--lock`` s;
* ``two`` — two services on one PostgreSQL database, updates spread over both,
  every ack timer made due at once;
* ``spam-critical``, ``api-down`` — see :mod:`bot.bench.faults_delivery`;
* ``pg-restart4``, ``poison-kill9``, ``flood`` — see :mod:`bot.bench.faults_survive`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Unpack

from sqlalchemy import func, select, update

from bot.bench.database import ledger
from bot.bench.fault_report import FaultReport
from bot.bench.faults_delivery import run_api_down, run_spam_critical
from bot.bench.faults_survive import run_flood, run_pg_restarts, run_poison_kill9
from bot.bench.figures import merge_figures
from bot.bench.harness import Pace, fault_run, paced, wait_drained
from bot.bench.service import ServiceProcess, free_port
from bot.services.lifecycle import EventType, TimerKind
from storage.db import Database, rowcount
from storage.models import CaseEvent, Timer

#: How ``pg-restart`` restarts the cluster.
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


# ------------------------------------------------------------------ the runs


async def run_kill9(
    database: str, workdir: Path, *, downtime: float = 1.0, **pace: Unpack[Pace]
) -> FaultReport:
    """``kill -9`` the service at 40% of the burst, restart it after ``downtime`` seconds."""
    rate, duration, drain_timeout = paced(pace, 10.0, 10.0, 150.0)
    async with fault_run("kill9", database, workdir, ["kill9-a"], port=free_port()) as run:
        first = run.services[0]

        async def crash_and_restart() -> None:
            before = await ledger_safe(run.bench_db.url)
            await first.kill()
            run.report.notes.append(f"killed pid {first.pid} with SIGKILL; outbox then: {before}")
            await asyncio.sleep(downtime)
            second = await run.start("kill9-b")
            run.report.notes.append(f"restarted as pid {second.pid}")

        await run.burst_and_drain(rate, duration, drain_timeout, at=[(0.4, crash_and_restart)])
    return run.report


async def ledger_safe(db_url: str) -> str:
    """The outbox counts as text (or why they are unavailable)."""
    db = Database(db_url)
    try:
        counts = await ledger(db)
        return (
            f"{counts.outbox} rows, {counts.sent} sent, {counts.undelivered} pending/sending, "
            f"{counts.failed} failed"
        )
    except Exception as exc:
        return f"unavailable ({type(exc).__name__})"
    finally:
        await db.dispose()


async def run_api_faults(database: str, workdir: Path, **pace: Unpack[Pace]) -> FaultReport:
    """The Bot API answers 429 to the next calls, then 500 to as many more.

    The faults are counted in calls, not seconds (about half the burst's calls each):
    a window in seconds could pass with no call landing in it on a busy machine, and
    the run would then test nothing.
    """
    rate, duration, drain_timeout = paced(pace, 5.0, 60.0, 180.0)
    async with fault_run("api", database, workdir, ["api"]) as run:
        fake = run.fake
        calls = max(4, round(rate * duration / 2))

        async def faults() -> None:
            # Rules answer in the order they were added: every 429 first, then the 500s.
            fake.fail(None, 429, count=calls, retry_after=1)
            fake.fail(None, 500, count=calls)

        run.after_stop.append(
            lambda: run.report.notes.append(
                "calls answered by injected faults: "
                + ", ".join(f"{m} {s}: {n}" for (m, s), n in sorted(fake.fault_counts.items()))
            )
        )
        # Filings before, during and after the fault window.
        await run.burst_and_drain(
            rate, duration + 4, drain_timeout, at=[(2 / (duration + 4), faults)]
        )
    return run.report


async def run_pg_restart(workdir: Path, **pace: Unpack[Pace]) -> FaultReport:
    """Restart the PostgreSQL cluster in the middle of the burst."""
    rate, duration, drain_timeout = paced(pace, 10.0, 12.0, 150.0)
    async with fault_run("pg-restart", "postgres", workdir, ["pg-restart"]) as run:

        async def restart() -> None:
            t0 = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                *PG_RESTART, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            out, _ = await proc.communicate()
            run.report.notes.append(
                f"`{' '.join(PG_RESTART)}` exited {proc.returncode} after "
                f"{time.monotonic() - t0:.1f} s {out.decode(errors='replace').strip()}"
            )

        await run.burst_and_drain(rate, duration, drain_timeout, at=[(0.4, restart)])
        health = await _healthz(run.services[0])
        run.report.notes.append(f"/healthz after the restart: {health}")
    return run.report


async def _healthz(service: ServiceProcess) -> str:
    import aiohttp

    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(service.origin + "/healthz") as resp,
        ):
            return f"{resp.status} {await resp.text()}"
    except aiohttp.ClientError as exc:
        return f"unreachable ({exc})"


def _hold_exclusive(path: str, seconds: float, ready: Any) -> None:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        ready.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


async def run_sqlite_lock(
    workdir: Path, *, lock_seconds: float = 4.0, **pace: Unpack[Pace]
) -> FaultReport:
    """Another connection holds ``BEGIN EXCLUSIVE`` on the SQLite file for ``lock_seconds``."""
    rate, duration, drain_timeout = paced(pace, 10.0, 10.0, 90.0)
    import threading

    async with fault_run("sqlite-lock", "sqlite", workdir, ["sqlite-lock"]) as run:
        service, poster = run.services[0], run.posters[0]

        async def lock() -> None:
            ready = threading.Event()
            t0 = time.monotonic()
            await asyncio.to_thread(_hold_exclusive, run.bench_db.name, lock_seconds, ready)
            run.report.notes.append(
                f"held BEGIN EXCLUSIVE for {lock_seconds} s "
                f"(released after {time.monotonic() - t0:.1f} s)"
            )

        def notes() -> None:
            run.report.notes.append(
                "webhook answers: "
                + ", ".join(f"{k}: {v}" for k, v in sorted(poster.statuses.items()))
            )
            retried = [line for line in service.lines if "locked" in line.lower()]
            run.report.notes.append(f"service log lines mentioning 'locked': {len(retried)}")

        run.after_stop.append(notes)
        await run.burst_and_drain(rate, duration, drain_timeout, at=[(0.3, lock)])
    return run.report


async def _fire_ack_timers(db_url: str, report: FaultReport, timer_wait: float) -> None:
    """Make every open ack timer due now; count those fired and effects repeated."""
    db = Database(db_url)
    try:
        past = datetime.now(UTC) - timedelta(seconds=1)
        async with db.session() as s:
            due = await s.execute(
                update(Timer)
                .where(
                    Timer.kind == TimerKind.ACK_DUE.value,
                    Timer.fired_at.is_(None),
                    Timer.cancelled_at.is_(None),
                )
                .values(due_at=past)
            )
            report.timers_due = rowcount(due)
        deadline = time.monotonic() + timer_wait
        fired = 0
        while time.monotonic() < deadline:
            async with db.session() as s:
                fired = int(
                    await s.scalar(
                        select(func.count())
                        .select_from(Timer)
                        .where(
                            Timer.kind == TimerKind.ACK_DUE.value,
                            Timer.due_at <= past,
                            Timer.fired_at.is_not(None),
                        )
                    )
                    or 0
                )
            if fired >= report.timers_due:
                break
            await asyncio.sleep(1)
        report.timers_fired = fired
        async with db.session() as s:
            per_case = (
                await s.execute(
                    select(CaseEvent.case_id, func.count())
                    .where(CaseEvent.type == EventType.RENOTIFIED.value)
                    .group_by(CaseEvent.case_id)
                )
            ).all()
        report.timers_fired_twice = sum(1 for _, n in per_case if n > 1)
    finally:
        await db.dispose()


async def run_two_instances(
    workdir: Path, *, timer_wait: float = 40.0, **pace: Unpack[Pace]
) -> FaultReport:
    """Two services on one PostgreSQL database; updates alternate; ack timers made due."""
    rate, duration, drain_timeout = paced(pace, 10.0, 8.0, 120.0)
    async with fault_run("two", "postgres", workdir, ["two-a", "two-b"]) as run:
        assert run.burst is not None
        pa, pb = run.posters
        run.after_stop.append(
            lambda: run.report.notes.append(
                "webhook answers: "
                + ", ".join(
                    f"{k}: {v}"
                    for k, v in sorted((Counter(pa.statuses) + Counter(pb.statuses)).items())
                )
            )
        )
        await run.burst.run(rate, duration)
        await run.burst.settle()
        await wait_drained(run.bench_db.url, drain_timeout)
        await _fire_ack_timers(run.bench_db.url, run.report, timer_wait)
        await wait_drained(run.bench_db.url, drain_timeout)
        await asyncio.sleep(1)
    return run.report


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.bench.faults RUN [options]``: run one fault scenario and print the counts."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.bench.faults", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "run",
        choices=(
            *("kill9", "api", "pg-restart", "sqlite-lock", "two", "spam-critical", "api-down"),
            *("pg-restart4", "poison-kill9", "flood"),
        ),
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="for kill9 and api (default sqlite)",
    )
    parser.add_argument("--rate", type=float, default=10.0, help="warnings per second")
    for flag, default, text in (
        ("--duration", None, "burst seconds (api: the fault window, default 60)"),
        ("--lock", 4.0, "sqlite-lock: seconds held"),
        ("--drain", None, "seconds to wait for the outbox to drain (default per run)"),
    ):
        parser.add_argument(flag, type=float, default=default, help=text)
    parser.add_argument("--spam", type=int, default=60, help="spam-critical: routine filings")
    parser.add_argument("--down", type=float, default=60.0, help="api-down: seconds down")
    parser.add_argument("--restarts", type=int, default=4, help="pg-restart4: restarts")
    parser.add_argument("--flood", type=int, default=600, help="flood: the flooder's messages")
    parser.add_argument("--flood-rate", type=float, default=60.0, help="flood: posted a second")
    parser.add_argument("--watch", type=float, default=60.0, help="flood: seconds of queries")
    parser.add_argument("--out", type=Path, help="merge the counts into this JSON file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bot.fakeapi").setLevel(logging.ERROR)

    async def go(workdir: Path) -> FaultReport:
        if args.run == "spam-critical":
            return await run_spam_critical(args.database, workdir, spam=args.spam)
        if args.run == "api-down":
            return await run_api_down(args.database, workdir, down=args.down)
        if args.run == "pg-restart4":
            return await run_pg_restarts(
                workdir, restarts=args.restarts, rate=args.rate, duration=args.duration or 24.0
            )
        if args.run == "flood":
            return await run_flood(
                args.database,
                workdir,
                flood=args.flood,
                flood_rate=args.flood_rate,
                watch=args.watch,
            )
        if args.run in ("kill9", "poison-kill9"):
            crash = run_kill9 if args.run == "kill9" else run_poison_kill9
            return await crash(
                args.database, workdir, rate=args.rate, duration=args.duration or 10.0
            )
        if args.run == "api":
            return await run_api_faults(
                args.database,
                workdir,
                rate=min(args.rate, 5.0),
                duration=args.duration or 60.0,
                drain_timeout=args.drain or 600.0,
            )
        if args.run == "pg-restart":
            return await run_pg_restart(workdir, rate=args.rate, duration=args.duration or 12.0)
        if args.run == "sqlite-lock":
            return await run_sqlite_lock(
                workdir, rate=args.rate, duration=args.duration or 10.0, lock_seconds=args.lock
            )
        return await run_two_instances(workdir, rate=args.rate, duration=args.duration or 8.0)

    with tempfile.TemporaryDirectory(prefix="minqing-faults-") as tmp:
        report = asyncio.run(go(Path(tmp)))
    print(report.summary())
    if args.out:
        merge_figures(args.out, f"fault_{args.run}_{report.database}", report.as_dict())
    return 0 if report.nothing_lost else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

__all__ = [
    "run_api_faults",
    "run_kill9",
    "run_pg_restart",
    "run_sqlite_lock",
    "run_two_instances",
]
