"""The fake Bot API's webhook: delivery with the secret token, retries, and giving up on an
unreachable URL.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, Update
from telegram.error import BadRequest, Conflict

from bot.fakeapi import FakeBotApi, running_fake_bot_api
from tests.fakeapikit import CITIZEN, TOKEN

# The `fake` and `bot` fixtures, imported by name.
from tests.fakeapikit import fake_api as fake_api
from tests.fakeapikit import fake_bot as fake_bot


async def test_webhook_delivery_with_secret_and_retries(fake: FakeBotApi, bot: Bot) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    failures = {"left": 1}

    async def receive(request: web.Request) -> web.Response:
        if failures["left"]:
            failures["left"] -= 1
            return web.Response(status=500)
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        fake.send_text(CITIZEN, "queued before the webhook")
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cr3t-TOKEN_1")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        fake.send_text(CITIZEN, "after")
        await fake.wait_for(lambda: len(received) == 2, timeout=5)
        assert [r[0]["message"]["text"] for r in received] == ["queued before the webhook", "after"]
        assert {r[1] for r in received} == {"s3cr3t-TOKEN_1"}
        assert Update.de_json(received[1][0], bot).message is not None
        first = fake.webhook_deliveries[0]
        assert first.ok and first.attempts == 2
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        assert info.last_error_message is not None and "500" in info.last_error_message
        with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
            await bot.set_webhook("http://127.0.0.1:1/x", secret_token="bad token!")
        assert await bot.delete_webhook()
        fake.send_text(CITIZEN, "polled again")
        (update,) = await bot.get_updates()
        assert update.message is not None and update.message.text == "polled again"
    finally:
        await fake.stop()  # stop delivery before the receiver goes away
        await runner.cleanup()


async def test_webhook_to_an_unreachable_url_gives_up() -> None:
    async with (
        running_fake_bot_api(webhook_max_attempts=2, webhook_retry_delay=0.01) as api,
        Bot(TOKEN, base_url=api.base_url) as b,
    ):
        await b.set_webhook("http://127.0.0.1:9/nowhere")
        api.send_text(CITIZEN, "lost")
        await api.wait_for(lambda: api.webhook_deliveries and api.pending_updates() == [])
        delivery = api.webhook_deliveries[0]
        assert not delivery.ok and delivery.attempts == 2 and delivery.status == 0
        info = await b.get_webhook_info()
        assert info.last_error_message is not None
