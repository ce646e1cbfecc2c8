"""Fair intake: different chats concurrently, each chat in order, each user rate-limited.

python-telegram-bot hands every update to an update processor
(``ApplicationBuilder.concurrent_updates``). :class:`PerChatUpdateProcessor`
runs updates of different chats side by side while each chat's updates run one
at a time in the order they arrived, so one citizen who sends 600 messages
does not hold anyone else's ``/which``, and a conversation never sees its
steps out of order. Waiting for a chat's turn happens *before* taking one of
the ``running`` slots, so a flood queued behind its own chat never fills the
slots other chats need. (PTB's own semaphore, taken before
``do_process_update``, is set so high that it never binds: it would count the
updates waiting for their chat as running.)

Each user also has a leaky bucket (``aiolimiter.AsyncLimiter``, the library
PTB's own ``AIORateLimiter`` uses): a burst of ``burst`` updates goes through
at once, then one every ``period / burst`` seconds. A throttled update is not
dropped — it waits its turn (the inbox keeps it durable meanwhile), so nothing a
citizen wrote is lost; the first throttled update of a burst calls ``on_throttled``
(the bot answers politely and tells the dispatcher desk once). Registered staff are
not limited (``exempt``, asked only when a user's bucket is full): an information
officer's critical warning must never queue behind their own earlier messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiolimiter import AsyncLimiter
from sqlalchemy import exc as sa_exc
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

#: Called with the first throttled update of a user's burst.
ThrottleListener = Callable[[Update], Awaitable[None]]
#: Whether a user is never slowed down (registered staff: an officer's critical warning
#: must not wait behind the officer's own earlier messages). Asked only when the user
#: would be throttled, once per user while their entry is kept.
ExemptCheck = Callable[[int], Awaitable[bool]]

DEFAULT_MAX_CONCURRENT = 16
DEFAULT_BURST = 10
DEFAULT_PERIOD = 10.0
#: PTB's semaphore bound: never reached (waiting updates are only small tasks).
_UNBOUNDED = 1 << 20
#: Idle per-chat/per-user entries are pruned once there are more than this many.
_PRUNE_AT = 512


def chat_key(update: object) -> int | None:
    """The chat whose updates must stay in order (None: no chat, no ordering)."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


def user_key(update: object) -> int | None:
    """The user the rate limit counts against (bots' own updates are not limited)."""
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


def is_transient(error: BaseException | None) -> bool:
    """Whether ``error`` is worth retrying the whole update for (database or network down,
    or Telegram's 429 ``RetryAfter``: the update is replayed after the wait it gave).

    Programming errors and Telegram's refusals (``BadRequest``) are not: a retry
    would fail the same way.
    """
    if error is None:
        return False
    if isinstance(error, RetryAfter):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        return (
            error.connection_invalidated
            or isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)
            or _connection_lost(error)
        )
    if isinstance(error, sa_exc.DisconnectionError | sa_exc.TimeoutError):
        return True
    if isinstance(error, NetworkError):
        return not isinstance(error, BadRequest)
    return isinstance(error, TimeoutError | ConnectionError)


#: asyncpg's errors of a server restarting or a connection lost, which SQLAlchemy wraps
#: as a plain ``DBAPIError`` or ``InternalError`` (seen restarting PostgreSQL mid-burst).
_LOST_CONNECTION_ERRORS = frozenset(
    {
        "AdminShutdownError",
        "CannotConnectNowError",
        "ConnectionDoesNotExistError",
        "ConnectionFailureError",
        "CrashShutdownError",
        "InternalClientError",
        "TooManyConnectionsError",
    }
)


def _connection_lost(error: BaseException) -> bool:
    """Whether a database error comes from a lost or refused connection (SQLSTATE 08, 57P)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if type(cause).__name__ in _LOST_CONNECTION_ERRORS:
            return True
        if isinstance(cause, ConnectionError):
            return True
        state = getattr(cause, "sqlstate", None)
        if isinstance(state, str) and state.startswith(("08", "57P")):
            return True
        orig = getattr(cause, "orig", None)
        cause = (
            cause.__cause__
            or cause.__context__
            or (orig if isinstance(orig, BaseException) else None)
        )
    return False


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


@dataclass
class _User:
    limiter: AsyncLimiter
    throttled: bool = False
    waiting: int = 0
    exempt: bool | None = None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in order within a chat, a leaky bucket per user."""

    def __init__(
        self,
        running: int = DEFAULT_MAX_CONCURRENT,
        *,
        burst: int = DEFAULT_BURST,
        period: float = DEFAULT_PERIOD,
        on_throttled: ThrottleListener | None = None,
        exempt: ExemptCheck | None = None,
    ) -> None:
        super().__init__(_UNBOUNDED)
        self.running = running
        self._slots = asyncio.Semaphore(running)
        self.burst = burst
        self.period = period
        self.on_throttled = on_throttled
        self.exempt = exempt
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, _User] = {}
        self._new_users = 0
        #: Updates that had to wait for the rate limit (for metrics and the bench).
        self.throttled_updates = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's turn and the user's bucket, then take a slot and run."""
        key = chat_key(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        chat = self._chats.setdefault(key, _Chat())
        chat.waiting += 1
        try:
            async with chat.lock:
                await self._rate_limit(update, more_queued=chat.waiting > 1)
                async with self._slots:
                    await coroutine
        finally:
            chat.waiting -= 1
            if chat.waiting == 0 and self._chats.get(key) is chat:
                del self._chats[key]

    async def _rate_limit(self, update: object, *, more_queued: bool = False) -> None:
        """Wait for the user's bucket; tell the user once per flood.

        A flood is over when the bucket has drained *and* nothing more of the chat is queued
        behind this update. Without the second condition a machine slow enough to handle one
        update in more than ``period`` would drain the bucket between two queued updates of
        the same flood and tell the citizen again and again (seen under load).
        """
        uid = user_key(update)
        if uid is None or self.burst <= 0:
            return
        user = self._users.get(uid)
        if user is None:
            self._new_users += 1
            if len(self._users) >= _PRUNE_AT and self._new_users >= _PRUNE_AT // 4:
                self._new_users = 0
                self._prune()
            user = self._users[uid] = _User(AsyncLimiter(self.burst, self.period))
        if user.limiter.has_capacity(self.burst) and not more_queued:
            user.throttled = False  # the bucket has drained and nothing waits: the flood is over
        if not user.limiter.has_capacity() and await self._is_exempt(uid, user):
            return
        if not user.limiter.has_capacity():
            self.throttled_updates += 1
            if not user.throttled:
                user.throttled = True
                await self._tell(update)
        user.waiting += 1
        try:
            await user.limiter.acquire()
        finally:
            user.waiting -= 1

    async def _is_exempt(self, uid: int, user: _User) -> bool:
        if self.exempt is None:
            return False
        if user.exempt is None:
            try:
                user.exempt = await self.exempt(uid)
            except Exception:  # cannot tell (database away): limit as usual
                log.warning("could not tell whether user %s is staff", uid, exc_info=True)
                return False
        return user.exempt

    async def _tell(self, update: object) -> None:
        if self.on_throttled is None or not isinstance(update, Update):
            return
        try:
            await self.on_throttled(update)
        except Exception:  # a notice must never stop the update itself
            log.warning("could not announce a throttled user", exc_info=True)

    def _prune(self) -> None:
        """Forget users whose bucket has drained completely and who wait for nothing."""
        for uid, user in list(self._users.items()):
            if user.waiting == 0 and user.limiter.has_capacity(self.burst):
                del self._users[uid]

    def tracked(self) -> tuple[int, int]:
        """(chats with updates waiting or running, users with a bucket) held in memory."""
        return len(self._chats), len(self._users)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
        with contextlib.suppress(Exception):
            self._users.clear()
