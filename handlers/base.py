"""What every handler module shares: the context type, who is writing, replies, logging.

Handlers are thin: parse the update, call a service, render the reply. They
reach the services through ``context.runtime`` (the :class:`bot.runtime.assembly.Runtime`
the application was built with — never through ``bot_data``, which is
persisted).
"""

from __future__ import annotations

import logging
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeAlias

from telegram import (
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import Application, CallbackContext, ExtBot, filters
from telegram.warnings import PTBUserWarning

from bot.runtime.assembly import Runtime
from bot.services import people
from bot.services.people import PersonInfo
from handlers import texts
from nlp import text_for_log

log = logging.getLogger(__name__)

ReplyMarkup: TypeAlias = (
    InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply
)

#: A conversation's pending input older than this is dropped: the next message starts afresh.
PENDING_TTL = timedelta(hours=6)
#: How far a pending item's stamp may lie ahead of the clock (instances a little apart).
STAMP_SKEW = timedelta(minutes=5)

#: Private chats, new messages only (edits are answered separately).
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
#: Free text (no command) in a private chat.
PRIVATE_TEXT = PRIVATE & filters.TEXT & ~filters.COMMAND


class SavedNotes:
    """What each update has saved so far, for the error handler to be truthful.

    A handler calls :meth:`mark` right after a service call has committed; if
    the handler fails afterwards, the error handler tells the user that their
    input was saved (and under which number) instead of asking them to repeat it.
    Bounded: only the newest ``size`` updates are remembered.

    Something saved under the update's intake key (a case filed: a replay finds it
    and files nothing again, :mod:`storage.intake_keys`) is marked ``replayable``:
    after a transient failure (a 429 on the reply) such an update is replayed like
    one that saved nothing, and the replay sends what the person did not get.
    """

    def __init__(self, size: int = 1000) -> None:
        self._notes: OrderedDict[int, tuple[str, bool]] = OrderedDict()
        self._size = size

    def mark(self, update_id: int, note: str, *, replayable: bool = False) -> None:
        """Record that update ``update_id`` saved something (``note``: what, in Chinese).

        ``replayable``: what was saved is keyed by the update, so a replay repeats nothing.
        """
        earlier = self._notes.get(update_id)
        if earlier is not None:
            replayable = replayable and earlier[1]
        self._notes[update_id] = (note, replayable)
        self._notes.move_to_end(update_id)
        while len(self._notes) > self._size:
            self._notes.popitem(last=False)

    def replayable(self, update_id: int) -> bool:
        """Whether everything update ``update_id`` saved is safe to replay (also: nothing)."""
        earlier = self._notes.get(update_id)
        return earlier is None or earlier[1]

    def pop(self, update_id: int) -> str | None:
        """What update ``update_id`` saved, if anything (forgotten afterwards)."""
        earlier = self._notes.pop(update_id, None)
        return None if earlier is None else earlier[0]


class BotContext(CallbackContext[ExtBot[None], dict[str, Any], dict[str, Any], dict[str, Any]]):
    """The callback context of minqing's handlers: adds the runtime."""

    @property
    def runtime(self) -> Runtime:
        """The service's runtime (from the application, not persisted)."""
        return runtime_of(self.application)

    @property
    def saved_notes(self) -> SavedNotes:
        """The application's record of what updates saved (see :class:`SavedNotes`)."""
        notes = getattr(self.application, "saved_notes", None)
        if not isinstance(notes, SavedNotes):
            raise RuntimeError("the application was not built by bot.runtime.telegram_app")
        return notes


#: The application type the handler modules register with.
App: TypeAlias = Application[
    ExtBot[None], BotContext, dict[str, Any], dict[str, Any], dict[str, Any], Any
]


def runtime_of(application: object) -> Runtime:
    """The runtime of an application built by :func:`bot.runtime.telegram_app.build_application`."""
    runtime = getattr(application, "runtime", None)
    if not isinstance(runtime, Runtime):
        raise RuntimeError("the application was not built by bot.runtime.telegram_app")
    return runtime


def is_persistent(application: App) -> bool:
    """Whether conversations of ``application`` can be persisted."""
    return application.persistence is not None


@contextmanager
def quiet_per_message_warning() -> Iterator[None]:
    """Silence PTB's warning about CallbackQueryHandlers in per-chat conversations.

    The conversations here are deliberately per chat and user: a button press
    continues the user's conversation whatever message carries the button.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        yield


def masked(text: str | None, limit: int = 80) -> str:
    """User text made safe for logs: its length only, or masked with the debug flag.

    See :func:`nlp.text_for_log` (``MINQING_LOG_TEXTS=1`` shows masked texts).
    """
    return text_for_log(text, limit)


def display_name(update: Update) -> str:
    """The sender's name as Telegram shows it."""
    user = update.effective_user
    if user is None:
        return ""
    return people.display_name(user.first_name, user.last_name, user.username)


async def who(update: Update, context: BotContext) -> PersonInfo | None:
    """The person writing (created as a citizen on first contact); None without a user.

    Only the person's own private chat (its id is the user's) is kept as where their
    notices go: a button pressed under a message in another chat (a group, someone
    else's chat) must not move them there.
    """
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    private = chat.type == ChatType.PRIVATE and chat.id == user.id
    return await context.runtime.people.touch(
        user.id, display_name(update), chat.id if private else None
    )


async def reply(update: Update, text: str, markup: ReplyMarkup | None = None) -> Message | None:
    """Answer in the chat the update came from, as plain text that fits one message."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(texts.fit(text), reply_markup=markup)


async def say(update: Update, text: str, markup: ReplyMarkup | None = None) -> int | None:
    """:func:`reply` for a caller that does not read the sent message: Telegram's answer
    is not turned into a :class:`~telegram.Message`.

    The request is the one :func:`reply` makes (``sendMessage`` with the chat, the
    fitted text and the markup, through the bot's rate limiter, failing with the same
    errors); only the parsing of the returned message — a tree of a dozen PTB objects
    with the keyboard, built and dropped — is left out. It was a tenth of the CPU of a
    citizen's description. Returns the sent message's id (read from the raw answer).
    """
    chat = update.effective_chat
    if chat is None:
        return None
    data: dict[str, object] = {"chat_id": chat.id, "text": texts.fit(text)}
    if markup is not None:
        data["reply_markup"] = markup
    # Bot._post is what every Bot method (and the public do_api_request, which warns for
    # endpoints that have a method) ends in: defaults, the rate limiter, the request.
    sent = await chat.get_bot()._post("sendMessage", data)
    message_id = sent.get("message_id") if isinstance(sent, dict) else None
    return message_id if isinstance(message_id, int) else None


def message_text(update: Update) -> str:
    """The text (or caption) of the update's message."""
    message = update.effective_message
    if message is None:
        return ""
    return message.text or message.caption or ""


def mark_saved(update: Update, context: BotContext, note: str, *, replayable: bool = False) -> None:
    """Record that this update saved something (see :class:`SavedNotes`) and wake delivery.

    ``replayable``: a case filed under the update's intake key (a replay files nothing).
    """
    context.saved_notes.mark(update.update_id, note, replayable=replayable)
    context.runtime.outbox_written()


def stamp(context: BotContext) -> str:
    """The current time for a pending item (ISO text: it is persisted as JSON)."""
    return context.runtime.clock.now().isoformat()


def is_stale(context: BotContext, item: Mapping[str, object], ttl: timedelta = PENDING_TTL) -> bool:
    """Whether a pending item stamped with :func:`stamp` is older than ``ttl``.

    A stamp later than the service's clock (the clock was set back) cannot be aged:
    it counts as stale, so a step is never kept open by a clock that went backwards.
    """
    at = item.get("at")
    if not isinstance(at, str):
        return False
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return True
    age = context.runtime.clock.now() - when
    return age > ttl or age < -STAMP_SKEW


def user_data(context: BotContext) -> dict[str, Any]:
    """The sender's ``user_data`` (private chats always have one)."""
    if context.user_data is None:  # pragma: no cover - private chats always have a user
        raise RuntimeError("no user_data")
    return context.user_data
