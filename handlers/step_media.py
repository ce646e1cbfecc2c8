"""Photos, contacts, locations and stickers sent at a request's where / contact step.

Before trial 31 #14 they fell through to the idle chat's answers (「请先用文字描述问题，点
「提交」后在“照片”一步发送」) and were dropped, though the problem was being filed. Now what
can be kept is kept for the draft and said so, what cannot is named as not taken, and the
step's question is asked again with its keyboard:

* a photo: kept with the draft (its caption as 照片说明 in the description);
* a contact at the where step: its phone kept as the contact (the contact step may be
  skipped); a location at the contact step: kept as the place;
* a sticker, voice, video, file …: not taken, said in one line (a voice message also
  gets the emergency numbers: someone who cannot type may be in danger).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Message, ReplyKeyboardMarkup, Update
from telegram.ext import MessageHandler, filters

from bot.services.cases import MAX_TEXT
from bot.services.notification_labels import MEDIA_LABELS
from handlers import texts
from handlers.base import PRIVATE, BotContext, reply
from handlers.request_steps import CONTACT, LOCATION, MAX_PHOTOS, Step, draft_of
from handlers.texts import step_media as sm


def _prompt(step: str) -> tuple[str, ReplyKeyboardMarkup]:
    if step == LOCATION:
        return texts.location_prompt(), texts.location_keyboard()
    return texts.contact_prompt(), texts.contact_keyboard()


def _kind(message: Message) -> str:
    """The kind of a non-text message (a key of ``MEDIA_LABELS``, or ``other``)."""
    for kind in MEDIA_LABELS:
        if getattr(message, kind, None):
            return kind
    return "other"


def _keep(draft: dict[str, Any], message: Message, step: str) -> str | None:
    """Keep what ``message`` brings for the draft; what the citizen is told, or ``None``."""
    if message.photo:
        photos = draft.setdefault("photos", [])
        if len(photos) >= MAX_PHOTOS:
            return texts.TOO_MANY_PHOTOS
        photos.append(message.photo[-1].file_id)
        caption = (message.caption or "").strip()
        if caption and len(draft["text"]) + len(caption) + 6 <= MAX_TEXT:
            draft["text"] = f"{draft['text']}\n照片说明：{caption}"
            return sm.photo_kept(len(photos), caption)
        return sm.photo_kept(len(photos), None)
    if message.contact is not None and step == LOCATION:
        contact = message.contact
        draft["contact_name"] = " ".join(x for x in (contact.first_name, contact.last_name) if x)
        draft["contact_phone"] = contact.phone_number[:32]
        return sm.CONTACT_KEPT
    if message.location is not None and step == CONTACT:
        draft["lat"] = message.location.latitude
        draft["lon"] = message.location.longitude
        return sm.LOCATION_KEPT
    return None


def at(step: str) -> Step:
    """The handler of any non-text message at ``step`` (LOCATION or CONTACT)."""

    async def handle(update: Update, context: BotContext) -> str | None:
        message = update.effective_message
        draft = draft_of(context)
        if message is None or draft is None:
            return None
        told = _keep(draft, message, step)
        if told is None:
            kind = _kind(message)
            told = sm.not_taken(MEDIA_LABELS.get(kind, "这条消息"), voice=kind == "voice")
        prompt, keyboard = _prompt(step)
        await reply(update, f"{told}\n\n{prompt}", keyboard)
        return step

    return handle


def handlers(step: str, wrap: Callable[[Step], Step]) -> list[MessageHandler[BotContext, Any]]:
    """The step's handler of every non-text message it has no own handler for."""
    return [MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.TEXT, wrap(at(step)))]
