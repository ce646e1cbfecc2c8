"""The proposal's own buttons: 提交 (or 交由工作人员分派) and 只是咨询.

Moved out of :mod:`handlers.citizen` (review 3 P9); no change of behaviour.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from handlers import texts
from handlers.base import BotContext, say, user_data
from handlers.draft_cancel import CRITICAL_KEPT, draft_level
from handlers.drafts import next_problems
from handlers.office_choice import current_draft
from handlers.request_steps import LOCATION

#: Proposes the matters kept behind a draft (``handlers.citizen.describe_kept``).
KeptDescriber = Callable[[Update, BotContext, list[str]], Awaitable[str | int | None]]


def just_asking_with(
    describe_kept: KeptDescriber,
) -> Callable[[Update, BotContext], Coroutine[Any, Any, str | int | None]]:
    """只是咨询 (:func:`just_asking`) that proposes the next matter of a 分开登记 after it."""

    async def pressed(update: Update, context: BotContext) -> str | int | None:
        return await just_asking(update, context, describe_kept)

    return pressed


async def just_asking(
    update: Update, context: BotContext, describe_kept: KeptDescriber | None = None
) -> str | int | None:
    """只是咨询: nothing is filed, except for a draft 放弃草稿 would file all the same
    (the same level check, :func:`handlers.draft_cancel.draft_level`, review 4 F2).

    The second matter of a 分开登记 is not given up with the first: it is named and
    proposed next (``describe_kept``), as after 提交 or 放弃草稿 (trial 34 #6)."""
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
    following = next_problems(draft.get("next"))
    if following and describe_kept is not None:
        await say(update, texts.first_just_asked(following[0]))
        return await describe_kept(update, context, following)
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
