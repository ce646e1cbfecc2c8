"""Telegram's 429 (``RetryAfter``) while the bot handles an update (trial 28 P1).

PTB's :class:`~telegram.ext.AIORateLimiter` paces every Bot API call; with its
default ``max_retries=0`` a 429 is raised at once (``Rate limit hit after maximum
of 0 retries``). For a reply sent while an update is being handled,
:class:`ReplyRateLimiter` waits out a short 429 in place (at most
:data:`REPLY_RETRIES` times, each wait at most :data:`MAX_INLINE_WAIT`), so the
person gets the answer once and a little late. A longer wait, or a 429 that comes
back, is raised: the update is then handed back to the inbox and replayed once the
wait Telegram gave has passed (:func:`bot.runtime.fair_intake.is_transient`,
:meth:`bot.runtime.inbox.UpdateInbox.failed`). Calls made outside update handling
(the delivery worker, which reschedules its rows itself) keep PTB's behaviour.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

__all__ = [
    "MAX_INLINE_WAIT",
    "REPLY_RETRIES",
    "ReplyRateLimiter",
    "handling_update",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)

#: Times a reply is sent again after a 429 before the update is handed back.
REPLY_RETRIES = 2
#: The longest 429 wait sat out in place (longer: the update is replayed later).
MAX_INLINE_WAIT = 5.0

_handling: ContextVar[bool] = ContextVar("minqing_handling_update", default=False)


@contextmanager
def handling_update() -> Iterator[None]:
    """Mark the code run inside as handling an update (its replies wait out short 429s)."""
    token = _handling.set(True)
    try:
        yield
    finally:
        _handling.reset(token)


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait a 429 asked for, in seconds (PTB 22 keeps it as a ``timedelta``)."""
    raw = getattr(error, "_retry_after", None)
    if isinstance(raw, timedelta):
        return max(raw.total_seconds(), 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: Any = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(seconds, 0.0)


class ReplyRateLimiter(AIORateLimiter):
    """PTB's limiter; replies sent while handling an update wait out a short 429 in place."""

    def __init__(
        self,
        *,
        reply_retries: int = REPLY_RETRIES,
        max_inline_wait: float = MAX_INLINE_WAIT,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.reply_retries = reply_retries
        self.max_inline_wait = max_inline_wait

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        retries = self.reply_retries if _handling.get() else 0
        attempt = 0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if attempt >= retries or wait > self.max_inline_wait:
                    raise
                attempt += 1
                log.info("%s: 429, sent again in %.1f s (try %s)", endpoint, wait, attempt + 1)
                await asyncio.sleep(wait + 0.1)
