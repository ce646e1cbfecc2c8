"""Station chiefs and staff: the buttons on case cards, 办结/退单/上报/不予受理 notes, /pending.

Case cards are written by the services to the outbox and shown (and edited in
place) by the delivery worker. A button press here is decoded and verified
with the installation's :class:`~bot.services.callbacks.CallbackCodec`: forged or
malformed data is refused and logged and changes nothing. The service then
checks the person's permission and the card's version (a button on an
out-of-date card is refused as stale; one pressed by someone it was not drawn
for, as not theirs). 办结, 退单, 上报 and the desk's 不予受理 take a note: the
next text message (or /cancel) — a small persistent conversation.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services import notifications as nt
from bot.services.callbacks import CallbackAction, CaseAction
from bot.services.cases import MIN_RESULT_CHARS, RESULT_TOO_SHORT, CaseView
from bot.services.lifecycle import CaseError, is_meaningful
from bot.services.people import PersonInfo
from handlers import texts
from handlers.base import (
    PRIVATE,
    PRIVATE_TEXT,
    App,
    BotContext,
    is_persistent,
    mark_saved,
    masked,
    message_text,
    quiet_per_message_warning,
    reply,
    stamp,
    who,
)
from handlers.flow import expiring, leave_and_redo

log = logging.getLogger(__name__)

NOTE = "note"
#: 办结 only: the closure kind after the note.
CLOSURE = "closure"
#: Actions that ask for a note before the service is called (上报's reason may be skipped,
#: as on the web where the note field is optional).
NOTE_ACTIONS = (CaseAction.RESOLVE, CaseAction.RETURN, CaseAction.ESCALATE, CaseAction.REJECT)


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
    if context is not None and exc.code in OUT_OF_DATE:
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
}


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
    return texts.outdated_notice(view, action.action, done_by, by_me)


async def card_button(update: Update, context: BotContext) -> None:
    """签收 / 处理中 / 派单 / 选择服务室 / 查看 on a case card."""
    decoded = await _decode(update, context)
    if decoded is None:
        return
    query, action = decoded
    person = await who(update, context)
    if person is None:
        return
    cases = context.runtime.cases
    act = action.action
    try:
        if act == CaseAction.REFRESH and action.arg == nt.CLOSE_PICKER:
            await query.answer()
            await query.delete_message()
            return
        if act == CaseAction.REFRESH:
            await _send_card(update, context, person, action.case_id)
            await query.answer()
            return
        if act == CaseAction.CHOOSE_ROOM:
            await _choose_bureau(update, context, person, action)
            return
        view: CaseView
        if act == CaseAction.ACKNOWLEDGE:
            view = await cases.acknowledge(
                action.case_id, person.id, expected_version=action.version
            )
        elif act == CaseAction.START:
            view = await cases.start_progress(
                action.case_id, person.id, expected_version=action.version
            )
        elif act in (CaseAction.EXTEND_OK, CaseAction.EXTEND_NO):
            view = await cases.decide_extension(
                action.case_id,
                person.id,
                act == CaseAction.EXTEND_OK,
                expected_version=action.version,
            )
        elif act == CaseAction.URGE:
            view = await cases.urge(action.case_id, person.id, expected_version=action.version)
        elif act == CaseAction.DISPATCH and action.arg:
            view = await cases.dispatch(
                action.case_id, person.id, action.arg, expected_version=action.version
            )
        else:
            log.warning("button %s not usable here (user %s)", act.value, person.id)
            await query.answer(texts.FORGED_BUTTON, show_alert=True)
            return
    except CaseError as exc:
        retried = await _from_an_older_notice(query, context, person, action, exc)
        if retried is None:
            await _refused(query, person, action, exc, context)
            return
        view = retried
    mark_saved(update, context, f"{view.number} {texts.ACTION_DONE.get(act, '')}")
    log.info("%s on %s by person %s", act.value, view.number, person.id)
    done = texts.ACTION_DONE.get(act, "已完成")
    if act == CaseAction.DISPATCH:
        done += f"至{view.owning_unit_name}"
    await query.answer(f"{done}：{view.number}")
    await _settle_message(query, f"✔ {done}（{person.name}）")


async def _from_an_older_notice(
    query: CallbackQuery,
    context: BotContext,
    person: PersonInfo,
    action: CallbackAction,
    exc: CaseError,
) -> CaseView | None:
    """签收 / 处理中 pressed on an older message of the case (a 【定级说明】, a
    reminder) drawn before a later change: the act means the same on the newest
    card, so it is done there if it is still possible (else None: refused)."""
    if exc.code != "stale" or _on_a_card(query):
        return None
    if action.action not in (CaseAction.ACKNOWLEDGE, CaseAction.START):
        return None
    cases = context.runtime.cases
    try:
        now = await cases.get_case_view(action.case_id, person.id)
        if action.action == CaseAction.ACKNOWLEDGE:
            return await cases.acknowledge(action.case_id, person.id, expected_version=now.version)
        return await cases.start_progress(action.case_id, person.id, expected_version=now.version)
    except CaseError:
        return None


async def _send_card(update: Update, context: BotContext, person: PersonInfo, case_id: int) -> None:
    """Show a case's card (with the viewer's buttons) as a new message."""
    text, markup = await context.runtime.cases.render_card(case_id, person.id)
    await reply(update, text, texts.inline_from_dict(markup))


async def _choose_bureau(
    update: Update, context: BotContext, person: PersonInfo, action: CallbackAction
) -> None:
    """The dispatcher desk chose a room: offer its bureaus as 派单 buttons."""
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    room_id = action.arg or ""
    if room_id not in runtime.district.rooms and room_id != nt.STATIONS_CHOICE:
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return
    # Only someone who may dispatch it now gets the picker (the service checks 派单 again).
    await runtime.people.check_action(person.id, action.case_id, action.version, action.action)
    view = await runtime.cases.get_case_view(action.case_id, person.id)
    markup = nt.dispatch_markup(runtime.codec, view.id, view.version, runtime.district, room_id)
    await query.answer()
    await reply(
        update,
        texts.choose_dispatch_target(view.number, runtime.district, room_id),
        texts.inline_from_dict(markup),
    )


async def note_button(update: Update, context: BotContext) -> str | int | None:
    """办结 / 退单 / 上报: check the button, then ask for the note (the reason)."""
    decoded = await _decode(update, context)
    if decoded is None:
        return None
    query, action = decoded
    person = await who(update, context)
    if person is None or action.action not in NOTE_ACTIONS:
        await query.answer(texts.FORGED_BUTTON, show_alert=True)
        return None
    try:
        number = await context.runtime.people.check_action(
            person.id, action.case_id, action.version, action.action
        )
    except CaseError as exc:
        await _refused(query, person, action, exc)
        return ConversationHandler.END
    earlier = _data(context).get("note")
    _data(context)["note"] = {
        "at": stamp(context),
        "action": action.action.value,
        "case": action.case_id,
        "version": action.version,
        "number": number,
    }
    await query.answer()
    prompt = texts.note_prompt(action.action, number)
    dropped = _abandoned(earlier, action.case_id, action.action)
    if dropped:
        prompt = f"{dropped}\n{prompt}"
    await reply(update, prompt, texts.REMOVE_KEYBOARD)
    return NOTE


def _abandoned(pending: object, case_id: int, action: CaseAction) -> str | None:
    """The line telling that ``pending`` (an awaited note) was dropped, unless it is
    the same action on the same case (pressed again: still awaited)."""
    if not isinstance(pending, dict) or "action" not in pending:
        return None
    try:
        earlier = CaseAction(str(pending["action"]))
    except ValueError:
        return None
    if earlier == action and int(pending.get("case", 0)) == case_id:
        return None
    return texts.note_abandoned(earlier, str(pending.get("number", "")))


async def note_interrupted(update: Update, context: BotContext) -> int:
    """Another card button (签收, 派单 …) while a note is awaited: the awaited
    办结 / 退单 / 上报 is cancelled (and said so), then the button does its work."""
    pending = _data(context).pop("note", None)
    await card_button(update, context)
    dropped = _abandoned(pending, 0, CaseAction.REFRESH)
    if dropped:
        await reply(update, dropped.strip("（）"), texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def note_text(update: Update, context: BotContext) -> str | int | None:
    """The note: 退单 calls the service; 办结 asks for the closure kind first."""
    pending = _data(context).pop("note", None)
    person = await who(update, context)
    if not isinstance(pending, dict) or person is None:
        return ConversationHandler.END
    text = message_text(update).strip()
    if not text:
        _data(context)["note"] = pending
        await reply(update, texts.NOTE_EXPECTED)
        return None
    action = CaseAction(str(pending["action"]))
    case_id, version = int(pending["case"]), int(pending["version"])
    cases = context.runtime.cases
    if action == CaseAction.RESOLVE:
        if not is_meaningful(text, MIN_RESULT_CHARS):
            # The citizen reads this as the answer to their problem: ask again.
            _data(context)["note"] = pending
            await reply(update, RESULT_TOO_SHORT)
            return None
        # 办结 asks what the result was before anything is saved.
        _data(context)["note"] = {**pending, "text": text}
        await reply(update, texts.CLOSURE_PROMPT, texts.closure_keyboard())
        return CLOSURE
    try:
        if action == CaseAction.ESCALATE:
            note = None if texts.is_skip(text) else text
            view = await cases.escalate(case_id, person.id, note, expected_version=version)
        elif action == CaseAction.REJECT:
            view = await cases.reject(case_id, person.id, text, expected_version=version)
        else:
            view = await cases.return_case(case_id, person.id, text, expected_version=version)
    except CaseError as exc:
        log.info("%s on case %s by %s refused: %s", action.value, case_id, person.id, exc.code)
        await reply(update, exc.message)
        return ConversationHandler.END
    mark_saved(update, context, f"{view.number} {texts.NOTE_ACTION_NAMES[action]}")
    log.info("%s on %s by person %s: %s", action.value, view.number, person.id, masked(text))
    await reply(update, texts.note_done(action, view))
    return ConversationHandler.END


async def closure_text(update: Update, context: BotContext) -> int | None:
    """办结's closure kind (实际解决 / 解释说明 / 不属实): call the service."""
    pending = _data(context).pop("note", None)
    person = await who(update, context)
    if not isinstance(pending, dict) or person is None or "text" not in pending:
        return ConversationHandler.END
    closure = texts.CLOSURE_BY_LABEL.get(message_text(update).strip())
    if closure is None:
        _data(context)["note"] = pending
        await reply(update, texts.CLOSURE_PROMPT, texts.closure_keyboard())
        return None
    case_id, version, text = int(pending["case"]), int(pending["version"]), str(pending["text"])
    try:
        view = await context.runtime.cases.resolve(
            case_id, person.id, text, expected_version=version, closure=closure
        )
    except CaseError as exc:
        log.info("resolve on case %s by %s refused: %s", case_id, person.id, exc.code)
        await reply(update, exc.message, texts.REMOVE_KEYBOARD)
        return ConversationHandler.END
    mark_saved(update, context, f"{view.number} 办结")
    log.info("resolve (%s) on %s by person %s", closure, view.number, person.id)
    await reply(update, texts.note_done(CaseAction.RESOLVE, view), texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def note_expected(update: Update, context: BotContext) -> None:
    """Anything but text while a note is expected."""
    await reply(update, texts.NOTE_EXPECTED)


async def note_cancel(update: Update, context: BotContext) -> int:
    """/cancel while a note is expected."""
    _data(context).pop("note", None)
    await reply(update, texts.NOTE_CANCELLED)
    return ConversationHandler.END


async def show_pending(update: Update, context: BotContext) -> None:
    """/pending: the unit's open cases, overdue first."""
    person = await who(update, context)
    if person is None:
        return
    if not person.handles_cases or person.unit_id is None:
        await reply(update, texts.NOT_HANDLER)
        return
    runtime = context.runtime
    views = await runtime.cases.pending_for_unit(person.unit_id)
    await reply(
        update,
        texts.pending_list(person.unit_name, views, runtime.settings.timezone),
        texts.pending_markup(runtime.codec, views),
    )


def register(application: App) -> None:
    """Add the note conversation, the card buttons and /pending."""
    note_pattern = "^(" + "|".join(re.escape(a.value) for a in NOTE_ACTIONS) + "):"
    # Every signed button that is neither a conversation button nor a follow-up answer.
    card_buttons = re.compile(rf"^(?!{re.escape(texts.UI)}|fu:)")
    with quiet_per_message_warning():
        notes = ConversationHandler(
            entry_points=[CallbackQueryHandler(note_button, pattern=note_pattern)],
            states={
                NOTE: [
                    MessageHandler(PRIVATE_TEXT, expiring("note")(note_text)),
                    MessageHandler(PRIVATE & ~filters.COMMAND, note_expected),
                    CallbackQueryHandler(note_interrupted, pattern=card_buttons),
                ],
                CLOSURE: [
                    MessageHandler(PRIVATE_TEXT, expiring("note")(closure_text)),
                    MessageHandler(PRIVATE & ~filters.COMMAND, note_expected),
                    CallbackQueryHandler(note_interrupted, pattern=card_buttons),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", note_cancel, filters=PRIVATE),
                MessageHandler(PRIVATE & filters.COMMAND, leave_and_redo),
                CallbackQueryHandler(leave_and_redo, pattern=r"^ui:menu:"),
            ],
            allow_reentry=True,
            name="station_note",
            persistent=is_persistent(application),
        )
    application.add_handler(notes)
    application.add_handler(CallbackQueryHandler(card_button, pattern=card_buttons))
    application.add_handler(CommandHandler("pending", show_pending, filters=PRIVATE))
