"""Updates for the service under test, posted to its webhook as Telegram would.

:class:`WebhookPoster` posts JSON updates with the secret header (retrying
like Telegram when asked); :func:`update_of` and :func:`callback_update`
rebuild the update of a fake user's message or button press from the
:class:`~bot.fakeapi.FakeBotApi`'s records; :func:`detach_fake_webhook` makes
the fake stop delivering updates itself, so that the harness posts them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from bot.bench.service import BENCH_SECRET, BENCH_TOKEN
from bot.fakeapi import FakeBotApi, UserAction
from bot.web.core import SECRET_HEADER


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
