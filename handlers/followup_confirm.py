"""An unclear 回访 answer typed in words, confirmed by the citizen (trial 33 D7).

还行吧，钱给了一半 or 还没去拿呢，不知道能不能拿到 while a 回访 waits says neither 已解决
nor 未解决 (:func:`nlp.follow_up.follow_up_answer` gives ``unclear``). Nothing is recorded
on such a guess: the words are echoed with one question, 已解决 / 部分解决 / 未解决.
已解决 brings the usual satisfaction buttons (only they close the case); 部分解决 and
未解决 reopen it with the typed words as the citizen's comment, so a half-solved case
never closes as satisfied.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update

from bot.services import notifications as nt
from bot.services.callbacks import CallbackAction, CaseAction
from bot.services.cases import CaseView
from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import BotContext, mark_saved, reply, stamp, user_data, who

log = logging.getLogger(__name__)

#: ``user_data`` key of the words waiting for their confirmation.
WORDS = "fu_words"


def forget(context: BotContext) -> None:
    """Drop the words waiting for a confirmation: the 回访 was answered otherwise (the
    words themselves stay on the case as the note sent at once, review 3 P7)."""
    user_data(context).pop(WORDS, None)


def is_confirmation(action: CallbackAction) -> bool:
    """Whether the pressed follow-up button is one of the confirmation's answers."""
    return (action.arg or "") in texts.FOLLOW_UP_CONFIRM_LABELS


async def ask(update: Update, context: BotContext, view: CaseView, words: str) -> None:
    """Echo the unclear answer and ask 已解决 / 部分解决 / 未解决 (nothing recorded yet)."""
    codec = context.runtime.codec
    buttons = [
        nt.button(codec, label, CaseAction.FOLLOW_UP, view.id, view.version, arg)
        for arg, label in texts.FOLLOW_UP_CONFIRM_LABELS.items()
    ]
    user_data(context)[WORDS] = {"at": stamp(context), "case": view.id, "text": words.strip()}
    markup = InlineKeyboardMarkup.de_json({"inline_keyboard": [buttons]}, None)
    await reply(update, texts.follow_up_unclear(view.number or "", words.strip()), markup)


async def confirmed(update: Update, context: BotContext, action: CallbackAction) -> None:
    """The citizen's choice on the confirmation."""
    query = update.callback_query
    assert query is not None
    person = await who(update, context)
    if person is None:
        return
    runtime = context.runtime
    pending = user_data(context).get(WORDS)
    words = None
    if isinstance(pending, dict) and pending.get("case") == action.case_id:
        words = str(pending.get("text") or "") or None
    label = texts.FOLLOW_UP_CONFIRM_LABELS[action.arg or ""]
    if action.arg == "c_solved":
        # Solved: how satisfied is asked with the usual buttons; only they close it.
        try:
            view = await runtime.cases.get_case_view(action.case_id, person.id)
        except CaseError as exc:
            await query.answer(exc.message, show_alert=True)
            return
        if view.status != "resolved" or view.version != action.version:
            await query.answer("该案件已完成回访或状态已变化。", show_alert=True)
            return
        await query.answer()
        # The words are already on the case (a note to the unit, review 3 P1/P7).
        user_data(context).pop(WORDS, None)
        markup = InlineKeyboardMarkup.de_json(
            nt.follow_up_markup(runtime.codec, view.id, view.version), None
        )
        await query.edit_message_text(
            texts.fit(f"{nt.follow_up_question(view)}\n\n（您确认：已解决）"), reply_markup=markup
        )
        return
    partly = action.arg == "c_partly"
    try:
        await runtime.cases.answer_follow_up(
            action.case_id,
            person.id,
            False,
            "basically_satisfied" if partly else "unsatisfied",
            words,
            expected_version=action.version,
            partly=partly,
        )
    except CaseError as exc:
        log.info("follow-up of %s on case %s refused: %s", person.id, action.case_id, exc.code)
        await query.answer(exc.message, show_alert=True)
        return
    user_data(context).pop(WORDS, None)
    mark_saved(update, context, "您的评价和意见")
    await query.answer(texts.FOLLOW_UP_NOTED)
    message = query.message
    question = message.text if message is not None and hasattr(message, "text") else ""
    # The service's reopening notice (已收到您的意见…) follows: the one acknowledgement.
    await query.edit_message_text(
        texts.fit(texts.follow_up_answered(question or "", label)), reply_markup=None
    )
    log.info("follow-up %s (confirmed) on case %s from %s", action.arg, action.case_id, person.id)
