"""Guards around a citizen's filing: nothing typed is lost or misread.

* ``/start`` during filing keeps the draft and asks 是否放弃当前草稿？ (继续提交 /
  放弃草稿), with the step's reply keyboard taken away.
* A reply-keyboard label (跳过, 完成, 实际解决 …) arriving when no step waits for it
  is never proposed as a problem; the stale keyboard is removed.
* A case number sent alone, or in a short question about it (请问MQ…现在怎么样了), shows
  that case to its reporter, and its card to staff who may see it (trial 32 D1, D17).
* (The location step's place-or-problem question and older drafts: :mod:`handlers.drafts`.)
* A photo with a caption is a description with the photo attached.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot.services.invites import looks_like_invite
from bot.services.lifecycle import CaseError
from bot.services.progress_questions import asked_case_number
from handlers import draft_cancel, emergency_steps, refused_note, station_cards, texts
from handlers.base import BotContext, is_stale, reply, stamp, user_data, who
from handlers.drafts import OLDER, next_problems, take_older
from handlers.request_steps import CONTACT, LOCATION, PHOTOS, PROPOSE, draft_of, forget_older
from handlers.texts import steps as st
from handlers.texts.stations import CLOSURE_BY_LABEL

#: Labels of the reply keyboards the bot shows: never a description.
KEYBOARD_LABELS = frozenset(
    {
        texts.SKIP_LABEL,
        texts.DONE_LABEL,
        texts.SEND_LOCATION_LABEL,
        texts.SEND_CONTACT_LABEL,
        texts.CHOOSE_COMMUNITY_LABEL,
        texts.ADD_TO_CASE_LABEL,
        texts.NEXT_PROBLEM_LABEL,
        st.ADDRESS_LABEL,
        st.ANOTHER_PROBLEM_LABEL,
        *CLOSURE_BY_LABEL,
    }
)


# --- text that is no description ----------------------------------------------------


KeptDescriber = Callable[[Update, BotContext, list[str]], Awaitable[str | int | None]]
"""Proposes the matters kept behind a discarded draft (``handlers.citizen.describe_kept``)."""


async def intercepted(update: Update, context: BotContext, text: str) -> bool:
    """Answer a stale keyboard label or a bare case number (True: nothing more to do)."""
    if isinstance(user_data(context).get(emergency_steps.KEY), dict):
        # The details step of an emergency filed outside the conversation (/warn TEXT).
        await emergency_steps.details_text(update, context)
        return True
    if await refused_note.asked(update, context, text):
        return True
    stripped = text.strip()
    if stripped in KEYBOARD_LABELS:
        await reply(update, st.STALE_KEYBOARD, texts.REMOVE_KEYBOARD)
        return True
    number = asked_case_number(stripped)
    if number is None:
        return False
    person = await who(update, context)
    if person is None:
        return True
    runtime = context.runtime
    views = await runtime.cases.cases_of_reporter(person.id, limit=200)
    view = next((v for v in views if v.number == number), None)
    if view is None:
        # A chief or staff member typing a case number their unit may see: its card.
        case_id = await runtime.cases.viewable_case_id(number, person.id)
        if case_id is not None:
            await station_cards.send_card(update, context, person, case_id)
            return True
        await reply(update, st.case_not_yours(number))
        return True
    try:
        timeline = await runtime.cases.timeline(view.id, person.id)
    except CaseError:
        timeline = []
    await reply(update, texts.status_list([view], {view.id: timeline}, runtime.settings.timezone))
    return True


# --- /start during filing ----------------------------------------------------------------

_PROMPTS = {
    LOCATION: (texts.location_prompt, texts.location_keyboard),
    CONTACT: (texts.contact_prompt, texts.contact_keyboard),
    PHOTOS: (texts.photos_prompt, texts.photos_keyboard),
}


async def restart(update: Update, context: BotContext) -> str | int | None:
    """/start inside the conversation: keep the draft, remove the keyboard, ask."""
    from handlers.common import start

    draft = draft_of(context)
    args = context.args or []
    invite = bool(args) and looks_like_invite(args[0])
    if invite or draft is None:
        user_data(context).pop("draft", None)
        left = user_data(context).pop(emergency_steps.KEY, None)  # its details step is left
        if isinstance(left, dict):  # and its 📍/跳过 keyboard goes (trial 26 T6)
            await reply(
                update, st.emergency_step_over(str(left.get("number", ""))), texts.REMOVE_KEYBOARD
            )
        await start(update, context)
        return ConversationHandler.END
    await reply(update, st.draft_kept(str(draft.get("text", ""))), texts.REMOVE_KEYBOARD)
    n = draft.get("n")
    await reply(
        update,
        "请选择：",
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(st.RESUME_LABEL, callback_data=f"{st.RESUME}:{n}"),
                    InlineKeyboardButton(st.DISCARD_LABEL, callback_data=f"{st.DISCARD}:{n}"),
                ]
            ]
        ),
    )
    return None


async def resume(update: Update, context: BotContext) -> str | int | None:
    """继续提交: the step the draft was at, with its keyboard again."""
    query = update.callback_query
    assert query is not None
    serial = (query.data or "").rsplit(":", 1)[-1]
    draft = draft_of(context)
    if draft is None or str(draft.get("n")) != serial:
        # Kept when a newer description came (trial 26 T9): made current again.
        draft = take_older(user_data(context), int(serial)) if serial.isdigit() else None
    if draft is None:
        await query.answer(st.NOTHING_TO_RESUME, show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    user_data(context).pop(emergency_steps.KEY, None)  # an emergency's details step is left
    typed = draft.pop("typed", None)
    if isinstance(typed, str) and typed:
        await reply(update, st.typed_back(typed))
    return await back_to_step(update, draft)


async def back_to_step(update: Update, draft: dict[str, Any]) -> str:
    """The prompt of the step ``draft`` is at, with its keyboard; the step."""
    step = str(draft.get("step") or PROPOSE)
    if step in _PROMPTS:
        prompt, keyboard = _PROMPTS[step]
        await reply(update, prompt(), keyboard())
        return step
    await reply(update, "请点上面问题下方的「提交」继续。")
    return PROPOSE


async def discard(
    update: Update, context: BotContext, describe_kept: KeptDescriber
) -> str | int | None:
    """放弃草稿: the draft is dropped (said so), then the welcome."""
    from handlers.common import start

    query = update.callback_query
    assert query is not None
    draft = draft_of(context)
    if draft is None or str(draft.get("n")) != (query.data or "").rsplit(":", 1)[-1]:
        await query.answer(st.NOTHING_TO_RESUME, show_alert=True)
        return None
    level, line = draft_cancel.draft_level(context, draft)
    if level == "critical":
        # Safety first (review 2 Q5): a critical draft is filed all the same, said so.
        from handlers.request_steps import file_draft

        await query.answer()
        await query.edit_message_text(draft_cancel.CRITICAL_KEPT)
        return await file_draft(update, context)
    user_data(context).pop("draft", None)
    forget_older(user_data(context), draft.get("n"))
    await query.answer()
    # A danger reported meanwhile is not given up with the draft: said so (trial 33 D8).
    danger = await draft_cancel.open_danger_line(update, context)
    serious = [line, draft_cancel.CHANGE_MIND] if line and level == "high" else [line]
    # The next matter of a 分开登记 is not given up with this one (trial 33b E8).
    following = next_problems(draft.get("next"))
    first = [st.DRAFT_DISCARDED] if not following else [st.first_discarded(following[0])]
    told = [*first, *(x for x in (*serious, danger) if x)]
    await query.edit_message_text("\n".join(told))
    if following:
        return await describe_kept(update, context, following)
    await start(update, context)
    return ConversationHandler.END


# --- the proposal's word typed --------------------------------------------------------


async def typed_submit(update: Update, context: BotContext, text: str) -> str | int | None:
    """提交 (确认, 确定) typed while a proposal shows 提交 acts as the button (trial 26 T9);
    typed for a draft kept in its steps, and 继续提交 typed, as the 继续提交 button
    (trial 27 N6). With nothing pending, the citizen is told so: the button's word
    is never read as a description. None: not such a word, read the text as usual."""
    word = text.strip().rstrip("。.!！").strip()
    if word not in st.SUBMIT_WORDS and word not in st.RESUME_WORDS:
        return None
    draft = draft_of(context)
    if draft is None or not draft.get("text"):
        draft = _latest_kept(context)
    if draft is None:
        await reply(update, st.NOTHING_TO_SUBMIT)
        return ConversationHandler.END
    if "step" in draft:
        user_data(context).pop(emergency_steps.KEY, None)
        return await back_to_step(update, draft)
    if draft.get("unsure") and not draft.get("bureau"):
        await reply(update, st.CHOOSE_OFFICE_FIRST)
        return PROPOSE
    draft["step"] = LOCATION
    await reply(update, texts.location_prompt(), texts.location_keyboard())
    return LOCATION


def _latest_kept(context: BotContext) -> dict[str, Any] | None:
    """The newest draft kept in its steps among the older ones, made current, if any."""
    older = [d for d in user_data(context).get(OLDER) or [] if isinstance(d, dict)]
    kept = next((d for d in reversed(older) if "step" in d and d.get("text")), None)
    if kept is None or not isinstance(kept.get("n"), int):
        return None
    return take_older(user_data(context), kept["n"])


#: ``user_data`` key of when the 「提示：您之前的问题…已保留」 tip was last said.
TIP_KEY = "kept_tip"
#: The tip is not said again within this time (by the service's clock).
TIP_WINDOW = timedelta(minutes=10)


async def tell_replaced(update: Update, context: BotContext, earlier: object) -> None:
    """A new description replaced a draft not submitted (kept among the older ones):
    say so, with 继续提交 for one that was in its steps — never dropped silently (T9)."""
    if not isinstance(earlier, dict) or not earlier.get("text"):
        return
    in_steps = "step" in earlier
    if earlier.get("which") and not in_steps:
        return  # asked about with /which: a consultation, nothing was left unsubmitted
    if not in_steps:
        # A proposal's own buttons still file it: the tip is said once in a while, not
        # after every message of a burst (trial 28 P7). A draft in its steps is always
        # told, with 继续提交.
        data = user_data(context)
        told = data.get(TIP_KEY)
        if isinstance(told, dict) and not is_stale(context, told, TIP_WINDOW):
            return
        data[TIP_KEY] = {"at": stamp(context)}
    markup = None
    if in_steps:
        n = earlier.get("n")
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(st.RESUME_LABEL, callback_data=f"{st.RESUME}:{n}")]]
        )
    await reply(update, st.draft_replaced(str(earlier["text"]), in_steps), markup)


# --- a photo with a caption -------------------------------------------------------------


def photo_describer(
    describe: Callable[[Update, BotContext], Awaitable[str | int | None]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, str | int | None]]:
    """A photo with a caption, outside the photo step: ``describe`` it, with the photo attached."""

    async def described_photo(update: Update, context: BotContext) -> str | int | None:
        message = update.effective_message
        state = await describe(update, context)
        draft = draft_of(context)
        if state == PROPOSE and draft is not None and message is not None and message.photo:
            draft["photos"] = [message.photo[-1].file_id]
            await reply(update, st.PHOTO_CAPTION_KEPT)
        return state

    return described_photo


def draft_buttons(describe_kept: KeptDescriber) -> list[BaseHandler[Update, BotContext, object]]:
    """继续提交 / 放弃草稿 (fallbacks of the ``citizen_request`` conversation);
    ``describe_kept`` proposes the matters kept behind a discarded one (the conversation's
    own, passed in so that this module does not import it)."""

    async def discard_draft(update: Update, context: BotContext) -> str | int | None:
        return await discard(update, context, describe_kept)

    return [
        CallbackQueryHandler(resume, pattern=rf"^{re.escape(st.RESUME)}:\d+$"),
        CallbackQueryHandler(discard_draft, pattern=rf"^{re.escape(st.DISCARD)}:\d+$"),
    ]
