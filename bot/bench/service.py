"""``minqing serve`` as a child process, for the benchmarks and the fault runs.

:class:`ServiceProcess` starts the service (webhook or polling) with its bot
pointed at a :class:`~bot.fakeapi.FakeBotApi` running in the harness process,
waits for its "ready in" line (the cold start), reads its RSS and CPU time, and
stops it in order or with ``kill -9``. Its updates come from
:mod:`bot.bench.webhook`; its database from :mod:`bot.bench.database`.

Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import REPO_ROOT
from bot.fakeapi import FakeBotApi
from bot.web.core import webhook_path

#: Token of the bot the harness runs against its fake Bot API.
BENCH_TOKEN = "987654321:BENCH-minqing-token"
#: Webhook secret the harness gives the service.
BENCH_SECRET = "bench-secret-0123456789"
_READY_RE = re.compile(r"ready in ([0-9.]+)s")


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
