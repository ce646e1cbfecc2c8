"""The aiohttp server's core routes: Telegram webhook, health and metrics.

The webhook accepts an update only with the right ``X-Telegram-Bot-Api-Secret-Token``
(compared in constant time), only as JSON, and only once per ``update_id``.
It answers 200 only after the update is written to the inbox
(:mod:`bot.runtime.inbox`), so a crash after that loses nothing and a retry reaching a
second instance is ignored. Accepted updates are handed to an ``UpdateSink`` —
the Telegram application's update queue in production, anything in tests. While no
bot runs (the Bot API unreachable), a service that will run one holds the update in
the inbox instead (``hold_while_down``), answered 200, for the bot's first replay.
"""

from __future__ import annotations

import hmac
import itertools
import json
import logging
import os
import shutil
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy.engine import make_url

from bot.runtime.inbox import UpdateInbox
from bot.runtime.metrics import CONTENT_TYPE, GaugeSample, Metrics
from bot.services.clock import Clock
from storage.db import Database
from storage.health import cases_by_status, events_by_type, health_figures, ping
from storage.state import put_state

log = logging.getLogger(__name__)

#: Receives a JSON update that passed every check.
UpdateSink = Callable[[dict[str, Any]], Awaitable[None]]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Case event types counted on ``/metrics``.
COUNTED_EVENTS = ("escalated", "renotified", "reminded")
MAX_UPDATE_BYTES = 1_000_000
#: Free disk space below which /healthz reports an error (SQLite file, logs, uploads).
MIN_FREE_BYTES = 200 * 1024 * 1024
#: The row /healthz rewrites to prove the database accepts a write.
_PROBE_KEY = f"{socket.gethostname()}:{os.getpid()}"
_PROBES = itertools.count(1)


@dataclass
class WebContext:
    """What the web routes need from the running service."""

    db: Database
    clock: Clock
    metrics: Metrics
    webhook_secret: str | None = None
    update_sink: UpdateSink | None = None
    inbox: UpdateInbox | None = None
    #: /healthz fails below this much free space where the service writes.
    min_free_bytes: int = MIN_FREE_BYTES
    #: The bot's state (``ok``, ``starting``, ``unreachable``), if a bot runs alongside.
    bot_status: Callable[[], str] | None = None
    #: While no bot runs, take webhook updates into the inbox (200) for the first replay
    #: once one does, instead of answering 503 (Telegram's own retries can be minutes apart).
    hold_while_down: bool = False

    def __post_init__(self) -> None:
        if self.inbox is None:
            self.inbox = UpdateInbox(self.db, self.clock)


CONTEXT_KEY: web.AppKey[WebContext] = web.AppKey("minqing_web", WebContext)


def webhook_path(token: str | None) -> str:
    """The path Telegram posts to; not guessable from outside when a token is set."""
    if not token:
        return "/telegram/webhook"
    digest = hmac.new(b"minqing-webhook-path", token.encode(), "sha256").hexdigest()[:24]
    return f"/telegram/webhook/{digest}"


async def handle_webhook(request: web.Request) -> web.Response:
    """Take in one update from Telegram."""
    ctx = request.app[CONTEXT_KEY]
    if ctx.webhook_secret is not None:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), ctx.webhook_secret.encode()):
            ctx.metrics.webhook_rejected.inc(1, "secret")
            log.warning("webhook refused: wrong or missing secret token from %s", request.remote)
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
    if request.content_type != "application/json":
        ctx.metrics.webhook_rejected.inc(1, "content_type")
        return web.json_response({"ok": False, "error": "JSON only"}, status=415)
    if request.content_length is not None and request.content_length > MAX_UPDATE_BYTES:
        ctx.metrics.webhook_rejected.inc(1, "too_large")
        return web.json_response({"ok": False, "error": "too large"}, status=413)
    try:
        payload = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        ctx.metrics.webhook_rejected.inc(1, "malformed")
        return web.json_response({"ok": False, "error": "malformed JSON"}, status=400)
    update_id = payload.get("update_id") if isinstance(payload, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        ctx.metrics.webhook_rejected.inc(1, "malformed")
        return web.json_response({"ok": False, "error": "not an update"}, status=400)
    assert ctx.inbox is not None
    if ctx.update_sink is None and ctx.hold_while_down:
        # The bot is not running (the Bot API unreachable): kept for its first replay.
        if not await ctx.inbox.hold(payload, "webhook"):
            ctx.metrics.webhook_rejected.inc(1, "duplicate")
            return web.json_response({"ok": True, "duplicate": True})
        ctx.metrics.updates.inc(1, "webhook")
        return web.json_response({"ok": True, "held": True})
    if ctx.update_sink is None:
        # The bot is not running (yet): Telegram keeps the update and retries.
        ctx.metrics.webhook_rejected.inc(1, "not_ready")
        return web.json_response({"ok": False, "error": "starting"}, status=503)
    if not await ctx.inbox.accept(payload, "webhook"):
        ctx.metrics.webhook_rejected.inc(1, "duplicate")
        return web.json_response({"ok": True, "duplicate": True})
    ctx.metrics.updates.inc(1, "webhook")
    if ctx.update_sink is not None:
        await ctx.update_sink(payload)
    return web.json_response({"ok": True})


def _disk_path(db: Database) -> str:
    """Where the service writes: the SQLite file's folder, else the working folder."""
    if db.is_sqlite:
        database = make_url(db.url).database or ""
        if database and database != ":memory:":
            return os.path.dirname(os.path.abspath(database))
    return os.getcwd()


async def handle_healthz(request: web.Request) -> web.Response:
    """The database takes a write, the disk has room; outbox backlog, overdue timers.

    503 when the database cannot be reached or refuses the write (a full disk, a
    read-only file system) or free space is below ``min_free_bytes``.
    """
    ctx = request.app[CONTEXT_KEY]
    now = ctx.clock.now()
    try:
        free = shutil.disk_usage(_disk_path(ctx.db)).free
    except OSError:
        free = -1
    disk = "ok" if free >= ctx.min_free_bytes else "low"
    try:
        async with ctx.db.session() as session:
            await ping(session)
            figures = await health_figures(session, now)
    except Exception as exc:  # the point is to report any failure
        log.warning("health check: database unreachable: %s", type(exc).__name__)
        return web.json_response(
            {"status": "error", "database": "unreachable", "disk": disk, "disk_free_bytes": free},
            status=503,
        )
    try:
        async with ctx.db.session() as session:
            probe = {"at": now.isoformat(), "n": next(_PROBES)}  # always a change to write
            await put_state(session, "health", "write_probe", _PROBE_KEY, probe)
        database = "ok"
    except Exception as exc:
        log.warning("health check: the database refused a write: %s", type(exc).__name__)
        database = "read_only"
    oldest_age = (
        None
        if figures.oldest_undelivered_at is None
        else round((now - figures.oldest_undelivered_at).total_seconds(), 3)
    )
    healthy = database == "ok" and disk == "ok"
    # The web side serves while the Bot API is unreachable: degraded, not down.
    bot = ctx.bot_status() if ctx.bot_status is not None else None
    if not healthy:
        status = "error"
    elif bot in (None, "ok"):
        status = "ok"
    else:
        status = "degraded"
    return web.json_response(
        {
            "status": status,
            **({"bot": bot} if bot is not None else {}),
            "database": database,
            "disk": disk,
            "disk_free_bytes": free,
            "outbox_backlog": figures.outbox_backlog,
            "oldest_undelivered_age_seconds": oldest_age,
            "timers_overdue": figures.timers_overdue,
            "dead_letters": figures.dead_letters,
            "oldest_dead_letter_age_seconds": None
            if figures.oldest_dead_letter_at is None
            else round((now - figures.oldest_dead_letter_at).total_seconds(), 3),
        },
        status=200 if healthy else 503,
    )


async def handle_metrics(request: web.Request) -> web.Response:
    """Prometheus text format: the service's registry plus figures read from the database."""
    ctx = request.app[CONTEXT_KEY]
    gauges: list[GaugeSample] = []
    try:
        async with ctx.db.session() as session:
            by_status = await cases_by_status(session)
            figures = await health_figures(session, ctx.clock.now())
            events = await events_by_type(session, COUNTED_EVENTS)
    except Exception as exc:
        log.warning("metrics: database unreachable: %s", type(exc).__name__)
        by_status, figures, events = {}, None, {}
    for (kind, status), n in sorted(by_status.items()):
        gauges.append(
            GaugeSample(
                "minqing_cases", "Cases by kind and status", n, ("kind", "status"), (kind, status)
            )
        )
    for event_type, n in sorted(events.items()):
        gauges.append(
            GaugeSample(
                "minqing_case_events_total",
                "Escalations, re-notifications and reminders (催办) written, all instances",
                n,
                ("type",),
                (event_type,),
                kind="counter",
            )
        )
    if figures is not None:
        gauges.append(
            GaugeSample("minqing_outbox_backlog", "Undelivered outbox rows", figures.outbox_backlog)
        )
        gauges.append(
            GaugeSample("minqing_timers_overdue", "Timers past due", figures.timers_overdue)
        )
    gauges.append(GaugeSample("minqing_up", "Database reachable", 1 if figures else 0))
    body = ctx.metrics.render(gauges).encode("utf-8")
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


def add_core_routes(app: web.Application, ctx: WebContext, webhook: str | None = None) -> None:
    """Mount healthz, metrics and (when a path is given) the webhook."""
    app[CONTEXT_KEY] = ctx
    app.router.add_get("/healthz", handle_healthz)
    app.router.add_get("/metrics", handle_metrics)
    if webhook is not None:
        app.router.add_post(webhook, handle_webhook)
