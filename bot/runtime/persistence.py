"""python-telegram-bot persistence over the database (``bot_state`` table).

Conversation states, ``user_data``, ``chat_data`` and ``bot_data`` live in the
same database as cases, so a restart in the middle of a conversation resumes
it, and a second instance sees the same state. Values must be JSON-serialisable
(handlers keep drafts as plain dicts of strings and numbers).

PTB writes changes every ``update_interval`` seconds and on shutdown; a hard
kill loses at most that window of *conversation* state. Filed cases never
depend on it: they are written by the services in their own transactions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from copy import deepcopy
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.db import Database
from storage.state import delete_state, load_state, put_state

KIND_USER = "user_data"
KIND_CHAT = "chat_data"
KIND_BOT = "bot_data"
KIND_CONVERSATION = "conversation"
DEFAULT_UPDATE_INTERVAL = 1.0


def _key(conversation_key: ConversationKey) -> str:
    return json.dumps(list(conversation_key), separators=(",", ":"))


def _unkey(text: str) -> ConversationKey:
    return tuple(json.loads(text))


class DatabasePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    """A ``BasePersistence`` that stores everything in the ``bot_state`` table."""

    def __init__(self, db: Database, update_interval: float = DEFAULT_UPDATE_INTERVAL) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=True, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db

    async def _load_ids(self, kind: str) -> dict[int, dict[str, Any]]:
        async with self.db.session() as session:
            raw = await load_state(session, kind)
        return {int(k): dict(v) for k, v in raw.items() if isinstance(v, Mapping)}

    async def _put(self, kind: str, name: str, key: str, value: Any) -> None:
        async with self.db.session() as session:
            await put_state(session, kind, name, key, value)

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        """All users' data."""
        return await self._load_ids(KIND_USER)

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        """All chats' data."""
        return await self._load_ids(KIND_CHAT)

    async def get_bot_data(self) -> dict[str, Any]:
        """The bot-wide data."""
        async with self.db.session() as session:
            raw = await load_state(session, KIND_BOT)
        value = raw.get("bot")
        return dict(value) if isinstance(value, Mapping) else {}

    async def get_callback_data(self) -> CDCData | None:
        """Arbitrary callback data is not used (buttons carry signed short ids)."""
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        """The states of every conversation of handler ``name``."""
        async with self.db.session() as session:
            raw = await load_state(session, KIND_CONVERSATION, name)
        return {_unkey(k): v for k, v in raw.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store (or, for ``None``, forget) one conversation's state."""
        if new_state is None:
            async with self.db.session() as session:
                await delete_state(session, KIND_CONVERSATION, name, _key(key))
            return
        await self._put(KIND_CONVERSATION, name, _key(key), new_state)

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        """Store one user's data."""
        await self._put(KIND_USER, "", str(user_id), deepcopy(data))

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        """Store one chat's data."""
        await self._put(KIND_CHAT, "", str(chat_id), deepcopy(data))

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        """Store the bot-wide data."""
        await self._put(KIND_BOT, "", "bot", deepcopy(data))

    async def update_callback_data(self, data: CDCData) -> None:
        """Not used."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Forget one chat's data."""
        async with self.db.session() as session:
            await delete_state(session, KIND_CHAT, "", str(chat_id))

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one user's data."""
        async with self.db.session() as session:
            await delete_state(session, KIND_USER, "", str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Nothing to refresh: data is loaded at start and owned by this process."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """Nothing to refresh."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """Nothing to refresh."""

    async def flush(self) -> None:
        """Every update is already written; nothing is buffered here."""
