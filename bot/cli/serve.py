"""``minqing serve`` and ``minqing sandbox``: run the whole service in one process."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import fail, load_config
from config.district import District
from config.settings import Settings
from storage.db import Database

if TYPE_CHECKING:
    from aiohttp import web

    from bot.runtime.host import ServiceHost

log = logging.getLogger(__name__)


def port_number(text: str) -> int:
    """``--port``: 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0..65535; 0 picks a free one)")
    return port


def _cannot_listen(host: str, port: int, exc: OSError) -> int:
    """Say plainly that the web server could not start (no traceback)."""
    why = exc.strerror or str(exc)
    print(
        f"minqing: error: cannot listen on {host}:{port}: {why}. "
        "Is another minqing (or another program) using this port? Choose another with --port.",
        file=sys.stderr,
    )
    return 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` and ``sandbox``."""
    p = subparsers.add_parser(
        "serve", help="run the bot, delivery, scheduler and web server (polling by default)"
    )
    p.add_argument("--webhook", metavar="URL", help="public base URL: take updates by webhook")
    p.add_argument("--host", default="0.0.0.0", help="web server address (default 0.0.0.0)")
    p.add_argument(
        "--port", type=port_number, help="web server port (default MINQING_HTTP_PORT or 8080)"
    )
    p.set_defaults(func=cmd_serve)

    p = subparsers.add_parser(
        "sandbox",
        help="try minqing without a token: the real bot, a built-in fake Telegram, three phones",
    )
    p.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    p.add_argument("--port", type=port_number, help="port (default MINQING_HTTP_PORT or 8080)")
    p.add_argument("--db", type=Path, help="keep the sandbox database in this SQLite file")
    p.set_defaults(func=cmd_sandbox)


def _configure_logging(log_texts: bool = False) -> None:
    from nlp.normalize import set_text_logging

    set_text_logging(log_texts)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "httpcore", "aiohttp.access", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _stop_on_signals(host: ServiceHost) -> None:
    """SIGINT/SIGTERM stop the host cleanly (installed before "ready" is printed)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, host.request_stop)


async def _run_until_signalled(host: ServiceHost) -> None:
    _stop_on_signals(host)
    try:
        await host.wait()
    finally:
        await host.stop()
        await host.runtime.close()


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the service for real."""
    started = time.perf_counter()
    config = load_config()
    if config is None:
        return 2
    settings, district = config
    if not settings.telegram_bot_token:
        print(
            "minqing: error: set TELEGRAM_BOT_TOKEN (from BotFather), "
            "or try `minqing sandbox` without one",
            file=sys.stderr,
        )
        return 2
    if args.webhook and not settings.webhook_secret:
        print(
            "minqing: error: webhook mode needs MINQING_WEBHOOK_SECRET "
            "(1-256 characters: A-Z a-z 0-9 _ -)",
            file=sys.stderr,
        )
        return 2
    _configure_logging(settings.log_texts)

    async def run() -> int:
        # The service's libraries load only when it runs (``minqing --help`` stays quick).
        from telegram.error import InvalidToken

        from bot.runtime.assembly import StartupError, open_runtime
        from bot.runtime.host import HostOptions, ServiceHost
        from bot.services.clock import service_clock
        from bot.web.app import install_web_routes

        port = args.port if args.port is not None else settings.http_port
        try:
            runtime = await open_runtime(
                settings.serving_on(port),
                clock=service_clock(settings.clock_start),
                district=district,
            )
        except StartupError as exc:
            print(f"minqing: error: {exc}", file=sys.stderr)
            return 2
        host = ServiceHost(
            runtime,
            HostOptions(
                token=settings.telegram_bot_token or "",
                base_url=settings.bot_api_url,
                base_file_url=settings.bot_file_url,
                http_host=args.host,
                http_port=port,
                webhook_url=args.webhook,
                webhook_secret=settings.webhook_secret,
                route_installers=[install_web_routes],
            ),
        )
        try:
            try:
                await host.start_web()
            except OSError as exc:
                await host.stop()
                await runtime.close()
                return _cannot_listen(args.host, port, exc)
            # Unreachable: the web side serves and the bot connects when it can.
            await host.start_bot_or_retry(refused_token_is_fatal=True)
        except InvalidToken:
            await host.stop()
            await runtime.close()
            return fail(
                f"the Bot API at {settings.telegram_api_base_url} refused getMe "
                "(401/404: not found or unauthorised). Either TELEGRAM_BOT_TOKEN is wrong, or "
                "TELEGRAM_API_BASE_URL is not the server's base URL — give it without the token, "
                "e.g. https://api.telegram.org or http://host:8081 (a trailing /bot is accepted)."
            )
        except BaseException:
            await host.stop()
            await runtime.close()
            raise
        runtime.settings = runtime.settings.serving_on(host.port)  # --port 0: the chosen one
        _stop_on_signals(host)
        print(
            f"minqing: ready in {time.perf_counter() - started:.2f}s — "
            f"{'webhook' if args.webhook else 'polling'}, http://{args.host}:{host.port}/healthz"
            + ("" if host.bot_state == "ok" else " (Telegram Bot API unreachable: retrying)"),
            flush=True,
        )
        await _run_until_signalled(host)
        return 0

    return asyncio.run(run())


def cmd_sandbox(args: argparse.Namespace) -> int:
    """Run the real bot against the built-in fake Bot API, with the three-phone page."""
    config = load_config()
    if config is None:
        return 2
    settings, district = config
    _configure_logging(settings.log_texts)
    port = args.port if args.port is not None else settings.http_port
    return asyncio.run(run_sandbox(settings, district, args.host, port, args.db))


async def run_sandbox(
    settings: Settings, district: District, host_addr: str, port: int, db_path: Path | None
) -> int:
    """Set up and run the sandbox until interrupted."""
    from bot.fakeapi import FakeBotApi
    from bot.fakeapi.sandbox import (
        FAKE_API_PREFIX,
        SANDBOX_TOKEN,
        SandboxState,
        add_sandbox_routes,
        register_fake_users,
        seed_people,
    )
    from bot.runtime.assembly import open_runtime
    from bot.runtime.host import HostOptions, ServiceHost
    from bot.runtime.housekeeping import run_diary_reminders, run_housekeeping
    from bot.services.clock import OffsetClock
    from bot.services.clock_state import resume_clock, save_clock
    from bot.services.organisation import sync_organisation
    from bot.web.app import install_web_routes
    from storage import inbox as inbox_store

    with tempfile.TemporaryDirectory(prefix="minqing-sandbox-") as tmp:
        path = db_path or Path(tmp) / "sandbox.db"
        url = f"sqlite+aiosqlite:///{path}"
        db = Database(url)
        await db.migrate()
        await sync_organisation(db, district)
        everyone = await seed_people(db, district)
        # Restarted on the same --db: the inbox drops update ids it has seen as duplicates, so
        # the fake continues after them (Telegram's ids never go back either).
        async with db.session() as session:
            seen = await inbox_store.last_update_id(session)
        fake = FakeBotApi(token=SANDBOX_TOKEN, first_update_id=seen + 1)
        register_fake_users(fake, everyone)
        clock = OffsetClock(settings.clock_start)
        # The same --db again: the clock resumes where the record stopped (trial 26 T8).
        moved = await resume_clock(db, clock)
        if moved:
            hours = clock.offset.total_seconds() / 3600
            log.info("sandbox clock resumed %.2f h ahead of real time", hours)
        # Recorded at once, so that a CLI command on this --db keeps the same time (D11).
        await save_clock(db, clock)
        runtime = await open_runtime(
            replace(settings, database_url=url), clock=clock, district=district, db=db
        )
        host: ServiceHost | None = None

        async def run_timers(fold: bool = True, hold_until: datetime | None = None) -> int:
            if host is None or host.scheduler is None:
                return 0
            return await host.scheduler.run_due(fold=fold, hold_until=hold_until)

        def poke() -> None:
            if host is not None and host.worker is not None:
                host.worker.notify()

        def install(app: web.Application, _host: ServiceHost) -> None:
            fake.add_routes(app, prefix=FAKE_API_PREFIX)
            add_sandbox_routes(
                app,
                SandboxState(
                    db,
                    clock,
                    everyone,
                    run_timers,
                    poke,
                    run_chores=lambda: run_housekeeping(runtime),
                    run_reminders=lambda: run_diary_reminders(runtime),
                    tz=settings.timezone,
                ),
            )
            install_web_routes(app, _host)

        host = ServiceHost(
            runtime,
            HostOptions(
                token=SANDBOX_TOKEN,
                base_url="",
                base_file_url="",
                http_host=host_addr,
                http_port=port,
                scheduler_interval=2.0,
                route_installers=[install],
            ),
        )
        try:
            try:
                await host.start_web()
            except OSError as exc:
                await host.stop()
                await db.dispose()
                return _cannot_listen(host_addr, port, exc)
            runtime.settings = runtime.settings.serving_on(host.port)
            origin = f"http://127.0.0.1:{host.port}"
            fake.set_origin(origin)
            host.options.base_url = fake.base_url
            host.options.base_file_url = fake.base_file_url
            await host.start_bot()
        except BaseException:
            await host.stop()
            await db.dispose()
            raise
        _stop_on_signals(host)
        print(
            f"minqing sandbox: open http://{host_addr}:{host.port}/ in a browser (Ctrl+C stops)",
            flush=True,
        )
        try:
            await _run_until_signalled(host)
        finally:
            await db.dispose()
    return 0
