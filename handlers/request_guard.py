"""Guards around a citizen's filing: nothing typed is lost or misread.

* ``/start`` during filing keeps the draft and asks 是否放弃当前草稿？ (继续提交 /
  放弃草稿), with the step's reply keyboard taken away.
* A reply-keyboard label (跳过, 完成, 实际解决 …) arriving when no step waits for it
  is never proposed as a problem; the stale keyboard is removed.
* A case number sent alone shows that case to its reporter.
* A text at the location step that reads like another problem is asked about.
* A proposal's buttons keep working after a newer problem was typed (the older
  drafts are kept, a few of them).
* A photo with a caption is a description with the photo attached.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot.services.lifecycle import CaseError
from handlers import emergency_steps, texts
from handlers.base import BotContext, reply, user_data, who
from handlers.request_steps import CONTACT, LOCATION, PHOTOS, PROPOSE, draft_of, forget_older
from handlers.texts import steps as st
from handlers.texts.stations import CLOSURE_BY_LABEL

#: Older unsubmitted drafts kept for their proposal's buttons (``user_data`` key, how many).
OLDER = "older_drafts"
MAX_OLDER = 3

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

_CASE_NUMBER_RE = re.compile(r"^\s*(?:/status\s+)?(MQ\d{8}-\d{4,})\s*$", re.IGNORECASE)

# --- the location step: a place, or another problem? -------------------------------

#: Words that say "this is a problem", not a place.
_PROBLEM_RE = re.compile(
    r"另外|还有一个|还有个|坏了|停了|没人管|没人来|没人修|困难|怎么办|投诉|反映|拖欠|不发|太差"
    r"|严重|扰民|噪音|漏水|堵了|堵塞|破损|不给|不让|不管|好几天|一个月|几个月|半年|影响"
)
#: Words and shapes of an address.
_PLACE_RE = re.compile(
    r"\d+\s*(?:号|栋|幢|楼|单元|室|层|弄|巷)|路|街|巷|村|小区|社区|门口|附近|对面|旁边"
)


def looks_like_problem(text: str) -> bool:
    """Whether text typed at the location step reads like a problem description."""
    text = text.strip()
    if len(text) < 8:
        return False
    if _PROBLEM_RE.search(text):
        return True
    return len(text) > 30 and not _PLACE_RE.search(text)


async def location_guard(update: Update, context: BotContext, text: str) -> str | None:
    """Ask about text that reads like a problem; the state to stay in, or None to go on."""
    draft = draft_of(context)
    if draft is None:
        return None
    pending = draft.pop("maybe_address", None)
    if isinstance(pending, str):
        if text == st.ADDRESS_LABEL:
            draft["address"] = pending[:500]
            return None
        if text == st.ANOTHER_PROBLEM_LABEL:
            draft["next"] = pending
            await reply(update, st.ANOTHER_PROBLEM_KEPT)
            return None
    if looks_like_problem(text):
        draft["maybe_address"] = text
        await reply(update, st.address_or_problem(text), st.address_or_problem_keyboard())
        return LOCATION
    return None


# --- text that is no description ----------------------------------------------------


async def intercepted(update: Update, context: BotContext, text: str) -> bool:
    """Answer a stale keyboard label or a bare case number (True: nothing more to do)."""
    if isinstance(user_data(context).get(emergency_steps.KEY), dict):
        # The details step of an emergency filed outside the conversation (/warn TEXT).
        await emergency_steps.details_text(update, context)
        return True
    stripped = text.strip()
    if stripped in KEYBOARD_LABELS:
        await reply(update, st.STALE_KEYBOARD, texts.REMOVE_KEYBOARD)
        return True
    match = _CASE_NUMBER_RE.match(stripped)
    if match is None:
        return False
    number = match.group(1).upper()
    person = await who(update, context)
    if person is None:
        return True
    runtime = context.runtime
    views = await runtime.cases.cases_of_reporter(person.id, limit=200)
    view = next((v for v in views if v.number == number), None)
    if view is None:
        await reply(update, st.case_not_yours(number))
        return True
    try:
        timeline = await runtime.cases.timeline(view.id, person.id)
    except CaseError:
        timeline = []
    await reply(update, texts.status_list([view], {view.id: timeline}, runtime.settings.timezone))
    return True


# --- older drafts ------------------------------------------------------------------------


def keep_older(data: dict[str, Any]) -> None:
    """Before a new description replaces the draft: keep an unsubmitted one for its buttons."""
    draft = data.get("draft")
    if not isinstance(draft, dict) or "step" in draft:
        return
    older = [d for d in data.get(OLDER) or [] if isinstance(d, dict)]
    data[OLDER] = [*older, draft][-MAX_OLDER:]


def take_older(data: dict[str, Any], serial: int | None) -> dict[str, Any] | None:
    """The older draft with ``serial``, made current (the current one kept in its place)."""
    older = [d for d in data.get(OLDER) or [] if isinstance(d, dict)]
    found = next((d for d in older if d.get("n") == serial), None)
    if found is None:
        return None
    rest = [d for d in older if d is not found]
    current = data.get("draft")
    if isinstance(current, dict) and "step" not in current:
        rest.append(current)
    data[OLDER] = rest[-MAX_OLDER:]
    data["draft"] = found
    return found


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
    if context.args or draft is None:
        user_data(context).pop("draft", None)
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
    draft = draft_of(context)
    if draft is None or str(draft.get("n")) != (query.data or "").rsplit(":", 1)[-1]:
        await query.answer(st.NOTHING_TO_RESUME, show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    step = str(draft.get("step") or PROPOSE)
    if step in _PROMPTS:
        prompt, keyboard = _PROMPTS[step]
        await reply(update, prompt(), keyboard())
        return step
    await reply(update, "请点上面问题下方的「提交」继续。")
    return PROPOSE


async def discard(update: Update, context: BotContext) -> int | None:
    """放弃草稿: the draft is dropped (said so), then the welcome."""
    from handlers.common import start

    query = update.callback_query
    assert query is not None
    draft = draft_of(context)
    if draft is None or str(draft.get("n")) != (query.data or "").rsplit(":", 1)[-1]:
        await query.answer(st.NOTHING_TO_RESUME, show_alert=True)
        return None
    user_data(context).pop("draft", None)
    forget_older(user_data(context), draft.get("n"))
    await query.answer()
    await query.edit_message_text(st.DRAFT_DISCARDED)
    await start(update, context)
    return ConversationHandler.END


# --- a photo with a caption -------------------------------------------------------------


async def described_photo(update: Update, context: BotContext) -> str | int | None:
    """A photo with a caption, outside the photo step: a description with the photo."""
    from handlers.citizen import describe

    message = update.effective_message
    state = await describe(update, context)
    draft = draft_of(context)
    if state == PROPOSE and draft is not None and message is not None and message.photo:
        draft["photos"] = [message.photo[-1].file_id]
        await reply(update, st.PHOTO_CAPTION_KEPT)
    return state


def caption_of(update: Update) -> str:
    """A photo's caption (empty for none)."""
    message = update.effective_message
    return (message.caption or "").strip() if message is not None else ""


def draft_buttons() -> list[BaseHandler[Update, BotContext, object]]:
    """继续提交 / 放弃草稿 (fallbacks of the ``citizen_request`` conversation)."""
    return [
        CallbackQueryHandler(resume, pattern=rf"^{re.escape(st.RESUME)}:\d+$"),
        CallbackQueryHandler(discard, pattern=rf"^{re.escape(st.DISCARD)}:\d+$"),
    ]
