"""A photo sent before the words (trial 29 P13): kept, never asked for again.

A citizen often sends the picture first and then writes what it shows. A photo
without a caption that no step waits for is kept: on the problem being filed (a
draft at its proposal, or at its place or contact step), or, with no draft, for the
next description, which is proposed with it attached (``EARLY`` in ``user_data``,
for :data:`TTL`). The photo step after 提交 then only adds more.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from handlers.base import BotContext, is_stale, reply, stamp, user_data
from handlers.request_steps import MAX_PHOTOS

#: ``user_data`` key of photos waiting for their description, and how long they wait.
EARLY = "early_photos"
TTL = timedelta(minutes=30)


def _photos_kept(n: int) -> str:
    return f"收到照片，已保存（{n}张）。请再用文字描述问题，照片会随问题一起提交。"


def _photos_added(n: int) -> str:
    return f"收到照片，已附在您刚才描述的问题上（共{n}张）。请点「提交」继续。"


def attached(n: int) -> str:
    """Said after the proposal of a description that took the photos sent before it."""
    return f"已附上您先发送的照片（{n}张），提交时一并登记。"


def _photos_in_steps(n: int) -> str:
    return f"收到照片，已附在正在填写的问题上（共{n}张）。请继续当前这一步。"


async def kept(update: Update, context: BotContext) -> bool:
    """Keep a photo sent with no caption outside the steps (True: kept and said)."""
    message = update.effective_message
    if message is None or not message.photo or message.caption:
        return False
    file_id = message.photo[-1].file_id
    data = user_data(context)
    draft = data.get("draft")
    if isinstance(draft, dict) and draft.get("text"):
        # At the proposal, or at the place / contact step after 提交: the draft's photo.
        photos = draft.setdefault("photos", [])
        if len(photos) < MAX_PHOTOS:
            photos.append(file_id)
        in_steps = "step" in draft
        await reply(
            update, _photos_in_steps(len(photos)) if in_steps else _photos_added(len(photos))
        )
        return True
    early = data.get(EARLY)
    fresh = isinstance(early, dict) and _fresh(context, early)
    photos = list(early.get("photos", [])) if isinstance(early, dict) and fresh else []
    if len(photos) < MAX_PHOTOS:
        photos.append(file_id)
    data[EARLY] = {"at": stamp(context), "photos": photos}
    await reply(update, _photos_kept(len(photos)))
    return True


def with_emergency(n: int) -> str:
    """Said after the emergency line when the photos sent before it went with the case."""
    return f"您先发送的照片（{n}张）已随紧急情况一并提交。"


def peek(context: BotContext) -> list[str]:
    """The photos kept for the next description, left in place (:func:`take` clears)."""
    early = user_data(context).get(EARLY)
    if not isinstance(early, dict) or not _fresh(context, early):
        return []
    return [str(p) for p in early.get("photos", []) if isinstance(p, str)]


def take(context: BotContext) -> list[str]:
    """The photos kept for the next description (gone once taken or too old)."""
    early = user_data(context).pop(EARLY, None)
    if not isinstance(early, dict) or not _fresh(context, early):
        return []
    return [str(p) for p in early.get("photos", []) if isinstance(p, str)]


def _fresh(context: BotContext, item: dict[str, object]) -> bool:
    return isinstance(item.get("at"), str) and not is_stale(context, item, TTL)
