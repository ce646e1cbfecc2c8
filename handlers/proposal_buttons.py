"""The proposal's own buttons: 提交 (or 交由工作人员分派) and 只是咨询.

Moved out of :mod:`handlers.citizen` (review 3 P9); no change of behaviour.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from handlers import texts
from handlers.base import BotContext, say, user_data
from handlers.draft_cancel import CRITICAL_KEPT, draft_level
from handlers.office_choice import current_draft
from handlers.request_steps import LOCATION


async def just_asking(update: Update, context: BotContext) -> str | int | None:
    """只是咨询: nothing is filed, except for a draft 放弃草稿 would file all the same
    (the same level check, :func:`handlers.draft_cancel.draft_level`, review 4 F2)."""
    query = update.callback_query
    assert query is not None
    draft = await current_draft(update, context)
    if draft is None:
        return None
    level, _ = draft_level(context, draft)
    if level == "critical":
        from handlers.request_steps import file_draft

        await query.answer()
        await query.edit_message_reply_markup(None)
        await say(update, CRITICAL_KEPT)
        return await file_draft(update, context)
    user_data(context).pop("draft", None)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, texts.JUST_ASKING)
    return ConversationHandler.END


async def submit(update: Update, context: BotContext) -> str | None:
    """提交 (or 交由工作人员分派): on to the optional steps."""
    query = update.callback_query
    assert query is not None
    draft = await current_draft(update, context)
    if draft is None:
        return None
    if (query.data or "").startswith(texts.DESK + ":"):
        draft["room"] = None
        draft["bureau"] = None
        draft["desk"] = True  # the desk even where the classifier is sure (trial 33b E10)
    await query.answer()
    await query.edit_message_reply_markup(None)
    draft["step"] = LOCATION
    await say(update, texts.location_prompt(), texts.location_keyboard())
    return LOCATION
