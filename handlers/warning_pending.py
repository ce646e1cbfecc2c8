"""An officer's unconfirmed warning proposal is never dropped by what comes next.

While a proposal waits for 确认 (or for the reason of a lowered level), a new
description typed, ``/warn TEXT``, ``/warn`` or the 报送预警 button does not replace
it: the officer is asked 「先报送刚才的预警吗？」 with 报送 / 放弃, as a citizen is asked
继续提交 / 放弃草稿. 报送 files the earlier proposal as it stands (its receipt offers
补充地点/人数/照片 like ``/warn TEXT``'s), 放弃 drops it with a word; either way the new
input is then handled as it would have been. Danger now never waits for the question
(:func:`handlers.officer.emergency_first` and :func:`handlers.officer.warn_command`
file it at once and keep the proposal). ``/mine`` (or its menu button) is answered
and the proposal shown again below the list, still waiting for 确认
(:func:`mine_kept`). 不是这个部门 / 换一个 typed while the proposal waits opens the
bureau picker, as 更改部门 does and as a citizen's draft does (pf29).
"""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.services.cases import MAX_TEXT
from bot.services.warning_step_fix import draft_amendment
from handlers import texts
from handlers.base import BotContext, message_text, reply, stamp
from handlers.draft_cancel import is_cancellation
from handlers.flow import leave_and_redo
from handlers.officer_confirm import confirm, propose_text, warning_text
from handlers.officer_filing import (
    W_CONFIRM,
    W_TEXT,
    file_warning,
    not_a_description,
    officer_of,
)
from handlers.officer_mine import show_mine
from handlers.texts.warning_pending import (
    CRITICAL_NOT_WITHDRAWN,
    NOTHING_PENDING,
    PENDING_FILE,
    WARN_OFFICE_CORRECTION,
    dropped,
    filed_before_answer,
    kept_after_list,
    pending_markup,
    pending_question,
    withdraw_question,
    withdrawn,
)
from handlers.warning_proposal import propose, release_proposal
from handlers.warning_steps import warn_data, warn_draft
from nlp.office_correction import is_office_correction

#: ``user_data`` key of the new input waiting for the answer.
NEXT = "warn_next"


def unconfirmed(context: BotContext) -> dict[str, Any] | None:
    """The proposal waiting for 确认 (a text, not filed yet), if any."""
    draft = warn_draft(context)
    if draft is None or not draft.get("text") or draft.get("number"):
        return None
    return draft


def a_description(text: str) -> bool:
    """Whether ``text`` would make a proposal of its own (the rest is answered as before)."""
    return bool(text) and len(text) <= MAX_TEXT and not not_a_description(text)


async def ask(
    update: Update, context: BotContext, draft: dict[str, Any], text: str | None, one_shot: bool
) -> str:
    """Keep the proposal and ask whether to file it first; ``text`` waits for the answer."""
    chat = update.effective_chat
    earlier = warn_data(context).get(NEXT)
    if isinstance(earlier, dict) and isinstance(earlier.get("msg"), int) and chat is not None:
        with contextlib.suppress(TelegramError):  # one question at a time: the newest
            await context.bot.edit_message_reply_markup(chat.id, earlier["msg"], reply_markup=None)
    pending: dict[str, Any] = {"text": text, "one_shot": one_shot}
    warn_data(context)[NEXT] = pending
    sent = await reply(update, pending_question(str(draft["text"]), text), pending_markup())
    if sent is not None:
        pending["msg"] = sent.message_id
    return W_CONFIRM


#: The buttons' words typed (elderly users type what they see, trial 26 T9).
CONFIRM_WORDS = frozenset({"确认", "確認", "确定", "確定", "报送", "報送", "提交"})
DROP_WORDS = frozenset({"放弃", "放棄"})
#: Assent typed at a proposal (好的, 行, 可以: trial 27 N14) acts as 确认 there.
ASSENT_WORDS = frozenset(
    {"好", "好的", "好滴", "行", "可以", "对", "對", "是", "是的", "嗯", "嗯嗯", "ok", "OK", "Ok"}
)


async def amended(update: Update, context: BotContext, text: str) -> tuple[bool, str | int | None]:
    """说错了，… / 不对，… / 更正：… typed while a proposal waits for 确认 amends that
    proposal (stop 35 D1): one warning, its text 「<draft>；更正：<correction>」
    (:func:`bot.services.warning_step_fix.draft_amendment`), proposed again as a new
    text is — danger now in it is filed at once with the line. ``(False, None)``: no
    correction of the open proposal; the text is handled as before."""
    draft = unconfirmed(context)
    if draft is None or draft.get("lowering") or isinstance(warn_data(context).get(NEXT), dict):
        return False, None
    text_now = draft_amendment(str(draft["text"]), text)
    if text_now is None or len(text_now) > MAX_TEXT:
        return False, None
    # The proposal shown is replaced: its 确认 answers nothing now, its hold is released.
    await release_proposal(update, context)
    shown = draft.pop("msg", None)
    chat = update.effective_chat
    if isinstance(shown, int) and chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_reply_markup(chat.id, shown, reply_markup=None)
    draft.pop("held_at", None)
    return True, await propose_text(update, context, text_now)


def _bare(text: str) -> str:
    """``text`` without trailing punctuation (好的。 / 好的！ are 好的)."""
    return text.strip().rstrip("。.!！~～，,").strip()


async def another_text(update: Update, context: BotContext) -> str | int | None:
    """A text while a proposal waits: 确认 / 报送 / 放弃 typed act as the buttons shown, a
    new description is asked about, the rest as before."""
    text = message_text(update).strip()
    pending = warn_data(context).get(NEXT)
    if isinstance(pending, dict) and (text in CONFIRM_WORDS or text in DROP_WORDS):
        warn_data(context).pop(NEXT, None)
        chat = update.effective_chat
        if isinstance(pending.get("msg"), int) and chat is not None:
            with contextlib.suppress(TelegramError):  # the question is answered here
                await context.bot.edit_message_reply_markup(chat.id, pending["msg"], None)
        return await _settle(update, context, pending, file=text in CONFIRM_WORDS)
    draft = unconfirmed(context)
    word = _bare(text)
    if (
        draft is not None
        and (word in CONFIRM_WORDS or word in ASSENT_WORDS)
        and not draft.get("lowering")
    ):
        shown = draft.get("msg")
        chat = update.effective_chat
        if isinstance(shown, int) and chat is not None:
            with contextlib.suppress(TelegramError):  # its 确认 is answered here
                await context.bot.edit_message_reply_markup(chat.id, shown, None)
        return await confirm(update, context, draft, shown if isinstance(shown, int) else None)
    # 算了 / 不报了 / 取消 typed: asked to confirm, never read as a new /warn (trial 33b E3).
    if draft is not None and is_cancellation(text):
        return await _ask_withdraw(update, context, draft)
    # 不是这个部门 / 换一个 typed: the office picker, as the 更改部门 button (pf29).
    if draft is not None and not draft.get("lowering") and is_office_correction(text):
        return await _office_picker(update, context, draft)
    if draft is None or text == draft.get("text") or not a_description(text):
        return await warning_text(update, context)
    return await ask(update, context, draft, text, one_shot=False)


async def _ask_withdraw(update: Update, context: BotContext, draft: dict[str, Any]) -> str | int:
    """要撤回这条预警吗？ with 报送 / 放弃: the proposal is kept until he answers (and a
    重大 one is still reminded and filed for him if he never does, as he is told)."""
    rubric = str(draft.get("rubric") or draft.get("severity") or "low")
    if "critical" in (rubric, draft.get("severity")):
        # Safety first: a 特别重大 warning is never withdrawn on a word; it is filed.
        person = await officer_of(update, context)
        if person is None:
            return ConversationHandler.END
        await reply(update, CRITICAL_NOT_WITHDRAWN)
        await file_warning(update, context, person, draft, one_shot=True)
        return ConversationHandler.END
    chat = update.effective_chat
    earlier = warn_data(context).get(NEXT)
    if isinstance(earlier, dict) and isinstance(earlier.get("msg"), int) and chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_reply_markup(chat.id, earlier["msg"], reply_markup=None)
    pending: dict[str, Any] = {"text": None, "withdraw": True}
    warn_data(context)[NEXT] = pending
    sent = await reply(update, withdraw_question(str(draft["text"]), rubric), pending_markup())
    if sent is not None:
        pending["msg"] = sent.message_id
    return W_CONFIRM


async def _office_picker(update: Update, context: BotContext, draft: dict[str, Any]) -> str:
    """The bureau picker as a new message, which becomes the proposal's (its buttons
    answer there; the older proposal loses its buttons): the text stays as it was."""
    district = context.runtime.district
    old = draft.get("msg")
    sent = await reply(
        update,
        texts.fit(texts.bureaus_text(district, heading=WARN_OFFICE_CORRECTION)),
        texts.bureaus_markup(district, texts.W_BUREAU, texts.W_BACK),
    )
    chat = update.effective_chat
    if sent is not None:
        draft["msg"] = sent.message_id
        if isinstance(old, int) and chat is not None and old != sent.message_id:
            with contextlib.suppress(TelegramError):
                await context.bot.edit_message_reply_markup(chat.id, old, reply_markup=None)
    return W_CONFIRM


async def answered(update: Update, context: BotContext) -> str | int | None:
    """报送 / 放弃: the earlier proposal is filed or dropped, then the new input is handled."""
    query = update.callback_query
    assert query is not None
    pending = warn_data(context).pop(NEXT, None)
    if not isinstance(pending, dict):
        await query.answer(NOTHING_PENDING, show_alert=True)
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        return None
    await query.answer()
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
    return await _settle(update, context, pending, file=query.data == PENDING_FILE)


async def _settle(
    update: Update, context: BotContext, pending: dict[str, Any], *, file: bool
) -> str | int | None:
    """报送 (``file``) or 放弃 of the earlier proposal, then the new input is handled."""
    person = await officer_of(update, context)
    if person is None:
        return ConversationHandler.END
    draft = unconfirmed(context)
    chat = update.effective_chat
    if draft is not None:
        if isinstance(draft.get("msg"), int) and chat is not None:
            with contextlib.suppress(TelegramError):  # the proposal's 确认 is answered here
                await context.bot.edit_message_reply_markup(chat.id, draft["msg"], None)
        held_at = draft.get("held_at")
        auto = await context.runtime.cases.unconfirmed_filed(
            person.id, held_at if isinstance(held_at, str) else None
        )
        if auto is not None:
            # Filed by the service while the question waited (review 4 F3): neither
            # button drops or files it again; the officer is told its number.
            await context.runtime.cases.release_unconfirmed(person.id, str(held_at))
            warn_data(context).pop("warn", None)
            await reply(update, filed_before_answer(str(draft["text"]), auto.number))
        elif file:
            draft.pop("lowering", None)  # a lowering without its reason keeps the level
            await file_warning(update, context, person, draft, one_shot=True)
        else:
            warn_data(context).pop("warn", None)
            await release_proposal(update, context, withdrawn=bool(pending.get("withdraw")))
            rubric = str(draft.get("rubric") or draft.get("severity") or "low")
            await reply(
                update,
                withdrawn(str(draft["text"]), rubric)
                if pending.get("withdraw")
                else dropped(str(draft["text"])),
            )
    if pending.get("withdraw"):  # nothing new waits: the warning is settled
        return ConversationHandler.END
    text = pending.get("text")
    if not isinstance(text, str):  # /warn or 报送预警: a new warning from its text
        warn_data(context)["warn"] = {"at": stamp(context), "photos": []}
        await reply(update, texts.WARN_PROMPT, texts.REMOVE_KEYBOARD)
        return W_TEXT
    if pending.get("one_shot"):
        await file_warning(
            update, context, person, {"text": text, "photos": []}, one_shot=True, line=True
        )
        return ConversationHandler.END
    return await propose_text(update, context, text)


async def mine_kept(update: Update, context: BotContext) -> str | int | None:
    """``/mine`` while a proposal waits: the list, then the proposal again (its 确认 or,
    while a lowered level waits for its reason, that question), the state unchanged.
    With nothing unconfirmed, the conversation is left as for any other command."""
    draft = unconfirmed(context)
    if draft is None:
        return await leave_and_redo(update, context)
    query = update.callback_query
    if query is not None:
        await query.answer()
    await show_mine(update, context)
    lowering = draft.get("lowering")
    await reply(update, kept_after_list(str(draft["text"]), isinstance(lowering, str)))
    if isinstance(lowering, str):
        rubric = str(draft.get("rubric") or draft.get("severity") or "low")
        await reply(
            update, texts.lower_reason_prompt(rubric, lowering), texts.keep_level_markup(rubric)
        )
    else:
        await propose(update, context, draft)
    return None
