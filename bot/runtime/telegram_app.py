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

import asyncio
import importlib.util
import itertools
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterable
from functools import partial
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    ConversationHandler,
    TypeHandler,
)
from telegram.ext._utils.types import ConversationKey

from bot.runtime.assembly import Runtime
from bot.runtime.bot_api_http import AiohttpRequest
from bot.runtime.fair_intake import (
    DEFAULT_BURST,
    DEFAULT_PERIOD,
    PerChatUpdateProcessor,
    is_transient,
)
from bot.runtime.inbox import DurableUpdateQueue, UpdateInbox
from bot.runtime.intake_notices import announce_throttle, tell_dead_letter
from bot.runtime.persistence import DatabasePersistence
from bot.web.core import UpdateSink
from handlers import admin, citizen, common, dashboard, diary, menu, officer, station, texts
from handlers.base import App, BotContext, SavedNotes, masked
from storage.db import noting_writes
from storage.enums import Role
from storage.state import StateWrite

log = logging.getLogger(__name__)

#: Pauses between retries of an update's settling write (about 8 s in all).
SETTLE_RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0, 4.0)

#: The bot's command menu (setMyCommands), in Chinese.
BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始 / 主菜单"),
    ("help", "使用说明"),
    ("which", "咨询哪个部门办理（不登记）"),
    ("status", "查询我反映的问题的办理进度"),
    ("warn", "报送预警（信息员）"),
    ("mine", "我报送的预警（信息员）"),
    ("phone", "登记联系电话，便于站长回电（信息员）"),
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
        #: Update id → the transient error its handler failed with (set by :func:`on_error`).
        self._transient: dict[int, BaseException] = {}
        self._conversation_handlers: list[ConversationHandler[Any]] = []
        #: User id → updates of that user being handled now.
        self._busy: Counter[int] = Counter()
        #: Updates between the start of their handlers and their settling.
        self._handling: set[int] = set()

    def _mark_for_persistence_update(
        self, *, update: object | None = None, job: Any | None = None
    ) -> None:
        """PTB marks an update's user for the next persistence run, also after the update's task
        ended; by then :meth:`_settle` has written its changes, and a late mark would bring
        back an evicted user as empty data. So only marks made while handling count."""
        if isinstance(update, Update) and update.update_id not in self._handling:
            return
        super()._mark_for_persistence_update(update=update, job=job)

    def note_transient_failure(self, update_id: int, error: BaseException) -> None:
        """The handlers of ``update_id`` failed for a transient reason: retry, do not mark done."""
        self._transient[update_id] = error

    def _conversation_keys(self, update: Update) -> dict[str, ConversationKey]:
        keys: dict[str, ConversationKey] = {}
        for handler in self._conversation_handlers:
            try:
                keys[str(handler.name)] = handler._get_key(update)
            except RuntimeError:
                continue  # this conversation cannot key the update (no chat / no callback)
        return keys

    async def process_update(self, update: object) -> None:
        """Read the user's state, run the handlers, then settle the update in one write.

        Settling is :meth:`bot.runtime.inbox.UpdateInbox.done` with the state the
        handlers changed, or — after a transient failure — a retry or a dead letter.
        """
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        user_id = update.effective_user.id if update.effective_user is not None else None
        keys = self._conversation_keys(update)
        if user_id is not None:
            self._busy[user_id] += 1
        self._handling.add(update.update_id)
        note = noting_writes()
        try:
            if await self._load_state(update, user_id, keys):
                await super().process_update(update)
            await self._settle(update, lazy=not note.wrote, user_id=user_id, keys=keys)
        finally:
            self._handling.discard(update.update_id)
            if user_id is not None:
                self._busy[user_id] -= 1
                if self._busy[user_id] <= 0:
                    del self._busy[user_id]
                    self._release(user_id, keys)

    async def _load_state(
        self, update: Update, user_id: int | None, keys: dict[str, ConversationKey]
    ) -> bool:
        """Read the one user's state into PTB's dicts; False if the database failed."""
        persistence = self.persistence
        if not isinstance(persistence, DatabasePersistence):
            return True
        try:
            states = await persistence.prefetch(user_id, keys)
        except Exception as exc:
            # Settled like a failed handler: retried a bounded number of times, then a
            # dead letter. (Raised, it left the update in flight here for ever: never
            # replayed, never counted.)
            if not is_transient(exc):
                log.error("update %s: reading its state failed", update.update_id, exc_info=exc)
            self.note_transient_failure(update.update_id, exc)
            return False
        for name, state in states.items():
            self._conversation_handler_conversations[name].update_no_track({keys[name]: state})
        return True

    async def _settle(
        self,
        update: Update,
        *,
        lazy: bool,
        user_id: int | None,
        keys: dict[str, ConversationKey],
    ) -> None:
        """Mark the update handled with the state it changed, or hand it back after a failure.

        ``lazy``: the handling wrote nothing else, so the settling may wait for the next
        write (:meth:`UpdateInbox.done`). A settling written now is retried while the
        database is briefly away (a restart takes about a second): an update whose
        handler committed its work but could not be marked handled would otherwise be
        replayed and done twice. If the database stays away, the update is let go here,
        so that this instance's replay takes it up again once its lease has run out.
        """
        inbox = self.runtime.inbox
        error = self._transient.pop(update.update_id, None)
        writes: list[StateWrite] = []
        persistence = self.persistence
        seconds: float | None = None
        taken = False
        for delay in (*SETTLE_RETRY_DELAYS, None):
            try:
                if error is not None:
                    if await inbox.failed(update.update_id, type(error).__name__):
                        await tell_dead_letter(self, update)
                    return
                if isinstance(persistence, DatabasePersistence) and not taken:
                    await self.update_persistence()
                    writes = persistence.take_pending()
                    taken = True
                seconds = await inbox.done(
                    update.update_id,
                    writes,
                    lazy=lazy,
                    on_written=partial(self._written, writes, user_id, keys),
                )
                break
            except Exception as exc:
                if delay is not None and is_transient(exc):
                    await asyncio.sleep(delay)
                    continue
                if writes and isinstance(persistence, DatabasePersistence):
                    persistence.give_back(writes)
                inbox.let_go(update.update_id)
                # The row keeps its lease; it is replayed when the lease runs out.
                log.warning("could not settle update %s: %s", update.update_id, type(exc).__name__)
                return
        if seconds is not None:
            self.runtime.metrics.update_latency.observe(seconds)

    def _written(
        self, writes: list[StateWrite], user_id: int | None, keys: dict[str, ConversationKey]
    ) -> None:
        """The settling of an update committed: its user may now be dropped from memory."""
        persistence = self.persistence
        if isinstance(persistence, DatabasePersistence):
            persistence.written(writes)
        if user_id is not None and user_id not in self._busy:
            self._release(user_id, keys)

    async def stop(self) -> None:
        """Stop PTB, then write the settlings still waiting (see :class:`UpdateInbox`)."""
        await super().stop()
        try:
            await self.runtime.inbox.flush()
        except Exception as exc:
            log.warning("could not settle handled updates at stop: %s", type(exc).__name__)

    def _release(self, user_id: int, keys: dict[str, ConversationKey]) -> None:
        """Drop an idle user's in-memory state once stored (memory must not grow with citizens).

        The next update of this user reads it back (:meth:`_load_state`). State
        not yet written (the settling write failed) stays in memory.
        """
        self._chat_ids_to_be_updated_in_persistence.clear()  # chat_data is not stored
        persistence = self.persistence
        if not isinstance(persistence, DatabasePersistence) or persistence.has_pending(
            user_id, keys
        ):
            return
        for name, key in keys.items():
            conversations = self._conversation_handler_conversations.get(name)
            if conversations is not None:
                conversations.data.pop(key, None)  # untracked: the stored row stays
        self._user_data.pop(user_id, None)
        persistence.forget(user_id, keys)

    async def initialize(self) -> None:
        """Initialise PTB (getMe, persistence) and publish the command menu."""
        await super().initialize()
        self._conversation_handlers = list(_persistent_conversations(self.handlers.values()))
        try:
            await self.bot.set_my_commands([BotCommand(c, d) for c, d in BOT_COMMANDS])
        except TelegramError as exc:
            log.warning("could not set the bot's commands: %s", exc)


def _persistent_conversations(
    groups: Iterable[list[Any]],
) -> Iterable[ConversationHandler[Any]]:
    for handler in itertools.chain.from_iterable(groups):
        if isinstance(handler, ConversationHandler) and handler.persistent and handler.name:
            yield handler


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
        rate_limiter: Use PTB's ``AIORateLimiter`` (Telegram's flood limits).
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
    application = context.application
    if not saved and is_transient(error) and isinstance(application, MinqingApplication):
        # Nothing was saved and a retry may well succeed: the update is handed back
        # (bot.runtime.inbox); the sender hears from us when it succeeds or is given up.
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


def make_update_sink(application: Application[Any, Any, Any, Any, Any, Any]) -> UpdateSink:
    """An ``UpdateSink`` for ``bot.web.core`` that queues webhook updates into the application."""
    inbox = application.runtime.inbox if isinstance(application, MinqingApplication) else None

    async def sink(payload: dict[str, Any]) -> None:
        if inbox is not None:
            await hand_over(application, [payload], inbox)
            return
        await application.update_queue.put(Update.de_json(payload, application.bot))

    return sink
