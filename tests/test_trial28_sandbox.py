"""Trial 28 P4 and P12 in the sandbox as the tester ran it: a subprocess and its page.

「快进 1 天」 over unacknowledged warnings sent each phone a storm (74 messages to the
东城 chief, 36 to the officer). One jump is one scheduler pass: each phone gets one
【待办汇总】 / 【进展汇总】 digest. The page says that the phones' history is cleared
by a restart (the fake Bot API keeps it in memory) and where to see the cases again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.sandboxkit import running_sandbox

WARNINGS = [
    "和平社区3号楼楼道堆放杂物，居民有意见",
    "幸福路菜市场门口占道经营，影响通行",
    "阳光小区路灯坏了一周没人修",
]


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[str]:
    """A running ``minqing sandbox`` on a free port; yields its base URL."""
    async with running_sandbox(tmp_path) as url:
        yield url


async def _messages(http: aiohttp.ClientSession, url: str, chat_id: int) -> list[dict[str, Any]]:
    async with http.get(f"{url}fakeapi/_fake/chats/{chat_id}") as r:
        view = await r.json()
    return [m for m in view["messages"] if m["from_bot"]]


async def _settled(http: aiohttp.ClientSession, url: str, chat_id: int, count: int) -> list[str]:
    """The bot's messages in a chat once there are at least ``count`` and no more come."""
    deadline = asyncio.get_running_loop().time() + 30
    last = -1
    while asyncio.get_running_loop().time() < deadline:
        texts = [str(m.get("text") or "") for m in await _messages(http, url, chat_id)]
        if len(texts) >= count and len(texts) == last:
            return texts
        last = len(texts)
        await asyncio.sleep(1.5)
    raise AssertionError(f"chat {chat_id} did not settle")


async def test_one_jump_sends_each_phone_one_digest(sandbox: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(sandbox) as page:
            assert "重启沙盒后会清空" in await page.text()
        async with http.get(f"{sandbox}sandbox/state") as r:
            personas = (await r.json())["personas"]
        officer = next(p for p in personas if p["role"] == "officer")["chat_id"]
        chief = next(p for p in personas if p["role"] == "chief" and p["unit_id"] == "dongcheng")[
            "chat_id"
        ]
        for n, text in enumerate(WARNINGS, 1):
            async with http.post(
                f"{sandbox}fakeapi/_fake/chats/{officer}/send", json={"text": f"/warn {text}"}
            ) as r:
                assert r.status == 200
            await _settled(http, sandbox, officer, n)
        before_officer = len(await _messages(http, sandbox, officer))
        before_chief = len(await _settled(http, sandbox, chief, len(WARNINGS)))

        async with http.post(f"{sandbox}sandbox/advance", json={"hours": 72}) as r:
            assert r.status == 200
            assert (await r.json())["fired"] >= 3 * len(WARNINGS), "every chain fires"
        officer_new = (await _settled(http, sandbox, officer, before_officer + 1))[before_officer:]
        chief_new = (await _settled(http, sandbox, chief, before_chief + 1))[before_chief:]
    assert len(officer_new) == 1 and officer_new[0].startswith("【进展汇总】"), officer_new
    assert len(chief_new) == 1 and chief_new[0].startswith("【待办汇总】"), chief_new
    assert "超期未签收" in chief_new[0] and "已上报" in chief_new[0] and "级）" in chief_new[0]
