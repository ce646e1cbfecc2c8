"""Which office: the classifier's answer, and choosing another office by hand.

The proposal's buttons 换一个部门 / 其他部门 open the bureau picker (every bureau,
grouped by room, with 返回); a chosen bureau is kept and the case goes to its
station. ``/which TEXT`` answers which office, filing nothing; ``/which`` alone (and
the menu's 咨询哪个部门) asks for the problem and answers the next message so. Used by
:mod:`handlers.citizen` (and ``classify`` by :mod:`handlers.officer`).
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Callable, Container
from typing import Any

from telegram import CallbackQuery, Update

from bot.services.cases import MAX_TEXT, Preview
from bot.services.lifecycle import CaseError
from bot.services.triage import triage
from config.district import District
from handlers import texts
from handlers.base import BotContext, is_stale, reply, say, stamp, user_data
from handlers.drafts import start_draft, take_older
from handlers.request_steps import PROPOSE, draft_of
from handlers.texts import steps as st
from handlers.texts.citizens import which_markup


def unsure_below() -> float:
    """The classifier's own "unsure" threshold (``nlp.UNSURE_BELOW``), if it exports one."""
    value = getattr(importlib.import_module("nlp"), "UNSURE_BELOW", None)
    return float(value) if isinstance(value, int | float) else 0.0


def is_unsure(preview: Preview) -> bool:
    """Whether to offer choices instead of one office."""
    return preview.unsure or not preview.room_name or preview.confidence < unsure_below()


#: Texts up to this length are classified on the event loop, longer ones in a thread.
INLINE_CLASSIFY_CHARS = 300


async def classify(context: BotContext, text: str) -> Preview:
    """The service's "which office?" answer.

    A short text (what citizens send: one or two sentences) is classified on the
    event loop: it takes well under a millisecond, less than handing it to a
    thread and back (a queue put, a thread wake-up, a write to the loop's
    self-pipe), and a thread gains no parallelism under the GIL. A long one
    (up to ``MAX_TEXT``) goes to a thread, so that the loop keeps serving other
    updates meanwhile.

    Raises:
        CaseError: ``bad_input`` for a text without words.
    """
    runtime = context.runtime
    started = time.perf_counter()
    if len(text) <= INLINE_CLASSIFY_CHARS:
        preview = runtime.cases.preview(text)
    else:
        preview = await asyncio.to_thread(runtime.cases.preview, text)
    runtime.metrics.classify_latency.observe(time.perf_counter() - started)
    runtime.metrics.classifications.inc(1, preview.room)
    return preview


def _serial_of(data: str) -> int | None:
    tail = data.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


async def current_draft(update: Update, context: BotContext) -> dict[str, Any] | None:
    """The draft a proposal button belongs to, or None (and the user told) if stale."""
    query = update.callback_query
    assert query is not None
    draft = draft_of(context)
    serial = _serial_of(query.data or "")
    if draft is not None and serial == draft.get("n"):
        return draft
    # An older problem's proposal, after a newer one was typed: still usable.
    older = take_older(user_data(context), serial)
    if older is not None:
        await reply(update, st.older_draft_resumed(str(older.get("text", ""))))
        return older
    if draft is not None and serial is not None and serial < int(draft.get("n") or 0):
        await query.answer(st.OLDER_DRAFT_GONE, show_alert=True)
        return None
    await query.answer(texts.STALE_DRAFT, show_alert=True)
    return None


async def _pressed(
    update: Update, context: BotContext
) -> tuple[CallbackQuery, dict[str, Any]] | None:
    """A proposal button's query and the draft it belongs to; None if stale (the user told)."""
    query = update.callback_query
    assert query is not None
    draft = await current_draft(update, context)
    return None if draft is None else (query, draft)


async def other_rooms(update: Update, context: BotContext) -> str | None:
    """换一个部门 / 其他部门: every bureau, grouped by room, and 返回."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return None
    query, draft = pressed
    await query.answer()
    return await _show_picker(query, context.runtime.district, str(draft["n"]))


async def _show_picker(
    query: CallbackQuery, district: District, n: str, room_id: str | None = None
) -> str:
    """The bureau picker (every bureau, or one room's) with 返回, in place of the proposal."""
    await query.edit_message_text(
        texts.fit(texts.bureaus_text(district, room_id=room_id)),
        reply_markup=texts.bureaus_markup(
            district, texts.BUREAU, f"{texts.BACK}:{n}", n, room_id=room_id
        ),
    )
    return PROPOSE


async def _picked(
    update: Update, context: BotContext, known: Callable[[District], Container[str]]
) -> tuple[CallbackQuery, dict[str, Any], District, str] | None:
    """A picker button's query, draft, district and the id it names (``PREFIX:kind:ID:N``),
    the id one of ``known(district)``; None for a stale draft, a forged id refused."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return None
    query, draft = pressed
    district = context.runtime.district
    parts = (query.data or "").split(":")
    picked = parts[2] if len(parts) == 4 else ""
    if picked not in known(district):
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return None
    return query, draft, district, picked


async def choose_bureau(update: Update, context: BotContext) -> str | None:
    """A bureau chosen by hand: the case will go to its station."""
    picked = await _picked(update, context, lambda district: district.bureaus)
    if picked is None:
        return None
    return await _keep_bureau(*picked)


async def _keep_bureau(
    query: CallbackQuery, draft: dict[str, Any], district: District, bureau_id: str
) -> str:
    """Put the bureau (and its room) in the draft and show the proposal with 提交."""
    draft["room"] = district.bureaus[bureau_id].room_id
    draft["bureau"] = bureau_id
    draft.pop("detail_invited", None)  # the office chosen: the invited detail is over
    await query.answer(f"已选择{district.bureaus[bureau_id].name}")
    await query.edit_message_text(
        texts.fit(texts.chosen_bureau(district, bureau_id, str(draft["text"]))),
        reply_markup=texts.submit_markup(int(draft["n"])),
    )
    return PROPOSE


async def back_to_proposal(update: Update, context: BotContext) -> str | None:
    """返回 from the picker: the proposal as it was (the draft's choice unchanged)."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return None
    query, draft = pressed
    await query.answer()
    district = context.runtime.district
    text = str(draft["text"])
    n = int(draft["n"])
    if draft.get("bureau") in district.bureaus:
        await query.edit_message_text(
            texts.fit(texts.chosen_bureau(district, str(draft["bureau"]), text)),
            reply_markup=texts.submit_markup(n),
        )
        return PROPOSE
    preview = await classify(context, text)
    unsure = is_unsure(preview)
    await query.edit_message_text(
        texts.fit(texts.proposal(preview, text, district, unsure=unsure)),
        reply_markup=texts.proposal_markup(preview, district, n, unsure=unsure),
    )
    return PROPOSE


async def choose_room(update: Update, context: BotContext) -> str | None:
    """A room chosen by hand."""
    picked = await _picked(update, context, lambda district: district.rooms)
    if picked is None:
        return None
    query, draft, district, room_id = picked
    # A room keeps a bureau: the classifier's guess inside that room, else the citizen
    # picks one of the room's bureaus (a case without a bureau would go to the desk).
    preview = await classify(context, str(draft["text"]))
    guess = next(
        (
            a.bureau
            for a in preview.alternatives
            if a.room == room_id and a.bureau in district.bureaus
        ),
        None,
    )
    if guess is None:
        await query.answer()
        return await _show_picker(query, district, str(draft["n"]), room_id)
    return await _keep_bureau(query, draft, district, guess)


# --- /which -------------------------------------------------------------------------------


#: The mark of a draft kept from a /which answer (:func:`_which_draft`).
WHICH = "which"
#: ``user_data`` key: /which without text (or the menu's 咨询哪个部门) asked for the
#: problem, and the next message is answered as a /which question (pf29).
ASK_WHICH = "which_next"


async def which(update: Update, context: BotContext) -> None:
    """/which TEXT: the office, nothing filed. Without text: ask for the problem, and
    answer the next message the same way (:func:`asked_which`)."""
    text = " ".join(context.args or [])
    if not text.strip():
        await ask_which(update, context)
        return
    await answer_which(update, context, text)


async def ask_which(update: Update, context: BotContext) -> None:
    """Ask for the problem whose office the citizen wants to know (nothing is filed)."""
    user_data(context)[ASK_WHICH] = {"at": stamp(context)}
    await say(update, texts.WHICH_PROMPT)


async def asked_which(update: Update, context: BotContext, text: str) -> bool:
    """The message after :func:`ask_which`: answered as a /which question (True), unless
    it tells of danger now (that goes the usual way: the line and a case at once)."""
    pending = user_data(context).pop(ASK_WHICH, None)
    if not isinstance(pending, dict) or is_stale(context, pending):
        return False
    verdict = triage(text) if text.strip() else None
    if verdict is not None and verdict.emergency is not None:
        return False
    await answer_which(update, context, text)
    return True


async def answer_which(update: Update, context: BotContext, text: str) -> None:
    """Which office handles ``text``: the office only, no 提交, nothing filed."""
    if len(text) > MAX_TEXT:
        await say(update, texts.too_long(len(text), MAX_TEXT))
        return
    verdict = triage(text)
    if verdict.small_talk or verdict.kind == "vague":
        # Not a problem to route (你好, 123, 我有个问题): no guessed offices.
        await say(update, texts.WHICH_NEEDS_PROBLEM)
        return
    try:
        preview = await classify(context, text)
    except CaseError:
        await say(update, texts.EMPTY_TEXT)
        return
    if verdict.emergency is not None:
        await say(update, verdict.emergency.line)
    unsure = is_unsure(preview)
    n = _which_draft(context, text, preview, unsure)
    district = context.runtime.district
    await say(
        update,
        texts.which_answer(preview, district, unsure=unsure, offer=n is not None),
        None if n is None else which_markup(preview, district, n, unsure=unsure),
    )


def _which_draft(context: BotContext, text: str, preview: Preview, unsure: bool) -> int | None:
    """The /which answer's problem kept as a draft, not filed (trial 30 #21): its buttons
    file it without typing it again, and a short 不对 opens the 换一个部门 picker for it
    (:func:`handlers.follow_on.corrects_office`). Marked ``which``: a consultation, so it
    is neither continued by the next short message nor announced as left unsubmitted.

    None while another problem is in its steps after 提交 (/which asked in the middle of
    the place or contact step): that draft stays the one the step's answer goes to.
    """
    data = user_data(context)
    current = data.get("draft")
    if isinstance(current, dict) and "step" in current:
        return None
    draft = start_draft(data, stamp(context), text, preview.bureau, unsure=unsure)
    draft[WHICH] = True
    return int(draft["n"])
