"""Running ``minqing sandbox`` as a subprocess, as a newcomer runs it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT


async def _sandbox_url(proc: asyncio.subprocess.Process) -> str:
    assert proc.stdout is not None
    while True:
        line = (await proc.stdout.readline()).decode()
        if not line:
            raise AssertionError("sandbox exited before it was ready")
        match = re.search(r"open (http://\S+/) in a browser", line)
        if match:
            return match.group(1)


@contextlib.asynccontextmanager
async def running_sandbox(tmp_path: Path, db: Path | None = None) -> AsyncIterator[str]:
    """``minqing sandbox --port 0 [--db db]`` as a subprocess; yields its URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINQING_")}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(REPO_ROOT)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "sandbox",
        "--port",
        "0",
        *(["--db", str(db)] if db is not None else []),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    drain: asyncio.Task[Any] | None = None
    try:
        url = await asyncio.wait_for(_sandbox_url(proc), 60)
        assert proc.stdout is not None
        drain = asyncio.create_task(proc.stdout.read())  # keep the pipe from filling up
        yield url
    finally:
        await stop_process(proc, drain)


async def stop_process(
    proc: asyncio.subprocess.Process, drain: asyncio.Task[Any] | None = None
) -> None:
    """SIGTERM (as an operator stops the service), SIGKILL after 30 s; finish reading output."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
            await proc.wait()
    if drain is not None:
        await drain
