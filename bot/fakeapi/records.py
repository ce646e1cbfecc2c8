"""What a test reads back from the fake Bot API: calls, transcripts, waits."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Callable
from typing import TypeVar

from bot.fakeapi.messages import ChatMessage
from bot.fakeapi.models import JSONDict, RecordedCall, UserAction
from bot.fakeapi.state import commands_key
from bot.fakeapi.store import FakeStore

T = TypeVar("T")

# Methods whose successful calls count as "sends" for send_times().
_SEND_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendvoice",
        "sendsticker",
        "sendlocation",
        "sendcontact",
        "sendvenue",
        "sendmediagroup",
        "copymessage",
        "forwardmessage",
    }
)


class Records(FakeStore):
    """Queries over the recorded calls and chats, and waiting for a change."""

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the helper's documented API
    ) -> T:
        """Wait until ``predicate()`` returns something truthy; it is re-checked on each change.

        Args:
            predicate: Called with no arguments; should be cheap.
            timeout: Seconds.

        Returns:
            The predicate's (truthy) value.

        Raises:
            TimeoutError: The predicate stayed falsy.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._change_event
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[ChatMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the helper's documented API
        *,
        since: int | UserAction | None = None,
    ) -> ChatMessage:
        """Wait until the chat has a bot message (new or edited) matching ``predicate``.

        Args:
            chat_id: The chat.
            predicate: Test on the message; ``None`` accepts any bot message.
            timeout: Seconds.
            since: Only messages created or changed after this version (an int from
                :attr:`version`, or the :class:`UserAction` a user method returned). ``None``
                also accepts messages that already existed before the call.

        Returns:
            The earliest matching message (the live object: later edits show in it).

        Raises:
            TimeoutError: Nothing matched; the message lists the chat's transcript.
        """
        after = since.version if isinstance(since, UserAction) else (since or 0)

        def find() -> ChatMessage | None:
            chat = self._chats.get(chat_id)
            if chat is None:
                return None
            for msg in chat.messages.values():
                live = msg.from_bot and not msg.deleted and msg.version > after
                if live and (predicate is None or predicate(msg)):
                    return msg
            return None

        try:
            return await self.wait_for(find, timeout)
        except TimeoutError:
            lines = [
                f"  {'bot ' if m.from_bot else 'user'} #{m.message_id} v{m.version}: "
                f"{m.content[:80]!r}"
                for m in self.transcript(chat_id)
            ]
            raise TimeoutError(
                f"no bot message in chat {chat_id} matched within {timeout} s "
                f"(since version {after}); transcript:\n" + "\n".join(lines or ["  (empty)"])
            ) from None

    def calls(
        self, method: str | None = None, *, chat_id: int | str | None = None
    ) -> list[RecordedCall]:
        """Recorded calls, oldest first.

        Args:
            method: Only this method (case-insensitive).
            chat_id: Only calls with this ``chat_id``.

        Returns:
            The calls.
        """
        out = self._calls
        if method is not None:
            out = [c for c in out if c.method.lower() == method.lower()]
        if chat_id is not None:
            out = [c for c in out if str(c.chat_id) == str(chat_id)]
        return list(out)

    def transcript(self, chat_id: int, *, include_deleted: bool = False) -> list[ChatMessage]:
        """The chat's messages in order, user and bot, with edits applied.

        Args:
            chat_id: The chat.
            include_deleted: Keep deleted messages (flagged ``deleted``).

        Returns:
            The messages (live objects).
        """
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if include_deleted or not m.deleted]

    def sent_messages(self, chat_id: int | None = None) -> list[ChatMessage]:
        """Messages the bot sent, in sending order (deleted ones included).

        Args:
            chat_id: Only this chat.

        Returns:
            The messages.
        """
        return [m for m in self._bot_sent if chat_id is None or m.chat_id == chat_id]

    def last_message(self, chat_id: int, *, from_bot: bool = True) -> ChatMessage | None:
        """The newest (not deleted) message of the bot (or of the users) in a chat.

        Args:
            chat_id: The chat.
            from_bot: Bot's messages (default) or users'.

        Returns:
            The message or ``None``.
        """
        for msg in reversed(self.transcript(chat_id)):
            if msg.from_bot == from_bot:
                return msg
        return None

    def message(self, chat_id: int, message_id: int) -> ChatMessage:
        """One message.

        Args:
            chat_id: The chat.
            message_id: The message.

        Returns:
            The message.

        Raises:
            KeyError: Unknown message.
        """
        return self._chats[chat_id].messages[message_id]

    def reply_keyboard(self, chat_id: int) -> JSONDict | None:
        """The reply keyboard currently shown in a chat (``ReplyKeyboardMarkup``), if any."""
        chat = self._chats.get(chat_id)
        return copy.deepcopy(chat.reply_keyboard) if chat else None

    def send_times(self, chat_id: int | str, *, include_failed: bool = False) -> list[float]:
        """``time.monotonic()`` of the bot's send calls to a chat (for pacing assertions).

        Args:
            chat_id: The chat.
            include_failed: Also count calls that were answered with an error.

        Returns:
            Arrival times, oldest first.
        """
        return [
            c.at
            for c in self._calls
            if c.method.lower() in _SEND_METHODS
            and str(c.chat_id) == str(chat_id)
            and (include_failed or c.ok)
        ]

    def in_flight(self, method: str | None = None) -> int:
        """How many calls (of a method) are being answered right now, e.g. pending long polls.

        Long polls of the JSON view (``GET /_fake/chats/{id}?wait=``) count as ``_fake:chat``.

        Args:
            method: Method name (case-insensitive) or ``None`` for all.

        Returns:
            The count.
        """
        if method is None:
            return sum(self._in_flight.values())
        return self._in_flight[method.lower()]

    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed (polling) or delivered (webhook)."""
        return copy.deepcopy(self._pending)

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Commands set with ``setMyCommands`` for a scope and language."""
        return copy.deepcopy(self._commands.get(commands_key(scope, language_code), []))

    @property
    def webhook_url(self) -> str:
        """The webhook URL currently set (``""`` when polling)."""
        return self._webhook_url
