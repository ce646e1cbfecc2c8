"""The fake Bot API's JSON view under ``/_fake/``: what the sandbox page reads and does."""

from __future__ import annotations

import contextlib
import copy

from aiohttp import web

from bot.fakeapi.faults import FaultInjection
from bot.fakeapi.models import JSONDict, UserAction
from bot.fakeapi.records import Records
from bot.fakeapi.sending_media import UserMedia
from bot.fakeapi.state import PROFILE_FIELDS


class JsonView(UserMedia, Records, FaultInjection):
    """Chats, long polls on a chat, acting as a user, calls, the webhook and reset, as JSON."""

    async def _view_chats(self, request: web.Request) -> web.Response:
        chats = [
            {
                "chat": chat.info,
                "message_count": sum(1 for m in chat.messages.values() if not m.deleted),
                "version": max((m.version for m in chat.messages.values()), default=0),
                "blocked": self.is_blocked(chat.id),
            }
            for chat in self._chats.values()
        ]
        return web.json_response({"version": self._version, "chats": chats})

    def _chat_view(self, chat_id: int, after: int) -> JSONDict:
        chat = self._chats.get(chat_id)
        if chat is None:
            return {
                "version": self._version,
                "chat": None,
                "messages": [],
                "reply_keyboard": None,
                "callback_answers": [],
                "blocked": self.is_blocked(chat_id),
            }
        messages = [
            m.to_json()
            for m in chat.messages.values()
            if m.version > after and (after > 0 or not m.deleted)
        ]
        answers = [
            a.to_json() for a in self.callback_answers if a.chat_id == chat_id and a.version > after
        ]
        return {
            "version": self._version,
            "chat": chat.info,
            "messages": messages,
            "reply_keyboard": chat.reply_keyboard,
            "callback_answers": answers,
            "blocked": self.is_blocked(chat_id),
        }

    async def _view_chat(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
            after = int(request.query.get("after", "0"))
            wait = min(60.0, float(request.query.get("wait", "0")))
        except ValueError:
            return web.json_response({"error": "bad chat_id, after or wait"}, status=400)
        if wait > 0:

            def changed() -> bool:
                chat = self._chats.get(chat_id)
                return (
                    self._closing
                    or bool(chat and any(m.version > after for m in chat.messages.values()))
                    or any(
                        a.chat_id == chat_id and a.version > after for a in self.callback_answers
                    )
                )

            self._in_flight["_fake:chat"] += 1
            self._bump()
            try:
                with contextlib.suppress(TimeoutError):
                    await self.wait_for(changed, wait)
            finally:
                self._in_flight["_fake:chat"] -= 1
        return web.json_response(self._chat_view(chat_id, after))

    async def _view_send(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("body must be a JSON object")
            action = self._perform(chat_id, body)
        except (ValueError, KeyError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(
            {
                "update_id": action.update_id,
                "chat_id": action.chat_id,
                "message_id": action.message_id,
                "callback_query_id": action.callback_query_id,
                "version": action.version,
            }
        )

    def _perform(self, chat_id: int, body: JSONDict) -> UserAction:
        user_id = int(body.get("user_id", chat_id))
        if user_id <= 0:
            raise ValueError("user_id is required in group chats")
        profile = body.get("user")
        if isinstance(profile, dict):
            self._register_json_user(user_id, profile)
        target = None if chat_id == user_id else chat_id
        if "callback_data" in body or "button_text" in body:
            return self.press_button(
                user_id,
                int(body["message_id"]),
                body.get("callback_data"),
                chat_id=target,
                text=body.get("button_text"),
            )
        if "reply_button" in body:
            return self.press_reply_button(user_id, str(body["reply_button"]), chat_id=target)
        if "location" in body:
            loc = body["location"]
            return self.send_location(
                user_id, float(loc["latitude"]), float(loc["longitude"]), chat_id=target
            )
        if "contact" in body:
            contact = body["contact"]
            return self.send_contact(
                user_id, str(contact["phone_number"]), contact.get("first_name"), chat_id=target
            )
        if "photo" in body:
            return self.send_photo(user_id, body.get("caption"), chat_id=target)
        if "sticker" in body:
            return self.send_sticker(user_id, chat_id=target)
        if "voice" in body:
            return self.send_voice(user_id, chat_id=target)
        if "text" in body:
            reply_to = body.get("reply_to")
            return self.send_text(
                user_id,
                str(body["text"]),
                chat_id=target,
                reply_to=int(reply_to) if reply_to else None,
            )
        raise ValueError(
            "body needs text, callback_data/button_text, reply_button, location, contact, "
            "photo, sticker or voice"
        )

    async def _view_calls(self, request: web.Request) -> web.Response:
        method = request.query.get("method")
        try:
            start = int(request.query.get("after", "0"))
        except ValueError:
            return web.json_response({"error": "bad after"}, status=400)
        calls = self.calls(method) if method else self._calls
        return web.json_response(
            {"count": len(self._calls), "calls": [c.to_json() for c in calls[start:]]}
        )

    async def _view_webhook(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "url": self._webhook_url,
                "pending_update_count": len(self._pending),
                "deliveries": [
                    {
                        "update_id": d.update_id,
                        "url": d.url,
                        "attempts": d.attempts,
                        "status": d.status,
                        "ok": d.ok,
                        "error": d.error,
                    }
                    for d in self.webhook_deliveries
                ],
            }
        )

    async def _view_users(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            profile = self._register_json_user(int(body["user_id"]), body)
        except (ValueError, KeyError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(copy.deepcopy(profile))

    def _register_json_user(self, user_id: int, source: JSONDict) -> JSONDict:
        """Register a user with the profile fields a JSON body gives."""
        return self._register_user(user_id, **{k: source[k] for k in PROFILE_FIELDS if k in source})

    async def _view_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})
