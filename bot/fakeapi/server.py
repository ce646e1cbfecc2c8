"""A local fake of the Telegram Bot API, served with aiohttp.

``FakeBotApi`` speaks the Bot API over HTTP closely enough that python-telegram-bot's real
``Bot``/``Application`` run against it unchanged (only ``base_url``/``base_file_url`` differ). It
keeps per-chat transcripts, lets simulated users write, press buttons and share locations, delivers
updates through ``getUpdates`` or a webhook, records every call, and injects faults (429, 5xx,
delays, dropped connections, blocked chats). A JSON view under ``/_fake/`` lets a web page (the
sandbox) show the conversations and act as the users.

This module assembles :class:`FakeBotApi` from the package's mixins and adds the server's
lifecycle, its routes and :class:`FakeUser`, the handle a test acts through.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web

from bot.fakeapi.dispatch import BotApiMethods
from bot.fakeapi.messages import ChatMessage
from bot.fakeapi.models import JSONDict, UserAction
from bot.fakeapi.views import JsonView

__all__ = ["FakeBotApi", "FakeUser", "running_fake_bot_api"]

DEFAULT_TOKEN_HINT = "123456789:TEST-token-for-the-fake-bot-api"


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

    def send_media(self, kind: str, caption: str | None = None, **kwargs: Any) -> UserAction:
        """See :meth:`FakeBotApi.send_media` (a video, video note, audio, animation, file)."""
        return self.api.send_media(self.id, kind, caption, **kwargs)

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


class FakeBotApi(JsonView, BotApiMethods):
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
        first_update_id: The id of the first update queued. A fake that stands in for Telegram
            in front of a database that already took in updates (the sandbox restarted on the
            same ``--db``) starts past the ids stored, as Telegram's own ids never go back.

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
        self._register_user(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        return FakeUser(self, user_id)


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
