"""The frame of every fault run: a database, the fake Bot API, the services, burst, drain, count.

Every fault run (:mod:`bot.bench.faults`) has the same frame — a fresh database
with officers and handlers, the fake Bot API, one or more ``minqing serve``
processes in webhook mode, a :class:`~bot.bench.burst.Burst` of one-shot
warnings through their webhooks, waiting for the outbox to drain, stopping the
services, and counting (:func:`bot.bench.fault_report.count`). :func:`fault_run`
is that frame; a run adds only its fault.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from bot.bench.burst import Burst, seed
from bot.bench.database import BenchDatabase, ledger, provision_database
from bot.bench.fault_report import FaultReport, count
from bot.bench.service import BENCH_TOKEN, ServiceProcess
from bot.bench.webhook import WebhookPoster, detach_fake_webhook
from bot.fakeapi import FakeBotApi, running_fake_bot_api
from storage.db import Database

log = logging.getLogger(__name__)


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


@contextlib.asynccontextmanager
async def stack(database: str, workdir: Path) -> Any:
    async with (
        provision_database(database, workdir, label="faults") as bench_db,
        running_fake_bot_api(token=BENCH_TOKEN) as fake,
    ):
        await seed(bench_db.url)
        yield bench_db, fake


async def start_service(
    bench_url: str, fake: FakeBotApi, workdir: Path, name: str, port: int = 0
) -> ServiceProcess:
    service = ServiceProcess(bench_url, fake, webhook=True, log_path=workdir / f"{name}.log")
    service.port = port
    await service.start()
    await fake.wait_for(lambda: fake.webhook_url, timeout=10)
    await detach_fake_webhook(fake)
    return service


class Pace(TypedDict, total=False):
    """A fault run's burst (updates a second, seconds) and how long to wait for the outbox.

    Every run has its own defaults (see :func:`paced`); a caller names only what it changes.
    """

    rate: float
    duration: float
    drain_timeout: float


def paced(
    pace: Pace, rate: float, duration: float, drain_timeout: float
) -> tuple[float, float, float]:
    """``(rate, duration, drain_timeout)``: the caller's choices, else the run's defaults."""
    return (
        pace.get("rate", rate),
        pace.get("duration", duration),
        pace.get("drain_timeout", drain_timeout),
    )


@dataclass
class FaultRun:
    """One fault run in progress (made by :func:`fault_run`).

    Attributes:
        report: The counts, filled at the end.
        bench_db: The run's database.
        fake: The fake Bot API.
        workdir: Where the services' logs go.
        port: The port services start on (0: any free one).
        services: The services started so far (all stopped at the end).
        posters: One webhook poster per service started by :func:`fault_run`.
        burst: The officers' warnings, spread over ``posters``.
        after_stop: Called once the services are stopped, before counting.
    """

    report: FaultReport
    bench_db: BenchDatabase
    fake: FakeBotApi
    workdir: Path
    port: int = 0
    services: list[ServiceProcess] = field(default_factory=list)
    posters: list[WebhookPoster] = field(default_factory=list)
    burst: Burst | None = None
    after_stop: list[Callable[[], None]] = field(default_factory=list)

    async def start(self, name: str) -> ServiceProcess:
        """Start one more service (logging to ``WORKDIR/NAME.log``) and keep it for stopping."""
        service = await start_service(self.bench_db.url, self.fake, self.workdir, name, self.port)
        self.services.append(service)
        return service

    async def burst_and_drain(
        self,
        rate: float,
        duration: float,
        drain_timeout: float,
        at: Sequence[tuple[float, Callable[[], Any]]] = (),
    ) -> None:
        """Send the burst, let the retries settle, time the outbox's drain, and wait a second."""
        assert self.burst is not None
        await self.burst.run(rate, duration, at=at)
        await self.burst.settle()
        t_drain = time.monotonic()
        drained = await wait_drained(self.bench_db.url, drain_timeout)
        if drained:
            self.report.drain_seconds = time.monotonic() - t_drain
        if not drained:
            self.report.notes.append(f"outbox not drained within {drain_timeout} s")
        await asyncio.sleep(1)


@contextlib.asynccontextmanager
async def fault_run(
    name: str, database: str, workdir: Path, instances: Sequence[str], *, port: int = 0
) -> AsyncIterator[FaultRun]:
    """The frame of a fault run: yields with ``instances`` started and the burst ready.

    On leaving, every service started is stopped, ``after_stop`` is called, the
    counts are filled in and the run's seconds recorded in ``run.report``.
    """
    report = FaultReport(name, database)
    started = time.monotonic()
    async with stack(database, workdir) as (bench_db, fake):
        run = FaultRun(report, bench_db, fake, workdir, port=port)
        try:
            for instance in instances:
                await run.start(instance)
            async with contextlib.AsyncExitStack() as posters:
                for service in list(run.services):
                    run.posters.append(
                        await posters.enter_async_context(WebhookPoster(service.webhook_url))
                    )
                run.burst = Burst(fake, run.posters)
                yield run
        finally:
            for service in run.services:
                await service.stop()
        for action in run.after_stop:
            action()
        assert run.burst is not None
        await count(report, fake, run.burst, bench_db.url)
    report.seconds = time.monotonic() - started
