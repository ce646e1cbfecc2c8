"""/phone: the number an officer keeps on record, so a chief can call back.

``/phone 13812345678`` keeps it (a warning filed afterwards shows it as
报送人电话, in full only to the handling units), ``/phone`` alone says what is on
record, ``/phone 删除`` removes it. The number is never written to the log.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot.services.lifecycle import CaseError
from handlers import texts
from handlers.base import PRIVATE, App, BotContext, mark_saved, message_text, reply, who

log = logging.getLogger(__name__)

#: Words that remove the number on record.
REMOVE_WORDS = frozenset({"删除", "刪除", "清除", "取消"})


async def phone_command(update: Update, context: BotContext) -> None:
    """/phone [NUMBER | 删除]."""
    person = await who(update, context)
    if person is None:
        return
    if not person.may_warn:
        await reply(update, texts.PHONE_FOR_OFFICERS)
        return
    people = context.runtime.people
    parts = message_text(update).split(maxsplit=1)
    given = parts[1].strip() if len(parts) == 2 else ""
    if not given:
        await reply(update, texts.phone_on_record(await people.phone_of(person.id)))
        return
    number = None if given in REMOVE_WORDS else given
    try:
        await people.set_phone(person.id, number)
    except CaseError as exc:
        await reply(update, exc.message)
        return
    mark_saved(update, context, "联系电话")
    log.info("person %s %s their phone", person.id, "removed" if number is None else "set")
    await reply(update, texts.phone_saved(number))


def register(application: App) -> None:
    """Add /phone."""
    application.add_handler(CommandHandler("phone", phone_command, filters=PRIVATE))
