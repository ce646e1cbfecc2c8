"""The PTB application of the service: one user's state read per update, one settling write.

:class:`MinqingApplication` is python-telegram-bot's ``Application`` with what the
runtime adds around each update (see ``docs/performance.md``, "Intake at the
ceiling"): before the handlers run, the state of the one user the update concerns is
read from the database (:class:`~bot.runtime.persistence.DatabasePersistence`); after
them, the update is settled — marked handled together with the state it changed, in
one write (:meth:`bot.runtime.inbox.UpdateInbox.done`), or handed back after a
transient failure — and the idle user's state is dropped from memory. It is built by
:func:`bot.runtime.telegram_app.build_application`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from telegram import BotCommand, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import Application, ConversationHandler
from telegram.ext._utils.types import ConversationKey

from bot.runtime.assembly import Runtime
from bot.runtime.fair_intake import is_transient
from bot.runtime.intake_notices import tell_dead_letter
from bot.runtime.persistence import DatabasePersistence
from bot.runtime.rate_limits import handling_update, retry_after_seconds
from handlers.base import BotContext, SavedNotes
from storage import intake_keys
from storage.db import noting_writes
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
    ("split", "拆分案件：一条诉求含两件事（分派台、承办单位）"),
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
                # A case this update files is keyed by it: a replay files nothing twice.
                with (
                    intake_keys.handling(intake_keys.telegram_key(update.update_id)),
                    handling_update(),
                ):
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
                    if user_id is not None and self._busy.get(user_id, 0) <= 1:
                        # What the failed handling changed in the user's data is not
                        # stored: the replay starts from the state the update found.
                        self._user_ids_to_be_updated_in_persistence.discard(user_id)
                    wait = (
                        timedelta(seconds=retry_after_seconds(error))
                        if isinstance(error, RetryAfter)
                        else None
                    )
                    if await inbox.failed(update.update_id, type(error).__name__, wait=wait):
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
