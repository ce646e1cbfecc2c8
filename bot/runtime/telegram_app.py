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
:class:`handlers.base.BotContext`); nothing of it is persisted.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    TypeHandler,
)
from telegram.request import HTTPXRequest

from bot.runtime.assembly import Runtime
from bot.runtime.inbox import DurableUpdateQueue
from bot.runtime.persistence import DatabasePersistence
from bot.web.core import UpdateSink
from handlers import admin, citizen, common, dashboard, diary, menu, officer, station, texts
from handlers.base import App, BotContext, SavedNotes, masked

log = logging.getLogger(__name__)

#: The bot's command menu (setMyCommands), in Chinese.
BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始 / 主菜单"),
    ("help", "使用说明"),
    ("which", "咨询哪个部门办理（不登记）"),
    ("status", "查询我反映的问题的办理进度"),
    ("warn", "报送预警（信息员）"),
    ("mine", "我报送的预警（信息员）"),
    ("pending", "本单位待办案件（负责人、工作人员）"),
    ("bind", "用邀请码绑定单位"),
    ("invite", "生成邀请码（管理员）"),
    ("units", "网络覆盖情况（管理员）"),
    ("web", "网页工作台登录链接（负责人、工作人员）"),
    ("diary", "记民情日记（领导干部）"),
    ("cancel", "取消当前操作"),
)


class MinqingApplication(
    Application[Any, BotContext, dict[str, Any], dict[str, Any], dict[str, Any], Any]
):
    """A PTB ``Application`` that carries the runtime (not persisted) and sets its commands."""

    def __init__(self, runtime: Runtime, update_source: str = "polling", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime
        self.update_source = update_source
        self.saved_notes = SavedNotes()

    async def process_update(self, update: object) -> None:
        """Run the handlers, then mark the update handled (:mod:`bot.runtime.inbox`)."""
        await super().process_update(update)
        if isinstance(update, Update):
            seconds = await self.runtime.inbox.done(update.update_id)
            if seconds is not None:
                self.runtime.metrics.update_latency.observe(seconds)

    async def initialize(self) -> None:
        """Initialise PTB (getMe, persistence) and publish the command menu."""
        await super().initialize()
        try:
            await self.bot.set_my_commands([BotCommand(c, d) for c, d in BOT_COMMANDS])
        except TelegramError as exc:
            log.warning("could not set the bot's commands: %s", exc)


def build_application(
    runtime: Runtime,
    *,
    token: str,
    base_url: str | None = None,
    base_file_url: str | None = None,
    rate_limiter: bool = True,
    persistence: bool = True,
    updater: bool = True,
    persistence_interval: float = 1.0,
    read_timeout: float = 10.0,
) -> MinqingApplication:
    """Build the bot with every handler module registered.

    Args:
        runtime: The services (see :func:`bot.runtime.assembly.open_runtime`).
        token: The bot token from BotFather.
        base_url: Bot API base (default ``runtime.settings.bot_api_url``, i.e.
            ``TELEGRAM_API_BASE_URL`` + ``/bot``).
        base_file_url: File base (default ``runtime.settings.bot_file_url``).
        rate_limiter: Use PTB's ``AIORateLimiter`` (Telegram's flood limits).
        persistence: Keep conversations and user data in the database, so a
            restart resumes a conversation where it was.
        updater: Build an updater for polling; False for webhook mode (updates
            come through :func:`make_update_sink`).
        persistence_interval: Seconds between writes of conversation state.
        read_timeout: Seconds to wait for an answer of the Bot API.

    Returns:
        The application (not yet initialised or started).
    """
    settings = runtime.settings
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
        .request(HTTPXRequest(connection_pool_size=32, read_timeout=read_timeout))
        .concurrent_updates(False)
        .update_queue(DurableUpdateQueue(runtime.inbox))
    )
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter())
    if persistence:
        builder = builder.persistence(
            DatabasePersistence(runtime.db, update_interval=persistence_interval)
        )
    if not updater:
        builder = builder.updater(None)
    application = builder.build()
    if not isinstance(application, MinqingApplication):  # pragma: no cover - builder contract
        raise TypeError("ApplicationBuilder ignored application_class")
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
    citizen.register(application)
    admin.register(application)
    menu.register(application)
    dashboard.register(application)
    diary.register(application)
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
    saved = context.saved_notes.pop(update.update_id)
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


def make_update_sink(application: Application[Any, Any, Any, Any, Any, Any]) -> UpdateSink:
    """An ``UpdateSink`` for ``bot.web.core`` that queues webhook updates into the application."""

    async def sink(payload: dict[str, Any]) -> None:
        update = Update.de_json(payload, application.bot)
        queue = application.update_queue
        if isinstance(queue, DurableUpdateQueue):
            queue.put_accepted(update)  # the webhook has written it to the inbox already
        else:
            await queue.put(update)

    return sink
