"""For everybody: /start, /help, /bind, /cancel, and clear answers to everything else.

Registered last: besides the commands, it holds the catch-alls — unknown
commands, stickers, voice, files and other non-text messages, edited messages,
buttons that no longer lead anywhere, and commands in group chats.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services.invites import InviteError, looks_like_invite, redeem_invite
from handlers import crisis, early_photos, emergency_open, texts, warning_left
from handlers.base import PRIVATE, App, BotContext, masked, reply, who
from handlers.texts.left import STALE_WARNING_BUTTON

#: Data of the warning proposal's buttons (确认, 更改部门, 更改等级, 取消 and their pickers).
W_PREFIX = texts.UI + "w:"

log = logging.getLogger(__name__)


async def start(update: Update, context: BotContext) -> int:
    """/start: greet with buttons; ``/start CODE`` (a deep link) binds like /bind."""
    if context.args and looks_like_invite(context.args[0]):
        await bind_code(update, context, context.args[0])
        return ConversationHandler.END
    if context.args:
        # A deep link that is no invite (a poster's campaign tag): the welcome, not
        # 「邀请码不正确」, and no failed attempt counted (trial 29 P13).
        log.info("start payload that is no invite code: <%d chars>", len(context.args[0]))
    person = await who(update, context)
    if person is None:
        return ConversationHandler.END
    await reply(
        update,
        texts.welcome(person, context.runtime.district),
        texts.welcome_markup(person),
    )
    return ConversationHandler.END


async def help_command(update: Update, context: BotContext) -> None:
    """/help: what this person can do."""
    person = await who(update, context)
    if person is None:
        return
    await reply(update, texts.help_text(person))


async def bind(update: Update, context: BotContext) -> None:
    """/bind CODE."""
    if not context.args:
        await reply(update, texts.BIND_USAGE)
        return
    await bind_code(update, context, "".join(context.args))


async def bind_code(update: Update, context: BotContext, code: str) -> None:
    """Redeem an invite code for the sender and say what they are now."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    runtime = context.runtime
    try:
        await redeem_invite(
            runtime.db,
            code=code,
            telegram_user_id=user.id,
            name=user.full_name,
            chat_id=chat.id,
            now=runtime.clock.now(),
        )
    except InviteError as exc:
        log.info("invite refused for user %s: %s", user.id, exc.reason)
        await reply(update, exc.message)
        return
    person = await runtime.people.find(user.id)
    if person is None:  # pragma: no cover - just bound
        return
    log.info("user %s bound to %s as %s", user.id, person.unit_id, person.role.value)
    await reply(update, texts.bound(person), texts.welcome_markup(person))


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel outside any conversation."""
    await reply(update, texts.NOTHING_TO_CANCEL, texts.REMOVE_KEYBOARD)
    return ConversationHandler.END


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command nobody handles."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0] if message else ""
    await reply(update, texts.unknown_command(command))


async def non_text(update: Update, context: BotContext) -> None:
    """Stickers, voice, files and other content that is not a description."""
    message = update.effective_message
    if message is None:
        return
    # Someone in crisis who can only speak or show: it goes to their helpers (trial 27 N18).
    person = await who(update, context)
    if person is not None and await crisis.media_passed_on(update, context, person.id):
        return
    # A place or a phone for their open emergency goes onto it (trial 31 #2).
    if person is not None and await emergency_open.details_shared(update, context, person.id):
        return
    # A photo before the words is kept for them (trial 29 P13).
    if message.photo and await early_photos.kept(update, context):
        return
    kind = "other"
    for name in ("sticker", "voice", "audio", "video", "document", "photo", "location", "contact"):
        if getattr(message, name, None):
            kind = name
            break
    if message.video_note or message.animation:
        kind = "video"
    # A location or a contact comes from a reply keyboard's button: no step waits for it
    # any more, so that keyboard is stale and goes (trial 26 T6).
    stale = kind in ("location", "contact")
    await reply(update, texts.NON_TEXT[kind], texts.REMOVE_KEYBOARD if stale else None)


async def edited(update: Update, context: BotContext) -> None:
    """An edited message changes nothing; say so."""
    message = update.edited_message
    if message is None or message.chat.type != "private":
        return
    log.info("edited message from %s ignored: %s", message.chat.id, masked(message.text))
    await message.chat.send_message(texts.EDITED)


async def stale_button(update: Update, context: BotContext) -> None:
    """A conversation button pressed after its conversation ended."""
    query = update.callback_query
    if query is None:
        return
    data = query.data or ""
    warning = data.startswith(W_PREFIX)
    if not warning and _draft_in_steps(context, data):
        await query.answer(texts.DRAFT_IN_STEPS, show_alert=True)
        return
    told = await warning_left.stale_answer(update, context, query) if warning else None
    if told is not None:  # the proposal left by a command: filed for him, or to be (D5)
        await query.answer(told, show_alert=True)
        return
    await query.answer(STALE_WARNING_BUTTON if warning else texts.STALE_DRAFT, show_alert=True)
    if warning and _is_warning_proposal(query.message):
        # The proposal's buttons cannot file anything any more: take them away.
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)


def _draft_in_steps(context: BotContext, data: str) -> bool:
    """Whether ``data`` is a button of the proposal whose problem is being filed now.

    A second tap on 提交 lands here (the conversation has moved on to the optional
    steps); being told to send the description again would make it the address.
    """
    serial = data.rsplit(":", 1)[-1]
    draft = context.user_data.get("draft") if context.user_data is not None else None
    return isinstance(draft, dict) and serial.isdigit() and str(draft.get("n")) == serial


def _is_warning_proposal(message: object) -> bool:
    """Whether ``message`` shows a warning proposal's buttons (确认 among them)."""
    markup = getattr(message, "reply_markup", None)
    rows = getattr(markup, "inline_keyboard", None) or ()
    return any(getattr(b, "callback_data", None) == texts.W_OK for row in rows for b in row)


async def unknown_button(update: Update, context: BotContext) -> None:
    """Button data nobody understands (handled by the card handler normally)."""
    query = update.callback_query
    if query is None:
        return
    log.warning("unhandled callback data from user %s refused", query.from_user.id)
    await query.answer(texts.FORGED_BUTTON, show_alert=True)


async def group_hint(update: Update, context: BotContext) -> None:
    """Commands in groups: the bot works in private chats only."""
    await reply(update, texts.GROUP_ONLY_PRIVATE)


def register(application: App) -> None:
    """Add the common commands and the catch-alls (call after every other module)."""
    application.add_handler(CommandHandler("start", start, filters=PRIVATE))
    application.add_handler(CommandHandler("help", help_command, filters=PRIVATE))
    application.add_handler(CommandHandler("bind", bind, filters=PRIVATE))
    application.add_handler(CommandHandler("cancel", cancel, filters=PRIVATE))
    application.add_handler(MessageHandler(PRIVATE & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(PRIVATE & ~filters.TEXT, non_text))
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, edited)
    )
    application.add_handler(CallbackQueryHandler(stale_button, pattern=f"^{texts.UI}"))
    application.add_handler(CallbackQueryHandler(unknown_button))
    application.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND, group_hint
        )
    )
