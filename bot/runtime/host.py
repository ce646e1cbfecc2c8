"""One process running everything: the bot, delivery, the scheduler, the web server.

:class:`ServiceHost` is what ``minqing serve`` and ``minqing sandbox`` run. The
bot takes updates by polling (default) or through the web server's webhook
route, each written to the update inbox first and replayed if a crash left it
unhandled; the delivery worker sends the outbox; the scheduler fires database
timers; housekeeping queues the monthly diary reminders and purges old rows.
Stopping is orderly: no new updates, then the workers finish their current
step, then the database is closed.

The Bot API may be unreachable when the service starts (it is often reached through a
proxy that can be down): the web side (citizen form, Open311, dashboard, ``/healthz``
reporting the bot as ``unreachable``) starts anyway, and the bot's part is started as
soon as the Bot API answers, retrying with a growing delay (``bot_retry_initial`` up to
``bot_retry_max`` seconds: a getMe a second costs nothing and bounds the time from the
Bot API's return to the bot's). Outbox rows written meanwhile wait and go out once it is
up; webhook updates that arrive meanwhile are held in the inbox (answered 200, so they
do not wait for Telegram's own retry schedule) and handed to the bot by its first replay,
which runs the moment the bot's part has started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ExtBot
from telegram.request import HTTPXRequest

from bot.runtime.assembly import Runtime
from bot.runtime.delivery import DeliveryWorker
from bot.runtime.housekeeping import housekeeping_forever
from bot.runtime.scheduler import Scheduler
from bot.runtime.telegram_app import (
    build_application,
    hand_over,
    make_update_sink,
    stop_application,
)
from bot.web.core import WebContext, add_core_routes, webhook_path
from bot.web.server import ConnectionGuard, connection_cap, new_application, start_site

log = logging.getLogger(__name__)

#: Adds routes to the web application once the host's pieces exist.
RouteInstaller = Callable[[web.Application, "ServiceHost"], None]


@dataclass
class HostOptions:
    """How to run the host."""

    token: str
    base_url: str
    base_file_url: str
    http_host: str = "0.0.0.0"
    http_port: int = 8080
    webhook_url: str | None = None
    webhook_secret: str | None = None
    scheduler_interval: float = 15.0
    housekeeping_interval: float = 3600.0
    replay_interval: float = 5.0
    delivery_concurrency: int = 8
    bot_retry_initial: float = 1.0
    bot_retry_max: float = 1.0
    route_installers: list[RouteInstaller] = field(default_factory=list)


def _warm_classifier() -> None:
    """Load the segmenter's dictionaries and the lexicon (never raises)."""
    try:
        from nlp.classify import classify

        classify("预热")
    except Exception:
        log.warning("could not load the classifier ahead of the first update", exc_info=True)


class ServiceHost:
    """Starts and stops the bot, the delivery worker, the scheduler and the web server."""

    def __init__(self, runtime: Runtime, options: HostOptions) -> None:
        self.runtime = runtime
        self.options = options
        self.application: Application | None = None  # type: ignore[type-arg]
        self.worker: DeliveryWorker | None = None
        self.scheduler: Scheduler | None = None
        self.connection_guard = ConnectionGuard(connection_cap())
        self.web_app = new_application(self.connection_guard)
        self._runner: web.AppRunner | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stop_event = asyncio.Event()
        self._web_ctx: WebContext | None = None
        self._worker_bot: ExtBot | None = None  # type: ignore[type-arg]
        self._connector: asyncio.Task[None] | None = None
        self._warming: asyncio.Future[None] | None = None
        #: The bot's part: ``starting``, ``ok`` or ``unreachable`` (shown on /healthz).
        self.bot_state = "starting"

    @property
    def port(self) -> int:
        """The port the web server listens on (useful with port 0)."""
        assert self._runner is not None
        for site in self._runner.sites:
            server = getattr(site, "_server", None)
            if server is not None and server.sockets:
                return int(server.sockets[0].getsockname()[1])
        return self.options.http_port

    async def start_web(self) -> None:
        """Start the web server (before the bot, so that a sandbox's fake API is up)."""
        opts = self.options
        ctx = WebContext(
            db=self.runtime.db,
            clock=self.runtime.clock,
            metrics=self.runtime.metrics,
            webhook_secret=opts.webhook_secret,
            update_sink=None,
            inbox=self.runtime.inbox,
            bot_status=lambda: self.bot_state,
            hold_while_down=bool(opts.webhook_url),
        )
        add_core_routes(
            self.web_app, ctx, webhook=webhook_path(opts.token) if opts.webhook_url else None
        )
        for install in opts.route_installers:
            install(self.web_app, self)
        self._runner = await start_site(
            self.web_app, self.connection_guard, opts.http_host, opts.http_port
        )
        self._web_ctx = ctx
        log.info("web server listening on %s:%s", opts.http_host, self.port)

    async def start_bot(self) -> None:
        """Start the Telegram application, the delivery worker and the scheduler."""
        opts = self.options
        runtime = self.runtime
        application = build_application(
            runtime,
            token=opts.token,
            base_url=opts.base_url,
            base_file_url=opts.base_file_url,
            updater=not opts.webhook_url,  # webhook updates arrive through the web server
        )
        self.application = application
        await application.initialize()
        await application.start()
        if opts.webhook_url:
            assert self._web_ctx is not None, "start_web() first"
            self._web_ctx.update_sink = make_update_sink(application)
            url = opts.webhook_url.rstrip("/") + webhook_path(opts.token)
            await application.bot.set_webhook(
                url, secret_token=opts.webhook_secret, allowed_updates=None
            )
            log.info("webhook set")
        else:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=None)
            log.info("polling for updates")

        # The worker's own connection pool, but the application's rate limiter:
        # replies and notifications share Telegram's one budget for this bot.
        worker_bot = ExtBot(
            opts.token,
            base_url=opts.base_url,
            base_file_url=opts.base_file_url,
            request=HTTPXRequest(connection_pool_size=opts.delivery_concurrency + 2),
            rate_limiter=application.bot.rate_limiter,
        )
        self._worker_bot = worker_bot
        await worker_bot.initialize()
        self.worker = DeliveryWorker(
            runtime.db,
            worker_bot,
            clock=runtime.clock,
            concurrency=opts.delivery_concurrency,
        )
        runtime.on_outbox_written(self.worker.notify)
        runtime.metrics.collectors.append(self.worker.stats.samples)
        self.scheduler = Scheduler(
            runtime.db,
            runtime.district,
            runtime.clock,
            runtime.cases,
            on_fired=runtime.outbox_written,
        )
        scheduler = self.scheduler
        worker = self.worker

        async def run_scheduler() -> None:
            await scheduler.run_forever(interval=opts.scheduler_interval)

        async def run_worker() -> None:
            await worker.run_forever(self._stop_event)

        self._tasks = [
            asyncio.create_task(self._replay_forever(application), name="minqing-inbox"),
            asyncio.create_task(run_worker(), name="minqing-delivery"),
            asyncio.create_task(run_scheduler(), name="minqing-scheduler"),
            asyncio.create_task(
                housekeeping_forever(runtime, self._stop_event, opts.housekeeping_interval),
                name="minqing-housekeeping",
            ),
        ]
        self.bot_state = "ok"  # /healthz: the bot runs (the sandbox starts it directly too)

    async def _replay_forever(self, application: Application) -> None:  # type: ignore[type-arg]
        """Hand updates whose handling never finished (a crash) back to the bot."""
        batch = 100
        await self.runtime.inbox.release_dead_owners()  # a killed predecessor's, at once
        while not self._stop_event.is_set():
            payloads: list[dict[str, Any]] = []
            try:
                payloads = await self.runtime.inbox.reclaim(limit=batch)
                await hand_over(application, payloads, self.runtime.inbox)
            except Exception:
                log.exception("replaying unhandled updates failed; trying again")
            if len(payloads) >= batch:
                continue  # a backlog (updates held while the Bot API was down): no pause
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_event.wait(), self.options.replay_interval)

    async def start(self) -> None:
        """Start everything; while the Bot API is unreachable, the web side only."""
        await self.start_web()
        # The classifier's dictionaries load in ~1 s of CPU on first use: load them now,
        # beside the start, not in the first update (after an outage: the first replay).
        self._warming = asyncio.ensure_future(asyncio.to_thread(_warm_classifier))
        await self.start_bot_or_retry()

    async def start_bot_or_retry(self, *, refused_token_is_fatal: bool = False) -> None:
        """Start the bot's part, or keep retrying in the background while it cannot.

        Args:
            refused_token_is_fatal: Re-raise :class:`~telegram.error.InvalidToken`
                (getMe answered 401/404: a wrong token or base URL, which no retry
                mends) instead of retrying it. ``minqing serve`` says so and exits.
        """
        if not await self._try_start_bot(reraise_invalid_token=refused_token_is_fatal):
            self._connector = asyncio.create_task(
                self._connect_bot_forever(), name="minqing-connect-bot"
            )

    async def _try_start_bot(self, *, reraise_invalid_token: bool = False) -> bool:
        """Start the bot's part; on a Bot API failure undo the partial start."""
        try:
            await self.start_bot()
        except (TelegramError, OSError) as exc:
            self.bot_state = "unreachable"
            if isinstance(exc, InvalidToken) and reraise_invalid_token:
                await self._stop_bot_parts()
                raise
            if isinstance(exc, InvalidToken):
                log.error("the Bot API refused the token (%s): check TELEGRAM_BOT_TOKEN", exc)
            else:
                log.warning(
                    "Telegram Bot API unreachable (%s); the web side is serving, retrying",
                    type(exc).__name__,
                )
            await self._stop_bot_parts()
            return False
        self.bot_state = "ok"
        return True

    async def _connect_bot_forever(self) -> None:
        """Retry starting the bot's part until it succeeds or the host stops."""
        delay = self.options.bot_retry_initial
        while not self._stop_event.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_event.wait(), delay)
            if self._stop_event.is_set():
                return
            if await self._try_start_bot():
                log.info("connected to the Telegram Bot API")
                return
            delay = min(delay * 2, self.options.bot_retry_max)

    async def _stop_bot_parts(self) -> None:
        """Stop and forget the Telegram application and the worker's bot (never raises)."""
        application, self.application = self.application, None
        worker_bot, self._worker_bot = self._worker_bot, None
        if self._web_ctx is not None:
            self._web_ctx.update_sink = None
        with contextlib.suppress(Exception):
            if application is not None:
                await stop_application(application)
        with contextlib.suppress(Exception):
            if worker_bot is not None:
                await worker_bot.shutdown()

    async def stop(self) -> None:
        """Stop everything, newest first."""
        if self._connector is not None:
            self._connector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connector
        if self.application is not None:
            await stop_application(self.application)
        self._stop_event.set()
        if self.worker is not None:
            self.worker.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._worker_bot is not None:
            await self._worker_bot.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait(self) -> None:
        """Block until a background task dies or the process is told to stop."""
        await self._stop_event.wait()

    def request_stop(self) -> None:
        """Ask :meth:`wait` to return (signal handlers call this)."""
        self._stop_event.set()
