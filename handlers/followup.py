"""A citizen's own cases: /status and the follow-up (回访) after 办结.

The follow-up buttons record 满意 / 基本满意 at once; 不满意 / 未解决 ask for a
comment first (a small persistent conversation, ``follow_up``), then reopen
the case through :meth:`bot.services.cases.CaseService.answer_follow_up`.
The first tap is the answer: the question's buttons go at once, and a later tap
(an old client, another question) while the comment is awaited is refused with
an alert that says what is awaited.
"""

from __future__ import annotations

import contextlib
import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.services import notifications as nt
from bot.services.callbacks import CaseAction
from bot.services.cases import CaseView, TimelineEntry
from bot.services.lifecycle import CaseError
from bot.services.triage import emergency_of
from handlers import followup_confirm, texts
from handlers.base import (
    PRIVATE,
    PRIVATE_TEXT,
    App,
    BotContext,
    is_stale,
    mark_saved,
    message_text,
    reply,
    stamp,
    user_data,
    who,
)
from handlers.crisis import open_case as crisis_case
from handlers.flow import expiring, leave_and_redo, redo, step_conversation
from handlers.texts.reporter_acts import list_markup
from storage.enums import CaseStatus

log = logging.getLogger(__name__)

#: The conversation state (a string: it is persisted as JSON).
FU_COMMENT = "fu_comment"
#: ``user_data`` key of a comment typed after its prompt expired, and its button.
LATE = "fu_late"
LATE_ADD = texts.UI + "fu:late"


async def show_status(update: Update, context: BotContext) -> None:
    """/status: the sender's own cases with their progress."""
    person = await who(update, context)
    if person is None:
        return
    runtime = context.runtime
    views = await runtime.cases.cases_of_reporter(person.id, limit=10)
    timelines: dict[int, list[TimelineEntry]] = {}
    for view in views:
        try:
            timelines[view.id] = await runtime.cases.timeline(view.id, person.id)
        except CaseError:
            timelines[view.id] = []
    await reply(
        update,
        texts.status_list(views, timelines, runtime.settings.timezone),
        list_markup(views),
    )
    await offer_follow_ups(update, context, views)


#: Pending follow-ups (回访) offered again under /status, newest first.
MAX_FOLLOW_UPS_SHOWN = 3


async def offer_follow_ups(update: Update, context: BotContext, views: list[CaseView]) -> None:
    """The 回访 of each of the person's requests that is 办结 but not yet rated, with its
    buttons: the question may never have reached them (they had blocked the bot when it
    was sent, trial 28 P2), and it is the only way to rate or reopen the case."""
    pending = [v for v in views if v.status == CaseStatus.RESOLVED and v.kind != "warning"]
    codec = context.runtime.codec
    for view in pending[:MAX_FOLLOW_UPS_SHOWN]:
        markup = InlineKeyboardMarkup.de_json(
            nt.follow_up_markup(codec, view.id, view.version), None
        )
        await reply(update, nt.follow_up_question(view), markup)


async def remind_pending(update: Update, context: BotContext, person_id: int) -> bool:
    """嗯 / 好的 while a 回访 waits (trial 33 D7): the waiting question is shown again,
    with its buttons, instead of the greeting menu. Not for someone in crisis (their
    words go to their helpers; the buttons stay where they were)."""
    if crisis_case(context) is not None:
        return False
    views = await context.runtime.cases.cases_of_reporter(person_id, limit=10)
    pending = [v for v in views if v.status == CaseStatus.RESOLVED and v.kind != "warning"]
    if not pending:
        return False
    await reply(update, texts.FOLLOW_UP_REMINDER)
    await offer_follow_ups(update, context, pending)
    return True


async def answer_in_words(update: Update, context: BotContext, person_id: int, text: str) -> bool:
    """A typed reply while a 回访 waits (还没修好 / 满意 谢谢你们): the 回访's answer
    (:meth:`bot.services.cases.CaseService.follow_up_in_words`; the service's reopening
    notice follows). With several cases waiting, the questions are shown again
    (trial 31 #13).
    """
    done = await context.runtime.cases.follow_up_in_words(person_id, text)
    if done is None:
        return False
    if done.view is None:
        await reply(update, texts.FOLLOW_UP_WHICH)
        await offer_follow_ups(update, context, list(done.waiting))
        return True
    if done.unclear:
        # 还行吧，钱给了一半: the words reach the station at once as a note on the case
        # (review 3 P1: never only in user_data); close or reopen waits for the
        # citizen's confirmation (trial 33 D7).
        try:
            await context.runtime.cases.add_reporter_note(person_id, done.view.id, text)
        except CaseError as exc:
            log.info("unclear follow-up words not kept on case %s: %s", done.view.id, exc.code)
        await followup_confirm.ask(update, context, done.view, text)
        return True
    followup_confirm.forget(context)
    mark_saved(update, context, "您的评价")
    log.info("follow-up %s in words on case %s from %s", done.label, done.view.id, person_id)
    await reply(
        update, texts.follow_up_in_words(done.view.number or "", done.label, done.comment is None)
    )
    return True


# --- follow-up (回访) ----------------------------------------------------------------------


async def follow_up(update: Update, context: BotContext) -> str | int | None:
    """A follow-up button: satisfied answers are recorded; the others ask for a comment."""
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    action = runtime.codec.decode(query.data)
    if (
        action is not None
        and action.action == CaseAction.FOLLOW_UP
        and followup_confirm.is_confirmation(action)
    ):
        await followup_confirm.confirmed(update, context, action)
        return None
    answer = nt.FOLLOW_UP_ANSWERS.get(action.arg or "") if action is not None else None
    if action is None or action.action != CaseAction.FOLLOW_UP or answer is None:
        log.warning("forged follow-up button from user %s refused", query.from_user.id)
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return None
    person = await who(update, context)
    if person is None:
        return None
    label, solved, satisfaction = answer
    waiting = user_data(context).get("fu")
    if isinstance(waiting, dict) and is_stale(context, waiting):
        user_data(context).pop("fu", None)  # left long ago: not awaited any more
    elif isinstance(waiting, dict) and "case" in waiting:
        # An unsolved / unsatisfied answer waits for its comment: it stands, and a
        # second tap (an old client's button, another case's question) must not
        # silently replace it. The comment is finished first.
        first = nt.FOLLOW_UP_ANSWERS.get(str(waiting.get("answer")), ("", False, ""))[0]
        await query.answer(
            texts.follow_up_pending(first, int(waiting["case"]) == action.case_id),
            show_alert=True,
        )
        return FU_COMMENT
    if solved and satisfaction != "unsatisfied":
        try:
            await runtime.cases.answer_follow_up(
                action.case_id, person.id, solved, satisfaction, expected_version=action.version
            )
        except CaseError as exc:
            log.info("follow-up of %s on case %s refused: %s", person.id, action.case_id, exc.code)
            await query.answer(exc.message, show_alert=True)
            return ConversationHandler.END
        followup_confirm.forget(context)
        mark_saved(update, context, "您的评价")
        await query.answer(texts.FOLLOW_UP_THANKS)
        await _show_answer(update, label)
        return ConversationHandler.END
    try:
        view = await runtime.cases.get_case_view(action.case_id, person.id)
    except CaseError as exc:
        await query.answer(exc.message, show_alert=True)
        return ConversationHandler.END
    if view.reporter_id != person.id or view.status != "resolved" or view.version != action.version:
        await query.answer("该案件已完成回访或状态已变化。", show_alert=True)
        return ConversationHandler.END
    message = query.message
    user_data(context)["fu"] = {
        "at": stamp(context),
        "case": action.case_id,
        "version": action.version,
        "answer": action.arg,
        "msg": message.message_id if message is not None else None,
    }
    await query.answer()
    # The answer is taken: the question shows it and loses the other answers at once. The
    # chosen one stays (the way back in if the citizen leaves before the comment — a
    # command drops the unsaved answer); the comment clears it.
    try:
        await _show_answer(update, label, keep=query.data)
    except TelegramError:  # a cosmetic edit never fails the answer
        log.debug("could not mark the follow-up question answered", exc_info=True)
    prompt = await reply(update, texts.follow_up_comment(action.arg), texts.skip_markup())
    if prompt is not None:
        user_data(context)["fu"]["prompt"] = prompt.message_id
    return FU_COMMENT


async def _show_answer(update: Update, label: str, keep: str | None = None) -> None:
    """Edit the question to show the answer; ``keep``: the callback data of the one
    button left (none by default)."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message):
        return
    kept = None
    if keep is not None and message.reply_markup is not None:
        chosen = [
            b
            for row in message.reply_markup.inline_keyboard
            for b in row
            if b.callback_data == keep
        ]
        kept = InlineKeyboardMarkup([chosen]) if chosen else None
    await query.edit_message_text(
        texts.fit(texts.follow_up_answered(message.text or "", label)), reply_markup=kept
    )


async def follow_up_comment(
    update: Update, context: BotContext, comment: str | None = None
) -> int | None:
    """The comment after 不满意 / 未解决 (or 跳过 / /cancel: none; ``comment``: one typed
    earlier, after the prompt expired)."""
    data = user_data(context)
    pending = data.pop("fu", None)
    person = await who(update, context)
    if not isinstance(pending, dict) or person is None:
        return ConversationHandler.END
    query = None if comment is not None else update.callback_query
    if query is None and comment is None and update.effective_message is not None:
        text = message_text(update)
        comment = None if texts.is_skip(text) or text.startswith("/") else text
    label, solved, satisfaction = nt.FOLLOW_UP_ANSWERS[str(pending["answer"])]
    try:
        await context.runtime.cases.answer_follow_up(
            int(pending["case"]),
            person.id,
            solved,
            satisfaction,
            comment,
            expected_version=int(pending["version"]),
        )
    except CaseError as exc:
        if query is not None:
            await query.answer(exc.message, show_alert=True)
        else:
            await reply(update, exc.message)
        return ConversationHandler.END
    followup_confirm.forget(context)
    mark_saved(update, context, "您的评价和意见")
    if query is not None:
        await query.answer(texts.FOLLOW_UP_NOTED)
        await query.edit_message_reply_markup(None)
    # The acknowledgement is the service's reopening notice (已收到您的意见…): one, not two.
    chat = update.effective_chat
    # The question's answers, and the prompt's 跳过 once a comment was typed instead.
    done = [pending.get("msg"), pending.get("prompt") if query is None else None]
    for message_id in (m for m in done if m):
        if chat is None:
            break
        try:
            await context.bot.edit_message_reply_markup(chat.id, int(message_id), reply_markup=None)
        except Exception:  # the message may be gone or already edited: not important
            log.debug("could not clear the follow-up buttons", exc_info=True)
    log.info("follow-up %s on case %s from %s", label, pending["case"], person.id)
    if comment is not None and emergency_of(comment) is not None:
        # Danger now is also a report of its own: the emergency line, a critical case.
        return redo(update, context)
    return ConversationHandler.END


async def late_comment(update: Update, context: BotContext) -> int | None:
    """Text at the comment step: past the prompt's time (trial 29 V10) the text is not
    taken silently as the comment nor as a new problem: the citizen is told the prompt
    timed out and offered to add it to the case and have it reopened."""
    data = user_data(context)
    pending = data.get("fu")
    text = message_text(update).strip()
    if (
        not isinstance(pending, dict)
        or not is_stale(context, pending)
        or not text
        or text.startswith("/")
        or texts.is_skip(text)
        or emergency_of(text) is not None
    ):
        return await fresh_comment(update, context)
    data.pop("fu", None)
    person = await who(update, context)
    if person is None:
        return ConversationHandler.END
    try:
        view = await context.runtime.cases.get_case_view(int(pending["case"]), person.id)
    except CaseError:
        return await leave_and_redo(update, context)
    if view.status != "resolved" or view.version != int(pending["version"]):
        return await leave_and_redo(update, context)
    data[LATE] = {**pending, "at": stamp(context), "text": text}
    label = texts.follow_up_late_label(view.number or "")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=LATE_ADD)]])
    await reply(update, texts.follow_up_late(view.number or ""), markup)
    return ConversationHandler.END


async def fresh_comment(update: Update, context: BotContext) -> int | None:
    """The comment step with its usual expiry (a stale prompt starts afresh)."""
    return await expiring("fu")(follow_up_comment)(update, context)


async def late_added(update: Update, context: BotContext) -> int | None:
    """补充到该案件并重新办理: the late comment is the 未解决 / 不满意 answer's."""
    query = update.callback_query
    assert query is not None
    late = user_data(context).pop(LATE, None)
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
    if not isinstance(late, dict) or is_stale(context, late):
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return ConversationHandler.END
    late["at"] = stamp(context)
    user_data(context)["fu"] = late
    await query.answer()
    return await follow_up_comment(update, context, comment=str(late["text"]))


async def follow_up_expected(update: Update, context: BotContext) -> str:
    """Non-text while a comment is expected."""
    await reply(update, "请用文字发送您的意见，或点「跳过」。")
    return FU_COMMENT


def conversation(application: App) -> ConversationHandler[BotContext]:
    """The follow-up conversation."""
    fresh_fu = expiring("fu")
    skip = f"^{re.escape(texts.SKIP)}$"
    return step_conversation(
        application,
        "follow_up",
        entry_points=[
            CallbackQueryHandler(follow_up, pattern=r"^fu:"),
            CallbackQueryHandler(late_added, pattern=f"^{re.escape(LATE_ADD)}$"),
        ],
        states={
            FU_COMMENT: [
                MessageHandler(PRIVATE_TEXT, late_comment),
                CallbackQueryHandler(fresh_fu(follow_up_comment), pattern=skip),
                MessageHandler(PRIVATE & ~filters.COMMAND, follow_up_expected),
            ],
        },
        cancel=follow_up_comment,
    )
