"""Harness pieces shared by the benchmarks and the fault runs.

* :func:`provision_database` — a fresh, migrated database with the default
  organisation, on SQLite (a temporary file) or PostgreSQL (a database created
  for the run and dropped afterwards).
* :class:`ServiceProcess` — ``minqing serve`` as a child process (webhook or
  polling) whose bot talks to a :class:`~bot.fakeapi.FakeBotApi` running in
  the harness process, with its cold start, RSS and a way to ``kill -9`` it.
* :class:`WebhookPoster` — posts the fake's updates to the service's webhook
  URL with the secret header, as Telegram would.
* :func:`add_people` — staff, chiefs and officers bound to units directly in
  the database (faster than invites, same rows).

Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import signal
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot import REPO_ROOT
from bot.fakeapi import FakeBotApi, UserAction
from bot.services.organisation import sync_organisation
from bot.web.core import SECRET_HEADER, webhook_path
from config.district import District, load_district
from storage.db import Database
from storage.inbox import count_unhandled
from storage.models import Case, OutboxMessage, Person

#: Token of the bot the harness runs against its fake Bot API.
BENCH_TOKEN = "987654321:BENCH-minqing-token"
#: Webhook secret the harness gives the service.
BENCH_SECRET = "bench-secret-0123456789"
#: Environment variables naming a PostgreSQL server where databases may be created.
POSTGRES_ENVS = ("MINQING_BENCH_POSTGRES_URL", "MINQING_TEST_POSTGRES_URL")
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
_READY_RE = re.compile(r"ready in ([0-9.]+)s")


def postgres_admin_url() -> str:
    """The PostgreSQL URL through which benchmark databases are created."""
    for name in POSTGRES_ENVS:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return DEFAULT_POSTGRES_URL


async def postgres_admin(sql: str, admin_url: str | None = None) -> None:
    """Run one statement on the PostgreSQL admin connection (CREATE/DROP DATABASE)."""
    import asyncpg  # type: ignore[import-untyped]

    url = make_url(admin_url or postgres_admin_url())
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
        timeout=10,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@dataclass
class BenchDatabase:
    """A database made for one run.

    Attributes:
        backend: ``sqlite`` or ``postgres``.
        url: SQLAlchemy URL (async driver).
        name: The PostgreSQL database name or the SQLite file path.
    """

    backend: str
    url: str
    name: str

    async def drop(self) -> None:
        """Remove the database (PostgreSQL) or its files (SQLite)."""
        if self.backend == "postgres":
            await postgres_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            _remove_sqlite_files(self.name)


def _remove_sqlite_files(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(path + suffix).unlink()


async def create_database(backend: str, workdir: Path, label: str = "bench") -> BenchDatabase:
    """Create an empty database (no schema) on ``backend``."""
    if backend == "sqlite":
        path = workdir / f"minqing-{label}-{uuid.uuid4().hex[:8]}.db"
        return BenchDatabase("sqlite", f"sqlite+aiosqlite:///{path}", str(path))
    if backend != "postgres":
        raise ValueError(f"unknown database backend {backend!r} (sqlite or postgres)")
    prefix = os.environ.get("MINQING_BENCH_DB_PREFIX", "mq")  # e.g. a branch name
    name = f"{prefix}_{label}_{uuid.uuid4().hex[:10]}"
    await postgres_admin(f'CREATE DATABASE "{name}"')
    url = make_url(postgres_admin_url()).set(drivername="postgresql+asyncpg", database=name)
    return BenchDatabase("postgres", url.render_as_string(hide_password=False), name)


@contextlib.asynccontextmanager
async def provision_database(
    backend: str, workdir: Path, district: District | None = None, label: str = "bench"
) -> AsyncIterator[BenchDatabase]:
    """A migrated database with the organisation loaded, dropped on exit.

    Args:
        backend: ``sqlite`` or ``postgres``.
        workdir: Where a SQLite file goes.
        district: The organisation (default: the embedded district).
        label: Part of the database name.

    Yields:
        The database description (open it with :class:`storage.db.Database`).
    """
    bench_db = await create_database(backend, workdir, label)
    try:
        db = Database(bench_db.url)
        try:
            await db.migrate()
            await sync_organisation(db, district or load_district())
        finally:
            await db.dispose()
        yield bench_db
    finally:
        await bench_db.drop()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _proc_status_kb(pid: int, key: str) -> int | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return None


@dataclass
class ServiceProcess:
    """``minqing serve`` as a child process whose bot talks to ``fake``.

    Args:
        database_url: The service's ``DATABASE_URL``.
        fake: The fake Bot API (already started) in this process.
        webhook: Take updates by webhook (else polling).
        log_path: Where the child's output goes.
        env: Extra environment variables.
    """

    database_url: str
    fake: FakeBotApi
    webhook: bool = True
    log_path: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: asyncio.subprocess.Process | None = None
    ready_reported_s: float | None = None
    ready_wall_s: float | None = None
    lines: list[str] = field(default_factory=list)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        """The child's process id."""
        assert self.process is not None
        return self.process.pid

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT`` of the child's web server."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def webhook_url(self) -> str:
        """The full webhook URL (origin and the token-derived path)."""
        return self.origin + webhook_path(BENCH_TOKEN)

    def command(self) -> list[str]:
        """The command line of the child."""
        cmd = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port)]
        if self.webhook:
            cmd += ["--webhook", self.origin]
        return cmd

    def environment(self) -> dict[str, str]:
        """The child's environment."""
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": self.database_url,
                "TELEGRAM_BOT_TOKEN": BENCH_TOKEN,
                "TELEGRAM_API_BASE_URL": self.fake.root_url,
                "MINQING_WEBHOOK_SECRET": BENCH_SECRET,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.env)
        return env

    async def start(self, timeout: float = 60.0) -> float:  # noqa: ASYNC109 - harness API
        """Start the child and wait for its "ready in" line.

        Returns:
            Wall seconds from spawning to the ready line.

        Raises:
            RuntimeError: The child exited or did not get ready in time.
        """
        if not self.port:
            self.port = free_port()
        self._ready = asyncio.Event()
        started = time.perf_counter()
        self.process = await asyncio.create_subprocess_exec(
            *self.command(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=self.environment(),
            cwd=str(REPO_ROOT),
            start_new_session=True,
        )
        self._reader = asyncio.create_task(self._read_output(), name="bench-serve-output")
        waiter = asyncio.create_task(self._ready.wait())
        exited = asyncio.create_task(self.process.wait())
        done, _ = await asyncio.wait(
            {waiter, exited}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        for task in (waiter, exited):
            if task not in done:
                task.cancel()
        if waiter not in done:
            tail = "\n".join(self.lines[-30:])
            await self.kill()
            raise RuntimeError(f"minqing serve did not get ready within {timeout} s:\n{tail}")
        self.ready_wall_s = time.perf_counter() - started
        return self.ready_wall_s

    async def _read_output(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        handle = self.log_path.open("a", encoding="utf-8") if self.log_path else None
        try:
            while True:
                raw = await self.process.stdout.readline()
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append(line)
                if len(self.lines) > 2000:
                    del self.lines[:1000]
                if handle is not None:
                    handle.write(line + "\n")
                    handle.flush()
                match = _READY_RE.search(line)
                if match and not self._ready.is_set():
                    self.ready_reported_s = float(match.group(1))
                    self._ready.set()
        finally:
            if handle is not None:
                handle.close()

    def rss_mb(self) -> float | None:
        """The child's resident set size now (MiB)."""
        kb = _proc_status_kb(self.pid, "VmRSS")
        return None if kb is None else kb / 1024

    def cpu_seconds(self) -> float | None:
        """User plus system CPU seconds the child has used so far."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1]
        except OSError:
            return None
        parts = fields.split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(parts[11]) + int(parts[12])) / ticks

    def peak_rss_mb(self) -> float | None:
        """The child's peak resident set size so far (``VmHWM``, MiB)."""
        kb = _proc_status_kb(self.pid, "VmHWM")
        return None if kb is None else kb / 1024

    async def stop(self, timeout: float = 30.0) -> int | None:  # noqa: ASYNC109 - harness API
        """SIGTERM, wait for an orderly exit (SIGKILL after ``timeout``); the exit code."""
        if self.process is None or self.process.returncode is not None:
            return None if self.process is None else self.process.returncode
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill()
        await self._join_reader()
        return self.process.returncode

    async def kill(self) -> None:
        """``kill -9`` the child (no chance to finish anything) and reap it."""
        if self.process is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        await self._join_reader()

    async def _join_reader(self) -> None:
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._reader, 5)
            self._reader = None


class WebhookPoster:
    """Posts updates to a webhook URL with the secret header, like Telegram.

    Args:
        url: The webhook URL.
        secret: The secret token header value (``None``: no header).
        connections: Most parallel connections (Telegram's ``max_connections``).
    """

    def __init__(self, url: str, secret: str | None = BENCH_SECRET, connections: int = 40) -> None:
        self.url = url
        self.secret = secret
        self.connections = connections
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> WebhookPoster:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.connections),
            timeout=aiohttp.ClientTimeout(total=30),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(self, update: dict[str, Any], retries: int = 0) -> int:
        """Post one update; the HTTP status (0: connection failed), retrying on failure.

        Telegram retries an update whose webhook call failed; ``retries`` does the same
        (with a short backoff) for the fault runs.
        """
        assert self._session is not None, "use `async with WebhookPoster(...)`"
        headers = {"Content-Type": "application/json"}
        if self.secret is not None:
            headers[SECRET_HEADER] = self.secret
        status = 0
        for attempt in range(retries + 1):
            try:
                async with self._session.post(self.url, json=update, headers=headers) as resp:
                    await resp.read()
                    status = resp.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                status = 0
                if len(self.errors) < 100:
                    self.errors.append(f"{type(exc).__name__}: {exc}")
            if 200 <= status < 300:
                break
            if attempt < retries:
                await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return status


def update_of(fake: FakeBotApi, action: UserAction) -> dict[str, Any]:
    """The JSON update a fake user action produced (rebuilt from the fake's records)."""
    if action.callback_query_id is not None:
        raise ValueError("use callback_update() for button presses")
    assert action.message_id is not None
    message = fake.message(action.chat_id, action.message_id).to_api()
    return {"update_id": action.update_id, "message": message}


def callback_update(
    fake: FakeBotApi, action: UserAction, profile: dict[str, Any], message_id: int, data: str
) -> dict[str, Any]:
    """The JSON ``callback_query`` update of a button press (as ``FakeBotApi.press_button``)."""
    return {
        "update_id": action.update_id,
        "callback_query": {
            "id": action.callback_query_id,
            "from": dict(profile),
            "message": fake.message(action.chat_id, message_id).to_api(),
            "chat_instance": str(abs(action.chat_id) * 7 + 1),
            "data": data,
        },
    }


async def detach_fake_webhook(fake: FakeBotApi) -> None:
    """Make the fake stop delivering updates itself (the harness posts them instead)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(fake.base_url + BENCH_TOKEN + "/deleteWebhook") as resp,
    ):
        await resp.read()


async def add_people(
    db: Database, specs: Iterable[tuple[str, str]], first_id: int, name_prefix: str = "bench"
) -> list[Person]:
    """Insert people bound to units, with Telegram ids ``first_id``, ``first_id + 1`` …

    Args:
        db: The database.
        specs: ``(unit_id, role)`` pairs.
        first_id: The first Telegram user id (also the chat id).
        name_prefix: Names are ``{prefix}-{id}``.

    Returns:
        The people, in order.
    """
    people: list[Person] = []
    async with db.session() as s:
        for i, (unit_id, role) in enumerate(specs):
            tid = first_id + i
            person = Person(
                telegram_user_id=tid,
                chat_id=tid,
                name=f"{name_prefix}-{tid}",
                role=role,
                unit_id=unit_id,
            )
            s.add(person)
            people.append(person)
        await s.flush()
    return people


@dataclass
class Ledger:
    """What the database says was written and delivered (for the fault runs).

    Attributes:
        cases: Cases in the database.
        outbox: Outbox rows.
        sent: Rows marked sent.
        undelivered: Rows pending or sending.
        failed: Rows failed for good.
        unhandled_updates: Telegram updates taken in but not yet handled by the bot.
    """

    cases: int
    outbox: int
    sent: int
    undelivered: int
    failed: int
    unhandled_updates: int = 0


async def ledger(db: Database) -> Ledger:
    """Count cases, outbox rows by delivery state, and updates not yet handled."""
    async with db.session() as s:
        cases = int(await s.scalar(select(func.count()).select_from(Case)) or 0)
        rows = (
            await s.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            )
        ).all()
        unhandled = await count_unhandled(s)
    by = {str(status): int(n) for status, n in rows}
    return Ledger(
        cases=cases,
        outbox=sum(by.values()),
        sent=by.get("sent", 0),
        undelivered=by.get("pending", 0) + by.get("sending", 0),
        failed=by.get("failed", 0),
        unhandled_updates=unhandled,
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) by nearest rank; ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]
