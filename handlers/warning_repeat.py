"""The answer to 「与您此前报送的预警相同或相近」 (trial 28 P4).

An officer who sends the same warning again (or one a word or a number apart) within
24 h, while the first is open, is asked by :func:`handlers.officer_filing.file_warning`
whether it is the same matter. 补充到原预警 adds the text (and photos) to the open
warning as a 补充说明, which its units are told of; 作为新预警提交 files it as it
stands. Either way nothing typed is lost; a critical warning is never asked about.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.services.lifecycle import CaseError
from handlers.base import App, BotContext, is_stale, reply
from handlers.officer_filing import REPEAT_KEY, file_warning, officer_of
from handlers.texts.warning_repeat import (
    FILED_AS_NEW,
    NOTHING_ASKED,
    REPEAT_ADD,
    REPEAT_NEW,
    added,
)
from handlers.warning_steps import warn_data

log = logging.getLogger(__name__)


async def _settle(update: Update, line: str) -> None:
    query = update.callback_query
    message = query.message if query is not None else None
    text = getattr(message, "text", None)
    if query is None or not text:
        return
    with contextlib.suppress(TelegramError):
        await query.edit_message_text(f"{text}\n\n{line}", reply_markup=None)


async def repeat_answered(update: Update, context: BotContext) -> None:
    """补充到原预警 or 作为新预警提交."""
    query = update.callback_query
    assert query is not None
    held: Any = warn_data(context).pop(REPEAT_KEY, None)
    if not isinstance(held, dict) or not isinstance(held.get("draft"), dict):
        await query.answer(NOTHING_ASKED, show_alert=True)
        await _settle(update, NOTHING_ASKED)
        return
    await query.answer()
    person = await officer_of(update, context)
    if person is None:
        return
    draft: dict[str, Any] = held["draft"]
    if query.data == REPEAT_ADD and not is_stale(context, held):
        try:
            await context.runtime.cases.add_reporter_note(
                person.id,
                int(held["case_id"]),
                str(draft["text"]),
                photos=[str(p) for p in draft.get("photos") or ()],
            )
        except CaseError as exc:  # the earlier one ended meanwhile: filed as new
            log.info("repeat of %s not added: %s", held.get("number"), exc.code)
            await reply(update, exc.message)
        else:
            # Settled into the earlier warning: the held proposal's timer goes.
            if isinstance(shown_at := draft.get("held_at"), str):
                await context.runtime.cases.release_unconfirmed(person.id, shown_at)
            await _settle(update, added(str(held["number"])))
            return
    await _settle(update, FILED_AS_NEW)
    await file_warning(
        update, context, person, draft, one_shot=bool(held.get("one_shot")), ask_repeat=False
    )


def register(application: App) -> None:
    """The question's two buttons."""
    pattern = rf"^({re.escape(REPEAT_ADD)}|{re.escape(REPEAT_NEW)})$"
    application.add_handler(CallbackQueryHandler(repeat_answered, pattern=pattern))
