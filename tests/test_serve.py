"""``minqing serve`` as an operator runs it, against a fake Bot API: polling and webhook."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.fakeapi import FakeBotApi, running_fake_bot_api
from tests.conftest import REPO_ROOT
from tests.sandboxkit import stop_process

TOKEN = "424242:serve-test-token"
SECRET = "webhook-secret_42"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path, fake: FakeBotApi, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINQING_", "TELEGRAM_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.root_url,
            **extra,
        }
    )
    return env


async def _cli(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def _ready(proc: asyncio.subprocess.Process) -> str:
    assert proc.stdout is not None
    while True:
        line = (await proc.stdout.readline()).decode()
        if not line:
            raise AssertionError("serve exited before it was ready")
        if "minqing: ready in" in line:
            return line


@contextlib.asynccontextmanager
async def serving(tmp_path: Path, env: dict[str, str], *args: str) -> AsyncIterator[str]:
    """``minqing init`` then ``minqing serve ARGS`` until the block ends; yields the ready line."""
    init = await _cli(env, tmp_path, "init")
    assert await init.wait() == 0
    proc = await _cli(env, tmp_path, "serve", *args)
    drain: asyncio.Task[bytes] | None = None
    try:
        line = await asyncio.wait_for(_ready(proc), 60)
        assert proc.stdout is not None
        drain = asyncio.create_task(proc.stdout.read())
        yield line
    finally:
        await stop_process(proc, drain)
    assert proc.returncode == 0


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with running_fake_bot_api(token=TOKEN) as api:
        yield api


async def test_serve_polls_answers_and_reports_health(tmp_path: Path, fake: FakeBotApi) -> None:
    port = _free_port()
    env = _env(tmp_path, fake, MINQING_HTTP_PORT=str(port))
    async with serving(tmp_path, env, "--host", "127.0.0.1") as line:
        assert "polling" in line
        citizen = fake.user(7001, "赵女士")
        action = citizen.send_text("小区门口的路灯坏了一个月了，晚上很黑")
        answer = await fake.wait_for_message(7001, since=action, timeout=20)
        assert "城建" in answer.text
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                assert r.status == 200 and (await r.json())["database"] == "ok"
            # The update's latency is observed when its handler returns, which
            # may be just after the answer reached the chat.
            for _ in range(50):
                async with http.get(f"http://127.0.0.1:{port}/metrics") as r:
                    metrics = await r.text()
                if "minqing_update_seconds_count 1" in metrics:
                    break
                await asyncio.sleep(0.1)
            assert 'minqing_updates_total{source="polling"}' in metrics
            assert 'minqing_classifications_total{room="urban"} 1' in metrics
            assert "minqing_update_seconds_count 1" in metrics
            assert 'minqing_deliveries_total{result="sent"}' in metrics
            assert 'minqing_case_events_total{type="escalated"} 0' in metrics
        assert [c.method for c in fake.calls("setMyCommands")] == ["setMyCommands"]


async def test_serve_by_webhook_with_a_secret(tmp_path: Path, fake: FakeBotApi) -> None:
    port = _free_port()
    env = _env(tmp_path, fake, MINQING_HTTP_PORT=str(port), MINQING_WEBHOOK_SECRET=SECRET)
    public = f"http://127.0.0.1:{port}"
    async with serving(tmp_path, env, "--host", "127.0.0.1", "--webhook", public) as line:
        assert "webhook" in line
        assert fake.webhook_url is not None and fake.webhook_url.startswith(public)
        citizen = fake.user(7002, "钱先生")
        action = citizen.send_text("公司拖欠工资三个月了")
        answer = await fake.wait_for_message(7002, since=action, timeout=20)
        assert "民生保障" in answer.text
        async with aiohttp.ClientSession() as http:
            forged = await http.post(fake.webhook_url, json={"update_id": 999999})
            assert forged.status == 403
            async with http.get(f"{public}/metrics") as r:
                metrics = await r.text()
            # Counted once, as a webhook update.
            assert 'minqing_updates_total{source="webhook"} 1' in metrics
            assert 'source="polling"' not in metrics


async def test_serve_refuses_to_start_without_what_it_needs(
    tmp_path: Path, fake: FakeBotApi
) -> None:
    env = _env(tmp_path, fake)
    env.pop("TELEGRAM_BOT_TOKEN")
    proc = await _cli(env, tmp_path, "serve")
    out, _ = await proc.communicate()
    assert proc.returncode == 2 and b"TELEGRAM_BOT_TOKEN" in out and b"sandbox" in out

    env = _env(tmp_path, fake)
    proc = await _cli(env, tmp_path, "serve", "--webhook", "https://example.org")
    out, _ = await proc.communicate()
    assert proc.returncode == 2 and b"MINQING_WEBHOOK_SECRET" in out

    proc = await _cli(env, tmp_path, "serve")
    out, _ = await proc.communicate()
    assert proc.returncode == 2 and b"minqing init" in out


async def test_api_base_url_in_ptb_form_and_a_404_said_plainly(
    tmp_path: Path, fake: FakeBotApi
) -> None:
    """PTB's ``base_url`` convention (``…/bot``) works; a URL that is no Bot API is explained."""
    env = _env(tmp_path, fake, TELEGRAM_API_BASE_URL=fake.root_url + "/bot")
    async with serving(tmp_path, env, "--port", str(_free_port())) as line:
        assert "polling" in line

    env = _env(tmp_path, fake, TELEGRAM_API_BASE_URL=fake.root_url + "/no-such-api")
    proc = await _cli(env, tmp_path, "serve", "--port", str(_free_port()))
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    text = out.decode()
    assert proc.returncode == 2
    # The last word is the explanation (python-telegram-bot logs its own parse error above).
    last = text.strip().splitlines()[-1]
    assert "refused getMe" in last and "TELEGRAM_API_BASE_URL" in last


async def test_port_errors_are_plain(tmp_path: Path, fake: FakeBotApi) -> None:
    env = _env(tmp_path, fake)
    init = await _cli(env, tmp_path, "init")
    assert await init.wait() == 0
    proc = await _cli(env, tmp_path, "serve", "--port", "99999")
    out, _ = await proc.communicate()
    assert proc.returncode == 2 and b"99999 is not a port" in out and b"Traceback" not in out
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = await _cli(env, tmp_path, "serve", "--host", "127.0.0.1", "--port", str(port))
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2 and b"cannot listen on" in out and b"Traceback" not in out
