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
  every ack timer made due at once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from bot.bench.service import (
    BENCH_TOKEN,
    ServiceProcess,
    WebhookPoster,
    add_people,
    detach_fake_webhook,
    free_port,
    ledger,
    provision_database,
    update_of,
)
from bot.fake_bot_api import FakeBotApi, running_fake_bot_api
from bot.services.lifecycle import EventType, TimerKind
from storage.db import Database
from storage.models import Case, CaseEvent, OutboxMessage, Timer

log = logging.getLogger(__name__)

WARNING_TEXT = "两户村民因宅基地边界发生争吵，可能动手"
#: Units of the officers; each also gets a chief and a staff member.
UNITS = ("dongcheng", "xihu", "gaoxin_park", "labor", "education")
FIRST_OFFICER = 830_000_001
FIRST_HANDLER = 840_000_001
_MARKER = re.compile(r"〔B(\d+)〕")
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


@dataclass
class FaultReport:
    """What a fault run wrote and delivered (see the module docstring)."""

    run: str
    database: str
    updates_posted: int = 0
    updates_acknowledged: int = 0
    updates_never_acknowledged: int = 0
    cases_in_db: int = 0
    acknowledged_without_case: list[int] = field(default_factory=list)
    duplicate_cases: int = 0
    confirmations_seen: int = 0
    outbox_written: int = 0
    outbox_sent: int = 0
    outbox_failed: int = 0
    outbox_undelivered: int = 0
    rows_delivered_at_fake: int = 0
    rows_never_seen_at_fake: int = 0
    duplicate_deliveries: int = 0
    timers_due: int | None = None
    timers_fired: int | None = None
    timers_fired_twice: int | None = None
    seconds: float = 0.0
    #: Seconds from the end of the burst until no outbox row was left undelivered.
    drain_seconds: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def nothing_lost(self) -> bool:
        """Every acknowledged update has its case and every outbox row arrived."""
        return (
            not self.acknowledged_without_case
            and self.outbox_undelivered == 0
            and self.rows_never_seen_at_fake == 0
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        out = asdict(self)
        out["nothing_lost"] = self.nothing_lost
        return out

    def summary(self) -> str:
        """The counts as a few human lines."""
        lines = [
            f"fault run {self.run} on {self.database} ({self.seconds:.1f} s)",
            f"  updates: posted {self.updates_posted}, acknowledged {self.updates_acknowledged}, "
            f"never acknowledged {self.updates_never_acknowledged}",
            f"  cases: in the database {self.cases_in_db}, acknowledged without a case "
            f"{len(self.acknowledged_without_case)}"
            + (f" {self.acknowledged_without_case[:10]}" if self.acknowledged_without_case else "")
            + f", duplicated {self.duplicate_cases}; officer confirmations seen "
            f"{self.confirmations_seen}",
            f"  outbox: written {self.outbox_written}, sent {self.outbox_sent}, failed "
            f"{self.outbox_failed}, undelivered {self.outbox_undelivered}; arrived at the fake "
            f"{self.rows_delivered_at_fake}, never arrived {self.rows_never_seen_at_fake}, "
            f"duplicate deliveries {self.duplicate_deliveries}",
        ]
        if self.drain_seconds is not None:
            lines.append(f"  outbox drained {self.drain_seconds:.1f} s after the burst ended")
        if self.timers_due is not None:
            lines.append(
                f"  timers: due {self.timers_due}, fired {self.timers_fired}, effect repeated "
                f"{self.timers_fired_twice}"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        lines.append(f"  nothing lost: {'yes' if self.nothing_lost else 'NO'}")
        return "\n".join(lines)


class Burst:
    """Officers filing one-shot warnings through the webhook at a fixed rate.

    Args:
        fake: The fake Bot API.
        posters: Webhook posters; updates go to them in turn (one per instance).
        retries: Webhook retries per update (Telegram retries failed deliveries).
    """

    def __init__(
        self, fake: FakeBotApi, posters: Sequence[WebhookPoster], retries: int = 12
    ) -> None:
        self.fake = fake
        self.posters = list(posters)
        self.retries = retries
        self.officers = [fake.user(FIRST_OFFICER + i, f"信息员{i}") for i in range(len(UNITS))]
        self.acknowledged: set[int] = set()
        self.rejected: set[int] = set()
        self.posted = 0
        self._numbers = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()

    async def _post(self, poster: WebhookPoster, n: int, payload: dict[str, Any]) -> None:
        status = await poster.post(payload, retries=self.retries)
        (self.acknowledged if 200 <= status < 300 else self.rejected).add(n)

    def send(self) -> int:
        """File one warning (posting in the background); its number."""
        n = next(self._numbers)
        officer = self.officers[n % len(self.officers)]
        payload = update_of(self.fake, officer.send_text(f"/warn {WARNING_TEXT}〔B{n}〕"))
        poster = self.posters[n % len(self.posters)]
        self.posted += 1
        task = asyncio.create_task(self._post(poster, n, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return n

    async def run(
        self,
        rate: float,
        duration: float,
        at: Sequence[tuple[float, Callable[[], Any]]] = (),
    ) -> None:
        """Send for ``duration`` seconds at ``rate``; call each ``(fraction, action)`` on time.

        An action may return an awaitable; it is awaited in the background while
        sending goes on.
        """
        loop = asyncio.get_running_loop()
        total = max(1, int(rate * duration))
        pending = sorted(at, key=lambda item: item[0])
        started = loop.time()
        side: list[asyncio.Task[Any]] = []
        for i in range(total):
            while pending and i >= pending[0][0] * total:
                _, action = pending.pop(0)
                result = action()
                if asyncio.iscoroutine(result):
                    side.append(asyncio.create_task(result))
            delay = started + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.send()
        for _, action in pending:
            result = action()
            if asyncio.iscoroutine(result):
                side.append(asyncio.create_task(result))
        if side:
            await asyncio.gather(*side)

    async def settle(self, timeout: float = 120.0) -> None:  # noqa: ASYNC109 - harness API
        """Wait for the posts still retrying."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


async def seed(db_url: str) -> None:
    """Officers, chiefs and staff of :data:`UNITS`."""
    db = Database(db_url)
    try:
        await add_people(db, [(u, "officer") for u in UNITS], FIRST_OFFICER, "officer")
        handlers = [(u, role) for u in UNITS for role in ("chief", "staff")]
        await add_people(db, handlers, FIRST_HANDLER, "handler")
    finally:
        await db.dispose()


async def wait_drained(db_url: str, timeout: float) -> bool:  # noqa: ASYNC109 - harness API
    """Wait until every update taken in is handled and no outbox row is pending or sending.

    An update taken in by a process that was killed is replayed once its inbox
    lease runs out (:mod:`bot.runtime.inbox`), so "drained" includes the inbox.
    """
    db = Database(db_url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                counts = await ledger(db)
                if counts.undelivered == 0 and counts.unhandled_updates == 0:
                    return True
            except Exception as exc:  # the database may be restarting
                log.info("ledger unavailable: %s", exc)
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.5)
    finally:
        await db.dispose()


async def count(report: FaultReport, fake: FakeBotApi, burst: Burst, db_url: str) -> FaultReport:
    """Fill ``report`` with the counts of a finished run."""
    report.updates_posted = burst.posted
    report.updates_acknowledged = len(burst.acknowledged)
    report.updates_never_acknowledged = len(burst.rejected)
    db = Database(db_url)
    try:
        async with db.session() as s:
            texts = list((await s.scalars(select(Case.original_text))).all())
            rows = (
                await s.execute(
                    select(
                        OutboxMessage.id,
                        OutboxMessage.chat_id,
                        OutboxMessage.text,
                        OutboxMessage.status,
                    )
                )
            ).all()
        counts = await ledger(db)
    finally:
        await db.dispose()
    markers = Counter(int(m.group(1)) for t in texts for m in _MARKER.finditer(t))
    report.cases_in_db = len(markers)
    report.duplicate_cases = sum(n - 1 for n in markers.values() if n > 1)
    report.acknowledged_without_case = sorted(n for n in burst.acknowledged if n not in markers)
    report.outbox_written = counts.outbox
    report.outbox_sent = counts.sent
    report.outbox_failed = counts.failed
    report.outbox_undelivered = counts.undelivered
    arrivals: Counter[tuple[str, str]] = Counter()
    for method in ("sendMessage", "editMessageText"):
        for call in fake.calls(method):
            if call.ok:
                arrivals[(str(call.chat_id), str(call.params.get("text", "")))] += 1
    seen = 0
    extra = 0
    for _id, chat_id, text, status in rows:
        n = arrivals.get((str(chat_id), text), 0)
        if n:
            seen += 1
            extra += n - 1
        elif status != "failed":
            report.rows_never_seen_at_fake += 1
    report.rows_delivered_at_fake = seen
    report.duplicate_deliveries = extra
    officer_chats = {o.id for o in burst.officers}
    report.confirmations_seen = sum(
        1 for m in fake.sent_messages() if m.chat_id in officer_chats and "预警已报送" in m.content
    )
    return report


@contextlib.asynccontextmanager
async def _stack(database: str, workdir: Path) -> Any:
    async with (
        provision_database(database, workdir, label="faults") as bench_db,
        running_fake_bot_api(token=BENCH_TOKEN) as fake,
    ):
        await seed(bench_db.url)
        yield bench_db, fake


async def _start(
    bench_url: str, fake: FakeBotApi, workdir: Path, name: str, port: int = 0
) -> ServiceProcess:
    service = ServiceProcess(bench_url, fake, webhook=True, log_path=workdir / f"{name}.log")
    service.port = port
    await service.start()
    await fake.wait_for(lambda: fake.webhook_url, timeout=10)
    await detach_fake_webhook(fake)
    return service


# ------------------------------------------------------------------ the runs


async def run_kill9(
    database: str,
    workdir: Path,
    *,
    rate: float = 10.0,
    duration: float = 10.0,
    downtime: float = 1.0,
    drain_timeout: float = 150.0,
) -> FaultReport:
    """``kill -9`` the service at 40% of the burst, restart it after ``downtime`` seconds."""
    report = FaultReport("kill9", database)
    started = time.monotonic()
    async with _stack(database, workdir) as (bench_db, fake):
        port = free_port()
        services = [await _start(bench_db.url, fake, workdir, "kill9-a", port)]
        async with WebhookPoster(services[0].webhook_url) as poster:
            burst = Burst(fake, [poster])

            async def crash_and_restart() -> None:
                before = await ledger_safe(bench_db.url)
                await services[0].kill()
                report.notes.append(
                    f"killed pid {services[0].pid} with SIGKILL; outbox then: {before}"
                )
                await asyncio.sleep(downtime)
                services.append(await _start(bench_db.url, fake, workdir, "kill9-b", port))
                report.notes.append(f"restarted as pid {services[-1].pid}")

            try:
                await burst.run(rate, duration, at=[(0.4, crash_and_restart)])
                await burst.settle()
                t_drain = time.monotonic()
                drained = await wait_drained(bench_db.url, drain_timeout)
                if drained:
                    report.drain_seconds = time.monotonic() - t_drain
                if not drained:
                    report.notes.append(f"outbox not drained within {drain_timeout} s")
                await asyncio.sleep(1)
            finally:
                for service in services:
                    await service.stop()
        await count(report, fake, burst, bench_db.url)
    report.seconds = time.monotonic() - started
    return report


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


async def run_api_faults(
    database: str,
    workdir: Path,
    *,
    rate: float = 5.0,
    duration: float = 60.0,
    drain_timeout: float = 180.0,
) -> FaultReport:
    """The Bot API answers 429 (first half) then 500 (second half) to every call."""
    report = FaultReport("api", database)
    started = time.monotonic()
    async with _stack(database, workdir) as (bench_db, fake):
        service = await _start(bench_db.url, fake, workdir, "api")
        try:
            async with WebhookPoster(service.webhook_url) as poster:
                burst = Burst(fake, [poster])
                half = duration / 2

                async def faults() -> None:
                    fake.fail(None, 429, duration_s=half, retry_after=1)
                    await asyncio.sleep(half)
                    fake.fail(None, 500, duration_s=half)

                # Filings before, during and after the fault window.
                await burst.run(rate, duration + 4, at=[(2 / (duration + 4), faults)])
                await burst.settle()
                t_drain = time.monotonic()
                drained = await wait_drained(bench_db.url, drain_timeout)
                if drained:
                    report.drain_seconds = time.monotonic() - t_drain
                if not drained:
                    report.notes.append(f"outbox not drained within {drain_timeout} s")
                await asyncio.sleep(1)
        finally:
            await service.stop()
        report.notes.append(
            "calls answered by injected faults: "
            + ", ".join(f"{m} {s}: {n}" for (m, s), n in sorted(fake.fault_counts.items()))
        )
        await count(report, fake, burst, bench_db.url)
    report.seconds = time.monotonic() - started
    return report


async def run_pg_restart(
    workdir: Path,
    *,
    rate: float = 10.0,
    duration: float = 12.0,
    drain_timeout: float = 150.0,
) -> FaultReport:
    """Restart the PostgreSQL cluster in the middle of the burst."""
    report = FaultReport("pg-restart", "postgres")
    started = time.monotonic()
    async with _stack("postgres", workdir) as (bench_db, fake):
        service = await _start(bench_db.url, fake, workdir, "pg-restart")
        try:
            async with WebhookPoster(service.webhook_url) as poster:
                burst = Burst(fake, [poster])

                async def restart() -> None:
                    t0 = time.monotonic()
                    proc = await asyncio.create_subprocess_exec(
                        *PG_RESTART, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
                    )
                    out, _ = await proc.communicate()
                    report.notes.append(
                        f"`{' '.join(PG_RESTART)}` exited {proc.returncode} after "
                        f"{time.monotonic() - t0:.1f} s {out.decode(errors='replace').strip()}"
                    )

                await burst.run(rate, duration, at=[(0.4, restart)])
                await burst.settle()
                t_drain = time.monotonic()
                drained = await wait_drained(bench_db.url, drain_timeout)
                if drained:
                    report.drain_seconds = time.monotonic() - t_drain
                if not drained:
                    report.notes.append(f"outbox not drained within {drain_timeout} s")
                await asyncio.sleep(1)
                health = await _healthz(service)
                report.notes.append(f"/healthz after the restart: {health}")
        finally:
            await service.stop()
        await count(report, fake, burst, bench_db.url)
    report.seconds = time.monotonic() - started
    return report


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
    workdir: Path,
    *,
    rate: float = 10.0,
    duration: float = 10.0,
    lock_seconds: float = 4.0,
    drain_timeout: float = 90.0,
) -> FaultReport:
    """Another connection holds ``BEGIN EXCLUSIVE`` on the SQLite file for ``lock_seconds``."""
    import threading

    report = FaultReport("sqlite-lock", "sqlite")
    started = time.monotonic()
    async with _stack("sqlite", workdir) as (bench_db, fake):
        service = await _start(bench_db.url, fake, workdir, "sqlite-lock")
        try:
            async with WebhookPoster(service.webhook_url) as poster:
                burst = Burst(fake, [poster])

                async def lock() -> None:
                    ready = threading.Event()
                    t0 = time.monotonic()
                    await asyncio.to_thread(_hold_exclusive, bench_db.name, lock_seconds, ready)
                    report.notes.append(
                        f"held BEGIN EXCLUSIVE for {lock_seconds} s "
                        f"(released after {time.monotonic() - t0:.1f} s)"
                    )

                await burst.run(rate, duration, at=[(0.3, lock)])
                await burst.settle()
                t_drain = time.monotonic()
                drained = await wait_drained(bench_db.url, drain_timeout)
                if drained:
                    report.drain_seconds = time.monotonic() - t_drain
                if not drained:
                    report.notes.append(f"outbox not drained within {drain_timeout} s")
                await asyncio.sleep(1)
        finally:
            await service.stop()
        report.notes.append(
            "webhook answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(poster.statuses.items()))
        )
        retried = [line for line in service.lines if "locked" in line.lower()]
        report.notes.append(f"service log lines mentioning 'locked': {len(retried)}")
        await count(report, fake, burst, bench_db.url)
    report.seconds = time.monotonic() - started
    return report


async def run_two_instances(
    workdir: Path,
    *,
    rate: float = 10.0,
    duration: float = 8.0,
    timer_wait: float = 40.0,
    drain_timeout: float = 120.0,
) -> FaultReport:
    """Two services on one PostgreSQL database; updates alternate; ack timers made due."""
    report = FaultReport("two", "postgres")
    started = time.monotonic()
    async with _stack("postgres", workdir) as (bench_db, fake):
        a = await _start(bench_db.url, fake, workdir, "two-a")
        b = await _start(bench_db.url, fake, workdir, "two-b")
        try:
            async with WebhookPoster(a.webhook_url) as pa, WebhookPoster(b.webhook_url) as pb:
                burst = Burst(fake, [pa, pb])
                await burst.run(rate, duration)
                await burst.settle()
                await wait_drained(bench_db.url, drain_timeout)
                db = Database(bench_db.url)
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
                        report.timers_due = int(getattr(due, "rowcount", 0) or 0)
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
                await wait_drained(bench_db.url, drain_timeout)
                await asyncio.sleep(1)
        finally:
            await a.stop()
            await b.stop()
        report.notes.append(
            "webhook answers: "
            + ", ".join(
                f"{k}: {v}"
                for k, v in sorted((Counter(pa.statuses) + Counter(pb.statuses)).items())
            )
        )
        await count(report, fake, burst, bench_db.url)
    report.seconds = time.monotonic() - started
    return report


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.bench.faults RUN [options]``: run one fault scenario and print the counts."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.bench.faults", description=__doc__.split("\n")[0]
    )
    parser.add_argument("run", choices=("kill9", "api", "pg-restart", "sqlite-lock", "two"))
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="for kill9 and api (default sqlite)",
    )
    parser.add_argument("--rate", type=float, default=10.0, help="warnings per second")
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="burst seconds (api: the fault window, default 60)",
    )
    parser.add_argument("--lock", type=float, default=4.0, help="sqlite-lock: seconds held")
    parser.add_argument(
        "--drain",
        type=float,
        default=None,
        help="seconds to wait for the outbox to drain (default per run)",
    )
    parser.add_argument("--out", type=Path, help="merge the counts into this JSON file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bot.fakeapi.server").setLevel(logging.ERROR)

    async def go(workdir: Path) -> FaultReport:
        if args.run == "kill9":
            return await run_kill9(
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
        from bot.cli.bench import merge_figures

        merge_figures(args.out, f"fault_{args.run}_{report.database}", report.as_dict())
    return 0 if report.nothing_lost else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

__all__ = [
    "Burst",
    "FaultReport",
    "count",
    "run_api_faults",
    "run_kill9",
    "run_pg_restart",
    "run_sqlite_lock",
    "run_two_instances",
]
