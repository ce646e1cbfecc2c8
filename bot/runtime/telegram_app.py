"""Assembly of the Telegram application: python-telegram-bot wired to the runtime.

Example (polling)::

    runtime = await open_runtime(settings)
    app = build_application(runtime, token=settings.telegram_bot_token)
    async with app:                      # initialize: getMe, setMyCommands
        await app.start()
        await app.updater.start_polling()
        ...                               # run the delivery worker and the scheduler beside it
        await app.updater.stop()
        await app.stop()                  # flushes conversation state to the database
    await runtime.close()

Webhook mode: build with ``updater=False``, start the application the same way,
and give :func:`make_update_sink` to ``bot.web.core.WebContext`` so that the
aiohttp server feeds updates into ``app.update_queue``.

Handlers reach the runtime as ``context.runtime`` (see
:class:`handlers.base.BotContext`); nothing of it is persisted. The application
class itself (each update's state read and settling) is
:class:`bot.runtime.application.MinqingApplication`; its HTTP transport to the Bot
API is :class:`bot.runtime.bot_api_http.AiohttpRequest`.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Iterable
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    TypeHandler,
)

from bot.runtime.application import MinqingApplication
from bot.runtime.assembly import Runtime
from bot.runtime.bot_api_http import AiohttpRequest
from bot.runtime.fair_intake import (
    DEFAULT_BURST,
    DEFAULT_PERIOD,
    PerChatUpdateProcessor,
    is_transient,
)
from bot.runtime.inbox import DurableUpdateQueue, UpdateInbox
from bot.runtime.intake_notices import announce_throttle
from bot.runtime.persistence import DatabasePersistence
from bot.runtime.rate_limits import ReplyRateLimiter
from bot.web.core import UpdateSink
from handlers import (
    admin,
    citizen_conversation,
    common,
    dashboard,
    diary,
    membership,
    menu,
    officer,
    station,
    texts,
)
from handlers.base import App, BotContext, masked
from storage.enums import Role

__all__ = [
    "MinqingApplication",
    "build_application",
    "hand_over",
    "make_update_sink",
    "on_error",
    "register_handlers",
    "skip_absent_sniffio",
]

log = logging.getLogger(__name__)


def skip_absent_sniffio() -> None:
    """Make httpcore's per-request ``import sniffio`` cheap when sniffio is not installed.

    httpcore asks ``sniffio`` which event loop runs, with an ``import sniffio`` inside
    the function, several times per HTTP request (every reply the bot sends). anyio 4.x
    no longer depends on sniffio, so it is often absent, and a failed import is not
    cached: each one searched ``sys.path`` again (3-4 % of the service's CPU at 30
    updates/s). A ``None`` entry in ``sys.modules`` makes the import fail at once, and
    httpcore falls back to asyncio, which is what runs. Nothing changes when sniffio
    is installed.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def build_application(
    runtime: Runtime,
    *,
    token: str,
    base_url: str | None = None,
    base_file_url: str | None = None,
    rate_limiter: bool = True,
    persistence: bool = True,
    updater: bool = True,
    persistence_interval: float = 60.0,
    read_timeout: float = 10.0,
    concurrent: int = 16,
    user_burst: int | None = None,
    user_period: float = DEFAULT_PERIOD,
) -> MinqingApplication:
    """Build the bot with every handler module registered.

    Args:
        runtime: The services (see :func:`bot.runtime.assembly.open_runtime`).
        token: The bot token from BotFather.
        base_url: Bot API base (default ``runtime.settings.bot_api_url``, i.e.
            ``TELEGRAM_API_BASE_URL`` + ``/bot``).
        base_file_url: File base (default ``runtime.settings.bot_file_url``).
        rate_limiter: Use PTB's ``AIORateLimiter`` (Telegram's flood limits), whose
            replies wait out a short 429 in place (:mod:`bot.runtime.rate_limits`).
        persistence: Keep conversations and user data in the database, so a
            restart resumes a conversation where it was.
        updater: Build an updater for polling; False for webhook mode (updates
            come through :func:`make_update_sink`).
        persistence_interval: Seconds between PTB's own collections of changed
            state (each update writes its own changes; this only catches the rest).
        read_timeout: Seconds to wait for an answer of the Bot API.
        concurrent: Updates run at once (different chats; a chat's stay in order).
        user_burst: Updates a user may send at once before being slowed down
            (0: no limit); then ``user_burst`` per ``user_period`` seconds. Default:
            ``MINQING_USER_BURST`` from the environment, else 10 (the benchmarks'
            synthetic citizens, who answer back within milliseconds, run with 0).
        user_period: See ``user_burst``.

    Returns:
        The application (not yet initialised or started).
    """
    skip_absent_sniffio()
    settings = runtime.settings
    holder: list[MinqingApplication] = []

    async def on_throttled(update: Update) -> None:
        if holder:
            await announce_throttle(holder[0], runtime, update)

    if user_burst is None:
        user_burst = int(os.environ.get("MINQING_USER_BURST", DEFAULT_BURST))

    async def is_staff(telegram_user_id: int) -> bool:
        person = await runtime.people.find(telegram_user_id)
        return person is not None and person.active and person.role != Role.CITIZEN

    processor = PerChatUpdateProcessor(
        max(1, concurrent),
        burst=user_burst,
        period=user_period,
        on_throttled=on_throttled,
        exempt=is_staff,
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url or settings.bot_api_url)
        .base_file_url(base_file_url or settings.bot_file_url)
        .application_class(
            MinqingApplication,
            kwargs={"runtime": runtime, "update_source": "polling" if updater else "webhook"},
        )
        .context_types(ContextTypes(context=BotContext))
        .request(AiohttpRequest(connection_pool_size=32, read_timeout=read_timeout))
        .concurrent_updates(processor)
        .update_queue(DurableUpdateQueue(runtime.inbox))
    )
    if rate_limiter:
        builder = builder.rate_limiter(ReplyRateLimiter())
    if persistence:
        builder = builder.persistence(
            DatabasePersistence(runtime.db, update_interval=persistence_interval)
        )
    if not updater:
        builder = builder.updater(None)
    application = builder.build()
    if not isinstance(application, MinqingApplication):  # pragma: no cover - builder contract
        raise TypeError("ApplicationBuilder ignored application_class")
    holder.append(application)
    register_handlers(application)
    return application


def register_handlers(application: App) -> None:
    """Register every handler module, in the order that decides who gets an update.

    Conversations first (a pending note, a warning, a follow-up comment, a
    request), then plain commands, then the catch-alls of :mod:`handlers.common`.
    """
    application.add_handler(TypeHandler(Update, _count_update), group=-1)
    station.register(application)
    officer.register(application)
    citizen_conversation.register(application)
    admin.register(application)
    menu.register(application)
    dashboard.register(application)
    diary.register(application)
    membership.register(application)
    common.register(application)
    application.add_error_handler(on_error)


async def _count_update(update: Update, context: BotContext) -> None:
    """Count updates taken in by polling (the web server counts webhook updates)."""
    source = getattr(context.application, "update_source", "polling")
    if source == "polling":
        context.runtime.metrics.updates.inc(1, "polling")
    if update.effective_user is not None and update.effective_user.is_bot:
        raise ApplicationHandlerStop


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (user text masked) and tell the user truthfully what happened."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update: %r", error, exc_info=error)
        return
    message = update.effective_message
    text = message.text if message is not None else None
    log.error(
        "update %s failed: %s; text: %s",
        update.update_id,
        type(error).__name__,
        masked(text),
        exc_info=error,
    )
    replayable = context.saved_notes.replayable(update.update_id)
    saved = context.saved_notes.pop(update.update_id)
    application = context.application
    if replayable and is_transient(error) and isinstance(application, MinqingApplication):
        # Nothing was saved, or only a case its replay finds by the update's intake key,
        # and a retry may well succeed (a 429 on the reply: after its wait): the update is
        # handed back (bot.runtime.inbox); the sender hears from us when it succeeds or is
        # given up.
        assert error is not None
        application.note_transient_failure(update.update_id, error)
        return
    answer = texts.SAVED_BUT_ERROR.format(note=saved) if saved else texts.NOT_SAVED_ERROR
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(answer[:200], show_alert=True)
            return
        except TelegramError:
            pass  # already answered by the handler: say it in the chat instead
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    try:
        await chat.send_message(answer)
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)


async def hand_over(
    application: Application[Any, Any, Any, Any, Any, Any],
    payloads: Iterable[dict[str, Any]],
    inbox: UpdateInbox,
) -> int:
    """Queue accepted updates into the application; an unparseable one is dead-lettered.

    Used for webhook updates and for replays after a crash: one payload that
    python-telegram-bot cannot parse never keeps the rest of its batch from the bot.
    Returns how many were queued.
    """
    queued = 0
    queue = application.update_queue
    for payload in payloads:
        try:
            update = Update.de_json(payload, application.bot)
        except Exception as exc:
            await inbox.dead_letter(int(payload["update_id"]), f"unparseable: {type(exc).__name__}")
            continue
        if isinstance(queue, DurableUpdateQueue):
            queue.put_accepted(update)  # already in the inbox
        else:
            await queue.put(update)
        queued += 1
    return queued


async def stop_application(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop ``application`` from wherever its start got to: the updater (polling), the
    application (its conversation state flushed), then its shutdown.
    """
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


def make_update_sink(application: Application[Any, Any, Any, Any, Any, Any]) -> UpdateSink:
    """An ``UpdateSink`` for ``bot.web.core`` that queues webhook updates into the application."""
    inbox = application.runtime.inbox if isinstance(application, MinqingApplication) else None

    async def sink(payload: dict[str, Any]) -> None:
        if inbox is not None:
            await hand_over(application, [payload], inbox)
            return
        await application.update_queue.put(Update.de_json(payload, application.bot))

    return sink
