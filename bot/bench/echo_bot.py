"""The anchor of ``minqing bench intake``: a bare python-telegram-bot echo bot.

``python -m bot.bench.echo_bot --port P`` runs PTB 22 in webhook mode with
``AIORateLimiter`` (as minqing does), behind a minimal aiohttp server that
checks the same secret header and answers 200 after queueing the update. Its
one handler echoes a text message back. The bench runs it as a child process in
the same harness as ``minqing serve``, so the two are measured side by side:
what the bot framework and Telegram's limits cost, and what minqing adds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import os
import signal
import sys
import time
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

from bot.web.core import SECRET_HEADER, webhook_path


def _skip_absent_sniffio() -> None:
    """The fix minqing has (``bot.runtime.telegram_app.skip_absent_sniffio``), here too.

    httpcore's ``import sniffio`` fails on every request when sniffio is not installed,
    and a failed import is not cached. Without this the anchor would pay that cost and
    minqing not, which would flatter minqing's CPU ratio.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


async def _echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


async def serve(port: int) -> None:
    """Run until SIGTERM."""
    started = time.perf_counter()
    _skip_absent_sniffio()
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    base = os.environ["TELEGRAM_API_BASE_URL"].rstrip("/")
    secret = os.environ.get("MINQING_WEBHOOK_SECRET")
    application: Application[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token(token)
        .base_url(base + "/bot")
        .base_file_url(base + "/file/bot")
        .rate_limiter(AIORateLimiter())
        .updater(None)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, _echo))

    async def webhook(request: web.Request) -> web.Response:
        if secret and request.headers.get(SECRET_HEADER) != secret:
            return web.json_response({"ok": False}, status=403)
        payload = await request.json()
        await application.update_queue.put(Update.de_json(payload, application.bot))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post(webhook_path(token), webhook)
    runner = web.AppRunner(app, access_log=None)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with application:
        await application.start()
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        with contextlib.suppress(Exception):
            await application.bot.set_webhook(
                f"http://127.0.0.1:{port}{webhook_path(token)}", secret_token=secret
            )
        print(f"echo bot ready in {time.perf_counter() - started:.2f}s", flush=True)
        await stop.wait()
        await runner.cleanup()
        await application.stop()


def main() -> None:
    """Command line: ``--port``."""
    parser = argparse.ArgumentParser(prog="python -m bot.bench.echo_bot")
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
