"""``minqing sandbox`` as a newcomer runs it: a subprocess, a page, a conversation."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import REPO_ROOT

STARTUP_TIMEOUT = 60.0


async def _read_url(proc: asyncio.subprocess.Process) -> str:
    assert proc.stdout is not None
    while True:
        line = (await proc.stdout.readline()).decode()
        if not line:
            raise AssertionError("sandbox exited before it was ready")
        match = re.search(r"open (http://\S+/) in a browser", line)
        if match:
            return match.group(1)


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[str]:
    """A running ``minqing sandbox`` on a free port; yields its base URL."""
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
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        url = await asyncio.wait_for(_read_url(proc), STARTUP_TIMEOUT)
        yield url.replace("http://127.0.0.1", "http://127.0.0.1")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()
    assert proc.returncode == 0, f"sandbox exited with {proc.returncode}"


async def _wait_for_bot_reply(
    http: aiohttp.ClientSession, url: str, chat_id: int, needle: str, after: int = 0
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 20
    while asyncio.get_running_loop().time() < deadline:
        async with http.get(f"{url}fakeapi/_fake/chats/{chat_id}?after={after}&wait=5") as r:
            view = await r.json()
        for message in view["messages"]:
            if message["from_bot"] and needle in (message.get("text") or ""):
                return dict(message)
        after = view["version"]
    raise AssertionError(f"no bot message containing {needle!r} in chat {chat_id}")


async def test_sandbox_serves_three_phones_and_the_real_bot_answers(sandbox: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(sandbox) as page:
            assert page.status == 200
            html = await page.text()
        assert "群众" in html and "信息员" in html and "站长" in html
        async with http.get(f"{sandbox}sandbox/state") as r:
            state = await r.json()
        roles = [p["role"] for p in state["personas"]]
        assert roles[:2] == ["citizen", "officer"] and roles.count("chief") >= 20
        citizen = state["personas"][0]["chat_id"]

        async with http.post(
            f"{sandbox}fakeapi/_fake/chats/{citizen}/send", json={"text": "/start"}
        ) as r:
            assert r.status == 200
        reply = await _wait_for_bot_reply(http, sandbox, citizen, "")
        assert reply["text"]

        async with http.post(f"{sandbox}sandbox/advance", json={"hours": 1}) as r:
            assert r.status == 200
            assert (await r.json())["offset_hours"] == 1.0
        async with http.post(f"{sandbox}sandbox/advance", json={"hours": "soon"}) as r:
            assert r.status == 400
        async with http.get(f"{sandbox}healthz") as r:
            assert json.loads(await r.text())["database"] == "ok"
