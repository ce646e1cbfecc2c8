"""Fault runs of issue 15's survival breaks: PostgreSQL restarts, a poison update, a flood.

Each runs ``minqing serve`` (webhook mode) in the frame of :func:`bot.bench.harness.fault_run`
and counts written / delivered / duplicates like every fault run, with one critical
``/warn`` by the labour station's officer in the middle of the fault; its delay (webhook
post → the card at the chief's chat) is ``FaultReport.alert_delay_seconds``.

* ``pg-restart4`` — a private PostgreSQL cluster (``initdb`` + ``pg_ctl`` on a free port
  under a temporary folder, run as the ``postgres`` user when started as root; the shared
  server is never touched) is restarted ``--restarts`` times (default 4) during the burst.
* ``poison-kill9`` — an unparseable update is posted to the webhook during the burst, the
  service is killed with SIGKILL, a second unparseable update is left in the inbox as
  the killed process had taken it in, and the service restarts: both must be
  dead-lettered (counted in ``FaultReport.dead_letters``), every other update handled.
  The critical warning is posted once the restarted service is up.
* ``flood`` — one citizen posts ``--flood`` ``/which`` messages (default 600) as fast as
  ``--flood-rate`` allows while officers file warnings; another citizen asks ``/which``
  once a second for ``--watch`` seconds: the p50 / p99 / max of the seconds from their
  post to the bot's answer (``FaultReport.reply_*``). The run ends when the flood is
  answered completely (the per-user limit slows it to about one a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, Unpack

from sqlalchemy import select

from bot.bench.fault_report import FaultReport
from bot.bench.faults_delivery import SPAM_UNIT, _arrival, _chief_chat, _post_warning, _until
from bot.bench.figures import percentile
from bot.bench.harness import FaultRun, Pace, fault_run, paced, wait_drained
from bot.bench.service import free_port
from bot.bench.webhook import update_of
from bot.runtime.inbox import UpdateInbox
from bot.services.clock import service_clock
from config.settings import load_settings
from storage.db import Database
from storage.models import InboundUpdate

#: The marker number of each run's critical warning (the burst's numbers stay far below).
CRITICAL_N = 10_000
#: Update ids of the poison updates (the fake's own ids stay far below).
POISON_IDS = (900_000_001, 900_000_002)
POISON_MESSAGE: dict[str, Any] = {"chat": "not a chat"}
FLOODER_ID = 860_000_001
OTHER_CITIZEN_ID = 860_000_002
FLOOD_TEXT = "公司拖欠工资三个月了，找谁"
OTHER_TEXT = "孩子明年上小学，报名需要什么材料"


def _is_which_answer(text: str) -> bool:
    return "办理部门" in text or "未能" in text


def critical_warning(run: FaultRun) -> Callable[[], Awaitable[None]]:
    """An action for ``Burst.run``: post the critical warning, record its delay."""

    async def post() -> None:
        chief = _chief_chat(SPAM_UNIT)
        marker = f"〔B{CRITICAL_N}〕"
        t_post = time.monotonic()
        await _post_warning(run, run.posters[0], CRITICAL_N, retries=40)
        await _until(lambda: _arrival(run.fake, chief, marker) is not None, 120)
        arrived = _arrival(run.fake, chief, marker)
        if arrived is not None:
            run.report.alert_delay_seconds = arrived - t_post

    return post


# ------------------------------------------------------------------ a private PostgreSQL


def _pg_bin(name: str) -> str:
    """Path of a PostgreSQL server program (``initdb``, ``pg_ctl``)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found: PostgreSQL's server programs are needed")
    return path


class PrivateCluster:
    """A PostgreSQL cluster of the run's own (trust authentication, 127.0.0.1 only)."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.data = root / "data"
        self.port = port
        self._as_postgres = os.geteuid() == 0

    @property
    def admin_url(self) -> str:
        """Where benchmark databases are created (``MINQING_BENCH_POSTGRES_URL``)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    async def _run(self, *args: str) -> tuple[int, str]:
        cmd = list(args)
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = await asyncio.create_subprocess_exec(
            *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        out, _ = await proc.communicate()
        return int(proc.returncode or 0), out.decode(errors="replace").strip()

    async def _pg_ctl(self, action: str) -> tuple[int, str]:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        return await self._run(
            _pg_bin("pg_ctl"), action, "-D", str(self.data), "-w", "-m", "fast",
            "-l", str(self.root / "server.log"), "-o", options,
        )  # fmt: skip

    async def start(self) -> None:
        """``initdb`` and start."""
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        code, out = await self._run(
            _pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        if code != 0:
            raise RuntimeError(f"initdb failed: {out[-500:]}")
        code, out = await self._pg_ctl("start")
        if code != 0:
            raise RuntimeError(f"pg_ctl start failed: {out[-500:]}")

    async def restart(self) -> tuple[int, float]:
        """``pg_ctl restart -m fast``: (exit code, seconds taken)."""
        t0 = time.monotonic()
        code, _ = await self._pg_ctl("restart")
        return code, time.monotonic() - t0

    async def stop(self) -> None:
        """Stop the server (its files go with the temporary folder)."""
        await self._run(_pg_bin("pg_ctl"), "stop", "-D", str(self.data), "-w", "-m", "immediate")


@contextlib.asynccontextmanager
async def private_postgres() -> AsyncIterator[PrivateCluster]:
    """A running private cluster; the harness creates its databases there meanwhile."""
    root = Path(tempfile.mkdtemp(prefix="minqing-i15-pg-", dir="/tmp"))
    cluster = PrivateCluster(root, free_port())
    saved = os.environ.get("MINQING_BENCH_POSTGRES_URL")
    try:
        await cluster.start()
        os.environ["MINQING_BENCH_POSTGRES_URL"] = cluster.admin_url
        yield cluster
    finally:
        if saved is None:
            os.environ.pop("MINQING_BENCH_POSTGRES_URL", None)
        else:
            os.environ["MINQING_BENCH_POSTGRES_URL"] = saved
        await cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


async def run_pg_restarts(workdir: Path, *, restarts: int = 4, **pace: Unpack[Pace]) -> FaultReport:
    """Restart a private PostgreSQL ``restarts`` times during the burst, evenly spread."""
    rate, duration, drain_timeout = paced(pace, 8.0, 24.0, 180.0)
    async with (
        private_postgres() as cluster,
        fault_run("pg-restart4", "postgres", workdir, ["pg4"]) as run,
    ):

        async def restart() -> None:
            code, seconds = await cluster.restart()
            run.report.notes.append(f"`pg_ctl restart -m fast` exited {code} in {seconds:.1f} s")

        at: list[tuple[float, Callable[[], Any]]] = [
            ((i + 1) / (restarts + 1), restart) for i in range(restarts)
        ]
        # The critical warning posted just after the second restart began.
        at.append((2 / (restarts + 1) + 0.01, critical_warning(run)))
        await run.burst_and_drain(rate, duration, drain_timeout, at=at)
        run.report.dead_letters = await _dead_letters(run, note=True)
    return run.report


# ------------------------------------------------------------------ poison + kill -9


async def _dead_letters(run: FaultRun, *, note: bool = False) -> int:
    db = Database(run.bench_db.url)
    try:
        async with db.session() as s:
            rows = (
                await s.execute(
                    select(InboundUpdate.update_id, InboundUpdate.last_error).where(
                        InboundUpdate.dead_at.is_not(None)
                    )
                )
            ).all()
    finally:
        await db.dispose()
    if note:
        run.report.notes.append(
            "dead letters: " + (", ".join(f"{i} ({e})" for i, e in rows) or "none")
        )
    return len(rows)


async def _leave_in_inbox(db_url: str, payload: dict[str, Any]) -> None:
    """Write ``payload`` to the inbox as a process that then died had taken it in."""
    db = Database(db_url)
    try:
        await UpdateInbox(db, service_clock(load_settings().clock_start)).accept(payload, "webhook")
    finally:
        await db.dispose()


async def run_poison_kill9(
    database: str, workdir: Path, *, downtime: float = 1.0, **pace: Unpack[Pace]
) -> FaultReport:
    """A poison update posted, ``kill -9``, a poison update left in the inbox, restart."""
    rate, duration, drain_timeout = paced(pace, 8.0, 10.0, 150.0)
    async with fault_run("poison-kill9", database, workdir, ["pk-a"], port=free_port()) as run:
        first = run.services[0]
        live, held = POISON_IDS

        async def poison() -> None:
            payload = {"update_id": live, "message": POISON_MESSAGE}
            status = await run.posters[0].post(payload, retries=40)
            run.report.notes.append(f"poison update {live} posted: webhook answered {status}")

        async def crash_and_restart() -> None:
            await first.kill()
            await _leave_in_inbox(run.bench_db.url, {"update_id": held, "message": POISON_MESSAGE})
            run.report.notes.append(
                f"killed pid {first.pid} with SIGKILL; poison update {held} left in its inbox"
            )
            await asyncio.sleep(downtime)
            second = await run.start("pk-b")
            run.report.notes.append(f"restarted as pid {second.pid}")
            # The critical warning, once the restarted service answers its webhook.
            await critical_warning(run)()

        await run.burst_and_drain(
            rate,
            duration,
            drain_timeout,
            at=[(0.2, poison), (0.4, crash_and_restart)],
        )
        run.report.dead_letters = await _dead_letters(run, note=True)
    return run.report


# ------------------------------------------------------------------ one citizen floods


async def _other_citizen(
    run: FaultRun, watch: float, latencies: list[float], at: list[float]
) -> None:
    """Another citizen's ``/which`` once a second for ``watch`` s; each answer's delay.

    ``at`` gets each query's monotonic posting time.
    """
    fake = run.fake
    user = fake.user(OTHER_CITIZEN_ID, "群众乙")
    poster = run.posters[0]
    end = time.monotonic() + watch
    n = 0
    while time.monotonic() < end:
        started = time.monotonic()
        version = fake.version
        await poster.post(
            update_of(fake, user.send_text(f"/which {OTHER_TEXT}（第{n}次）")), retries=12
        )
        n += 1

        def answer(version: int = version) -> Any:
            return next(
                (
                    m
                    for m in fake.sent_messages(OTHER_CITIZEN_ID)
                    if m.version > version and _is_which_answer(m.content)
                ),
                None,
            )

        at.append(started)
        if await _until(lambda: answer() is not None, 30):
            latencies.append(answer().sent_at - started)
        else:
            latencies.append(30.0)
            run.report.notes.append(f"the other citizen's query #{n} unanswered after 30 s")
        await asyncio.sleep(max(0.0, started + 1.0 - time.monotonic()))


async def run_flood(
    database: str,
    workdir: Path,
    *,
    flood: int = 600,
    flood_rate: float = 60.0,
    watch: float = 60.0,
    rate: float = 2.0,
    flood_wait: float | None = None,
) -> FaultReport:
    """One citizen floods; another's ``/which`` answer times; officers' warnings counted."""
    async with fault_run("flood", database, workdir, ["flood"]) as run:
        fake = run.fake
        flooder = fake.user(FLOODER_ID, "刷屏者")
        poster = run.posters[0]
        statuses: list[int] = []
        latencies: list[float] = []
        posted_at: list[float] = []

        async def flood_posts() -> None:
            tasks = []
            t0 = time.monotonic()
            for i in range(flood):
                await asyncio.sleep(max(0.0, t0 + i / flood_rate - time.monotonic()))
                payload = update_of(fake, flooder.send_text(f"/which {FLOOD_TEXT}（{i}）"))
                tasks.append(asyncio.create_task(poster.post(payload, retries=12)))
            statuses.extend(await asyncio.gather(*tasks))

        t_flood = time.monotonic()
        flooding = asyncio.create_task(flood_posts())
        await asyncio.sleep(1.0)  # the flood is under way before anyone else asks
        other = asyncio.create_task(_other_citizen(run, watch, latencies, posted_at))
        await run.burst.run(rate, watch, at=[(0.5, critical_warning(run))])  # type: ignore[union-attr]
        await other
        await flooding

        def answered() -> int:
            return sum(1 for m in fake.sent_messages(FLOODER_ID) if _is_which_answer(m.content))

        await _until(lambda: answered() >= flood, flood_wait or flood * 1.2 + 120)
        t_done = time.monotonic() - t_flood
        await run.burst.settle()  # type: ignore[union-attr]
        await wait_drained(run.bench_db.url, 120)
        await asyncio.sleep(1)
        told = sum(1 for m in fake.sent_messages(FLOODER_ID) if "消息较多" in m.content)
        run.report.replies = len(latencies)
        run.report.reply_p50_seconds = percentile(latencies, 50)
        run.report.reply_p99_seconds = percentile(latencies, 99)
        run.report.reply_max_seconds = max(latencies) if latencies else None
        slowest = sorted(zip(latencies, posted_at, strict=True), reverse=True)[:3]
        run.report.notes.append(
            "the other citizen's slowest answers: "
            + ", ".join(
                f"{s:.2f} s (posted {t - t_flood:.0f} s into the flood)" for s, t in slowest
            )
            + f"; the flood was being posted for its first {flood / flood_rate:.0f} s"
        )
        run.report.notes.append(
            f"flood: {flood} posted at {flood_rate:g}/s, acknowledged "
            f"{sum(1 for s in statuses if 200 <= s < 300)}, answered {answered()} "
            f"(the last {t_done:.0f} s after the flood began); the flooder was told to slow "
            f"down {told} time(s)"
        )
    return run.report


__all__ = ["PrivateCluster", "private_postgres", "run_flood", "run_pg_restarts", "run_poison_kill9"]
