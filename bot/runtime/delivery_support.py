"""The delivery worker's small parts: counters, backlog, rate limiter, leases, labels."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
import warnings
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any, TypeVar

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import (
    BadRequest,
    RetryAfter,
)

from bot.runtime.inbox_owner import pid_gone
from bot.runtime.metrics import GaugeSample
from bot.services.clock import Clock, SystemClock
from storage import outbox
from storage.db import Database
from storage.enums import Role
from storage.outbox import MAX_PHOTOS_PER_ROW, Backlog, ClaimedMessage

log = logging.getLogger("bot.runtime.delivery")
T = TypeVar("T")

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply

#: Telegram's limit on a message's text.
MAX_TEXT = 4096
#: Telegram's limit on a photo's caption.
MAX_CAPTION = 1024

#: Roles of a unit's members who are told when a recipient cannot be reached.
NOTIFY_ROLES = (Role.CHIEF.value, Role.STAFF.value)

_ROLE_LABELS = {
    Role.CITIZEN.value: "群众",
    Role.OFFICER.value: "信息员",
    Role.STAFF.value: "工作人员",
    Role.CHIEF.value: "负责人",
    Role.ADMIN.value: "管理员",
}

_EDIT_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


@dataclass
class DeliveryStats:
    """Counters for metrics (monotonic, per worker).

    Attributes:
        sent: New messages Telegram accepted.
        edited: Cards edited in place (including "not modified").
        retried: Transient errors (network, timeout, 5xx) that will be retried.
        rate_limited: 429 answers (``RetryAfter``).
        failed: Rows given up for a permanent error (bad request).
        blocked: Rows failed because the recipient blocked the bot (or left).
        superseded: Card rows replaced by a newer card before being shown.
        notices: Messages written to a unit because a recipient was unreachable.
        lease_lost: Deliveries whose lease another worker had already taken over.
    """

    sent: int = 0
    edited: int = 0
    retried: int = 0
    rate_limited: int = 0
    failed: int = 0
    blocked: int = 0
    superseded: int = 0
    notices: int = 0
    lease_lost: int = 0

    def samples(self) -> list[GaugeSample]:
        """These counters as Prometheus samples (for ``/metrics``)."""
        results = ("sent", "edited", "superseded", "failed", "blocked", "notices")
        out = [
            GaugeSample(
                "minqing_deliveries_total",
                "Outbox rows handled by this process's delivery worker, by result",
                float(getattr(self, r)),
                ("result",),
                (r,),
                kind="counter",
            )
            for r in results
        ]
        out += [
            GaugeSample(
                "minqing_delivery_retries_total",
                "Deliveries to be retried, by cause",
                float(n),
                ("cause",),
                (cause,),
                kind="counter",
            )
            for cause, n in (("transient", self.retried), ("rate_limited", self.rate_limited))
        ]
        return out

    def as_dict(self) -> dict[str, int]:
        """The counters by name."""
        return asdict(self)


async def backlog(db: Database, clock: Clock | None = None) -> Backlog:
    """Undelivered outbox rows and the age of the oldest (for /metrics and health).

    Args:
        db: The database.
        clock: Time source (default: the system clock).

    Returns:
        The backlog.
    """
    now = (clock or SystemClock()).now()
    async with db.session() as session:
        return await outbox.backlog(session, now)


@dataclass(frozen=True, slots=True)
class _Delivered:
    message_id: int | None
    edited: bool
    note: str | None = None


class _PermanentError(Exception):
    """A row that can never be delivered as written (e.g. invalid markup)."""


#: Delivery note of a photo row whose web addresses Telegram could not fetch.
PHOTO_LINKS_NOTE = "photo links sent as text"


def _is_url(photo: str) -> bool:
    return photo.startswith(("https://", "http://"))


async def send_photos(bot: Bot, m: ClaimedMessage) -> _Delivered:
    """Send a ``photos`` row: one ``sendPhoto``, or one ``sendMediaGroup`` for 2-10.

    The caption (the row's text, the case number) goes on the first photo. A media
    group is one request that Telegram accepts or refuses as a whole, so the row is
    delivered, retried or failed like any other. Photos given as web addresses
    (Open311's ``media_url``) that Telegram refuses to fetch are not a failure: the
    Telegram photos of the row are sent alone and the addresses follow as a text
    message with the caption, so the chief can still open them.

    Raises:
        _PermanentError: The row carries no photo.
    """
    raw = (m.reply_markup or {}).get("photos")
    photos = [str(p) for p in raw if p] if isinstance(raw, list) else []
    if not photos:
        raise _PermanentError("photo row without photos")
    photos = photos[:MAX_PHOTOS_PER_ROW]
    caption = _truncate(m.text, MAX_CAPTION) or None
    try:
        return await _send_album(bot, m.chat_id, photos, caption)
    except BadRequest:
        links = [p for p in photos if _is_url(p)]
        if not links:
            raise
        log.info("photo row %s: Telegram could not fetch its links; sent as text", m.id)
    first: int | None = None
    rest = [p for p in photos if not _is_url(p)]
    if rest:
        first = (await _send_album(bot, m.chat_id, rest, caption)).message_id
    text = "\n".join([m.text or "", "照片链接（无法在 Telegram 中直接显示，请点击查看）：", *links])
    message = await bot.send_message(chat_id=m.chat_id, text=_truncate(text, MAX_TEXT))
    return _Delivered(first or message.message_id, edited=False, note=PHOTO_LINKS_NOTE)


async def _send_album(bot: Bot, chat_id: int, photos: list[str], caption: str | None) -> _Delivered:
    """One ``sendPhoto`` for one photo, one ``sendMediaGroup`` for 2-10."""
    if len(photos) == 1:
        message = await bot.send_photo(chat_id=chat_id, photo=photos[0], caption=caption)
        return _Delivered(message.message_id, edited=False)
    media = [
        InputMediaPhoto(media=p, caption=caption if i == 0 else None) for i, p in enumerate(photos)
    ]
    messages = await bot.send_media_group(chat_id=chat_id, media=media)
    return _Delivered(messages[0].message_id if messages else None, edited=False)


class _RateLimiter:
    """Spaces calls ``1/rate`` seconds apart (a leaky bucket without bursts)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        if self._interval <= 0:
            return
        async with self._lock:
            loop = asyncio.get_running_loop()
            now = loop.time()
            wait = self._next - now
            self._next = max(now, self._next) + self._interval
        if wait > 0:
            await asyncio.sleep(wait)


class _LeaseKeeper:
    """Keeps the leases of the rows a worker holds until their request has been answered.

    A request may take longer than the lease (a slow network, a busy machine): rather
    than give up on it and send the row again while the first request may still be
    executed, the worker renews the leases of its rows every third of the lease until
    each request has returned. So another worker never takes over a row whose request
    is in flight, and a row is sent again only after its request has failed or timed
    out (``send_timeout``).

    Args:
        db: The database.
        clock: Time source for ``lease_until``.
        worker_id: The lease owner.
        lease: How long a claim or a renewal lasts.
    """

    def __init__(self, db: Database, clock: Clock, worker_id: str, lease: timedelta) -> None:
        self.db = db
        self.clock = clock
        self.worker_id = worker_id
        self.lease = lease
        self.beat = max(_seconds(lease) / 3, 0.005)
        self._deadlines: dict[int, float] = {}  # row -> loop time its lease ends, as known

    def hold(self, ids: list[int], since: float) -> None:
        """Rows just claimed; ``since`` is the loop time taken *before* the claim."""
        for i in ids:
            self._deadlines[i] = since + _seconds(self.lease)

    def left(self, row_id: int) -> float:
        """Seconds of lease left on a held row (as far as this worker knows)."""
        return self._deadlines.get(row_id, 0.0) - asyncio.get_running_loop().time()

    def release(self, row_id: int) -> None:
        """The row's request returned (or was never sent): stop renewing it."""
        self._deadlines.pop(row_id, None)

    async def renew(self, only: int | None = None) -> int:
        """Extend the lease of every held row, or of ``only`` (never raises).

        Returns:
            Rows renewed (a row another worker has taken over is not).
        """
        ids = list(self._deadlines) if only is None else [only]
        if not ids:
            return 0
        started = asyncio.get_running_loop().time()
        try:
            async with self.db.session() as session:
                renewed = await outbox.renew(
                    session, ids, worker_id=self.worker_id, until=self.clock.now() + self.lease
                )
        except Exception as exc:
            log.warning("outbox: could not renew %d leases (%s)", len(ids), type(exc).__name__)
            return 0
        for i in ids:
            if i in self._deadlines:
                self._deadlines[i] = started + _seconds(self.lease)
        return renewed

    async def secure(self, row_id: int) -> bool:
        """Whether the row may be sent now: its lease lasts, or has just been renewed.

        A claim that took long on a busy machine leaves little of the lease; the row
        is still this worker's unless another has taken it over, so it is renewed
        rather than handed back.
        """
        if self.left(row_id) > self.beat:
            return True
        return await self.renew(only=row_id) == 1

    async def during(self, work: asyncio.Future[T]) -> T:
        """Await ``work``, renewing the held leases every third of the lease meanwhile."""
        try:
            while True:
                done, _ = await asyncio.wait({work}, timeout=self.beat)
                if done:
                    return work.result()
                await self.renew()
        except asyncio.CancelledError:
            work.cancel()
            raise


def _default_worker_id() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _process_gone(worker_id: str) -> bool:
    """Whether the process of ``host:pid:random`` (on this host) no longer exists."""
    parts = worker_id.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) == os.getpid():
        return False
    return pid_gone(int(parts[1]))


def _seconds(value: timedelta | float) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _retry_after_seconds(exc: RetryAfter) -> float:
    raw = getattr(exc, "_retry_after", None)
    if isinstance(raw, timedelta):
        return max(raw.total_seconds(), 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    return max(_seconds(value), 0.0)


def _truncate(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to Telegram's limit, counted in UTF-16 units as Telegram counts."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    marker = "…（已截断）"
    budget, units = limit - len(marker), 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            return text[:i] + marker
    return text
