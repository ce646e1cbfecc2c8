"""Chiefs' and staff's words outside any step: a note on a case, never a citizen's filing.

A station chief answers a case card in words (收到，马上安排人去现场; a Telegram reply
to the card: 已派网格员上门，老人情绪稳定). Those words used to start a citizen's
filing with a department picker (trial 29 P5). Now, for a chief, staff member or
admin:

* a reply to a message that names a case (its card, or a notice about it) that they
  may see is kept on that case as 办理记录 (``CaseService.add_staff_note``) and they
  are told so, with the way to act (the card's buttons, /pending);
* other text that reads as a problem is not filed: they are asked what they want
  (reply to a card for a note, the buttons or /pending to act, or
  「以群众身份反映此问题」, which proposes it as any citizen's text would be), with the
  office that would handle it for reference (a chief redirecting a caller asks so);
* danger now is handled before this (the line and the filing never wait), and small
  talk gets its usual answer.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.cases import HANDLER_ROLES
from bot.services.lifecycle import CaseError
from bot.services.people import PersonInfo
from bot.services.triage import Triage
from handlers import texts
from handlers.base import BotContext, is_stale, masked, reply, stamp, user_data, who
from handlers.office_choice import classify
from handlers.texts import staff as tx

log = logging.getLogger(__name__)

#: ``user_data`` key of the text waiting for the answer; the draft's mark of a choice.
HELD = "staff_text"
AS_CITIZEN = "as_citizen"
YES = texts.UI + "staff:citizen"
NO = texts.UI + "staff:no"

#: ``user_data`` key of a note waiting for its case; the buttons' prefix; how many.
NOTE_HELD = "staff_note"
PICK = texts.UI + "staff:note:"
MAX_CHOICES = 8
HELD_TTL = timedelta(minutes=30)

_NUMBER_RE = re.compile(r"MQ(\d{8})-(\d{4,})")

Describe = Callable[[Update, BotContext, str], Awaitable[str | int | None]]


def is_staff(person: PersonInfo) -> bool:
    """Whether ``person`` handles cases (chief, staff, admin)."""
    return person.active and person.role in HANDLER_ROLES


async def takes(
    update: Update, context: BotContext, person: PersonInfo, text: str, verdict: Triage | None
) -> bool:
    """Handle a handler's free text (True: nothing more to do)."""
    if not is_staff(person):
        return False
    draft = user_data(context).get("draft")
    if isinstance(draft, dict) and draft.get(AS_CITIZEN):
        return False  # they chose to file as a citizen: its follow-ons join the draft
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    if replied is not None and await _note_on_case(update, context, person, replied, text):
        return True
    if verdict is not None and verdict.kind != "request":
        return False  # 你好 / 谢谢: the usual friendly answer
    user_data(context)[HELD] = {"at": stamp(context), "text": text}
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(tx.AS_CITIZEN_LABEL, callback_data=YES)],
            [InlineKeyboardButton(tx.NOT_A_REPORT_LABEL, callback_data=NO)],
        ]
    )
    log.info("free text from handler %s held, not filed: %s", person.id, masked(text))
    office = None
    with contextlib.suppress(CaseError):
        preview = await classify(context, text)
        office = None if preview.unsure else preview.bureau_name
    await reply(update, tx.question(text, office), markup)
    return True


async def _note_on_case(
    update: Update, context: BotContext, person: PersonInfo, replied: Message, text: str
) -> bool:
    """Keep ``text`` on the case ``replied`` names (True: kept, asked, or refused and
    said). A message naming several cases (a 【待办汇总】) asks which (trial 29 V9)."""
    shown = replied.text or replied.caption or ""
    numbers = list(dict.fromkeys(m.group(0) for m in _NUMBER_RE.finditer(shown)))
    if not numbers:
        return False
    if len(numbers) > 1:
        numbers = numbers[:MAX_CHOICES]
        user_data(context)[NOTE_HELD] = {"at": stamp(context), "text": text, "numbers": numbers}
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(n, callback_data=f"{PICK}{i}")] for i, n in enumerate(numbers)]
        )
        await reply(update, tx.which_case(numbers), markup)
        return True
    return await _keep(update, context, person, numbers[0], text, quiet=True)


async def _keep(
    update: Update,
    context: BotContext,
    person: PersonInfo,
    number: str,
    text: str,
    *,
    quiet: bool = False,
) -> bool:
    """Note ``text`` on case ``number`` and say so (False: no such case, nothing said
    when ``quiet``). A unit sent the card at filing may note though it may not open
    the case (trial 29 V6)."""
    match = _NUMBER_RE.fullmatch(number)
    if match is None:
        return False
    try:
        view = await context.runtime.cases.add_staff_note(
            person.id, int(match.group(2)), text, number=number
        )
    except CaseError as exc:
        if exc.code == "forbidden":
            await reply(update, tx.case_not_yours(number))
            return True
        if not quiet:
            await reply(update, exc.message)
        return not quiet
    context.runtime.outbox_written()  # the case's other holders are told
    log.info("staff note on %s by %s: %s", view.number, person.id, masked(text))
    await reply(update, tx.note_kept(view.number or number))
    return True


async def _picked(update: Update, context: BotContext) -> None:
    """The case chosen for a note on a message naming several."""
    query = update.callback_query
    assert query is not None
    held = user_data(context).pop(NOTE_HELD, None)
    await query.answer()
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)
    person = await who(update, context)
    index = int((query.data or "").removeprefix(PICK) or -1)
    if (
        person is None
        or not isinstance(held, dict)
        or is_stale(context, held, HELD_TTL)
        or not 0 <= index < len(held.get("numbers", []))
    ):
        await reply(update, tx.NOTE_GONE)
        return
    await _keep(update, context, person, str(held["numbers"][index]), str(held["text"]))


def buttons(describe: Describe) -> list[BaseHandler[Update, BotContext, object]]:
    """以群众身份反映此问题 / 不用了 (entry points of the request conversation)."""

    async def answered(update: Update, context: BotContext) -> str | int | None:
        query = update.callback_query
        assert query is not None
        held = user_data(context).pop(HELD, None)
        await query.answer()
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
        if query.data == NO:
            await reply(update, tx.NOT_A_REPORT)
            return None
        if not isinstance(held, dict) or not isinstance(held.get("text"), str):
            await reply(update, tx.GONE)
            return None
        return await describe(update, context, held["text"])

    return [
        CallbackQueryHandler(answered, pattern=rf"^({re.escape(YES)}|{re.escape(NO)})$"),
        CallbackQueryHandler(_picked, pattern=rf"^{re.escape(PICK)}\d+$"),
    ]
