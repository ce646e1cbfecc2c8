"""The fake Bot API's state records: a chat, a pending callback query, command-list keys."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.fakeapi.messages import ChatMessage
from bot.fakeapi.models import JSONDict

__all__ = [
    "DEFAULT_UPDATE_TYPES",
    "PROFILE_FIELDS",
    "ChatState",
    "PendingCallback",
    "commands_key",
]

# What a simulated user's profile may set besides the id (``first_name`` first).
PROFILE_FIELDS = ("first_name", "last_name", "username", "language_code")
# Update types delivered when allowed_updates is empty, like the real API.
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)


@dataclass(slots=True)
class ChatState:
    """One chat: its ``Chat`` object, messages and the reply keyboard shown."""

    info: JSONDict
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: JSONDict | None = None
    known: bool = False

    @property
    def id(self) -> int:
        chat_id: int = self.info["id"]
        return chat_id


@dataclass(slots=True)
class PendingCallback:
    """A callback query a user sent and the bot has not answered yet."""

    chat_id: int
    message_id: int
    user_id: int
    data: str | None
    answered: bool = False


def commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
    """The key of a command list: the scope as sorted JSON and the language."""
    scope_obj = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope_obj, sort_keys=True), str(language_code or "")
