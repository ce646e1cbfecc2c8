"""The fault runs' one harness: the people, the burst of warnings, the counts, and a run's frame.

Every fault run (:mod:`bot.bench.faults`) has the same frame — a fresh database
with officers and handlers, the fake Bot API, one or more ``minqing serve``
processes in webhook mode, a :class:`Burst` of one-shot warnings through their
webhooks, waiting for the outbox to drain, stopping the services, and counting
(:func:`count`). :func:`fault_run` is that frame; a run adds only its fault.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import select

from bot.bench.database import BenchDatabase, add_people, ledger, provision_database
from bot.bench.service import BENCH_TOKEN, ServiceProcess
from bot.bench.webhook import WebhookPoster, detach_fake_webhook, update_of
from bot.fakeapi import FakeBotApi, running_fake_bot_api
from storage.db import Database
from storage.models import Case, OutboxMessage

log = logging.getLogger(__name__)

WARNING_TEXT = "两户村民因宅基地边界发生争吵，可能动手"
#: Units of the officers; each also gets a chief and a staff member.
UNITS = ("dongcheng", "xihu", "gaoxin_park", "labor", "education")
FIRST_OFFICER = 830_000_001
FIRST_HANDLER = 840_000_001
_MARKER = re.compile(r"〔B(\d+)〕")


@dataclass
class FaultReport:
    """What a fault run wrote and delivered (see the module docstring)."""

    run: str
    database: str
    # The run's length; what the webhook took in and what became of it (cases, receipts).
    acknowledged_without_case: list[int] = field(default_factory=list)
    seconds: float = 0.0
    updates_posted: int = 0
    updates_acknowledged: int = 0
    updates_never_acknowledged: int = 0
    cases_in_db: int = 0
    duplicate_cases: int = 0
    confirmations_seen: int = 0
    # Timers (two instances only).
    timers_due: int | None = None
    timers_fired: int | None = None
    timers_fired_twice: int | None = None
    # The outbox, in the database and at the fake Bot API.
    outbox_written: int = 0
    outbox_sent: int = 0
    outbox_failed: int = 0
    outbox_undelivered: int = 0
    #: Seconds from the end of the burst until no outbox row was left undelivered.
    drain_seconds: float | None = None
    rows_delivered_at_fake: int = 0
    rows_never_seen_at_fake: int = 0
    duplicate_deliveries: int = 0
    #: Seconds from a critical warning's filing (or the Bot API's return) to its card.
    alert_delay_seconds: float | None = None
    #: Routine cards queued to the same chief before the alert but delivered after it.
    alert_overtook: int | None = None
    #: Updates dead-lettered (poison updates, out of attempts), when the run counts them.
    dead_letters: int | None = None
    #: Another citizen's ``/which`` during a flood: how many, and seconds post → answer.
    replies: int | None = None
    reply_p50_seconds: float | None = None
    reply_p99_seconds: float | None = None
    reply_max_seconds: float | None = None
    #: What the run observed on the way (the faults injected, the webhook's answers).
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
        if self.alert_delay_seconds is not None:
            lines.append(f"  critical alert delay: {self.alert_delay_seconds:.1f} s")
        if self.dead_letters is not None:
            lines.append(f"  dead letters: {self.dead_letters}")
        if self.replies:
            lines.append(
                f"  another citizen's replies: {self.replies}, p50 {self.reply_p50_seconds:.2f} s, "
                f"p99 {self.reply_p99_seconds:.2f} s, max {self.reply_max_seconds:.2f} s"
            )
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
