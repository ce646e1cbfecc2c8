"""The Bot API endpoint of the fake: authentication, faults, the method table, records."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.fakeapi.chats import ChatMethods
from bot.fakeapi.editing import Editing
from bot.fakeapi.faults import Dropped, FaultInjection
from bot.fakeapi.models import ApiError, JSONDict, RecordedCall
from bot.fakeapi.protocol import Upload, read_params
from bot.fakeapi.sending_media import MediaSending
from bot.fakeapi.updates import UpdateDelivery

log = logging.getLogger(__name__)

Handler = Callable[[JSONDict, dict[str, Upload]], Awaitable[Any]]


class BotApiMethods(UpdateDelivery, ChatMethods, Editing, MediaSending, FaultInjection):
    """Answers ``{prefix}/bot{token}/{method}``: every Bot API method the fake implements."""

    @functools.cached_property
    def _handlers(self) -> dict[str, Handler]:
        """The implemented methods by lower-case name."""
        return {
            "getme": self._m_get_me,
            "getupdates": self._m_get_updates,
            "setwebhook": self._m_set_webhook,
            "deletewebhook": self._m_delete_webhook,
            "getwebhookinfo": self._m_get_webhook_info,
            "sendmessage": self._m_send_message,
            "editmessagetext": self._m_edit_message_text,
            "editmessagecaption": self._m_edit_message_caption,
            "editmessagereplymarkup": self._m_edit_message_reply_markup,
            "answercallbackquery": self._m_answer_callback_query,
            "deletemessage": self._m_delete_message,
            "deletemessages": self._m_delete_messages,
            "sendphoto": self._m_send_photo,
            "sendmediagroup": self._m_send_media_group,
            "senddocument": self._m_send_document,
            "sendvoice": self._m_send_voice,
            "sendvideo": self._m_send_video,
            "sendvideonote": self._m_send_video_note,
            "sendaudio": self._m_send_audio,
            "sendanimation": self._m_send_animation,
            "sendsticker": self._m_send_sticker,
            "sendlocation": self._m_send_location,
            "sendcontact": self._m_send_contact,
            "getfile": self._m_get_file,
            "sendchataction": self._m_send_chat_action,
            "setmycommands": self._m_set_my_commands,
            "getmycommands": self._m_get_my_commands,
            "deletemycommands": self._m_delete_my_commands,
            "getchat": self._m_get_chat,
            "copymessage": self._m_copy_message,
            "forwardmessage": self._m_forward_message,
            "setmydescription": self._m_true,
            "setmyshortdescription": self._m_true,
            "setmyname": self._m_true,
            "setchatmenubutton": self._m_true,
            "close": self._m_true,
            "logout": self._m_true,
        }

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        key = method.lower()
        self._in_flight[key] += 1
        self._bump()
        try:
            return await self._answer_api(request, method)
        finally:
            self._in_flight[key] -= 1
            self._bump()

    async def _answer_api(self, request: web.Request, method: str) -> web.StreamResponse:
        started = time.monotonic()
        wall = time.time()
        params: JSONDict = {}
        fault = False
        response: web.StreamResponse
        body: JSONDict | None = None
        try:
            if self._token is not None and request.match_info["token"] != self._token:
                raise ApiError(401, "Unauthorized")
            params, uploads = await read_params(request)
            for name, upload in uploads.items():
                params.setdefault(name, upload.summary())
            handler = self._handlers.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found")
            injected = await self._apply_faults(request, method, params)
            if injected is not None:
                fault = True
                response, body = injected
            else:
                result = await handler(params, uploads)
                body = {"ok": True, "result": result}
                if isinstance(result, bool) and method.lower() in ("setwebhook", "deletewebhook"):
                    body["description"] = self._webhook_description
                response = web.json_response(body)
        except ApiError as err:
            body = err.body()
            fault = fault or err.status == 403
            response = web.json_response(body, status=err.status)
        except Exception:  # a bug in the fake must not look like a network problem
            log.exception("fake Bot API failed on %s %s", method, params)
            body = ApiError(500, "Internal Server Error: fake Bot API bug").body()
            response = web.json_response(body, status=500)
        self._calls.append(
            RecordedCall(
                method=method,
                params=params,
                at=started,
                response_status=0 if isinstance(response, Dropped) else response.status,
                wall_time=wall,
                duration=time.monotonic() - started,
                response=body,
                fault=fault,
            )
        )
        return response
