"""Information officers (信息员): early warnings and their status.

``/warn`` (or the 报送预警 button) asks for the text, proposes room, bureau and
severity from it (confirm, or change them with buttons). 确认 files and sends
the warning at once (:meth:`bot.services.cases.CaseService.file_warning`); the
place, the number of people and photos — all skippable — are asked afterwards
and amend the filed warning (``add_warning_details``). ``/warn TEXT`` files at
once with the proposed values. Danger now shows the emergency line first;
small talk files nothing. A citizen's ``/warn TEXT`` is not refused: the text is
proposed as a request (:func:`handlers.citizen.warn_by_citizen`). The proposal
says why the level (定级依据); a level may be raised freely, but lowering a
critical one asks for a reason (the next message, or 保持 / /cancel to keep the
level), which the service records.
``/mine`` lists the warnings the officer filed; asked while a proposal waits for
确认, it keeps the proposal and shows it again below the list.

The parts: who may file and the filing itself (:mod:`handlers.officer_filing`),
the proposal and its buttons (:mod:`handlers.officer_confirm`), the optional
steps after 确认 (:mod:`handlers.warning_steps`), ``/mine``
(:mod:`handlers.officer_mine`) and ``/phone`` (:mod:`handlers.officer_phone`);
this module holds the commands and the conversation that ties them together.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services.content_free import content_free
from bot.services.lifecycle import CaseError
from bot.services.triage import emergency_of
from handlers import officer_phone, texts, warning_level, warning_repeat
from handlers.base import PRIVATE, PRIVATE_TEXT, App, BotContext, message_text, reply, stamp
from handlers.flow import expiring, leave_and_redo, step_conversation
from handlers.officer_confirm import confirm_button, keep_level, lowering_reason, warning_text
from handlers.officer_filing import (
    W_CONFIRM,
    W_REASON,
    W_TEXT,
    file_warning,
    not_a_description,
    officer_of,
    only_a_place,
)
from handlers.officer_mine import show_mine
from handlers.texts.drafts_kept import warning_draft_kept
from handlers.texts.reporter_acts import FINAL, NOTE, WARN_ADD, WITHDRAW
from handlers.texts.warning_pending import PENDING_DROP, PENDING_FILE
from handlers.warning_facts import W_FACTS, ask_facts, facts_text, join_urgent_repeat
from handlers.warning_pending import (
    a_description,
    amended,
    another_text,
    answered,
    ask,
    mine_kept,
    unconfirmed,
)
from handlers.warning_proposal import expects, release_proposal
from handlers.warning_step_fix import W_FIX, corrected_first, fix_photo, fix_text
from handlers.warning_steps import (
    W_COUNT,
    W_PHOTOS,
    W_PLACE,
    count_text,
    early_photo,
    photo_added,
    photos_text,
    place_location,
    place_text,
    warn_data,
)
from nlp.counts import head_count_answer
from nlp.emergency import emoji_services

log = logging.getLogger(__name__)

__all__ = [
    "W_CONFIRM",
    "W_REASON",
    "W_TEXT",
    "cancel",
    "confirm_button",
    "keep_level",
    "lowering_reason",
    "not_expected",
    "register",
    "show_mine",
    "warn_button",
    "warn_command",
    "warning_text",
]


async def warn_command(update: Update, context: BotContext) -> str | int | None:
    """/warn: ask for the text; /warn TEXT: file at once."""
    person = await officer_of(update, context)
    if person is None:
        return ConversationHandler.END
    text = message_text(update).split(maxsplit=1)
    pending = unconfirmed(context)
    if len(text) == 2 and text[1].strip():
        if not_a_description(text[1]):
            if pending is None and only_a_place(text[1]):
                # The place is kept; the answer continues this warning (trial 26 T17).
                place = text[1].strip().strip("。.!！")[:500]
                warn_data(context)["warn"] = {"at": stamp(context), "photos": [], "place": place}
                await reply(update, texts.place_kept_prompt(place), texts.REMOVE_KEYBOARD)
                return W_TEXT
            await reply(update, texts.warn_needs_description(emoji_services(text[1])))
            return W_CONFIRM if pending is not None else ConversationHandler.END
        if pending is not None and emergency_of(text[1]) is None and a_description(text[1]):
            return await ask(update, context, pending, text[1].strip(), one_shot=True)
        if pending is None and content_free(text[1]):
            joined = await join_urgent_repeat(update, context, text[1].strip())
            if joined is not None:
                return joined
        view = await file_warning(
            update,
            context,
            person,
            {"text": text[1].strip(), "photos": []},
            one_shot=True,
            line=True,
        )
        if view is not None and pending is None and content_free(text[1]):
            return await ask_facts(update, context, view)  # 紧急 alone: what happened?
        if pending is not None:  # danger now does not wait: the proposal is kept
            warn_data(context)["warn"] = pending
            await reply(update, warning_draft_kept(pending.get("text"), False))
            return W_CONFIRM
        return ConversationHandler.END
    if pending is not None:
        return await ask(update, context, pending, None, one_shot=False)
    warn_data(context)["warn"] = {"at": stamp(context), "photos": []}
    await reply(update, texts.WARN_PROMPT, texts.REMOVE_KEYBOARD)
    return W_TEXT


async def warn_button(update: Update, context: BotContext) -> str | int | None:
    """The 报送预警 menu button."""
    query = update.callback_query
    if query is not None:
        await query.answer()
    person = await officer_of(update, context)
    if person is None:
        return ConversationHandler.END
    pending = unconfirmed(context)
    if pending is not None:
        return await ask(update, context, pending, None, one_shot=False)
    warn_data(context)["warn"] = {"at": stamp(context), "photos": []}
    await reply(update, texts.WARN_PROMPT, texts.REMOVE_KEYBOARD)
    return W_TEXT


async def add_details_button(update: Update, context: BotContext) -> str | int | None:
    """补充地点/人数/照片 under a one-shot ``/warn TEXT`` receipt: the guided flow's steps."""
    query = update.callback_query
    assert query is not None
    person = await officer_of(update, context)
    case_id = (query.data or "").rsplit(":", 1)[-1]
    if person is None or not case_id.isdigit():
        await query.answer()
        return ConversationHandler.END
    try:
        view = await context.runtime.cases.get_case_view(int(case_id), person.id)
    except CaseError as exc:
        await query.answer(exc.message, show_alert=True)
        return ConversationHandler.END
    if view.reporter_id != person.id or view.status in FINAL:
        await query.answer(texts.WARNING_NOT_AMENDABLE, show_alert=True)
        return ConversationHandler.END
    await query.answer()
    warn_data(context)["warn"] = {"at": stamp(context), "case_id": view.id, "number": view.number}
    await reply(update, texts.place_prompt(), texts.place_keyboard())
    return W_PLACE


#: A head count and nothing else (五十多人, 50人, 大概三十来个, 约四五个人左右).
_ONLY_COUNT = re.compile(
    r"^(?:大概|大约|约|差不多|估计|将近|接近|有|是|共|一共)*\s*"
    r"[0-9０-９零一二两三四五六七八九十百千几]+\s*(?:多|来|余|几)?\s*"
    r"(?:个|名|位)?\s*(?:人|口)?\s*(?:左右|上下)?\s*[。.！!]?$"
)


def emergency_first(
    step: Callable[[Update, BotContext], Awaitable[str | int | None]], state: str
) -> Callable[[Update, BotContext], Coroutine[Any, Any, str | int | None]]:
    """Wrap a step of the warning flow: danger now typed there is filed at once as its own
    warning (the line first, as ``/warn TEXT``) and the warning in progress is kept (the
    officer is told so and stays at ``state``); anything else goes to the step."""

    @wraps(step)
    async def guarded(update: Update, context: BotContext) -> str | int | None:
        text = message_text(update).strip()
        kept = warn_data(context).get("warn")
        # The step's own answer is never an emergency (大概四五个人 is a head count); only a
        # text that is nothing but a count is exempt: 三十多人，有人拿刀砍人 is danger first.
        answer = texts.is_skip(text) or texts.is_done(text)
        if state == W_COUNT and _ONLY_COUNT.match(text) and head_count_answer(text) is not None:
            answer = True
        if state == W_CONFIRM and not answer:
            # 说错了，… corrects the proposal shown: amended, never a warning of its own.
            done, result = await amended(update, context, text)
            if done:
                return result if result is not None else state
        if answer or emergency_of(text) is None or not isinstance(kept, dict):
            return await step(update, context)
        person = await officer_of(update, context)
        if person is None:
            return state
        await file_warning(
            update, context, person, {"text": text, "photos": []}, one_shot=True, line=True
        )
        warn_data(context)["warn"] = kept  # filing clears the slot: the draft goes back
        await reply(update, warning_draft_kept(kept.get("text"), bool(kept.get("number"))))
        return state

    return guarded


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel inside the warning conversation (after 确认 the warning stays filed)."""
    draft = warn_data(context).pop("warn", None)
    if isinstance(draft, dict) and draft.get("number"):
        await reply(update, texts.WARNING_DETAILS_DONE, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    await release_proposal(update, context)
    await reply(update, texts.WARN_CANCELLED, texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def not_expected(update: Update, context: BotContext) -> None:
    """Something other than what the current step asks for (the place or the head count)."""
    await reply(update, texts.WARN_STEP_EXPECTS["other"])


def register(application: App) -> None:
    """Add the warning conversation and /mine (更改等级 first: its awaited reason is
    never read as a warning step's answer)."""
    warning_level.register(application)
    ui = re.escape(texts.UI)
    fresh = expiring("warn")
    keep = rf"^{re.escape(texts.W_KEEP)}$"
    warnings_conv = step_conversation(
        application,
        "officer_warning",
        entry_points=[
            CommandHandler("warn", warn_command, filters=PRIVATE),
            CallbackQueryHandler(warn_button, pattern=rf"^{ui}menu:warn$"),
            CallbackQueryHandler(add_details_button, pattern=rf"^{re.escape(WARN_ADD)}:\d+$"),
            CallbackQueryHandler(
                answered, pattern=rf"^({re.escape(PENDING_FILE)}|{re.escape(PENDING_DROP)})$"
            ),
        ],
        states={
            W_TEXT: [MessageHandler(PRIVATE_TEXT, fresh(warning_text)), expects("text")],
            W_CONFIRM: [
                CallbackQueryHandler(fresh(confirm_button), pattern=rf"^{ui}w:"),
                MessageHandler(PRIVATE_TEXT, fresh(emergency_first(another_text, W_CONFIRM))),
                expects("confirm"),
            ],
            W_REASON: [
                CallbackQueryHandler(fresh(keep_level), pattern=keep),
                CommandHandler("cancel", keep_level, filters=PRIVATE),
                # The reason asked for is the reason, whatever it says (trial 27 N5).
                MessageHandler(PRIVATE_TEXT, fresh(lowering_reason)),
                expects("reason"),
            ],
            W_PLACE: [
                MessageHandler(PRIVATE & filters.LOCATION, fresh(place_location)),
                MessageHandler(PRIVATE & filters.PHOTO, fresh(early_photo(W_PLACE))),
                MessageHandler(
                    PRIVATE_TEXT,
                    fresh(emergency_first(corrected_first(place_text, W_PLACE), W_PLACE)),
                ),
            ],
            W_COUNT: [
                MessageHandler(PRIVATE & filters.PHOTO, fresh(early_photo(W_COUNT))),
                MessageHandler(
                    PRIVATE_TEXT,
                    fresh(emergency_first(corrected_first(count_text, W_COUNT), W_COUNT)),
                ),
            ],
            W_FACTS: [MessageHandler(PRIVATE_TEXT, fresh(facts_text)), expects("text")],
            W_PHOTOS: [
                MessageHandler(PRIVATE & filters.PHOTO, fresh(photo_added)),
                MessageHandler(
                    PRIVATE_TEXT,
                    fresh(emergency_first(corrected_first(photos_text, W_PHOTOS), W_PHOTOS)),
                ),
                expects("photos"),
            ],
            # Which answer a correction changes, or its right value (stop 35 #4).
            W_FIX: [
                MessageHandler(PRIVATE & filters.PHOTO, fresh(fix_photo)),
                MessageHandler(PRIVATE_TEXT, fresh(emergency_first(fix_text, W_FIX))),
            ],
        },
        cancel=cancel,
        fallbacks=[
            # /mine only reads: an unconfirmed proposal stays where it is.
            CommandHandler("mine", mine_kept, filters=PRIVATE),
            CallbackQueryHandler(mine_kept, pattern=rf"^{re.escape(texts.MENU_MINE)}$"),
            # 补充说明 / 撤回 under a receipt (one the service filed for the officer while
            # its proposal waited here: trial 34 #13) leaves the step, which says what it
            # leaves, and the button is handled as if no step waited: the note that
            # follows is the note's, not a new warning's.
            CallbackQueryHandler(
                leave_and_redo, pattern=rf"^({re.escape(NOTE)}|{re.escape(WITHDRAW)}):\d+$"
            ),
            # A message no step asked for (a command leaves the step instead).
            MessageHandler(PRIVATE & ~filters.COMMAND, not_expected),
        ],
    )
    application.add_handler(warnings_conv)
    warning_repeat.register(application)
    application.add_handler(CommandHandler("mine", show_mine, filters=PRIVATE))
    officer_phone.register(application)
