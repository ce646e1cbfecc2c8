"""补充说明 sent as a voice, photo, video or file (trial 27 N18, ordinary cases).

After 补充说明 the reporter may speak or show instead of typing: the attachment is added
to the case as the note (a photo with the case's photos, anything else sent on to the
station by its Telegram file_id, as for a person in crisis, :mod:`handlers.crisis`).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ConversationHandler

from bot.services.lifecycle import CaseError
from handlers.base import BotContext, mark_saved, reply, user_data, who
from handlers.crisis import attachment

log = logging.getLogger(__name__)


async def note_media(update: Update, context: BotContext, key: str, state: str) -> str | int:
    """The 补充说明 awaited under ``user_data[key]`` came as an attachment."""
    message = update.effective_message
    person = await who(update, context)
    pending = user_data(context).get(key)
    if message is None or person is None or not isinstance(pending, dict):
        return ConversationHandler.END
    text, photos, media = attachment(message)
    if not text:  # a location, a contact …: not a note; still awaited
        await reply(update, "请直接发送要补充的文字、照片、语音或文件。发送 /cancel 取消。")
        return state
    user_data(context).pop(key, None)
    try:
        view = await context.runtime.cases.add_reporter_note(
            person.id, int(pending["case"]), text, photos=photos, media=media
        )
    except CaseError as exc:
        log.info("media note of %s on case %s refused: %s", person.id, pending["case"], exc.code)
        await reply(update, exc.message)
        return ConversationHandler.END
    mark_saved(update, context, f"{view.number} 的补充说明")
    log.info("media note added to %s by %s", view.number, person.id)
    return ConversationHandler.END
