"""Station buttons: the helpers shared by the card buttons and the note conversation.

Decoding a signed button, refusing it (and saying what became of the case when it is
out of date), and settling a notice once acted on.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot.services import notifications as nt
from bot.services.callbacks import CallbackAction, CaseAction
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from handlers import texts
from handlers.base import (
    BotContext,
    masked,
)

log = logging.getLogger("handlers.station")


def _data(context: BotContext) -> dict[str, Any]:
    if context.user_data is None:  # pragma: no cover - private chats always have a user
        raise RuntimeError("no user_data")
    return context.user_data


async def _decode(
    update: Update, context: BotContext
) -> tuple[CallbackQuery, CallbackAction] | None:
    """The pressed button's verified action, or None after refusing a forged one."""
    query = update.callback_query
    if query is None:
        return None
    action = context.runtime.codec.decode(query.data)
    if action is None:
        log.warning(
            "forged or malformed callback data from user %s refused: %r",
            query.from_user.id,
            masked(query.data, 64),
        )
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return None
    return query, action


#: Refusals that mean the pressed message is out of date (the case moved on).
OUT_OF_DATE = frozenset({"stale", "no_request", "illegal_transition"})


def _on_a_card(query: CallbackQuery) -> bool:
    """Whether the pressed message is a case card (the outbox keeps those up to date)."""
    message = query.message
    text = getattr(message, "text", None) or ""
    return text.startswith(tuple(f"【{label}】" for label in nt.KIND_LABELS.values()))


async def _settle_message(query: CallbackQuery, line: str) -> None:
    """A notice (【重办】, 【延期申请】, the desk's picker …) acted on or out of date:
    its buttons go and a line says what became of it. Cards are left to the outbox."""
    message = query.message
    text = getattr(message, "text", None)
    if not text or _on_a_card(query):
        return
    try:
        await query.edit_message_text(texts.fit(f"{text}\n\n{line}"), reply_markup=None)
    except TelegramError as exc:  # a cosmetic edit never fails the action
        log.info("could not settle message: %s", type(exc).__name__)


async def _refused(
    query: CallbackQuery,
    person: PersonInfo,
    action: CallbackAction,
    exc: CaseError,
    context: BotContext | None = None,
) -> None:
    """Tell the presser why nothing happened, and log it.

    A notice whose case has moved on is told as such, with the case's state now
    (rather than "updated by someone else", which may have been the presser), and
    loses its buttons.
    """
    level = logging.WARNING if exc.code == "forbidden" else logging.INFO
    log.log(
        level,
        "%s on case %s by person %s refused: %s",
        action.action.value,
        action.case_id,
        person.id,
        exc.code,
    )
    # A 派至 / room button of a notice whose case the desk sent on already is refused as
    # "not the owner's": say where it went instead (trial 28 P10).
    moved_on = exc.code == "forbidden" and action.action in _DISPATCHING
    if context is not None and (exc.code in OUT_OF_DATE or moved_on):
        told = await _what_became_of_it(context, person, action)
        if told is not None:
            await query.answer(told, show_alert=True)
            await _settle_message(query, f"（{told}）")
            return
    await query.answer(exc.message, show_alert=True)


#: The event that a case action writes (to say who did it already).
_EVENT_OF = {
    CaseAction.ACKNOWLEDGE: "acknowledged",
    CaseAction.START: "in_progress",
    CaseAction.RESOLVE: "resolved",
    CaseAction.RETURN: "returned",
    CaseAction.REJECT: "rejected",
    CaseAction.DISPATCH: "dispatched",
    CaseAction.CHOOSE_ROOM: "dispatched",
}
#: The desk's buttons (派至, a room, the stations).
_DISPATCHING = frozenset({CaseAction.DISPATCH, CaseAction.CHOOSE_ROOM})


async def _what_became_of_it(
    context: BotContext, person: PersonInfo, action: CallbackAction
) -> str | None:
    """An out-of-date button: whether its action was done already, and by whom
    (the presser himself, after a double tap, is told so), or only the message is old."""
    cases = context.runtime.cases
    try:
        view = await cases.get_case_view(action.case_id, person.id)
        timeline = await cases.timeline(action.case_id, person.id)
    except CaseError:
        return None
    kind = _EVENT_OF.get(action.action)
    last = next((e for e in reversed(timeline) if kind and e.type == kind), None)
    by_me = last is not None and last.actor_id == person.id
    done_by = (last.actor_name or last.unit_name) if last is not None else None
    if action.action in _DISPATCHING and view.status in ("registered", "returned"):
        return None  # still at the desk: the refusal itself says why
    return texts.outdated_notice(view, action.action, done_by, by_me)
