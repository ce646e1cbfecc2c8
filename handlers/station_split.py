"""/split: the desk or the owning station splits a case holding two matters (trial D3).

``/split MQ20261207-0007 我爸的养老金这个月没到账`` (or ``/split 我爸的…`` as a reply
to a message naming the case, its card or a notice) files the separate matter as a new
case of the same citizen through :meth:`bot.services.cases.CaseService.split_case`,
which checks who may split (the desk and the owning unit) and the number: a case of
another unit, or a number that names no case, is refused with the reason and nothing
is filed. The command carries no button data to forge.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import CommandHandler

from bot.services.lifecycle import CaseError
from handlers.base import PRIVATE, App, BotContext, mark_saved, masked, reply, who
from handlers.texts import split as tx

log = logging.getLogger(__name__)

_NUMBER_RE = re.compile(r"MQ(\d{8})-(\d{4,})", re.IGNORECASE)
#: The most digits of a case id a number may hold (a database integer holds more).
MAX_ID_DIGITS = 9


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
    try:
        result = await context.runtime.cases.split_case(
            int(match.group(2)), person.id, part, "telegram", number=number
        )
    except CaseError as exc:
        log.info("split of %s by %s refused: %s", number, person.id, exc.code)
        await reply(update, tx.not_found(number) if exc.code == "not_found" else exc.message)
        return
    mark_saved(update, context, f"{result.part.number} 拆分自 {number}")
    log.info("%s split into %s by %s: %s", number, result.part.number, person.id, masked(part))
    await reply(update, tx.done(result))


def register(application: App) -> None:
    """Add /split."""
    application.add_handler(CommandHandler("split", split_command, filters=PRIVATE))
