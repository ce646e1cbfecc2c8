"""Bot API methods that send messages: text, media, locations, contacts, copies."""

from __future__ import annotations

import copy
import re
from typing import Any

from bot.fakeapi.files import FileStore
from bot.fakeapi.formatting import EntityParseError, parse_text, utf16_len
from bot.fakeapi.messages import MEDIA_FIELDS, ChatMessage
from bot.fakeapi.models import ApiError, JSONDict, StoredFile
from bot.fakeapi.protocol import Upload, as_int
from bot.fakeapi.state import ChatState

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_MEDIA_GROUP = 10


class Sending(FileStore):
    """``send*``, ``copyMessage`` and ``forwardMessage``, with text and keyboard validation."""

    _media_groups = 0

    def _text_and_entities(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool = False
    ) -> tuple[str, list[JSONDict]]:
        raw = "" if text is None else str(text)
        try:
            plain, ents = parse_text(
                raw,
                str(parse_mode) if parse_mode else None,
                entities if isinstance(entities, list) else None,
            )
        except EntityParseError as err:
            raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
        if not caption and not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        limit = MAX_CAPTION if caption else MAX_TEXT
        if utf16_len(plain) > limit:
            raise ApiError(
                400,
                "Bad Request: message caption is too long"
                if caption
                else "Bad Request: message is too long",
            )
        return plain, ents

    def _check_markup(self, markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            for row in _button_rows(markup, "inline_keyboard", "InlineKeyboardMarkup"):
                for button in row:
                    _check_inline_button(button)
            return copy.deepcopy(markup)
        if "keyboard" in markup:
            rows = _button_rows(markup, "keyboard", "ReplyKeyboardMarkup")
            normalised = copy.deepcopy(markup)
            normalised["keyboard"] = [
                [b if isinstance(b, dict) else {"text": str(b)} for b in row] for row in rows
            ]
            return normalised
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return copy.deepcopy(markup)
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")

    def _apply_reply_keyboard(self, chat: ChatState, markup: JSONDict | None) -> None:
        if markup is None:
            return
        if "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup.get("remove_keyboard"):
            chat.reply_keyboard = None

    def _reply_target(self, chat: ChatState, p: JSONDict) -> JSONDict | None:
        params = p.get("reply_parameters")
        if not isinstance(params, dict):
            params = (
                {"message_id": p["reply_to_message_id"]} if "reply_to_message_id" in p else None
            )
            if params is not None and p.get("allow_sending_without_reply") is True:
                params["allow_sending_without_reply"] = True
        if not params:
            return None
        target_chat = chat
        if params.get("chat_id") is not None:
            target_chat = self._bot_chat(params["chat_id"])
        target = target_chat.messages.get(as_int(params.get("message_id"), 0))
        if target is None or target.deleted:
            if params.get("allow_sending_without_reply") is True:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return self._reply_snapshot(target)

    def _bot_send(self, p: JSONDict, **fields: Any) -> JSONDict:
        """Create a bot message in the resolved chat; shared by the send* methods."""
        chat = self._bot_chat(p.get("chat_id"))
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_target(chat, p)
        self._apply_reply_keyboard(chat, markup)
        msg = self._new_message(
            chat,
            from_bot=True,
            sender=self.bot_user,
            reply_markup=markup,
            reply_to_message_id=reply["message_id"] if reply else None,
            **fields,
        )
        msg._reply_to = reply
        return msg.to_api()

    def _caption_fields(self, p: JSONDict) -> JSONDict:
        if p.get("caption") in (None, ""):
            return {}
        caption, entities = self._text_and_entities(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        return {
            "caption": caption,
            "caption_entities": entities,
            "parse_mode": p.get("parse_mode") or None,
        }

    async def _m_send_message(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        text, entities = self._text_and_entities(
            p.get("text"), p.get("parse_mode"), p.get("entities")
        )
        return self._bot_send(
            p, text=text, entities=entities, parse_mode=p.get("parse_mode") or None
        )

    async def _m_send_photo(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        stored = self._input_file(p, files, "photo", "photo")
        return self._bot_send(p, photo=self._photo_sizes(stored), **self._caption_fields(p))

    async def _m_send_media_group(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        """An album of 2-10 photos (the fake accepts photos only), one message each."""
        self._bot_chat(p.get("chat_id"))
        media = p.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= MAX_MEDIA_GROUP:
            raise ApiError(400, "Bad Request: wrong number of messages in the media group")
        items: list[tuple[StoredFile, JSONDict]] = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo":
                raise ApiError(400, "Bad Request: unsupported media group item")
            stored = self._input_file(item, files, "media", "photo")
            items.append((stored, self._caption_fields(item)))
        self._media_groups += 1
        group_id = str(10_000_000 + self._media_groups)
        sent = [
            self._bot_send(
                {"chat_id": p.get("chat_id")},
                photo=self._photo_sizes(stored),
                media_group_id=group_id,
                **caption,
            )
            for stored, caption in items
        ]
        return sent

    async def _m_send_document(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        stored = self._input_file(p, files, "document", "document")
        upload = files.get("document")
        document: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "mime_type": stored.content_type,
        }
        if upload is not None:
            document["file_name"] = upload.filename
        return self._bot_send(p, document=document, **self._caption_fields(p))

    async def _m_send_location(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        lat, lon = p.get("latitude"), p.get("longitude")
        if (
            not isinstance(lat, int | float)
            or not isinstance(lon, int | float)
            or not (-90 <= lat <= 90 and -180 <= lon <= 180)
        ):
            raise ApiError(400, "Bad Request: wrong latitude/longitude specified")
        return self._bot_send(p, location={"latitude": float(lat), "longitude": float(lon)})

    async def _m_send_contact(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        if not p.get("phone_number") or not p.get("first_name"):
            raise ApiError(400, "Bad Request: phone number and first name must be non-empty")
        contact = {
            k: p[k] for k in ("phone_number", "first_name", "last_name", "vcard") if p.get(k)
        }
        return self._bot_send(p, contact=contact)

    def _source_message(self, p: JSONDict, what: str) -> ChatMessage:
        source_chat = self._bot_chat(p.get("from_chat_id"))
        source = source_chat.messages.get(as_int(p.get("message_id"), 0))
        if source is None or source.deleted:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        return source

    @staticmethod
    def _content_of(msg: ChatMessage) -> JSONDict:
        names = ["text", "entities", "caption", "caption_entities", *MEDIA_FIELDS]
        return {name: copy.deepcopy(getattr(msg, name)) for name in names}

    async def _m_copy_message(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        source = self._source_message(p, "copy")
        fields = self._content_of(source)
        if "caption" in p and source.text is None:
            fields.update(self._caption_fields(p) or {"caption": None, "caption_entities": []})
        sent = self._bot_send(p, **fields)
        return {"message_id": sent["message_id"]}

    async def _m_forward_message(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        source = self._source_message(p, "forward")
        origin: JSONDict = {"type": "user", "date": source.date, "sender_user": source.sender}
        if source.chat.get("type") in ("group", "supergroup") and source.from_bot:
            origin = {"type": "chat", "date": source.date, "sender_chat": source.chat}
        return self._bot_send(
            {"chat_id": p.get("chat_id")},
            forward_origin=copy.deepcopy(origin),
            **self._content_of(source),
        )


def _button_rows(markup: JSONDict, field: str, kind: str) -> list[list[Any]]:
    """The keyboard's rows, or the error the real API gives when it is not an array of arrays."""
    rows = markup[field]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ApiError(
            400, f'Bad Request: field "{field}" of the {kind} should be an Array of Arrays'
        )
    return rows


def _check_inline_button(button: Any) -> None:
    """Raise the real API's error for an inline button it would refuse."""
    if not isinstance(button, dict) or not str(button.get("text", "")):
        raise ApiError(
            400, "Bad Request: can't parse inline keyboard button: Text must be non-empty"
        )
    if len(button) == 1:
        raise ApiError(
            400,
            "Bad Request: can't parse inline keyboard button: Text buttons are "
            "unallowed in the inline keyboard",
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button and not re.match(r"^(https?|tg)://", str(button["url"])):
        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
