"""/split: the desk or the owning station splits a case holding two matters (trial D3).

``/split MQ20261207-0007 我爸的养老金这个月没到账`` (or ``/split 我爸的…`` as a reply
to a message naming the case, its card or a notice) files the separate matter as a new
case of the same citizen through :meth:`bot.services.cases.CaseService.split_case`,
which checks who may split (the desk and the owning unit) and the number: a case of
another unit, or a number that names no case, is refused with the reason and nothing
is filed. The command carries no button data to forge.

A part that is not in the citizen's words and tells of danger now is not filed at once
(trial 34 #2): the splitter reads why and 确认拆分 / 取消; the split waits in
``user_data`` (its serial on the buttons, :data:`PENDING_TTL` at most), so a replayed or
stale button files nothing.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.services.lifecycle import CaseError
from handlers.base import (
    PRIVATE,
    App,
    BotContext,
    is_stale,
    mark_saved,
    masked,
    reply,
    stamp,
    user_data,
    who,
)
from handlers.texts import split as tx

log = logging.getLogger(__name__)

_NUMBER_RE = re.compile(r"MQ(\d{8})-(\d{4,})", re.IGNORECASE)
#: The most digits of a case id a number may hold (a database integer holds more).
MAX_ID_DIGITS = 9
#: ``user_data`` key of a split waiting for the splitter's 确认拆分.
PENDING = "split_confirm"


def parse(text: str, replied: str) -> tuple[str | None, str]:
    """The case number and the separate matter of ``/split …`` (the number from the
    command, else from the message replied to when it names exactly one case)."""
    body = re.sub(r"^/split(@\w+)?", "", text.strip(), flags=re.IGNORECASE).strip()
    match = _NUMBER_RE.match(body)
    if match is not None:
        return match.group(0).upper(), body[match.end() :].strip(" ：:，,\n")
    numbers = list(dict.fromkeys(m.group(0).upper() for m in _NUMBER_RE.finditer(replied)))
    return (numbers[0] if len(numbers) == 1 else None), body


async def split_command(update: Update, context: BotContext) -> None:
    """/split NUMBER TEXT."""
    message = update.effective_message
    person = await who(update, context)
    if person is None or message is None:
        return
    if not person.handles_cases:
        await reply(update, tx.NOT_HANDLER)
        return
    replied = message.reply_to_message
    shown = (replied.text or replied.caption or "") if replied is not None else ""
    number, part = parse(message.text or "", shown)
    if number is None:
        await reply(update, tx.USAGE)
        return
    if not part:
        await reply(update, tx.NO_TEXT)
        return
    match = _NUMBER_RE.fullmatch(number)
    assert match is not None
    if len(match.group(2).lstrip("0")) > MAX_ID_DIGITS:
        await reply(update, tx.not_found(number))  # no case has such an id (R7)
        return
    await _split(update, context, person.id, int(match.group(2)), number, part, confirmed=False)


async def _split(
    update: Update,
    context: BotContext,
    person_id: int,
    case_id: int,
    number: str,
    part: str,
    *,
    confirmed: bool,
) -> None:
    try:
        result = await context.runtime.cases.split_case(
            case_id, person_id, part, "telegram", number=number, confirmed=confirmed
        )
    except CaseError as exc:
        log.info("split of %s by %s refused: %s", number, person_id, exc.code)
        if exc.code == "confirm":
            data = user_data(context)
            old = data.get(PENDING)
            serial = (int(old.get("n", 0)) + 1) if isinstance(old, dict) else 1
            data[PENDING] = {
                "n": serial,
                "case": case_id,
                "number": number,
                "part": part,
                "at": stamp(context),
            }
            await reply(update, tx.confirm_question(exc.message), tx.confirm_markup(serial))
            return
        await reply(update, tx.not_found(number) if exc.code == "not_found" else exc.message)
        return
    mark_saved(update, context, f"{result.part.number} 拆分自 {number}")
    log.info("%s split into %s by %s: %s", number, result.part.number, person_id, masked(part))
    await reply(update, tx.done(result))


async def confirm_pressed(update: Update, context: BotContext) -> None:
    """确认拆分 / 取消 on a split whose danger is only in the splitter's words."""
    query = update.callback_query
    if query is None:
        return
    person = await who(update, context)
    data = user_data(context)
    pending = data.get(PENDING)
    serial = (query.data or "").rsplit(":", 1)[-1]
    if (
        person is None
        or not isinstance(pending, dict)
        or str(pending.get("n")) != serial
        or is_stale(context, pending)
    ):
        await query.answer(tx.GONE, show_alert=True)
        return
    data.pop(PENDING, None)
    await query.answer()
    await query.edit_message_reply_markup(None)
    if (query.data or "").startswith(tx.CANCEL + ":"):
        await reply(update, tx.CANCELLED)
        return
    await _split(
        update,
        context,
        person.id,
        int(pending["case"]),
        str(pending["number"]),
        str(pending["part"]),
        confirmed=True,
    )


def register(application: App) -> None:
    """Add /split."""
    application.add_handler(CommandHandler("split", split_command, filters=PRIVATE))
    pattern = rf"^({re.escape(tx.CONFIRM)}|{re.escape(tx.CANCEL)}):\d+$"
    application.add_handler(CallbackQueryHandler(confirm_pressed, pattern=pattern))
