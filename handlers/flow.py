"""Moving between conversations: the main menu, and leaving a conversation.

Every conversation is per chat and user, and several exist side by side (a
chief's note for 办结, an officer's warning, a citizen's request, a follow-up
comment). A command or a menu button that belongs elsewhere ends the
conversation it arrives in and is handled again from the top
(:func:`leave_and_redo`), so nobody gets stuck in a step.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import texts, warning_left
from handlers.base import (
    PENDING_TTL,
    PRIVATE,
    App,
    BotContext,
    is_persistent,
    is_stale,
    quiet_per_message_warning,
    reply,
)
from handlers.texts.left import left_behind

log = logging.getLogger(__name__)

T = TypeVar("T")
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, T]]
Handler = BaseHandler[Update, BotContext, object]

#: Updates recently handed on by :func:`leave_and_redo` (application id, update id).
_REDONE: deque[tuple[int, int]] = deque(maxlen=1000)
#: How often one update may be handed on (there are four conversations).
MAX_REDO = 4
#: Keys of ``user_data`` that hold a conversation's pending input.
PENDING_KEYS = ("note", "fu", "warn")


async def leave_and_redo(update: Update, context: BotContext) -> int:
    """End the current conversation and handle the update again without it.

    The update is processed again once this handler has returned (and the
    conversation's state has been cleared), as if it had just arrived. What the
    step was waiting for is dropped, and the user is told so first (an unconfirmed
    warning with its text, a 退单 without its reason, a follow-up answer without its
    comment): nothing disappears without a word.
    """
    if context.user_data is not None:
        for key in PENDING_KEYS:
            item = context.user_data.pop(key, None)
            if key == "warn":  # filed for the officer meanwhile, or to be (trial 33 D5)
                await warning_left.settle(update, context, item)
            notice = left_behind(key, item)
            if notice is not None:
                await reply(update, notice, texts.REMOVE_KEYBOARD)
    return redo(update, context)


def redo(update: Update, context: BotContext) -> int:
    """End the current conversation and handle the update again as if it had just arrived,
    leaving what other conversations wait for alone (danger now typed at a free-text step,
    after the step took it: it is also handled as a report of danger)."""
    marker = (id(context.application), update.update_id)
    if _REDONE.count(marker) >= MAX_REDO:  # one per conversation at most: never loop
        log.warning("update %s left conversations too often; not redone", update.update_id)
        return ConversationHandler.END
    _REDONE.append(marker)
    context.application.create_task(_redo(context, update), update=update)
    return ConversationHandler.END


async def _redo(context: BotContext, update: Update) -> None:
    """Process ``update`` again once the conversation that left it has recorded its end.

    Through the application's update processor, like an update that just arrived: it
    keeps each chat's updates in order, so the redo waits until the first pass has
    settled and the chat's next update (a button on the redo's answer) waits for it.
    Calling ``process_update`` directly would let that next update run beside the redo
    and find no conversation state yet.
    """
    await asyncio.sleep(0)
    application = context.application
    await application.update_processor.process_update(update, application.process_update(update))


def expiring(key: str, ttl: timedelta = PENDING_TTL) -> Callable[[Callback[T]], Callback[T | int]]:
    """Wrap a conversation step: if ``user_data[key]`` is older than ``ttl``, start afresh.

    Someone who left a conversation hours ago and now writes means something
    new: the stale item is dropped, the conversation ended and the update
    handled again from the top (a text becomes a new description).
    """

    def wrap(callback: Callback[T]) -> Callback[T | int]:
        @wraps(callback)
        async def step(update: Update, context: BotContext) -> T | int:
            item = context.user_data.get(key) if context.user_data is not None else None
            if isinstance(item, dict) and is_stale(context, item, ttl):
                log.info(
                    "stale %s of user %s dropped", key, getattr(update.effective_user, "id", None)
                )
                if context.user_data is not None:
                    context.user_data.pop(key, None)
                if key == "warn":  # its old buttons may still be pressed (trial 33 D5)
                    await warning_left.settle(update, context, item)
                return await leave_and_redo(update, context)
            return await callback(update, context)

        return step

    return wrap


async def describe_prompt(update: Update, context: BotContext) -> int:
    """The 我要反映 / 哪个部门 menu buttons: answer the press and ask for the description."""
    query = update.callback_query
    if query is None:
        return ConversationHandler.END
    await query.answer()
    await reply(update, texts.DESCRIBE_PROMPT)
    return ConversationHandler.END


def _commands(handler: object) -> set[str]:
    """The commands ``handler`` answers, in a conversation's handlers too."""
    if isinstance(handler, CommandHandler):
        return set(handler.commands)
    if isinstance(handler, ConversationHandler):
        inner = [
            *handler.entry_points,
            *(h for hs in handler.states.values() for h in hs),
            *handler.fallbacks,
        ]
        return {c for h in inner for c in _commands(h)}
    return set()


def known_command(application: App, text: str) -> bool:
    """Whether the command ``text`` opens (/status, /warn@bot …) is one the bot answers."""
    head = text.split(maxsplit=1)[0] if text.strip() else ""
    name = head[1:].split("@", 1)[0].lower()
    known = {c for hs in application.handlers.values() for h in hs for c in _commands(h)}
    return name in known


class _UnknownCommand(filters.MessageFilter):
    """A command nobody answers (/foo): it does not take anyone out of a step."""

    def __init__(self, application: App) -> None:
        super().__init__(name="unknown_command")
        self.application = application

    def filter(self, message: Message) -> bool:
        return bool(message.text) and not known_command(self.application, message.text or "")


async def unknown_in_step(update: Update, context: BotContext) -> None:
    """/foo while a step waits (a 退单 reason, a warning to confirm): one answer, and the
    step still waits (pf31 #4: before, the step was left with 「…没有完成」 and then
    「没有 /foo 这个命令」 came as well)."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0] if message else ""
    await reply(update, texts.unknown_command_in_step(command))


def unknown_in_step_handler(application: App) -> Handler:
    """The fallback of a conversation for a command nobody answers: :func:`unknown_in_step`."""
    return MessageHandler(PRIVATE & filters.COMMAND & _UnknownCommand(application), unknown_in_step)


def step_conversation(
    application: App,
    name: str,
    *,
    entry_points: list[Handler],
    states: dict[object, list[Handler]],
    cancel: Callback[Any],
    leave: Callback[int] = leave_and_redo,
    fallbacks: list[Handler] | None = None,
) -> ConversationHandler[BotContext]:
    """A conversation of steps, per chat and user, that nobody gets stuck in (persisted
    when the application has persistence).

    /cancel calls ``cancel``; a command the bot does not know (/foo) is answered once and
    the step still waits (:func:`unknown_in_step`); any other command, or a main-menu
    button, calls ``leave``
    (by default :func:`leave_and_redo`: the step is left and the update handled again).
    ``fallbacks`` come between the two (a command that must not leave the step). An
    entry point pressed again restarts the conversation (``allow_reentry``).
    """
    with quiet_per_message_warning():
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=[
                CommandHandler("cancel", cancel, filters=PRIVATE),
                *(fallbacks or []),
                unknown_in_step_handler(application),
                MessageHandler(PRIVATE & filters.COMMAND, leave),
                CallbackQueryHandler(leave, pattern=rf"^{re.escape(texts.UI)}menu:"),
            ],
            allow_reentry=True,
            name=name,
            persistent=is_persistent(application),
        )
