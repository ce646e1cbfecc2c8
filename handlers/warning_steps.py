"""A warning's optional steps after 确认: place, head count and photos.

The warning is already filed and sent (:mod:`handlers.officer`); each answer
amends it through :meth:`bot.services.cases.CaseService.add_warning_details`.
Each photo is kept on the warning (and sent to whoever holds its card) the
moment it arrives, so an abandoned step or a restart loses nothing the officer
sent, also a photo sent early at the place or head-count step; 完成 at any step
ends the conversation (it is never taken as the place).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.services.cases import CaseView
from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import BotContext, mark_saved, message_text, reply, who
from nlp.counts import head_count_answer

log = logging.getLogger(__name__)

W_PLACE = "w_place"
W_COUNT = "w_count"
W_PHOTOS = "w_photos"

MAX_PHOTOS = 10


def warn_data(context: BotContext) -> dict[str, Any]:
    """The officer's ``user_data`` (the warning lives under ``"warn"``)."""
    if context.user_data is None:  # pragma: no cover - private chats always have a user
        raise RuntimeError("no user_data")
    return context.user_data


def warn_draft(context: BotContext) -> dict[str, Any] | None:
    """The warning being written (or, after 确认, the filed one's id and number)."""
    draft = warn_data(context).get("warn")
    return draft if isinstance(draft, dict) else None


async def place_location(update: Update, context: BotContext) -> str | None:
    """The place as a shared location."""
    message = update.effective_message
    draft = warn_draft(context)
    if message is None or message.location is None or draft is None:
        return None
    loc = message.location
    await amend(update, context, draft, location=(loc.latitude, loc.longitude))
    await reply(update, texts.head_count_prompt(), texts.skip_keyboard())
    return W_COUNT


async def place_text(update: Update, context: BotContext) -> str | int | None:
    """The place typed, or 跳过 (完成 ends the steps: it is not a place)."""
    text = message_text(update).strip()
    draft = warn_draft(context)
    if draft is None:
        return None
    if texts.is_done(text):
        return await _finish(update, context)
    if not texts.is_skip(text):
        await amend(update, context, draft, place=text[:500])
    await reply(update, texts.head_count_prompt(), texts.skip_keyboard())
    return W_COUNT


async def count_text(update: Update, context: BotContext) -> str | int | None:
    """The number of people, or 跳过 (完成 ends the steps)."""
    text = message_text(update).strip()
    draft = warn_draft(context)
    if draft is None:
        return None
    if texts.is_done(text):
        return await _finish(update, context)
    if not texts.is_skip(text):
        count = head_count_answer(text)
        if count is None:
            await reply(update, texts.BAD_HEAD_COUNT)
            return W_COUNT
        await amend(update, context, draft, head_count=count)
    await reply(update, texts.photos_prompt(), texts.photos_keyboard())
    return W_PHOTOS


async def photo_added(update: Update, context: BotContext) -> str | None:
    """A photo of the scene: kept on the filed warning at once."""
    if warn_draft(context) is None:
        return None
    count = await keep_photo(update, context)
    if count is not None:
        await reply(update, texts.photo_received(count))
    return W_PHOTOS


def early_photo(state: str) -> Callable[[Update, BotContext], Coroutine[Any, Any, str | None]]:
    """A photo sent before its step (at the place or the head count: officers in a hurry
    send the picture first): kept on the warning at once, and the step asked again."""

    async def early(update: Update, context: BotContext) -> str | None:
        if warn_draft(context) is None:
            return None
        count = await keep_photo(update, context)
        if count is not None:
            await reply(update, texts.photo_kept_early(count, _STEP_AGAIN[state]))
        return state

    return early


#: What the step still asks after an early photo.
_STEP_AGAIN = {W_PLACE: "发生地点", W_COUNT: "涉及人数"}


async def keep_photo(update: Update, context: BotContext) -> int | None:
    """Put the message's photo on the filed warning: the photos it has (None: refused)."""
    message = update.effective_message
    draft = warn_draft(context)
    if message is None or not message.photo or draft is None:
        return None
    kept = int(draft.get("photo_count") or 0)
    if kept >= MAX_PHOTOS:
        await reply(update, texts.TOO_MANY_PHOTOS)
        return None
    view = await amend(update, context, draft, photo_file_ids=[message.photo[-1].file_id])
    if view is None:
        return None
    draft["photo_count"] = view.photo_count
    return view.photo_count


async def photos_text(update: Update, context: BotContext) -> str | int | None:
    """完成 / 跳过 ends the steps (every photo is already on the warning)."""
    text = message_text(update)
    if not (texts.is_done(text) or texts.is_skip(text)):
        await reply(update, texts.PHOTOS_EXPECTED)
        return W_PHOTOS
    return await _finish(update, context)


async def _finish(update: Update, context: BotContext) -> int:
    """The steps are over (the warning was filed before them)."""
    warn_data(context).pop("warn", None)
    await reply(update, texts.WARNING_DETAILS_DONE, texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def amend(
    update: Update,
    context: BotContext,
    draft: dict[str, Any],
    *,
    place: str | None = None,
    head_count: int | None = None,
    photo_file_ids: list[str] | None = None,
    location: tuple[float, float] | None = None,
) -> CaseView | None:
    """Add what the officer just gave to the warning filed at 确认 (None if refused)."""
    case_id = draft.get("case_id")
    person = await who(update, context)
    if not isinstance(case_id, int) or person is None:
        return None
    try:
        view = await context.runtime.cases.add_warning_details(
            person.id,
            case_id,
            place=place,
            head_count=head_count,
            photo_file_ids=tuple(photo_file_ids or ()),
            location=location,
        )
    except CaseError as exc:
        log.info("details for warning %s refused: %s", case_id, exc.code)
        await reply(update, exc.message)
        return None
    mark_saved(update, context, f"预警编号 {view.number}")
    return view
