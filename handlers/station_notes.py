"""Station notes: 办结 / 退单 / 上报 / 不予受理 ask for a note (the next text message, or
/cancel), as does the supervision centre's 不同意延期 (the reason goes to the station),
and 办结 then for the closure kind — a small persistent conversation
registered by :mod:`handlers.station`.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    ConversationHandler,
)

from bot.services.callbacks import CaseAction
from bot.services.cases import MIN_RESULT_CHARS, RESULT_TOO_SHORT
from bot.services.lifecycle import CaseError, is_meaningful
from handlers import refused_note, texts
from handlers.base import (
    BotContext,
    mark_saved,
    masked,
    message_text,
    reply,
    stamp,
    who,
)
from handlers.station_common import _data, _decode, _refused
from handlers.texts.stations import note_not_skippable

log = logging.getLogger("handlers.station")

NOTE = "note"
#: 办结 only: the closure kind after the note.
CLOSURE = "closure"
#: Actions that ask for a note before the service is called (上报's reason may be skipped,
#: as on the web where the note field is optional).
NOTE_ACTIONS = (
    CaseAction.RESOLVE,
    CaseAction.RETURN,
    CaseAction.ESCALATE,
    CaseAction.REJECT,
    CaseAction.EXTEND_NO,  # 不同意延期: the reason is sent to the station
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
        # A decided 延期申请 says so (as 同意延期 does), with the case's state now.
        told = context if action.action == CaseAction.EXTEND_NO else None
        await _refused(query, person, action, exc, told)
        # The reason typed anyway is asked about, not filed as a report (trial 26 T13).
        refused_note.remember(
            context, await _number_of(context, person.id, action.case_id), _name(action.action)
        )
        return ConversationHandler.END
    _data(context).pop(refused_note.REFUSED, None)  # this press is not refused
    earlier = _data(context).get("note")
    _data(context)["note"] = {
        "at": stamp(context),
        "action": action.action.value,
        "case": action.case_id,
        "version": action.version,
        "number": number,
    }
    if action.action == CaseAction.EXTEND_NO and query.message is not None:
        _data(context)["note"]["msg"] = query.message.message_id  # settled after the reason
        _data(context)["note"]["msg_text"] = getattr(query.message, "text", None) or ""
    await query.answer()
    care = action.action == CaseAction.RESOLVE and await context.runtime.cases.closes_with_care(
        action.case_id
    )
    warning = action.action == CaseAction.RESOLVE and await context.runtime.cases.is_warning(
        action.case_id
    )
    # Its 办结 type question speaks of no 回访: a self-harm request's, a warning's (stop 35 #3).
    _data(context)["note"]["care"] = care or warning
    prompt = texts.note_prompt(action.action, number, care, warning=warning)
    dropped = _abandoned(earlier, action.case_id, action.action)
    if dropped:
        prompt = f"{dropped}\n{prompt}"
    await reply(update, prompt, texts.REMOVE_KEYBOARD)
    return NOTE


async def ask_keep_reason(
    update: Update,
    context: BotContext,
    person_id: int,
    case_id: int,
    version: int,
    target: str,
    *,
    after: bool = False,
) -> str:
    """The desk pressed 派至 the unit that returned the case: its reason is asked for
    first, as the 退单 asked the unit for one (b33 #4); ``after`` a danger-now case went
    back in one tap (trial 31 #8), right after. Returns the note step."""
    number = await _number_of(context, person_id, case_id)
    earlier = _data(context).get("note")
    _data(context)["note"] = {
        "at": stamp(context),
        "action": CaseAction.DISPATCH.value,
        "case": case_id,
        "version": version,
        "number": number,
        "target": target,
        "unit": _target_name(context, target),
        "after": after,
    }
    prompt = (
        texts.keep_reason_after(number) if after else texts.note_prompt(CaseAction.DISPATCH, number)
    )
    if dropped := _abandoned(earlier, case_id, CaseAction.DISPATCH):
        prompt = f"{dropped}\n{prompt}"
    await reply(update, prompt, texts.REMOVE_KEYBOARD)
    return NOTE


def _target_name(context: BotContext, target: str) -> str:
    """What the 派至 button of ``target`` (a bureau or a station) calls it."""
    district = context.runtime.district
    if bureau := district.bureaus.get(target):
        return bureau.name
    unit = district.units.get(target)
    return unit.name if unit else ""


async def _number_of(context: BotContext, person_id: int, case_id: int) -> str:
    try:
        return (await context.runtime.cases.get_case_view(case_id, person_id)).number or ""
    except CaseError:
        return ""


def _name(action: CaseAction) -> str:
    return texts.NOTE_ACTION_NAMES.get(action, "操作")


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
    if earlier == CaseAction.DISPATCH:
        left = texts.dispatch_step_left(
            str(pending.get("number", "")), str(pending.get("unit", "")), bool(pending.get("after"))
        )
        return f"（{left}）"
    return texts.note_abandoned(earlier, str(pending.get("number", "")))


async def note_text(update: Update, context: BotContext) -> str | int | None:
    """The note: 退单 calls the service; 办结 asks for the closure kind first."""
    return await _take_note(update, context, message_text(update).strip())


async def note_skip(update: Update, context: BotContext) -> str | int | None:
    """/skip while a note is expected: one answer, and the step is not left (trial 30 #14).

    上报's reason may be skipped: /skip is 「跳过」. Any other note is required: the
    step says so and keeps waiting for it (before, /skip left the step with 「…没有完成」
    and then got 「没有 /skip 这个命令」 as well). At the 办结 type, the type is asked again.
    """
    pending = _data(context).get("note")
    if not isinstance(pending, dict):
        return ConversationHandler.END
    action = CaseAction(str(pending.get("action")))
    if "text" in pending:  # 办结's note given, its closure type awaited
        await reply(
            update, texts.closure_prompt(bool(pending.get("care"))), texts.closure_keyboard()
        )
        return None
    if action == CaseAction.ESCALATE:
        return await _take_note(update, context, texts.SKIP_LABEL)
    await reply(update, note_not_skippable(action, str(pending.get("number") or "")))
    return None


async def _take_note(update: Update, context: BotContext, text: str) -> str | int | None:
    pending = _data(context).pop("note", None)
    person = await who(update, context)
    if not isinstance(pending, dict) or person is None:
        return ConversationHandler.END
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
        await reply(
            update, texts.closure_prompt(bool(pending.get("care"))), texts.closure_keyboard()
        )
        return CLOSURE
    try:
        if action == CaseAction.ESCALATE:
            note = None if texts.is_skip(text) else text
            view = await cases.escalate(case_id, person.id, note, expected_version=version)
        elif action == CaseAction.REJECT:
            view = await cases.reject(case_id, person.id, text, expected_version=version)
        elif action == CaseAction.EXTEND_NO:
            view = await cases.decide_extension(
                case_id, person.id, False, note=text, expected_version=version
            )
        elif action == CaseAction.DISPATCH and pending.get("after"):
            view = await cases.add_keep_reason(case_id, person.id, text)
        elif action == CaseAction.DISPATCH:  # 维持派单 with the desk's reason (b33 #4)
            view = await cases.dispatch(
                case_id, person.id, str(pending["target"]), expected_version=version, reason=text
            )
        else:
            view = await cases.return_case(case_id, person.id, text, expected_version=version)
    except CaseError as exc:
        log.info("%s on case %s by %s refused: %s", action.value, case_id, person.id, exc.code)
        await reply(update, exc.message)
        if exc.code in ("bad_input", "reason_required"):  # asked again, case unchanged
            _data(context)["note"] = pending
            return None
        return ConversationHandler.END
    mark_saved(update, context, f"{view.number} {texts.NOTE_ACTION_NAMES[action]}")
    log.info("%s on %s by person %s: %s", action.value, view.number, person.id, masked(text))
    notice, chat = pending.get("msg"), update.effective_chat
    if isinstance(notice, int) and chat is not None:  # the 【延期申请】 says who decided
        shown = str(pending.get("msg_text") or "")
        line = f"✔ {texts.ACTION_DONE[action]}（{person.name}）"  # trial 27 N15
        with contextlib.suppress(TelegramError):
            if shown:
                await context.bot.edit_message_text(
                    texts.fit(f"{shown}\n\n{line}"), chat.id, notice, reply_markup=None
                )
            else:
                await context.bot.edit_message_reply_markup(chat.id, notice, reply_markup=None)
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
        await reply(
            update, texts.closure_prompt(bool(pending.get("care"))), texts.closure_keyboard()
        )
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
    pending = _data(context).pop("note", None)
    if isinstance(pending, dict) and pending.get("action") == CaseAction.DISPATCH.value:
        left = texts.dispatch_step_left(
            str(pending.get("number", "")), str(pending.get("unit", "")), bool(pending.get("after"))
        )
        await reply(update, left)
        return ConversationHandler.END
    await reply(update, texts.NOTE_CANCELLED)
    return ConversationHandler.END
