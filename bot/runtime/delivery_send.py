"""Sending one claimed outbox row: the API call, then its outcome recorded.

:class:`DeliverySender` is the part of :class:`bot.runtime.delivery.DeliveryWorker`
that handles one row the worker has claimed: it waits for the worker's overall
pace, makes sure the row's lease still holds (else hands it back unsent), makes
the one API call (``sendMessage``, an ``editMessageText`` of a case card, the
photos, or a voice, video or file by its file_id), and hands Telegram's answer to
:class:`~bot.runtime.delivery_outcomes.DeliveryOutcomes`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)

from bot.runtime.delivery_media import send_media
from bot.runtime.delivery_outcomes import DeliveryOutcomes
from bot.runtime.delivery_support import (
    _EDIT_GONE,
    ReplyMarkup,
    _Delivered,
    _LeaseKeeper,
    _PermanentError,
    _RateLimiter,
    _seconds,
    _truncate,
    send_photos,
)
from storage import outbox
from storage.outbox import KIND_MEDIA, KIND_PHOTOS, ClaimedMessage
from storage.outbox_claim import KIND_EDIT

#: One logger for the whole worker, whichever module writes.
log = logging.getLogger("bot.runtime.delivery")


class DeliverySender(DeliveryOutcomes):
    """Sends one claimed row and records the outcome (mixin of the worker).

    The attributes are set by :class:`bot.runtime.delivery.DeliveryWorker`.
    """

    bot: Bot
    send_timeout: timedelta
    _limiter: _RateLimiter
    _sem: asyncio.Semaphore
    _leases: _LeaseKeeper

    def _hold_remaining(self) -> float:
        """Seconds the whole worker still pauses for a global flood wait (≤ 0: none)."""
        return self._hold_until - asyncio.get_running_loop().time()

    async def _process(self, m: ClaimedMessage) -> bool:
        """Send one claimed row and record the outcome.

        Returns:
            ``True`` if the row was put back for a retry.
        """
        try:
            async with self._sem:
                await self._limiter.acquire()
                hold = self._hold_remaining()
                if hold > 0 or not await self._leases.secure(m.id):
                    # Paused by a global flood wait, or the lease is lost or cannot be
                    # renewed (database down): hand the row back unsent.
                    self._leases.release(m.id)
                    when = self.clock.now() + timedelta(seconds=max(hold, 0.0))
                    async with self.db.session() as session:
                        await outbox.reschedule(
                            session,
                            m.id,
                            worker_id=self.worker_id,
                            next_attempt_at=when,
                            error=None,
                            count_attempt=False,
                        )
                    return True
                try:
                    try:
                        delivered = await asyncio.wait_for(
                            self._send(m), _seconds(self.send_timeout)
                        )
                    finally:
                        self._leases.release(m.id)
                except RetryAfter as exc:
                    await self._on_retry_after(m, exc)
                    return True
                except ChatMigrated as exc:
                    await self._on_migrated(m, exc.new_chat_id)
                    return True
                except Forbidden as exc:
                    await self._on_blocked(m, exc.message)
                    return False
                except (BadRequest, _PermanentError) as exc:
                    await self._on_permanent(m, str(exc))
                    return False
                except (TelegramError, TimeoutError) as exc:
                    # NetworkError, TimedOut, 5xx, and (misconfiguration) InvalidToken,
                    # Conflict...: never give up, back off.
                    await self._on_transient(m, f"{type(exc).__name__}: {exc}")
                    return True
                except Exception as exc:  # a bug or an unexpected library error
                    log.exception("outbox #%s: unexpected error while sending", m.id)
                    await self._on_transient(m, f"{type(exc).__name__}: {exc}")
                    return True
                await self._on_delivered(m, delivered)
                return False
        except Exception:
            # Recording the outcome failed (database down?): the lease will expire and
            # the row will be tried again.
            log.exception("outbox #%s: could not record the delivery outcome", m.id)
            return True

    def _markup(self, data: dict[str, Any] | None) -> ReplyMarkup | None:
        if not data:
            return None
        try:
            if "inline_keyboard" in data:
                return InlineKeyboardMarkup.de_json(data, self.bot)
            if "keyboard" in data:
                return ReplyKeyboardMarkup.de_json(data, self.bot)
            if "remove_keyboard" in data:
                return ReplyKeyboardRemove.de_json(data, self.bot)
            if "force_reply" in data:
                return ForceReply.de_json(data, self.bot)
        except (KeyError, TypeError, ValueError) as exc:
            raise _PermanentError(f"invalid reply_markup: {exc}") from exc
        raise _PermanentError("invalid reply_markup: unknown kind")

    async def _edit_notice(
        self, m: ClaimedMessage, text: str, markup: ReplyMarkup | None
    ) -> _Delivered:
        """Edit a notice already sent; one Telegram will not edit is left as it is."""
        if m.card_message_id is None:
            return _Delivered(None, edited=True, note="nothing to edit")
        inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
        try:
            await self.bot.edit_message_text(
                text=text, chat_id=m.chat_id, message_id=m.card_message_id, reply_markup=inline
            )
        except BadRequest as exc:
            log.info("outbox #%s: notice not edited (%s); left as it is", m.id, exc.message)
            return _Delivered(
                m.card_message_id, edited=True, note=f"not edited: {exc.message}"[:200]
            )
        return _Delivered(m.card_message_id, edited=True)

    async def _send(self, m: ClaimedMessage) -> _Delivered:
        if m.kind == KIND_PHOTOS:
            return await send_photos(self.bot, m)
        if m.kind == KIND_MEDIA:
            return await send_media(self.bot, m)
        # The row keeps the full text; Telegram takes at most MAX_TEXT characters.
        text = _truncate(m.text)
        markup = self._markup(m.reply_markup)
        if m.kind == KIND_EDIT:
            return await self._edit_notice(m, text, markup)
        if m.is_card and m.card_message_id is not None:
            inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
            try:
                await self.bot.edit_message_text(
                    text=text,
                    chat_id=m.chat_id,
                    message_id=m.card_message_id,
                    reply_markup=inline,
                )
                return _Delivered(m.card_message_id, edited=True)
            except BadRequest as exc:
                reason = exc.message.lower()
                if "not modified" in reason:
                    return _Delivered(m.card_message_id, edited=True, note="not modified")
                if not any(gone in reason for gone in _EDIT_GONE):
                    raise
                log.info("outbox #%s: card message gone (%s); sending a new one", m.id, reason)
        message = await self.bot.send_message(chat_id=m.chat_id, text=text, reply_markup=markup)
        return _Delivered(message.message_id, edited=False)
