"""The person blocked or unblocked the bot (``my_chat_member`` in their private chat).

Telegram tells the bot when someone blocks it (status ``kicked``) and when they
unblock it or press 开始 again (status ``member``). The person's ``blocked_at`` mark
follows at once (trial 28 P2): after an unblock, the next 办结 notice and 回访 go
out as usual instead of waiting for the person's next message. Nothing is sent.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from handlers.base import App, BotContext

log = logging.getLogger(__name__)

#: The bot's statuses in a private chat that mean "may not write to them".
_BLOCKED = {ChatMember.BANNED, ChatMember.LEFT}


async def member_changed(update: Update, context: BotContext) -> None:
    """Mark the person blocked or reachable again."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private" or change.from_user is None:
        return
    status = change.new_chat_member.status
    blocked = status in _BLOCKED
    if not blocked and status != ChatMember.MEMBER:
        return
    changed = await context.runtime.people.private_chat_member(
        change.from_user.id, change.chat.id, blocked=blocked
    )
    if changed:
        log.info("person %s %s the bot", change.from_user.id, "blocked" if blocked else "unblocked")


def register(application: App) -> None:
    """Add the handler of the bot's own membership changes."""
    application.add_handler(ChatMemberHandler(member_changed, ChatMemberHandler.MY_CHAT_MEMBER))
