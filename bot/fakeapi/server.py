"""A local fake of the Telegram Bot API, served with aiohttp.

``FakeBotApi`` speaks the Bot API over HTTP closely enough that python-telegram-bot's real
``Bot``/``Application`` run against it unchanged (only ``base_url``/``base_file_url`` differ). It
keeps per-chat transcripts, lets simulated users write, press buttons and share locations, delivers
updates through ``getUpdates`` or a webhook, records every call, and injects faults (429, 5xx,
delays, dropped connections, blocked chats). A JSON view under ``/_fake/`` lets a web page (the
sandbox) show the conversations and act as the users.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from bot.fakeapi.formatting import EntityParseError, detect_bot_commands, parse_text, utf16_len
from bot.fakeapi.models import (
    ApiError,
    CallbackAnswer,
    ChatAction,
    ChatMessage,
    FaultRule,
    JSONDict,
    RecordedCall,
    StoredFile,
    UserAction,
    WebhookDelivery,
)
from bot.fakeapi.protocol import Upload, image_size, read_params, tiny_png

__all__ = ["FakeBotApi", "FakeUser", "running_fake_bot_api"]

_LOGGER = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_TOKEN_HINT = "123456789:TEST-token-for-the-fake-bot-api"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
# Update types delivered when allowed_updates is empty, like the real API.
_DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
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
_BLOCK_REASONS = {
    "blocked": "Forbidden: bot was blocked by the user",
    "deactivated": "Forbidden: user is deactivated",
    "kicked": "Forbidden: bot was kicked from the group chat",
    "not_member": "Forbidden: bot is not a member of the group chat",
}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_HTML_ERROR = (
    "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_PHRASES = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

Handler = Callable[[JSONDict, dict[str, Upload]], Awaitable[Any]]


@dataclass(slots=True)
class _Chat:
    info: JSONDict
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: JSONDict | None = None
    known: bool = False

    @property
    def id(self) -> int:
        chat_id: int = self.info["id"]
        return chat_id


@dataclass(slots=True)
class _PendingCallback:
    chat_id: int
    message_id: int
    user_id: int
    data: str | None
    answered: bool = False


class FakeUser:
    """A simulated Telegram user: a thin handle over :class:`FakeBotApi`'s user methods.

    Actions happen in the user's private chat unless ``chat_id`` is given (for groups).
    """

    def __init__(self, api: FakeBotApi, user_id: int) -> None:
        """Create a handle; use :meth:`FakeBotApi.user` instead.

        Args:
            api: The fake.
            user_id: The user's id.
        """
        self.api = api
        self.id = user_id

    @property
    def profile(self) -> JSONDict:
        """The ``User`` object sent in updates."""
        return copy.deepcopy(self.api._users[self.id])

    def send_text(self, text: str, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_text`."""
        return self.api.send_text(self.id, text, **kwargs)

    def send_command(self, command: str, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_command`."""
        return self.api.send_command(self.id, command, **kwargs)

    def press_button(
        self, message_id: int, callback_data: str | None = None, **kwargs: Any
    ) -> UserAction:
        """See :meth:`FakeBotApi.press_button`."""
        return self.api.press_button(self.id, message_id, callback_data, **kwargs)

    def press(self, message: ChatMessage, label: str) -> UserAction:
        """Press the inline button labelled ``label`` (or containing it) under ``message``.

        Args:
            message: A bot message with an inline keyboard.
            label: Button text or a part of it.

        Returns:
            The callback query's update.
        """
        return self.api.press_button(
            self.id, message.message_id, message.callback_data(label), chat_id=message.chat_id
        )

    def press_reply_button(self, label: str, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.press_reply_button`."""
        return self.api.press_reply_button(self.id, label, **kwargs)

    def send_location(self, latitude: float, longitude: float, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_location`."""
        return self.api.send_location(self.id, latitude, longitude, **kwargs)

    def send_contact(self, phone_number: str, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_contact`."""
        return self.api.send_contact(self.id, phone_number, **kwargs)

    def send_photo(self, caption: str | None = None, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_photo`."""
        return self.api.send_photo(self.id, caption, **kwargs)

    def send_sticker(self, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_sticker`."""
        return self.api.send_sticker(self.id, **kwargs)

    def send_voice(self, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_voice`."""
        return self.api.send_voice(self.id, **kwargs)

    def transcript(self) -> list[ChatMessage]:
        """The user's private chat transcript."""
        return self.api.transcript(self.id)

    async def wait_for_message(
        self,
        predicate: Callable[[ChatMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the helper's documented API
        *,
        since: int | UserAction | None = None,
    ) -> ChatMessage:
        """See :meth:`FakeBotApi.wait_for_message` (in the user's private chat)."""
        return await self.api.wait_for_message(self.id, predicate, timeout, since=since)


class FakeBotApi:
    """A fake Telegram Bot API server (see the module docstring).

    Args:
        token: The only token accepted (others get 401); ``None`` accepts any token.
        bot_id: The bot's user id (default: the numeric part of ``token``, else 7000000001).
        bot_username: The bot's username.
        bot_first_name: The bot's first name.
        strict_chats: Answer ``400 Bad Request: chat not found`` for chats no simulated user has
            written from (and that were not registered with :meth:`add_chat`/:meth:`group`).
        strict_file_ids: Answer ``400 Bad Request: wrong file identifier/HTTP URL specified`` for
            unknown file ids instead of accepting any string.
        webhook_max_attempts: HTTP attempts per update before a webhook delivery is given up.
        webhook_retry_delay: Seconds before the first retry (doubles each retry).
        webhook_timeout: Seconds to wait for the webhook's answer.
        client_max_size: Largest request body accepted by :meth:`start`'s server (uploads).

    Attributes:
        bot_user: The ``User`` object ``getMe`` returns (editable).
        callback_answers: Every accepted ``answerCallbackQuery``, oldest first.
        chat_actions: Every accepted ``sendChatAction``.
        webhook_deliveries: Every webhook delivery (with attempts and outcome).
        fault_counts: Calls answered by fault injection, keyed by ``(method, status)``;
            ``status`` is ``"delay"`` for delayed calls and ``"drop"`` for dropped connections.

    Wiring python-telegram-bot to it::

        app = (
            ApplicationBuilder()
            .token(fake.token)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .build()
        )

    HTTP endpoints (``{prefix}`` is ``""`` unless mounted with :meth:`add_routes`):

    * ``GET|POST {prefix}/bot{token}/{method}`` — the Bot API.
    * ``GET {prefix}/file/bot{token}/{file_path}`` — file bytes (``getFile``'s ``file_path``).
    * ``GET {prefix}/_fake/chats`` — chats with message counts.
    * ``GET {prefix}/_fake/chats/{chat_id}?after=V&wait=S`` — messages whose ``version`` is
      greater than ``V`` (``after=0``: the whole transcript without deleted messages; later:
      changes, deleted messages flagged), the reply keyboard shown, callback answers and the
      current ``version`` to pass as the next ``after``. ``wait`` long-polls up to ``S`` s.
    * ``POST {prefix}/_fake/chats/{chat_id}/send`` — act as a user, JSON body one of
      ``{"text"}``, ``{"message_id", "callback_data"}``, ``{"message_id", "button_text"}``,
      ``{"reply_button"}``, ``{"location": {"latitude", "longitude"}}``,
      ``{"contact": {"phone_number", "first_name"?}}``, ``{"photo": true, "caption"?}``,
      ``{"sticker": true}``, ``{"voice": true}``; optional ``"user_id"`` (required in groups),
      ``"user": {"first_name", "username", "language_code"}`` and ``"reply_to"``.
    * ``POST {prefix}/_fake/users`` — register a user profile.
    * ``GET {prefix}/_fake/calls?method=M&after=N`` — recorded calls from index ``N``.
    * ``GET {prefix}/_fake/webhook`` — webhook URL, pending count and deliveries.
    * ``POST {prefix}/_fake/reset`` — :meth:`reset`.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_id: int | None = None,
        bot_username: str = "minqing_test_bot",
        bot_first_name: str = "民情 Test Bot",
        strict_chats: bool = False,
        strict_file_ids: bool = False,
        webhook_max_attempts: int = 3,
        webhook_retry_delay: float = 0.05,
        webhook_timeout: float = 10.0,
        client_max_size: int = 60 * 1024 * 1024,
    ) -> None:
        """Create the fake; nothing listens until :meth:`start` or :meth:`add_routes`."""
        self._token = token
        if bot_id is None:
            head = (token or "").split(":", 1)[0]
            bot_id = int(head) if head.isdigit() else 7000000001
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.strict_chats = strict_chats
        self.strict_file_ids = strict_file_ids
        self.webhook_max_attempts = webhook_max_attempts
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_timeout = webhook_timeout
        self.client_max_size = client_max_size

        self._origin: str | None = None
        self._prefix = ""
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._stopped = asyncio.Event()
        self._change_event = asyncio.Event()
        self._webhook_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._handlers: dict[str, Handler] = {
            "getme": self._m_get_me,
            "getupdates": self._m_get_updates,
            "setwebhook": self._m_set_webhook,
            "deletewebhook": self._m_delete_webhook,
            "getwebhookinfo": self._m_get_webhook_info,
            "sendmessage": self._m_send_message,
            "editmessagetext": self._m_edit_message_text,
            "editmessagecaption": self._m_edit_message_caption,
            "editmessagereplymarkup": self._m_edit_message_reply_markup,
            "answercallbackquery": self._m_answer_callback_query,
            "deletemessage": self._m_delete_message,
            "deletemessages": self._m_delete_messages,
            "sendphoto": self._m_send_photo,
            "senddocument": self._m_send_document,
            "sendlocation": self._m_send_location,
            "sendcontact": self._m_send_contact,
            "getfile": self._m_get_file,
            "sendchataction": self._m_send_chat_action,
            "setmycommands": self._m_set_my_commands,
            "getmycommands": self._m_get_my_commands,
            "deletemycommands": self._m_delete_my_commands,
            "getchat": self._m_get_chat,
            "copymessage": self._m_copy_message,
            "forwardmessage": self._m_forward_message,
            "setmydescription": self._m_true,
            "setmyshortdescription": self._m_true,
            "setmyname": self._m_true,
            "setchatmenubutton": self._m_true,
            "close": self._m_true,
            "logout": self._m_true,
        }
        # These survive reset(): requests are live, and a bot that keeps polling across a reset
        # must not see update ids go backwards (its offset would swallow the new updates).
        self._in_flight: Counter[str] = Counter()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._poll_generation = 0
        self._init_state()

    def _init_state(self) -> None:
        self._version = 0
        self._calls: list[RecordedCall] = []
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, JSONDict] = {}
        self._pending: list[JSONDict] = []
        self._callbacks: dict[str, _PendingCallback] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[ChatAction] = []
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._allowed_updates: list[str] = []
        self._webhook_url = ""
        self._webhook_secret: str | None = None
        self._webhook_max_connections = 40
        self._webhook_last_error: tuple[int, str] | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self._poll_terminator = (
            "other getUpdates request; make sure that only one bot instance is running"
        )
        self._faults: list[FaultRule] = []
        self._blocked: dict[str, str] = {}
        self.fault_counts: Counter[tuple[str, int | str]] = Counter()
        self._bot_sent: list[ChatMessage] = []

    # ------------------------------------------------------------------ lifecycle and wiring

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve the fake on its own aiohttp server.

        Args:
            host: Interface to bind.
            port: TCP port; 0 picks a free one (see :attr:`port`).
        """
        if self._runner is not None:
            raise RuntimeError("FakeBotApi is already running")
        self._closing = False
        self._stopped = asyncio.Event()
        app = web.Application(client_max_size=self.client_max_size)
        self.add_routes(app)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound = runner.addresses[0]
        self._origin = f"http://{host}:{bound[1]}"

    async def stop(self) -> None:
        """Release long polls, stop webhook delivery and shut the server down."""
        await self._shutdown()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        await self._close_session()

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def add_routes(self, app: web.Application, prefix: str = "", origin: str | None = None) -> None:
        """Mount the fake's routes into an existing aiohttp application.

        Registers ``{prefix}/bot{token}/{method}``, ``{prefix}/file/bot{token}/{path}`` and the
        JSON view ``{prefix}/_fake/...``, plus shutdown/cleanup hooks. The application's
        ``client_max_size`` limits upload sizes.

        Args:
            app: The application (not yet started).
            prefix: Path prefix, e.g. ``"/tg"`` (no trailing slash).
            origin: ``scheme://host:port`` the application is reachable at, needed for
                :attr:`base_url`; can also be set later with :meth:`set_origin`.
        """
        self._prefix = prefix.rstrip("/")
        if origin is not None:
            self._origin = origin.rstrip("/")
        app.router.add_routes(self.routes(self._prefix))
        app.on_shutdown.append(self._on_app_shutdown)
        app.on_cleanup.append(self._on_app_cleanup)

    def routes(self, prefix: str = "") -> list[web.RouteDef]:
        """The fake's route table (without lifecycle hooks; prefer :meth:`add_routes`).

        Args:
            prefix: Path prefix.

        Returns:
            aiohttp route definitions.
        """
        p = prefix.rstrip("/")
        return [
            web.route("*", p + "/bot{token}/{method}", self._handle_api),
            web.get(p + "/file/bot{token}/{path:.+}", self._handle_file),
            web.get(p + "/_fake/chats", self._view_chats),
            web.get(p + "/_fake/chats/{chat_id}", self._view_chat),
            web.post(p + "/_fake/chats/{chat_id}/send", self._view_send),
            web.get(p + "/_fake/calls", self._view_calls),
            web.get(p + "/_fake/webhook", self._view_webhook),
            web.post(p + "/_fake/users", self._view_users),
            web.post(p + "/_fake/reset", self._view_reset),
        ]

    def set_origin(self, origin: str) -> None:
        """Tell the fake where it is reachable when mounted into another server.

        Args:
            origin: ``scheme://host:port``.
        """
        self._origin = origin.rstrip("/")

    async def _on_app_shutdown(self, app: web.Application) -> None:
        await self._shutdown()

    async def _on_app_cleanup(self, app: web.Application) -> None:
        await self._close_session()

    async def _shutdown(self) -> None:
        self._closing = True
        self._stopped.set()
        self._bump()
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _close_session(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    @property
    def origin(self) -> str:
        """``http://host:port`` of the server."""
        if self._origin is None:
            raise RuntimeError("FakeBotApi is not started (or set_origin() was not called)")
        return self._origin

    @property
    def port(self) -> int:
        """The TCP port of the server."""
        return int(self.origin.rsplit(":", 1)[1])

    @property
    def root_url(self) -> str:
        """The value for ``TELEGRAM_API_BASE_URL`` (``config.settings`` appends ``/bot``)."""
        return f"{self.origin}{self._prefix}"

    @property
    def base_url(self) -> str:
        """What to pass to ``ApplicationBuilder().base_url()`` / ``Bot(base_url=...)``."""
        return f"{self.origin}{self._prefix}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass to ``ApplicationBuilder().base_file_url()`` / ``Bot(base_file_url=...)``."""
        return f"{self.origin}{self._prefix}/file/bot"

    @property
    def token(self) -> str:
        """The configured token, or a plausible one to use when any token is accepted."""
        return self._token or DEFAULT_TOKEN_HINT

    @property
    def version(self) -> int:
        """A counter bumped by every change (message sent/edited/deleted, update queued, ...)."""
        return self._version

    def reset(self) -> None:
        """Forget chats, users, updates, calls, files, faults, blocks, commands and the webhook.

        The server keeps running; the bot identity and constructor options stay.
        """
        self._init_state()
        self._poll_generation += 1
        self._bump()

    # ------------------------------------------------------------------ change notification

    def _bump(self) -> int:
        self._version += 1
        event, self._change_event = self._change_event, asyncio.Event()
        event.set()
        return self._version

    async def _wait_change(self, seconds: float) -> None:
        event = self._change_event
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)

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

    # ------------------------------------------------------------------ records

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
        return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def webhook_url(self) -> str:
        """The webhook URL currently set (``""`` when polling)."""
        return self._webhook_url

    # ------------------------------------------------------------------ fault injection

    def fail(
        self,
        method: str | None = None,
        status: int = 500,
        *,
        count: int | None = None,
        duration_s: float | None = None,
        retry_after: int = 1,
        chat_id: int | str | None = None,
        html: bool | None = None,
        description: str | None = None,
    ) -> FaultRule:
        """Answer matching calls with an error instead of executing them.

        With neither ``count`` nor ``duration_s`` the next matching call fails. Use
        ``duration_s=math.inf`` to fail until :meth:`clear_faults`. Rules are checked in the
        order they were added; the first live one answers.

        Args:
            method: Method name (case-insensitive), or ``None`` for all methods.
            status: 429, 500, 502, 503, 504, or any other HTTP status; 0 drops the connection
                without an answer (the client sees a network error).
            count: How many calls to fail.
            duration_s: Fail every matching call for this many seconds (combined with
                ``count``, whichever ends first).
            retry_after: Seconds in a 429's ``parameters.retry_after``.
            chat_id: Only calls for this chat.
            html: Answer with an nginx-like HTML page; default: for 502/503/504. (PTB then logs
                ``Can not load invalid JSON data`` with a traceback and raises ``NetworkError``.)
            description: Override the error description.

        Returns:
            The rule (its ``served`` counts the calls it failed).
        """
        until = time.monotonic() + duration_s if duration_s is not None else None
        remaining = count if count is not None else (1 if duration_s is None else None)
        rule = FaultRule(
            method=method,
            status=status,
            remaining=remaining,
            until=until,
            retry_after=retry_after,
            chat_id=chat_id,
            html=status in (502, 503, 504) if html is None else html,
            description=description,
        )
        self._faults.append(rule)
        return rule

    def delay(
        self,
        method: str | None,
        seconds: float,
        *,
        count: int | None = None,
        chat_id: int | str | None = None,
    ) -> FaultRule:
        """Hold matching calls for ``seconds`` before executing them (to provoke client timeouts).

        Like the real API behind a slow network, the call is still executed after the wait even
        if the client gave up; a client that retries may thus cause duplicates.

        Args:
            method: Method name or ``None`` for all.
            seconds: The delay.
            count: How many calls; ``None`` for all until :meth:`clear_faults`.
            chat_id: Only calls for this chat.

        Returns:
            The rule.
        """
        rule = FaultRule(
            method=method, status=200, remaining=count, chat_id=chat_id, delay_s=seconds
        )
        self._faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        """Remove all fail/delay rules (blocks stay)."""
        self._faults.clear()

    def block(self, chat_id: int, reason: str = "blocked", *, notify: bool = False) -> None:
        """Make calls for a chat answer ``403 Forbidden`` (the user blocked the bot).

        Args:
            chat_id: The chat.
            reason: ``blocked`` (default), ``deactivated``, ``kicked`` or ``not_member``.
            notify: Also queue the ``my_chat_member`` update Telegram sends the bot.
        """
        self._blocked[str(chat_id)] = _BLOCK_REASONS[reason]
        if notify:
            self._push_member_update(chat_id, "kicked" if reason != "not_member" else "left")
        self._bump()

    def unblock(self, chat_id: int, *, notify: bool = False) -> None:
        """Undo :meth:`block`.

        Args:
            chat_id: The chat.
            notify: Queue a ``my_chat_member`` update (status ``member``).
        """
        self._blocked.pop(str(chat_id), None)
        if notify:
            self._push_member_update(chat_id, "member")
        self._bump()

    def is_blocked(self, chat_id: int) -> bool:
        """Whether calls for the chat currently answer 403."""
        return str(chat_id) in self._blocked

    # ------------------------------------------------------------------ simulated users

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> FakeUser:
        """Register (or update) a simulated user and get a handle for acting as them.

        Args:
            user_id: Positive user id (also the private chat's id).
            first_name: Shown name (default ``User <id>``).
            last_name: Optional.
            username: Optional, without ``@``.
            language_code: IETF tag the client reports.

        Returns:
            A :class:`FakeUser`.
        """
        profile: JSONDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"User {user_id}",
        }
        if last_name:
            profile["last_name"] = last_name
        if username:
            profile["username"] = username
        if language_code:
            profile["language_code"] = language_code
        self._users[user_id] = profile
        chat = self._chats.get(user_id)
        if chat is not None and chat.info.get("type") == "private":
            chat.info.update(self._private_chat_info(profile))
        return FakeUser(self, user_id)

    def group(self, chat_id: int, title: str = "Group", *, supergroup: bool | None = None) -> int:
        """Register a group chat the bot is a member of.

        Args:
            chat_id: Negative id (``-100...`` ids default to supergroups).
            title: The group's title.
            supergroup: Force the chat type.

        Returns:
            ``chat_id``.
        """
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        is_super = chat_id <= -1000000000000 if supergroup is None else supergroup
        info: JSONDict = {
            "id": chat_id,
            "type": "supergroup" if is_super else "group",
            "title": title,
        }
        chat = self._chats.get(chat_id)
        if chat is None:
            self._chats[chat_id] = _Chat(info=info, known=True)
        else:
            chat.info = info
            chat.known = True
        self._bump()
        return chat_id

    def add_chat(self, chat_id: int) -> None:
        """Mark a chat as known (it "started the bot"), for ``strict_chats``.

        Args:
            chat_id: Positive for a user (registered with defaults if new), negative for a group.
        """
        if chat_id < 0:
            self.group(chat_id) if chat_id not in self._chats else None
            self._chats[chat_id].known = True
        else:
            self._ensure_user(chat_id)
            self._user_chat(chat_id, chat_id).known = True

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to: int | None = None,
        entities: list[JSONDict] | None = None,
    ) -> UserAction:
        """A user sends a text message (``/commands`` get ``bot_command`` entities).

        Args:
            user_id: Sender.
            text: The text.
            chat_id: Chat (default: the user's private chat).
            reply_to: Id of a message in the chat this one replies to.
            entities: Explicit entities (default: detected bot commands).

        Returns:
            The update and new message id.
        """
        if not text:
            raise ValueError("empty text")
        fields: JSONDict = {
            "text": text,
            "entities": entities if entities is not None else detect_bot_commands(text),
        }
        return self._user_message(user_id, chat_id, fields, reply_to=reply_to)

    def send_command(self, user_id: int, command: str, *, chat_id: int | None = None) -> UserAction:
        """A user sends a command such as ``/start CODE``.

        Args:
            user_id: Sender.
            command: Text starting with ``/``.
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        if not command.startswith("/"):
            command = "/" + command
        head = command.split(maxsplit=1)[0]
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(head)}
        rest = [e for e in detect_bot_commands(command) if e["offset"] != 0]
        return self.send_text(user_id, command, chat_id=chat_id, entities=[entity, *rest])

    def edit_text(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> UserAction:
        """A user edits one of their text messages (an ``edited_message`` update).

        Args:
            user_id: The author.
            message_id: Their message.
            text: New text.
            chat_id: Chat (default: private).

        Returns:
            The update.
        """
        chat = self._user_chat(user_id, chat_id)
        msg = chat.messages.get(message_id)
        if msg is None or msg.from_bot or msg.sender.get("id") != user_id:
            raise KeyError(f"user {user_id} has no message {message_id} in chat {chat.id}")
        msg.text = text
        msg.entities = detect_bot_commands(text)
        msg.edited = True
        msg.edit_count += 1
        msg.edit_date = int(time.time())
        msg.version = self._bump()
        update_id = self._push_update({"edited_message": msg.to_api()})
        return UserAction(update_id, chat.id, message_id, self._version)

    def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str | None = None,
        *,
        chat_id: int | None = None,
        text: str | None = None,
        strict: bool = True,
    ) -> UserAction:
        """A user presses an inline button under a bot message (a ``callback_query`` update).

        Args:
            user_id: Who presses.
            message_id: The bot message carrying the keyboard.
            callback_data: The button's data.
            chat_id: Chat (default: private).
            text: Alternatively, the button's label (or part of it).
            strict: Require the message to currently show a button with that data, as a real
                client would.

        Returns:
            The update (``callback_query_id`` is set; ``message_id`` is ``None``).

        Raises:
            KeyError: Unknown message or no such button.
        """
        chat = self._user_chat(user_id, chat_id)
        msg = chat.messages.get(message_id)
        if msg is None or msg.deleted:
            raise KeyError(f"no message {message_id} in chat {chat.id}")
        if text is not None:
            callback_data = msg.callback_data(text)
        if callback_data is None:
            raise ValueError("give callback_data or text")
        if strict and callback_data not in [b.get("callback_data") for b in msg.buttons]:
            raise KeyError(
                f"message {message_id} has no button with callback_data {callback_data!r}: "
                f"{msg.buttons}"
            )
        query_id = f"{self.bot_user['id']}{next(self._callback_ids):08d}"
        self._callbacks[query_id] = _PendingCallback(chat.id, message_id, user_id, callback_data)
        update_id = self._push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": copy.deepcopy(self._users[user_id]),
                    "message": msg.to_api(),
                    "chat_instance": str(abs(chat.id) * 7 + 1),
                    "data": callback_data,
                }
            }
        )
        return UserAction(update_id, chat.id, None, self._version, callback_query_id=query_id)

    def press_reply_button(
        self,
        user_id: int,
        label: str,
        *,
        chat_id: int | None = None,
        latitude: float = 36.0671,
        longitude: float = 120.3826,
        phone_number: str = "+8613800138000",
    ) -> UserAction:
        """A user taps a button of the reply keyboard the bot currently shows.

        A plain button sends its text; a ``request_location`` button shares a location; a
        ``request_contact`` button shares the user's own contact. A ``one_time_keyboard`` hides
        after the tap.

        Args:
            user_id: Who taps.
            label: Button text (exact, else the first button containing it).
            chat_id: Chat (default: private).
            latitude: Location shared by a ``request_location`` button.
            longitude: Location shared by a ``request_location`` button.
            phone_number: Number shared by a ``request_contact`` button.

        Returns:
            The resulting message's update.

        Raises:
            KeyError: No reply keyboard, or no such button.
        """
        chat = self._user_chat(user_id, chat_id)
        keyboard = chat.reply_keyboard
        if not keyboard:
            raise KeyError(f"no reply keyboard is shown in chat {chat.id}")
        buttons = [b for row in keyboard["keyboard"] for b in row]
        button = next((b for b in buttons if b.get("text") == label), None)
        if button is None:
            button = next((b for b in buttons if label in str(b.get("text", ""))), None)
        if button is None:
            raise KeyError(f"no reply button {label!r}: {[b.get('text') for b in buttons]}")
        if keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None
        if button.get("request_location"):
            return self.send_location(user_id, latitude, longitude, chat_id=chat_id)
        if button.get("request_contact"):
            return self.send_contact(user_id, phone_number, chat_id=chat_id)
        return self.send_text(user_id, str(button["text"]), chat_id=chat_id)

    def send_location(
        self, user_id: int, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> UserAction:
        """A user shares a location (e.g. through a ``request_location`` button).

        Args:
            user_id: Sender.
            latitude: Degrees.
            longitude: Degrees.
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        return self._user_message(
            user_id, chat_id, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def send_contact(
        self,
        user_id: int,
        phone_number: str,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        chat_id: int | None = None,
        own: bool = True,
    ) -> UserAction:
        """A user shares a contact (their own, as a ``request_contact`` button does, by default).

        Args:
            user_id: Sender.
            phone_number: The number.
            first_name: Contact's first name (default: the sender's).
            last_name: Optional.
            chat_id: Chat (default: private).
            own: Set the contact's ``user_id`` to the sender's (own contact).

        Returns:
            The update and message id.
        """
        profile = self._ensure_user(user_id)
        contact: JSONDict = {
            "phone_number": phone_number,
            "first_name": first_name or profile["first_name"],
        }
        if last_name:
            contact["last_name"] = last_name
        if own:
            contact["user_id"] = user_id
        return self._user_message(user_id, chat_id, {"contact": contact})

    def send_photo(
        self,
        user_id: int,
        caption: str | None = None,
        *,
        data: bytes | None = None,
        chat_id: int | None = None,
    ) -> UserAction:
        """A user sends a photo (its bytes are served by ``getFile`` + the file URL).

        Args:
            user_id: Sender.
            caption: Optional caption.
            data: Image bytes (default: a small generated PNG).
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        stored = self._store_file(
            "photo", data if data is not None else tiny_png(64, 48), "image/png"
        )
        fields: JSONDict = {"photo": self._photo_sizes(stored)}
        if caption:
            fields["caption"] = caption
        return self._user_message(user_id, chat_id, fields)

    def send_sticker(
        self, user_id: int, emoji: str = "👍", *, chat_id: int | None = None
    ) -> UserAction:
        """A user sends a sticker.

        Args:
            user_id: Sender.
            emoji: The sticker's emoji.
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        stored = self._store_file("sticker", b"RIFF\x00\x00\x00\x00WEBP", "image/webp")
        sticker: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return self._user_message(user_id, chat_id, {"sticker": sticker})

    def send_voice(
        self,
        user_id: int,
        duration: int = 3,
        *,
        data: bytes | None = None,
        chat_id: int | None = None,
    ) -> UserAction:
        """A user sends a voice note.

        Args:
            user_id: Sender.
            duration: Seconds.
            data: Audio bytes (default: a few placeholder bytes).
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        stored = self._store_file(
            "voice", data if data is not None else b"OggS\x00fake", "audio/ogg"
        )
        voice: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": stored.size,
        }
        return self._user_message(user_id, chat_id, {"voice": voice})

    def push_update(self, update: JSONDict) -> int:
        """Queue (or deliver) a raw update; ``update_id`` is assigned.

        Args:
            update: An update without ``update_id`` (e.g. ``{"my_chat_member": {...}}``).

        Returns:
            The update id.
        """
        body = {k: v for k, v in update.items() if k != "update_id"}
        return self._push_update(body)

    # ------------------------------------------------------------------ internals: state

    def _ensure_user(self, user_id: int) -> JSONDict:
        if user_id not in self._users:
            self.user(user_id)
        return self._users[user_id]

    @staticmethod
    def _private_chat_info(profile: JSONDict) -> JSONDict:
        info: JSONDict = {
            "id": profile["id"],
            "type": "private",
            "first_name": profile["first_name"],
        }
        for key in ("last_name", "username"):
            if key in profile:
                info[key] = profile[key]
        return info

    def _user_chat(self, user_id: int, chat_id: int | None) -> _Chat:
        profile = self._ensure_user(user_id)
        target = user_id if chat_id is None else chat_id
        chat = self._chats.get(target)
        if chat is None:
            if target == user_id:
                chat = _Chat(info=self._private_chat_info(profile))
            elif target < 0:
                self.group(target)
                chat = self._chats[target]
            else:
                raise ValueError(f"user {user_id} cannot write in private chat {target}")
            self._chats[target] = chat
        chat.known = True
        return chat

    def _bot_chat(self, chat_id: Any) -> _Chat:
        """Resolve a ``chat_id`` parameter of a bot call."""
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for candidate in self._chats.values():
                if candidate.info.get("username", "").lower() == chat_id[1:].lower():
                    return candidate
            raise ApiError(400, "Bad Request: chat not found")
        try:
            cid = int(chat_id)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        chat = self._chats.get(cid)
        if chat is not None and (chat.known or not self.strict_chats):
            return chat
        if self.strict_chats or cid == 0:
            raise ApiError(400, "Bad Request: chat not found")
        if cid > 0:
            profile = self._users.get(cid) or {"id": cid, "first_name": f"User {cid}"}
            chat = _Chat(info=self._private_chat_info(profile))
        else:
            is_super = cid <= -1000000000000
            chat = _Chat(
                info={
                    "id": cid,
                    "type": "supergroup" if is_super else "group",
                    "title": f"Group {cid}",
                }
            )
        self._chats[cid] = chat
        return chat

    def _new_message(
        self, chat: _Chat, *, from_bot: bool, sender: JSONDict, **fields: Any
    ) -> ChatMessage:
        msg = ChatMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            from_bot=from_bot,
            date=int(time.time()),
            sender=copy.deepcopy(sender),
            chat=copy.deepcopy(chat.info),
            sent_at=time.monotonic(),
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[msg.message_id] = msg
        if from_bot:
            self._bot_sent.append(msg)
        msg.version = self._bump()
        return msg

    def _user_message(
        self, user_id: int, chat_id: int | None, fields: JSONDict, *, reply_to: int | None = None
    ) -> UserAction:
        chat = self._user_chat(user_id, chat_id)
        reply: JSONDict | None = None
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None:
                raise KeyError(f"no message {reply_to} in chat {chat.id}")
            reply = self._reply_snapshot(target)
        msg = self._new_message(
            chat,
            from_bot=False,
            sender=self._users[user_id],
            reply_to_message_id=reply_to,
            **fields,
        )
        msg._reply_to = reply
        update_id = self._push_update({"message": msg.to_api()})
        return UserAction(update_id, chat.id, msg.message_id, self._version)

    @staticmethod
    def _reply_snapshot(target: ChatMessage) -> JSONDict:
        snap = target.to_api()
        snap.pop("reply_to_message", None)
        return snap

    def _push_member_update(self, chat_id: int, status: str) -> None:
        chat = self._chats.get(chat_id)
        info = (
            chat.info
            if chat
            else {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        )
        actor = self._users.get(chat_id) or {
            "id": abs(chat_id),
            "is_bot": False,
            "first_name": "User",
        }
        old = "member" if status in ("kicked", "left") else "kicked"
        bot_member: Callable[[str], JSONDict] = lambda s: (  # noqa: E731
            {"status": s, "user": copy.deepcopy(self.bot_user), "until_date": 0}
            if s == "kicked"
            else {"status": s, "user": copy.deepcopy(self.bot_user)}
        )
        self._push_update(
            {
                "my_chat_member": {
                    "chat": copy.deepcopy(info),
                    "from": copy.deepcopy(actor),
                    "date": int(time.time()),
                    "old_chat_member": bot_member(old),
                    "new_chat_member": bot_member(status),
                }
            }
        )

    def _push_update(self, body: JSONDict) -> int:
        update_id = next(self._update_ids)
        kind = next(iter(body))
        allowed = set(self._allowed_updates) or _DEFAULT_UPDATE_TYPES
        if kind in allowed:
            self._pending.append({"update_id": update_id, **copy.deepcopy(body)})
        else:
            _LOGGER.debug("update %s (%s) filtered out by allowed_updates", update_id, kind)
        self._bump()
        return update_id

    def _store_file(
        self, kind: str, data: bytes | None, content_type: str, filename: str = ""
    ) -> StoredFile:
        n = next(self._file_ids)
        ext = {
            "image/png": "png",
            "image/jpeg": "jpg",
            "image/webp": "webp",
            "audio/ogg": "oga",
        }.get(content_type, filename.rsplit(".", 1)[-1] if "." in filename else "bin")
        folder = {"photo": "photos", "sticker": "stickers", "voice": "voice"}.get(kind, "documents")
        size = image_size(data) if data and kind == "photo" else None
        stored = StoredFile(
            file_id=f"Fake{kind.capitalize()}{n:06d}AgADBAADzqkxGw",
            file_unique_id=f"AQAD{n:06d}",
            file_path=f"{folder}/file_{n}.{ext}",
            data=data,
            content_type=content_type,
            width=size[0] if size else 1280,
            height=size[1] if size else 960,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _photo_sizes(self, stored: StoredFile) -> list[JSONDict]:
        scale = min(1.0, 90 / max(stored.width, stored.height, 1))
        thumb_id = stored.file_id + "-s"
        self._files[thumb_id] = stored
        return [
            {
                "file_id": thumb_id,
                "file_unique_id": stored.file_unique_id + "s",
                "width": max(1, int(stored.width * scale)),
                "height": max(1, int(stored.height * scale)),
                "file_size": stored.size,
            },
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": stored.width,
                "height": stored.height,
                "file_size": stored.size,
            },
        ]

    # ------------------------------------------------------------------ HTTP: Bot API

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        key = method.lower()
        self._in_flight[key] += 1
        self._bump()
        try:
            return await self._answer_api(request, method)
        finally:
            self._in_flight[key] -= 1
            self._bump()

    async def _answer_api(self, request: web.Request, method: str) -> web.StreamResponse:
        started = time.monotonic()
        wall = time.time()
        params: JSONDict = {}
        fault = False
        response: web.StreamResponse
        body: JSONDict | None = None
        try:
            if self._token is not None and request.match_info["token"] != self._token:
                raise ApiError(401, "Unauthorized")
            params, uploads = await read_params(request)
            for name, upload in uploads.items():
                params.setdefault(name, upload.summary())
            handler = self._handlers.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found")
            injected = await self._apply_faults(request, method, params)
            if injected is not None:
                fault = True
                response, body = injected
            else:
                result = await handler(params, uploads)
                body = {"ok": True, "result": result}
                if isinstance(result, bool) and method.lower() in ("setwebhook", "deletewebhook"):
                    body["description"] = self._webhook_description
                response = web.json_response(body)
        except ApiError as err:
            body = err.body()
            fault = fault or err.status == 403
            response = web.json_response(body, status=err.status)
        except Exception:  # a bug in the fake must not look like a network problem
            _LOGGER.exception("fake Bot API failed on %s %s", method, params)
            body = ApiError(500, "Internal Server Error: fake Bot API bug").body()
            response = web.json_response(body, status=500)
        self._calls.append(
            RecordedCall(
                method=method,
                params=params,
                at=started,
                response_status=0 if isinstance(response, _Dropped) else response.status,
                wall_time=wall,
                duration=time.monotonic() - started,
                response=body,
                fault=fault,
            )
        )
        return response

    async def _apply_faults(
        self, request: web.Request, method: str, params: JSONDict
    ) -> tuple[web.StreamResponse, JSONDict | None] | None:
        chat_id = params.get("chat_id")
        now = time.monotonic()
        for rule in list(self._faults):
            if rule.delay_s > 0 and rule.matches(method, chat_id, now):
                rule.served += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                self.fault_counts[(method, "delay")] += 1
                await self._sleep(rule.delay_s)
                now = time.monotonic()
        for rule in list(self._faults):
            if rule.delay_s > 0 or not rule.matches(method, chat_id, now):
                continue
            rule.served += 1
            if rule.remaining is not None:
                rule.remaining -= 1
            self.fault_counts[(method, rule.status or "drop")] += 1
            if rule.status == 0:
                if request.transport is not None:
                    request.transport.abort()
                return _Dropped(), None
            return self._fault_response(rule)
        if chat_id is not None and str(chat_id) in self._blocked:
            self.fault_counts[(method, 403)] += 1
            raise ApiError(403, self._blocked[str(chat_id)])
        return None

    def _fault_response(self, rule: FaultRule) -> tuple[web.StreamResponse, JSONDict | None]:
        phrase = _PHRASES.get(rule.status, "Error")
        if rule.html:
            text = _HTML_ERROR.format(status=rule.status, phrase=phrase)
            return web.Response(text=text, status=rule.status, content_type="text/html"), None
        if rule.status == 429:
            err = ApiError(
                429,
                rule.description or f"Too Many Requests: retry after {rule.retry_after}",
                {"retry_after": rule.retry_after},
            )
        else:
            err = ApiError(rule.status, rule.description or phrase)
        body = err.body()
        return web.json_response(body, status=rule.status), body

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but return at once when the fake shuts down."""
        if self._closing or seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if self._token is not None and request.match_info["token"] != self._token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None or stored.data is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.data, content_type=stored.content_type)

    # ------------------------------------------------------------------ Bot API methods

    async def _m_true(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        return True

    async def _m_get_me(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return copy.deepcopy(self.bot_user)

    async def _m_get_updates(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _as_int(p.get("offset"), 0)
        limit = min(100, max(1, _as_int(p.get("limit"), 100)))
        timeout = max(0.0, _as_float(p.get("timeout"), 0.0))
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, f"Conflict: terminated by {self._poll_terminator}")
            if self._webhook_url:
                raise ApiError(409, "Conflict: terminated by setWebhook request")
            if self._pending or self._closing:
                return copy.deepcopy(self._pending[:limit])
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._wait_change(remaining)

    _webhook_description = "Webhook was set"

    async def _m_set_webhook(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return await self._m_delete_webhook(p, files)
        if not re.match(r"^https?://", url):
            raise ApiError(
                400, "Bad Request: bad webhook: Failed to resolve host: Name or service not known"
            )
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        if p.get("drop_pending_updates") is True:
            self._pending.clear()
        self._webhook_description = (
            "Webhook is already set" if url == self._webhook_url else "Webhook was set"
        )
        self._webhook_url = url
        self._webhook_secret = str(secret) if secret is not None else None
        self._webhook_max_connections = _as_int(p.get("max_connections"), 40)
        self._webhook_last_error = None
        self._poll_terminator = "setWebhook request"
        self._poll_generation += 1
        self._ensure_webhook_worker()
        self._bump()
        return True

    async def _m_delete_webhook(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        self._webhook_description = (
            "Webhook was deleted" if self._webhook_url else "Webhook is already deleted"
        )
        self._webhook_url = ""
        self._webhook_secret = None
        self._poll_terminator = (
            "other getUpdates request; make sure that only one bot instance is running"
        )
        if p.get("drop_pending_updates") is True:
            self._pending.clear()
        self._bump()
        return True

    async def _m_get_webhook_info(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        info: JSONDict = {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook_url:
            info["max_connections"] = self._webhook_max_connections
            info["ip_address"] = "127.0.0.1"
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _text_and_entities(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool = False
    ) -> tuple[str, list[JSONDict]]:
        raw = "" if text is None else str(text)
        try:
            plain, ents = parse_text(
                raw,
                str(parse_mode) if parse_mode else None,
                entities if isinstance(entities, list) else None,
            )
        except EntityParseError as err:
            raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
        if not caption and not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        limit = MAX_CAPTION if caption else MAX_TEXT
        if utf16_len(plain) > limit:
            raise ApiError(
                400,
                "Bad Request: message caption is too long"
                if caption
                else "Bad Request: message is too long",
            )
        return plain, ents

    def _check_markup(self, markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(
                    400,
                    'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be '
                    "an Array of Arrays",
                )
            for row in rows:
                for button in row:
                    if not isinstance(button, dict) or not str(button.get("text", "")):
                        raise ApiError(
                            400,
                            "Bad Request: can't parse inline keyboard button: "
                            "Text must be non-empty",
                        )
                    if len(button) == 1:
                        raise ApiError(
                            400,
                            "Bad Request: can't parse inline keyboard button: Text buttons are "
                            "unallowed in the inline keyboard",
                        )
                    if "callback_data" in button:
                        data = button["callback_data"]
                        if (
                            not isinstance(data, str)
                            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
                        ):
                            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                    if "url" in button and not re.match(r"^(https?|tg)://", str(button["url"])):
                        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
            return copy.deepcopy(markup)
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(
                    400,
                    'Bad Request: field "keyboard" of the ReplyKeyboardMarkup should be '
                    "an Array of Arrays",
                )
            normalised = copy.deepcopy(markup)
            normalised["keyboard"] = [
                [b if isinstance(b, dict) else {"text": str(b)} for b in row] for row in rows
            ]
            return normalised
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return copy.deepcopy(markup)
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")

    def _apply_reply_keyboard(self, chat: _Chat, markup: JSONDict | None) -> None:
        if markup is None:
            return
        if "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup.get("remove_keyboard"):
            chat.reply_keyboard = None

    def _reply_target(self, chat: _Chat, p: JSONDict) -> JSONDict | None:
        params = p.get("reply_parameters")
        if not isinstance(params, dict):
            params = (
                {"message_id": p["reply_to_message_id"]} if "reply_to_message_id" in p else None
            )
            if params is not None and p.get("allow_sending_without_reply") is True:
                params["allow_sending_without_reply"] = True
        if not params:
            return None
        target_chat = chat
        if params.get("chat_id") is not None:
            target_chat = self._bot_chat(params["chat_id"])
        target = target_chat.messages.get(_as_int(params.get("message_id"), 0))
        if target is None or target.deleted:
            if params.get("allow_sending_without_reply") is True:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return self._reply_snapshot(target)

    def _bot_send(self, p: JSONDict, **fields: Any) -> JSONDict:
        """Create a bot message in the resolved chat; shared by the send* methods."""
        chat = self._bot_chat(p.get("chat_id"))
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_target(chat, p)
        self._apply_reply_keyboard(chat, markup)
        msg = self._new_message(
            chat,
            from_bot=True,
            sender=self.bot_user,
            reply_markup=markup,
            reply_to_message_id=reply["message_id"] if reply else None,
            **fields,
        )
        msg._reply_to = reply
        return msg.to_api()

    async def _m_send_message(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        text, entities = self._text_and_entities(
            p.get("text"), p.get("parse_mode"), p.get("entities")
        )
        return self._bot_send(
            p, text=text, entities=entities, parse_mode=p.get("parse_mode") or None
        )

    def _input_file(
        self, p: JSONDict, files: dict[str, Upload], name: str, kind: str
    ) -> StoredFile:
        value = p.get(name)
        upload = files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
        if upload is not None:
            return self._store_file(kind, upload.data, upload.content_type, upload.filename)
        if not isinstance(value, str) or not value:
            raise ApiError(400, f"Bad Request: there is no {name} in the request")
        known = self._files.get(value)
        if known is not None:
            return known
        if re.match(r"^https?://", value):
            return self._store_file(
                kind, None, "image/jpeg" if kind == "photo" else "application/octet-stream"
            )
        if self.strict_file_ids:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        stored = self._store_file(
            kind, None, "image/jpeg" if kind == "photo" else "application/octet-stream"
        )
        self._files[value] = stored
        return stored

    def _caption_fields(self, p: JSONDict) -> JSONDict:
        if p.get("caption") in (None, ""):
            return {}
        caption, entities = self._text_and_entities(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        return {
            "caption": caption,
            "caption_entities": entities,
            "parse_mode": p.get("parse_mode") or None,
        }

    async def _m_send_photo(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        stored = self._input_file(p, files, "photo", "photo")
        return self._bot_send(p, photo=self._photo_sizes(stored), **self._caption_fields(p))

    async def _m_send_document(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        stored = self._input_file(p, files, "document", "document")
        upload = files.get("document")
        document: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "mime_type": stored.content_type,
        }
        if upload is not None:
            document["file_name"] = upload.filename
        return self._bot_send(p, document=document, **self._caption_fields(p))

    async def _m_send_location(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        lat, lon = p.get("latitude"), p.get("longitude")
        if (
            not isinstance(lat, int | float)
            or not isinstance(lon, int | float)
            or not (-90 <= lat <= 90 and -180 <= lon <= 180)
        ):
            raise ApiError(400, "Bad Request: wrong latitude/longitude specified")
        return self._bot_send(p, location={"latitude": float(lat), "longitude": float(lon)})

    async def _m_send_contact(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        if not p.get("phone_number") or not p.get("first_name"):
            raise ApiError(400, "Bad Request: phone number and first name must be non-empty")
        contact = {
            k: p[k] for k in ("phone_number", "first_name", "last_name", "vcard") if p.get(k)
        }
        return self._bot_send(p, contact=contact)

    def _find_for_edit(self, p: JSONDict) -> ChatMessage:
        if p.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._bot_chat(p.get("chat_id"))
        msg = chat.messages.get(_as_int(p.get("message_id"), 0))
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not msg.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _inline_markup(self, p: JSONDict) -> JSONDict | None:
        markup = self._check_markup(p.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        return markup

    def _finish_edit(self, msg: ChatMessage) -> JSONDict:
        msg.edited = True
        msg.edit_count += 1
        msg.edit_date = int(time.time())
        msg.version = self._bump()
        return msg.to_api()

    @staticmethod
    def _current_inline(msg: ChatMessage) -> JSONDict | None:
        return (
            msg.reply_markup if msg.reply_markup and "inline_keyboard" in msg.reply_markup else None
        )

    async def _m_edit_message_text(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        msg = self._find_for_edit(p)
        text, entities = self._text_and_entities(
            p.get("text"), p.get("parse_mode"), p.get("entities")
        )
        if msg.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        # Like the real API, an edit without reply_markup removes the inline keyboard.
        markup = self._inline_markup(p)
        if text == msg.text and entities == msg.entities and markup == self._current_inline(msg):
            raise ApiError(400, _NOT_MODIFIED)
        msg.text, msg.entities, msg.parse_mode = text, entities, p.get("parse_mode") or None
        msg.reply_markup = markup
        return self._finish_edit(msg)

    async def _m_edit_message_caption(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        msg = self._find_for_edit(p)
        if msg.kind not in ("photo", "document", "voice"):
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        fields = self._caption_fields(p)
        caption = fields.get("caption")
        entities = fields.get("caption_entities", [])
        markup = self._inline_markup(p)
        if (
            caption == msg.caption
            and entities == msg.caption_entities
            and markup == self._current_inline(msg)
        ):
            raise ApiError(400, _NOT_MODIFIED)
        msg.caption, msg.caption_entities = caption, entities
        msg.reply_markup = markup
        return self._finish_edit(msg)

    async def _m_edit_message_reply_markup(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        msg = self._find_for_edit(p)
        markup = self._inline_markup(p)
        if markup == self._current_inline(msg):
            raise ApiError(400, _NOT_MODIFIED)
        msg.reply_markup = markup
        return self._finish_edit(msg)

    async def _m_answer_callback_query(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        query_id = str(p.get("callback_query_id") or "")
        pending = self._callbacks.get(query_id)
        if pending is None or pending.answered:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        text = p.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        pending.answered = True
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                chat_id=pending.chat_id,
                message_id=pending.message_id,
                user_id=pending.user_id,
                data=pending.data,
                text=str(text) if text is not None else None,
                show_alert=p.get("show_alert") is True,
                url=str(p["url"]) if p.get("url") else None,
                at=time.monotonic(),
                version=self._version + 1,
            )
        )
        self._bump()
        return True

    async def _m_delete_message(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._bot_chat(p.get("chat_id"))
        msg = chat.messages.get(_as_int(p.get("message_id"), 0))
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        msg.deleted = True
        msg.version = self._bump()
        return True

    async def _m_delete_messages(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._bot_chat(p.get("chat_id"))
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise ApiError(
                400, "Bad Request: message_ids must be a non-empty array of at most 100 ids"
            )
        for mid in ids:
            msg = chat.messages.get(_as_int(mid, 0))
            if msg is not None and not msg.deleted:
                msg.deleted = True
                msg.version = self._bump()
        return True

    async def _m_get_file(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        stored = self._files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        out: JSONDict = {"file_id": str(p["file_id"]), "file_unique_id": stored.file_unique_id}
        if stored.data is not None:
            out["file_size"] = stored.size
            out["file_path"] = stored.file_path
        return out

    async def _m_send_chat_action(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._bot_chat(p.get("chat_id"))
        action = str(p.get("action") or "")
        if action not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self.chat_actions.append(ChatAction(chat.id, action, time.monotonic()))
        return True

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope_obj = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps(scope_obj, sort_keys=True), str(language_code or "")

    async def _m_set_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.match(str(cmd.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description must be non-empty")
        key = self._commands_key(p.get("scope"), p.get("language_code"))
        self._commands[key] = [
            {"command": str(c["command"]), "description": str(c["description"])} for c in commands
        ]
        return True

    async def _m_get_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        key = self._commands_key(p.get("scope"), p.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    async def _m_delete_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        self._commands.pop(self._commands_key(p.get("scope"), p.get("language_code")), None)
        return True

    def _source_message(self, p: JSONDict, what: str) -> ChatMessage:
        source_chat = self._bot_chat(p.get("from_chat_id"))
        source = source_chat.messages.get(_as_int(p.get("message_id"), 0))
        if source is None or source.deleted:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        return source

    @staticmethod
    def _content_of(msg: ChatMessage) -> JSONDict:
        names = [
            *("text", "entities", "caption", "caption_entities", "photo", "location"),
            *("contact", "sticker", "voice", "document"),
        ]
        return {name: copy.deepcopy(getattr(msg, name)) for name in names}

    async def _m_copy_message(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        source = self._source_message(p, "copy")
        fields = self._content_of(source)
        if "caption" in p and source.text is None:
            fields.update(self._caption_fields(p) or {"caption": None, "caption_entities": []})
        sent = self._bot_send(p, **fields)
        return {"message_id": sent["message_id"]}

    async def _m_forward_message(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        source = self._source_message(p, "forward")
        origin: JSONDict = {"type": "user", "date": source.date, "sender_user": source.sender}
        if source.chat.get("type") in ("group", "supergroup") and source.from_bot:
            origin = {"type": "chat", "date": source.date, "sender_chat": source.chat}
        return self._bot_send(
            {"chat_id": p.get("chat_id")},
            forward_origin=copy.deepcopy(origin),
            **self._content_of(source),
        )

    async def _m_get_chat(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = self._bot_chat(p.get("chat_id"))
        info = copy.deepcopy(chat.info)
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                },
            }
        )
        return info

    # ------------------------------------------------------------------ webhook delivery

    def _ensure_webhook_worker(self) -> None:
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(
                self._webhook_loop(), name="fake-bot-api-webhook"
            )

    async def _webhook_loop(self) -> None:
        while not self._closing:
            if not self._webhook_url or not self._pending:
                await self._wait_change(3600)
                continue
            update = self._pending[0]
            await self._deliver(update)
            if self._pending and self._pending[0] is update:
                self._pending.pop(0)
                self._bump()

    async def _deliver(self, update: JSONDict) -> WebhookDelivery:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout)
            )
        url, secret = self._webhook_url, self._webhook_secret
        delivery = WebhookDelivery(update_id=update["update_id"], url=url, secret_token=secret)
        self.webhook_deliveries.append(delivery)
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        payload = json.dumps(update, ensure_ascii=False).encode("utf-8")
        for attempt in range(1, self.webhook_max_attempts + 1):
            delivery.attempts = attempt
            delivery.at = time.monotonic()
            try:
                async with self._session.post(url, data=payload, headers=headers) as resp:
                    delivery.status = resp.status
                    await resp.read()
                    if 200 <= resp.status < 300:
                        delivery.ok = True
                        delivery.error = None
                        self._bump()
                        return delivery
                    delivery.error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except TimeoutError:
                delivery.status = 0
                delivery.error = "Read timeout expired"
            except aiohttp.ClientError as err:
                delivery.status = 0
                delivery.error = f"Connection failed: {err}"
            self._webhook_last_error = (int(time.time()), delivery.error or "")
            self._bump()
            if attempt < self.webhook_max_attempts:
                await self._sleep(self.webhook_retry_delay * 2 ** (attempt - 1))
                if self._closing:
                    break
        _LOGGER.warning(
            "webhook delivery of update %s gave up: %s", delivery.update_id, delivery.error
        )
        return delivery

    # ------------------------------------------------------------------ HTTP: JSON view

    async def _view_chats(self, request: web.Request) -> web.Response:
        chats = [
            {
                "chat": chat.info,
                "message_count": sum(1 for m in chat.messages.values() if not m.deleted),
                "version": max((m.version for m in chat.messages.values()), default=0),
                "blocked": self.is_blocked(chat.id),
            }
            for chat in self._chats.values()
        ]
        return web.json_response({"version": self._version, "chats": chats})

    def _chat_view(self, chat_id: int, after: int) -> JSONDict:
        chat = self._chats.get(chat_id)
        if chat is None:
            return {
                "version": self._version,
                "chat": None,
                "messages": [],
                "reply_keyboard": None,
                "callback_answers": [],
                "blocked": self.is_blocked(chat_id),
            }
        messages = [
            m.to_json()
            for m in chat.messages.values()
            if m.version > after and (after > 0 or not m.deleted)
        ]
        answers = [
            a.to_json() for a in self.callback_answers if a.chat_id == chat_id and a.version > after
        ]
        return {
            "version": self._version,
            "chat": chat.info,
            "messages": messages,
            "reply_keyboard": chat.reply_keyboard,
            "callback_answers": answers,
            "blocked": self.is_blocked(chat_id),
        }

    async def _view_chat(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
            after = int(request.query.get("after", "0"))
            wait = min(60.0, float(request.query.get("wait", "0")))
        except ValueError:
            return web.json_response({"error": "bad chat_id, after or wait"}, status=400)
        if wait > 0:

            def changed() -> bool:
                chat = self._chats.get(chat_id)
                return (
                    self._closing
                    or bool(chat and any(m.version > after for m in chat.messages.values()))
                    or any(
                        a.chat_id == chat_id and a.version > after for a in self.callback_answers
                    )
                )

            self._in_flight["_fake:chat"] += 1
            self._bump()
            try:
                with contextlib.suppress(TimeoutError):
                    await self.wait_for(changed, wait)
            finally:
                self._in_flight["_fake:chat"] -= 1
        return web.json_response(self._chat_view(chat_id, after))

    async def _view_send(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("body must be a JSON object")
            action = self._perform(chat_id, body)
        except (ValueError, KeyError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(
            {
                "update_id": action.update_id,
                "chat_id": action.chat_id,
                "message_id": action.message_id,
                "callback_query_id": action.callback_query_id,
                "version": action.version,
            }
        )

    def _perform(self, chat_id: int, body: JSONDict) -> UserAction:
        user_id = int(body.get("user_id", chat_id))
        if user_id <= 0:
            raise ValueError("user_id is required in group chats")
        profile = body.get("user")
        if isinstance(profile, dict):
            self.user(
                user_id,
                **{
                    k: profile[k]
                    for k in ("first_name", "last_name", "username", "language_code")
                    if k in profile
                },
            )
        target = None if chat_id == user_id else chat_id
        if "callback_data" in body or "button_text" in body:
            return self.press_button(
                user_id,
                int(body["message_id"]),
                body.get("callback_data"),
                chat_id=target,
                text=body.get("button_text"),
            )
        if "reply_button" in body:
            return self.press_reply_button(user_id, str(body["reply_button"]), chat_id=target)
        if "location" in body:
            loc = body["location"]
            return self.send_location(
                user_id, float(loc["latitude"]), float(loc["longitude"]), chat_id=target
            )
        if "contact" in body:
            contact = body["contact"]
            return self.send_contact(
                user_id, str(contact["phone_number"]), contact.get("first_name"), chat_id=target
            )
        if "photo" in body:
            return self.send_photo(user_id, body.get("caption"), chat_id=target)
        if "sticker" in body:
            return self.send_sticker(user_id, chat_id=target)
        if "voice" in body:
            return self.send_voice(user_id, chat_id=target)
        if "text" in body:
            reply_to = body.get("reply_to")
            return self.send_text(
                user_id,
                str(body["text"]),
                chat_id=target,
                reply_to=int(reply_to) if reply_to else None,
            )
        raise ValueError(
            "body needs text, callback_data/button_text, reply_button, location, contact, "
            "photo, sticker or voice"
        )

    async def _view_calls(self, request: web.Request) -> web.Response:
        method = request.query.get("method")
        try:
            start = int(request.query.get("after", "0"))
        except ValueError:
            return web.json_response({"error": "bad after"}, status=400)
        calls = self.calls(method) if method else self._calls
        return web.json_response(
            {"count": len(self._calls), "calls": [c.to_json() for c in calls[start:]]}
        )

    async def _view_webhook(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "url": self._webhook_url,
                "pending_update_count": len(self._pending),
                "deliveries": [
                    {
                        "update_id": d.update_id,
                        "url": d.url,
                        "attempts": d.attempts,
                        "status": d.status,
                        "ok": d.ok,
                        "error": d.error,
                    }
                    for d in self.webhook_deliveries
                ],
            }
        )

    async def _view_users(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            user = self.user(
                int(body["user_id"]),
                body.get("first_name"),
                last_name=body.get("last_name"),
                username=body.get("username"),
                language_code=body.get("language_code", "zh-hans"),
            )
        except (ValueError, KeyError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(user.profile)

    async def _view_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})


class _Dropped(web.Response):
    """Marker response for connections dropped by fault injection (status recorded as 0)."""


def _as_int(value: Any, default: int) -> int:
    if isinstance(value, bool) or value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _as_float(value: Any, default: float) -> float:
    if isinstance(value, bool) or value is None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@contextlib.asynccontextmanager
async def running_fake_bot_api(
    host: str = "127.0.0.1", port: int = 0, **options: Any
) -> AsyncIterator[FakeBotApi]:
    """Start a :class:`FakeBotApi` for the duration of an ``async with`` block.

    Args:
        host: Interface.
        port: Port (0: any free one).
        **options: Passed to :class:`FakeBotApi`.

    Yields:
        The running fake.
    """
    fake = FakeBotApi(**options)
    await fake.start(host, port)
    try:
        yield fake
    finally:
        await fake.stop()
