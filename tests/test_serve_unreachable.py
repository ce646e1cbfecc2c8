"""``minqing serve`` while the Telegram Bot API cannot be reached (issue 15, break 4).

The Bot API is often reached through a proxy that can be down. The service must start
anyway, serve the citizen form, Open311 and ``/healthz`` (the bot shown as degraded),
and connect once the Bot API answers.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import aiohttp

from bot.fakeapi import running_fake_bot_api
from tests.conftest import REPO_ROOT
from tests.test_serve import TOKEN, _free_port, serving


async def _health(http: aiohttp.ClientSession, origin: str) -> dict[str, Any]:
    async with http.get(f"{origin}/healthz") as r:
        assert r.status == 200, await r.text()
        body: dict[str, Any] = await r.json()
        return body


async def test_break4_bot_api_down_at_start_web_still_serves(tmp_path: Path) -> None:
    api_port, web_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINQING_", "TELEGRAM_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            # Nothing listens there yet: every call is refused.
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{api_port}",
            "MINQING_HTTP_PORT": str(web_port),
        }
    )
    origin = f"http://127.0.0.1:{web_port}"
    async with serving(tmp_path, env, "--host", "127.0.0.1") as line:
        assert "Telegram Bot API unreachable" in line
        async with aiohttp.ClientSession() as http:
            health = await _health(http, origin)
            assert health["status"] == "degraded"
            assert health["bot"] == "unreachable" and health["database"] == "ok"
            async with http.get(f"{origin}/report") as r:
                assert r.status == 200 and "<form" in await r.text()
            async with http.get(f"{origin}/open311/discovery.json") as r:
                assert r.status == 200
            async with http.get(f"{origin}/open311/v2/services.json") as r:
                assert r.status == 200 and len(await r.json()) > 0

            # The Bot API comes back: the bot connects and answers a citizen.
            async with running_fake_bot_api(token=TOKEN, port=api_port) as fake:
                for _ in range(300):
                    health = await _health(http, origin)
                    if health["bot"] == "ok":
                        break
                    await asyncio.sleep(0.1)
                assert health["status"] == "ok" and health["bot"] == "ok"
                citizen = fake.user(7101, "孙女士")
                action = citizen.send_text("小区门口的路灯坏了一个月了，晚上很黑")
                answer = await fake.wait_for_message(7101, since=action, timeout=30)
                assert "城建" in answer.text
