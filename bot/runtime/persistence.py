"""Conversation state and ``user_data`` in the database (``bot_state`` table), read per user.

Conversation states and ``user_data`` (the handlers' drafts) live in the same
database as cases, so a restart in the middle of a conversation resumes it, and
a second instance sees the same state. Values must be JSON-serialisable.

Why not a plain python-telegram-bot ``BasePersistence``: its interface loads
*every* user's data and *every* conversation at start (``get_user_data``,
``get_conversations``), writes each touched user's and chat's data — an empty
``chat_data`` too — in a transaction of its own on a timer, and offers no hook
to read one conversation's state before ``ConversationHandler.check_update``
looks at it. At 10,000 citizens that is memory and start time that grow with
the number of citizens and several write transactions per update.

So this class keeps PTB's interface only as the *collector* of changes:

* at start nothing is loaded (the getters return empty mappings);
* before an update is handled, :meth:`prefetch` reads the state of the one
  user (and the conversation keys) that update concerns, in one query, and
  puts it where PTB looks for it;
* PTB's ``update_persistence`` calls ``update_*``; values equal to what is
  known to be stored are dropped, the rest are kept as pending writes, and
  :meth:`take_pending` hands them to the inbox, which writes them in the same
  transaction that marks the update handled (:meth:`bot.runtime.inbox.UpdateInbox.done`);
* ``chat_data`` and ``bot_data`` are not used by the handlers and not stored.

Filed cases never depend on this state: the services write them in their own
transactions.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from copy import deepcopy
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.db import Database
from storage.state import StateWrite, apply_writes, load_keys

KIND_USER = "user_data"
KIND_CONVERSATION = "conversation"
#: PTB's own timer only collects changes for the next update's write; rarely needed.
DEFAULT_UPDATE_INTERVAL = 60.0

#: (kind, name, key) of one stored value.
Slot = tuple[str, str, str]


def conversation_key(key: ConversationKey) -> str:
    """The stored form of a conversation key."""
    return json.dumps(list(key), separators=(",", ":"))


def _unkey(text: str) -> ConversationKey:
    return tuple(json.loads(text))


class DatabasePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    """Per-user state in ``bot_state``: read for the update's user, written with its inbox row."""

    def __init__(self, db: Database, update_interval: float = DEFAULT_UPDATE_INTERVAL) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        #: What is known to be stored (None: nothing), for the slots read or written here.
        self._known: dict[Slot, Any] = {}
        #: Changes not yet written.
        self._pending: dict[Slot, Any] = {}
        #: Changes handed out by :meth:`take_pending` whose transaction has not committed yet.
        self._unwritten: Counter[Slot] = Counter()
        #: user_data read by :meth:`prefetch`, waiting for ``refresh_user_data``.
        self._fresh_users: dict[int, dict[str, Any]] = {}

    # --- reading, per update ---------------------------------------------------------

    async def prefetch(
        self, user_id: int | None, conversations: Mapping[str, ConversationKey]
    ) -> dict[str, Any]:
        """Read the state of one user and of their conversation keys not read before.

        Args:
            user_id: The update's user (None: no user data to read).
            conversations: Conversation name → this update's key in it.

        Returns:
            Conversation name → stored state, for the states found.
        """
        wanted: dict[str, set[str]] = {KIND_USER: set(), KIND_CONVERSATION: set()}
        if user_id is not None and (KIND_USER, "", str(user_id)) not in self._known:
            wanted[KIND_USER].add(str(user_id))
        asked: list[Slot] = []
        for name, key in conversations.items():
            slot = (KIND_CONVERSATION, name, conversation_key(key))
            if slot not in self._known:
                wanted[KIND_CONVERSATION].add(slot[2])
                asked.append(slot)
        if not wanted[KIND_USER] and not asked:
            return {}
        async with self.db.hot(write=False) as conn:
            rows = await load_keys(conn, wanted)
        found: dict[Slot, Any] = {(kind, name, key): value for kind, name, key, value in rows}
        states: dict[str, Any] = {}
        for slot in asked:
            value = found.get(slot)
            self._known[slot] = value
            if value is not None:
                states[slot[1]] = value
        if wanted[KIND_USER]:
            assert user_id is not None
            value = found.get((KIND_USER, "", str(user_id)))
            self._known[(KIND_USER, "", str(user_id))] = deepcopy(value)
            if isinstance(value, Mapping) and value:
                self._fresh_users[user_id] = dict(value)
        return states

    def forget(self, user_id: int | None, conversations: Mapping[str, ConversationKey]) -> None:
        """Drop what is cached about an idle user (nothing pending, nothing active)."""
        if user_id is not None:
            slot = (KIND_USER, "", str(user_id))
            if slot not in self._pending and slot not in self._unwritten:
                self._known.pop(slot, None)
            self._fresh_users.pop(user_id, None)
        for name, key in conversations.items():
            slot = (KIND_CONVERSATION, name, conversation_key(key))
            if slot not in self._pending and slot not in self._unwritten:
                self._known.pop(slot, None)

    def has_pending(self, user_id: int, conversations: Mapping[str, ConversationKey]) -> bool:
        """Whether a change of this user's state is not yet written (or not yet committed)."""
        slots = [(KIND_USER, "", str(user_id))]
        slots += [(KIND_CONVERSATION, n, conversation_key(k)) for n, k in conversations.items()]
        return any(slot in self._pending or slot in self._unwritten for slot in slots)

    def cached_slots(self) -> int:
        """How many stored values this process remembers (memory must not grow with citizens)."""
        return len(self._known)

    # --- writing -----------------------------------------------------------------

    def _change(self, slot: Slot, value: Any) -> None:
        if slot in self._known and self._known[slot] == value:
            self._pending.pop(slot, None)  # back to what is stored
            return
        self._pending[slot] = value

    def take_pending(self) -> list[StateWrite]:
        """The changes to write now (the caller writes them; they count as stored)."""
        writes = [(k, n, key, v) for (k, n, key), v in self._pending.items()]
        for slot, value in self._pending.items():
            self._known[slot] = value
            self._unwritten[slot] += 1
        self._pending.clear()
        return writes

    def written(self, writes: Iterable[StateWrite]) -> None:
        """The transaction carrying ``writes`` (from :meth:`take_pending`) committed."""
        for kind, name, key, _ in writes:
            self._unmark((kind, name, key))

    def _unmark(self, slot: Slot) -> None:
        self._unwritten[slot] -= 1
        if self._unwritten[slot] <= 0:
            del self._unwritten[slot]

    def give_back(self, writes: Iterable[StateWrite]) -> None:
        """Writes that failed: keep them pending (unless a newer change came meanwhile)."""
        for kind, name, key, value in writes:
            slot = (kind, name, key)
            self._unmark(slot)
            self._known.pop(slot, None)
            self._pending.setdefault(slot, value)

    async def flush(self) -> None:
        """Write whatever is pending (at shutdown)."""
        writes = self.take_pending()
        if writes:
            async with self.db.hot() as conn:
                await apply_writes(conn, writes)
            self.written(writes)

    # --- python-telegram-bot's interface ------------------------------------------

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        """Nothing at start: each user's data is read with their first update."""
        return {}

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        """Not stored."""
        return {}

    async def get_bot_data(self) -> dict[str, Any]:
        """Not stored."""
        return {}

    async def get_callback_data(self) -> CDCData | None:
        """Arbitrary callback data is not used (buttons carry signed short ids)."""
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        """Nothing at start: a conversation's state is read with its user's update."""
        return {}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Keep one conversation's new state (``None``: ended) for the next write."""
        self._change((KIND_CONVERSATION, name, conversation_key(key)), new_state)

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        """Keep one user's data for the next write (empty data is stored as nothing).

        Empty data of a user not read here (evicted, or never seen) is not a change.
        """
        slot = (KIND_USER, "", str(user_id))
        if not data and slot not in self._known:
            return
        self._change(slot, deepcopy(data) if data else None)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        """Not stored."""

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        """Not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Not used."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one user's data."""
        self._pending[(KIND_USER, "", str(user_id))] = None

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Fill a user's data with what :meth:`prefetch` read for them."""
        fresh = self._fresh_users.pop(user_id, None)
        if fresh:
            for key, value in fresh.items():
                user_data.setdefault(key, value)

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """Not stored."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """Not stored."""


def stored_conversations(raw: Mapping[str, Any]) -> ConversationDict:
    """Decode stored conversation keys (for tools reading ``bot_state`` directly)."""
    return {_unkey(k): v for k, v in raw.items()}
