"""Bot API methods on sent messages: edits, deletions and callback answers."""

from __future__ import annotations

import time

from bot.fakeapi.messages import ChatMessage
from bot.fakeapi.models import ApiError, CallbackAnswer, JSONDict
from bot.fakeapi.protocol import Upload, as_int
from bot.fakeapi.sending import Sending

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class Editing(Sending):
    """``editMessage*``, ``deleteMessage(s)`` and ``answerCallbackQuery``."""

    def _find_for_edit(self, p: JSONDict) -> ChatMessage:
        if p.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._bot_chat(p.get("chat_id"))
        msg = chat.messages.get(as_int(p.get("message_id"), 0))
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not msg.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _inline_markup(self, p: JSONDict) -> JSONDict | None:
        markup = self._check_markup(p.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        return markup

    def _finish_edit(self, msg: ChatMessage) -> JSONDict:
        msg.edited = True
        msg.edit_count += 1
        msg.edit_date = int(time.time())
        msg.version = self._bump()
        return msg.to_api()

    @staticmethod
    def _current_inline(msg: ChatMessage) -> JSONDict | None:
        return (
            msg.reply_markup if msg.reply_markup and "inline_keyboard" in msg.reply_markup else None
        )

    async def _m_edit_message_text(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        msg = self._find_for_edit(p)
        text, entities = self._text_and_entities(
            p.get("text"), p.get("parse_mode"), p.get("entities")
        )
        if msg.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        # Like the real API, an edit without reply_markup removes the inline keyboard.
        markup = self._inline_markup(p)
        if text == msg.text and entities == msg.entities and markup == self._current_inline(msg):
            raise ApiError(400, _NOT_MODIFIED)
        msg.text, msg.entities, msg.parse_mode = text, entities, p.get("parse_mode") or None
        msg.reply_markup = markup
        return self._finish_edit(msg)

    async def _m_edit_message_caption(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        msg = self._find_for_edit(p)
        if msg.kind not in ("photo", "document", "voice"):
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        fields = self._caption_fields(p)
        caption = fields.get("caption")
        entities = fields.get("caption_entities", [])
        markup = self._inline_markup(p)
        if (
            caption == msg.caption
            and entities == msg.caption_entities
            and markup == self._current_inline(msg)
        ):
            raise ApiError(400, _NOT_MODIFIED)
        msg.caption, msg.caption_entities = caption, entities
        msg.reply_markup = markup
        return self._finish_edit(msg)

    async def _m_edit_message_reply_markup(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        msg = self._find_for_edit(p)
        markup = self._inline_markup(p)
        if markup == self._current_inline(msg):
            raise ApiError(400, _NOT_MODIFIED)
        msg.reply_markup = markup
        return self._finish_edit(msg)

    async def _m_delete_message(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._bot_chat(p.get("chat_id"))
        msg = chat.messages.get(as_int(p.get("message_id"), 0))
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        msg.deleted = True
        msg.version = self._bump()
        return True

    async def _m_delete_messages(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._bot_chat(p.get("chat_id"))
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise ApiError(
                400, "Bad Request: message_ids must be a non-empty array of at most 100 ids"
            )
        for mid in ids:
            msg = chat.messages.get(as_int(mid, 0))
            if msg is not None and not msg.deleted:
                msg.deleted = True
                msg.version = self._bump()
        return True

    async def _m_answer_callback_query(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        query_id = str(p.get("callback_query_id") or "")
        pending = self._callbacks.get(query_id)
        if pending is None or pending.answered:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        text = p.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        pending.answered = True
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                chat_id=pending.chat_id,
                message_id=pending.message_id,
                user_id=pending.user_id,
                data=pending.data,
                text=str(text) if text is not None else None,
                show_alert=p.get("show_alert") is True,
                url=str(p["url"]) if p.get("url") else None,
                at=time.monotonic(),
                version=self._version + 1,
            )
        )
        self._bump()
        return True
