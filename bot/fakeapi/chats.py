"""Bot API methods about the bot and its chats: ``getMe``, ``getChat``, actions, commands."""

from __future__ import annotations

import copy
import re
import time

from bot.fakeapi.models import ApiError, ChatAction, JSONDict
from bot.fakeapi.protocol import Upload
from bot.fakeapi.state import commands_key
from bot.fakeapi.store import FakeStore

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class ChatMethods(FakeStore):
    """The bot's identity, chat info, chat actions and command lists."""

    async def _m_true(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        return True

    async def _m_get_me(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return copy.deepcopy(self.bot_user)

    async def _m_get_chat(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = self._bot_chat(p.get("chat_id"))
        info = copy.deepcopy(chat.info)
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                },
            }
        )
        return info

    async def _m_send_chat_action(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._bot_chat(p.get("chat_id"))
        action = str(p.get("action") or "")
        if action not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self.chat_actions.append(ChatAction(chat.id, action, time.monotonic()))
        return True

    async def _m_set_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.match(str(cmd.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description must be non-empty")
        key = commands_key(p.get("scope"), p.get("language_code"))
        self._commands[key] = [
            {"command": str(c["command"]), "description": str(c["description"])} for c in commands
        ]
        return True

    async def _m_get_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        key = commands_key(p.get("scope"), p.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    async def _m_delete_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        self._commands.pop(commands_key(p.get("scope"), p.get("language_code")), None)
        return True
