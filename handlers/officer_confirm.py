"""The warning's proposal: its text, then 确认 or changes of office and level.

The text is classified into a proposal (room, bureau, severity and 定级依据);
确认 files and sends it at once (:func:`handlers.officer_filing.file_warning`),
and the optional steps (place, head count, photos) then amend the filed
warning. A level may be raised freely; lowering a critical one asks for a
reason (the next message, or 保持 / /cancel to keep the level).

A text the rules rate 特别重大 is not held for 确认: it is filed and alerted the
moment it arrives (:func:`file_at_once`). A place sent alone before the text is
kept and put in front of the text that follows.
"""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.services.cases import MAX_TEXT
from bot.services.lifecycle import CaseError
from bot.services.triage import emergency_of, levels_allowed, needs_reason, reason_ok
from handlers import texts
from handlers.base import BotContext, message_text, reply, stamp
from handlers.office_choice import classify, is_unsure
from handlers.officer_filing import (
    W_CONFIRM,
    W_REASON,
    W_TEXT,
    danger_line,
    file_warning,
    not_a_description,
    officer_of,
    only_a_place,
)
from handlers.warning_proposal import hold_proposal, propose, release_proposal
from handlers.warning_steps import W_COUNT, W_PLACE, warn_data, warn_draft
from nlp.emergency import emoji_services

__all__ = [
    "confirm",
    "confirm_button",
    "keep_level",
    "lowering_reason",
    "propose_text",
    "warning_text",
]


async def confirm(
    update: Update, context: BotContext, draft: dict[str, Any], shown: int | None
) -> str | int:
    """确认 (the button, or the word typed: trial 26 T9): filed and sent now; the proposal
    message ``shown`` says so without buttons, and the optional steps amend the warning."""
    person = await officer_of(update, context)
    if person is None:
        return ConversationHandler.END
    view = await file_warning(update, context, person, draft)
    if view is None:
        return ConversationHandler.END
    chat = update.effective_chat
    if shown is not None and chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.edit_message_text(
                texts.fit(texts.warning_proposal(draft, context.runtime.district, confirmed=True)),
                chat_id=chat.id,
                message_id=shown,
            )
    warn_data(context)["warn"] = {"at": stamp(context), "case_id": view.id, "number": view.number}
    return await first_step(update, draft)


async def first_step(update: Update, draft: dict[str, Any]) -> str:
    """The first optional step after filing: the place, unless the officer gave it first
    (``/warn 东城街道人民广场`` then the text: trial 34 #16), then the head count."""
    if isinstance(draft.get("place"), str) and draft["place"]:
        await reply(update, texts.head_count_prompt(), texts.skip_keyboard())
        return W_COUNT
    await reply(update, texts.place_prompt(), texts.place_keyboard())
    return W_PLACE


async def warning_text(update: Update, context: BotContext) -> str | None:
    """The warning's text: propose room, bureau and severity."""
    return await propose_text(update, context, message_text(update).strip())


async def propose_text(update: Update, context: BotContext, text: str) -> str | None:
    """Propose room, bureau and severity for ``text`` (None: not a description)."""
    if len(text) > MAX_TEXT:
        await reply(update, texts.too_long(len(text), MAX_TEXT))
        return None
    previous = warn_draft(context)
    # A place given first (``/warn 人民广场``, or typed alone for the text) waits for the
    # text; a proposal already shown is never replaced by a bare place.
    asked = previous is not None and "text" not in previous
    if asked and previous is not None and only_a_place(text):
        previous["place"] = text[:500]
        await reply(update, texts.place_kept_prompt(text[:500]), texts.REMOVE_KEYBOARD)
        return W_TEXT
    place = previous.get("place") if asked and previous is not None else None
    if isinstance(place, str) and place and place not in text:
        text = f"{place}：{text}"
    if not_a_description(text):
        await reply(update, texts.warn_needs_description(emoji_services(text)))
        return None
    try:
        preview = await classify(context, text)
    except CaseError:
        await reply(update, texts.EMPTY_TEXT)
        return None
    draft: dict[str, Any] = {
        "at": stamp(context),
        "text": text,
        "room": preview.room if preview.room in context.runtime.district.rooms else None,
        "bureau": preview.bureau if preview.bureau in context.runtime.district.bureaus else None,
        "severity": preview.severity,
        "rubric": preview.severity,
        "why": preview.severity_why,
        "unsure": is_unsure(preview),
        "keywords": list(preview.keywords),
        "photos": [],
    }
    if isinstance(place, str) and place:
        draft["place"] = place
    if previous is not None and isinstance(previous.get("msg"), int):
        draft["msg"] = previous["msg"]
    if emergency_of(text) is not None:
        # Danger now is filed at once as 特别重大, as the service rates it (trial 33b E1).
        draft["severity"] = draft["rubric"] = "critical"
        # Owned as a citizen's report of the same words is (trial 34 #1): the proposal
        # names that owner, no unsure guess of the classifier's (trial 34 #16).
        owner = context.runtime.cases.warning_danger_owner(text)
        if owner is not None:
            draft["room"], draft["bureau"] = owner
            draft["unsure"] = False
    warn_data(context)["warn"] = draft
    if draft["severity"] == "critical":
        return await file_at_once(update, context, draft, line=True)
    await danger_line(update, text)
    await propose(update, context, draft)
    return W_CONFIRM


async def file_at_once(
    update: Update, context: BotContext, draft: dict[str, Any], *, line: bool = False
) -> str | None:
    """A warning the rules rate 特别重大 is filed and alerted now, without waiting for 确认.

    An officer on the phone to 110 may never press it. The receipt comes at once, with
    补充说明, 撤回 and 更改等级 under it; the optional steps (place, head count, photos)
    follow and amend it. A wrong level is corrected with 更改等级 (lowering it needs a
    reason: :mod:`handlers.warning_level`); a wrong office is said in 补充说明 (the
    station can 退单 a misrouted one).
    """
    person = await officer_of(update, context)
    if person is None:
        return None
    # Filed first; then (``line``: the number to call) what was filed and why (分类, 等级,
    # 定级依据), then the receipt with its number.
    shown = texts.fit(texts.warning_proposal(draft, context.runtime.district, at_once=True))
    view = await file_warning(
        update, context, person, draft, one_shot=True, line=line, preface=shown
    )
    if view is None:
        return None
    await reply(update, texts.WARNING_FILED_AT_ONCE)
    warn_data(context)["warn"] = {"at": stamp(context), "case_id": view.id, "number": view.number}
    return await first_step(update, draft)


async def confirm_button(update: Update, context: BotContext) -> str | int | None:
    """确认 / 更改部门 / 更改等级 / 取消 and the room and severity choices."""
    query = update.callback_query
    assert query is not None
    draft = warn_draft(context)
    data = query.data or ""
    district = context.runtime.district
    if draft is None or "text" not in draft:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return ConversationHandler.END
    shown = query.message.message_id if query.message is not None else None
    if isinstance(draft.get("msg"), int) and shown is not None and shown != draft["msg"]:
        await query.answer(texts.OLDER_PROPOSAL, show_alert=True)
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        return W_CONFIRM
    if data == texts.W_OK:
        await query.answer()
        await query.edit_message_reply_markup(None)
        return await confirm(update, context, draft, shown)
    if data == texts.W_CANCEL:
        warn_data(context).pop("warn", None)
        await release_proposal(update, context)
        await query.answer()
        await query.edit_message_reply_markup(None)
        await reply(update, texts.WARN_CANCELLED, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    if data == texts.W_ROOMS:
        await query.answer()
        await query.edit_message_text(
            texts.fit(texts.bureaus_text(district)),
            reply_markup=texts.bureaus_markup(district, texts.W_BUREAU, texts.W_BACK),
        )
        return W_CONFIRM
    if data == texts.W_BACK:
        await query.answer()
        await query.edit_message_text(
            texts.fit(texts.warning_proposal(draft, district)), reply_markup=texts.warning_markup()
        )
        return W_CONFIRM
    if data == texts.W_SEVS:
        await query.answer()
        rubric = str(draft.get("rubric") or draft.get("severity") or "low")
        await query.edit_message_reply_markup(texts.severity_markup(rubric))
        return W_CONFIRM
    kind, _, value = data.rpartition(":")
    if kind == texts.W_BUREAU and value in district.bureaus:
        # The officer's choice replaces the classifier's: its keywords no longer apply.
        draft["room"] = district.bureaus[value].room_id
        draft["bureau"] = value
        draft["unsure"] = False
        draft["chosen"] = True
        draft["keywords"] = []
    elif kind == texts.W_ROOM and value in district.rooms:
        draft["room"] = value
        draft["unsure"] = False
        draft["chosen"] = True
        draft["keywords"] = []
        if draft.get("bureau") not in district.rooms[value].bureaus:
            draft["bureau"] = None
    elif kind == texts.W_SEV and value in texts.SEVERITY_ORDER:
        rubric = str(draft.get("rubric") or draft.get("severity") or "low")
        if needs_reason(rubric, value):
            if value not in levels_allowed(rubric):
                await query.answer(texts.level_too_low(rubric), show_alert=True)
                return W_CONFIRM
            draft["lowering"] = value
            await query.answer()
            await query.edit_message_reply_markup(None)
            await reply(
                update, texts.lower_reason_prompt(rubric, value), texts.keep_level_markup(rubric)
            )
            return W_REASON
        draft["severity"] = value
        draft.pop("severity_reason", None)
    else:
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return W_CONFIRM
    await hold_proposal(update, context, draft)  # the held proposal takes the change
    await query.answer()
    await query.edit_message_text(
        texts.fit(texts.warning_proposal(draft, district)), reply_markup=texts.warning_markup()
    )
    return W_CONFIRM


async def lowering_reason(update: Update, context: BotContext) -> str | None:
    """The reason for lowering a critical level; then the proposal again."""
    text = message_text(update).strip()
    draft = warn_draft(context)
    if draft is None or "lowering" not in draft:
        return None
    # The answer says 不降级请点「保持」: the button comes with it (trial 29 #13).
    keep = texts.keep_level_markup(str(draft.get("rubric") or draft.get("severity") or "low"))
    if not text:
        await reply(update, texts.EMPTY_REASON, keep)
        return W_REASON
    if not reason_ok(text):
        await reply(update, texts.weak_reason(), keep)
        return W_REASON
    draft["severity"] = draft.pop("lowering")
    draft["severity_reason"] = text[:500]
    await propose(update, context, draft)
    return W_CONFIRM


async def keep_level(update: Update, context: BotContext) -> str | int:
    """「保持」 (or /cancel) while a reason is asked for: the level stays, the warning too."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_reply_markup(None)
    draft = warn_draft(context)
    if draft is None or "text" not in draft:
        await reply(update, texts.WARN_CANCELLED, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    draft.pop("lowering", None)
    rubric = str(draft.get("rubric") or draft.get("severity") or "low")
    await reply(update, texts.level_kept(rubric))
    await propose(update, context, draft)
    return W_CONFIRM
