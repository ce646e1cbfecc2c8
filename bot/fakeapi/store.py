"""The fake Bot API's state: chats, users, messages, the update queue and change notification."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from bot.fakeapi.messages import ChatMessage
from bot.fakeapi.models import (
    ApiError,
    CallbackAnswer,
    ChatAction,
    FaultRule,
    JSONDict,
    RecordedCall,
    StoredFile,
    WebhookDelivery,
)
from bot.fakeapi.state import DEFAULT_UPDATE_TYPES, PROFILE_FIELDS, ChatState, PendingCallback

log = logging.getLogger(__name__)


class FakeStore:
    """The state every part of the fake shares (the base of :class:`~bot.fakeapi.FakeBotApi`)."""

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
        first_update_id: int = 1,
    ) -> None:
        """Create the fake; nothing listens until ``start()`` or ``add_routes()``."""
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
        #: Photo URLs the fake's "Telegram" cannot download (see ``can_fetch``).
        self.unfetchable_urls: set[str] = set()
        self.webhook_max_attempts = webhook_max_attempts
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_timeout = webhook_timeout
        self.client_max_size = client_max_size
        #: The clock of ``fail(duration_s=...)`` windows (seconds, ``time.monotonic``); a test
        #: may give its own to end a window without waiting for it in real time.
        self.fault_clock: Callable[[], float] = time.monotonic

        self._origin: str | None = None
        self._prefix = ""
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._stopped = asyncio.Event()
        self._change_event = asyncio.Event()
        self._webhook_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        # These survive reset(): requests are live, and a bot that keeps polling across a reset
        # must not see update ids go backwards (its offset would swallow the new updates).
        self._in_flight: Counter[str] = Counter()
        self._update_ids = itertools.count(max(1, first_update_id))
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._poll_generation = 0
        self._init_state()

    def _init_state(self) -> None:
        self._version = 0
        self._calls: list[RecordedCall] = []
        self._chats: dict[int, ChatState] = {}
        self._users: dict[int, JSONDict] = {}
        self._pending: list[JSONDict] = []
        self._callbacks: dict[str, PendingCallback] = {}
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

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but return at once when the fake shuts down."""
        if self._closing or seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    def _register_user(self, user_id: int, **fields: Any) -> JSONDict:
        """Register (or update) a simulated user's profile (see ``FakeBotApi.user``).

        Args:
            user_id: Positive user id.
            **fields: Any of :data:`PROFILE_FIELDS`; ``language_code`` defaults to ``zh-hans``.

        Returns:
            The stored ``User`` object (live).
        """
        fields.setdefault("language_code", "zh-hans")
        profile: JSONDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": fields.get("first_name") or f"User {user_id}",
        }
        for key in PROFILE_FIELDS[1:]:
            if fields.get(key):
                profile[key] = fields[key]
        self._users[user_id] = profile
        chat = self._chats.get(user_id)
        if chat is not None and chat.info.get("type") == "private":
            chat.info.update(self._private_chat_info(profile))
        return profile

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
            self._chats[chat_id] = ChatState(info=info, known=True)
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

    def _ensure_user(self, user_id: int) -> JSONDict:
        if user_id not in self._users:
            self._register_user(user_id)
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

    def _user_chat(self, user_id: int, chat_id: int | None) -> ChatState:
        profile = self._ensure_user(user_id)
        target = user_id if chat_id is None else chat_id
        chat = self._chats.get(target)
        if chat is None:
            if target == user_id:
                chat = ChatState(info=self._private_chat_info(profile))
            elif target < 0:
                self.group(target)
                chat = self._chats[target]
            else:
                raise ValueError(f"user {user_id} cannot write in private chat {target}")
            self._chats[target] = chat
        chat.known = True
        return chat

    def _bot_chat(self, chat_id: Any) -> ChatState:
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
            chat = ChatState(info=self._private_chat_info(profile))
        else:
            is_super = cid <= -1000000000000
            chat = ChatState(
                info={
                    "id": cid,
                    "type": "supergroup" if is_super else "group",
                    "title": f"Group {cid}",
                }
            )
        self._chats[cid] = chat
        return chat

    def _new_message(
        self, chat: ChatState, *, from_bot: bool, sender: JSONDict, **fields: Any
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
        allowed = set(self._allowed_updates) or DEFAULT_UPDATE_TYPES
        if kind in allowed:
            self._pending.append({"update_id": update_id, **copy.deepcopy(body)})
        else:
            log.debug("update %s (%s) filtered out by allowed_updates", update_id, kind)
        self._bump()
        return update_id
