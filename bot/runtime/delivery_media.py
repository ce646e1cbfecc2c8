"""Sending a ``media`` outbox row: what a reporter sent, passed on by its file_id.

A voice is sent with ``sendVoice``, a video with ``sendVideo``, a file with
``sendDocument`` (and a video note, an audio, an animation or a sticker with their own
method), so the station hears and sees it in the chat rather than reading a file
reference (trial 27 N18). The row's text is the caption (a video note and a sticker
take none). Errors are those of any send: a 429, a network error or a blocked chat
propagate to :class:`bot.runtime.delivery_send.DeliverySender`, which retries or gives
up as for any row. Only a file Telegram refuses to send (``400``: a file_id it does not
know any more, or of another kind) is not lost: its reference goes as a text message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, Message
from telegram.error import BadRequest

from bot.runtime.delivery_support import (
    MAX_CAPTION,
    MAX_TEXT,
    _Delivered,
    _PermanentError,
    _truncate,
)
from bot.services.notification_labels import MEDIA_LABELS
from storage.outbox import ClaimedMessage

log = logging.getLogger("bot.runtime.delivery")

#: Delivery note of a media row whose file Telegram refused: its reference went as text.
MEDIA_REFERENCE_NOTE = "media sent as a file reference"
#: Kinds whose send takes no caption.
_NO_CAPTION = frozenset({"video_note", "sticker"})


def _sender(bot: Bot, kind: str) -> Callable[..., Awaitable[Message]] | None:
    senders: dict[str, Callable[..., Awaitable[Message]]] = {
        "voice": lambda chat_id, file_id, **kw: bot.send_voice(chat_id, voice=file_id, **kw),
        "video": lambda chat_id, file_id, **kw: bot.send_video(chat_id, video=file_id, **kw),
        "video_note": lambda chat_id, file_id, **kw: bot.send_video_note(
            chat_id, video_note=file_id, **kw
        ),
        "audio": lambda chat_id, file_id, **kw: bot.send_audio(chat_id, audio=file_id, **kw),
        "animation": lambda chat_id, file_id, **kw: bot.send_animation(
            chat_id, animation=file_id, **kw
        ),
        "sticker": lambda chat_id, file_id, **kw: bot.send_sticker(chat_id, sticker=file_id, **kw),
        "document": lambda chat_id, file_id, **kw: bot.send_document(
            chat_id, document=file_id, **kw
        ),
    }
    return senders.get(kind)


async def send_media(bot: Bot, m: ClaimedMessage) -> _Delivered:
    """Send a ``media`` row (see the module's docstring).

    Raises:
        _PermanentError: The row names no file or a kind that cannot be sent.
    """
    raw: Any = (m.reply_markup or {}).get("media")
    kind = str(raw.get("type") or "") if isinstance(raw, dict) else ""
    file_id = str(raw.get("file_id") or "") if isinstance(raw, dict) else ""
    send = _sender(bot, kind)
    if send is None or not file_id:
        raise _PermanentError("media row without a file")
    caption = None if kind in _NO_CAPTION else (_truncate(m.text, MAX_CAPTION) or None)
    extra = {"caption": caption} if caption else {}
    try:
        message = await send(m.chat_id, file_id, **extra)
    except BadRequest as exc:
        log.info("media row %s: Telegram refused the file (%s); sent as text", m.id, exc.message)
        label = MEDIA_LABELS.get(kind, "文件")
        text = "\n".join(
            [m.text or "", f"【{label}】无法在 Telegram 中直接转发，文件编号：{file_id}"]
        ).strip()
        fallback = await bot.send_message(chat_id=m.chat_id, text=_truncate(text, MAX_TEXT))
        return _Delivered(fallback.message_id, edited=False, note=MEDIA_REFERENCE_NOTE)
    return _Delivered(message.message_id, edited=False)
