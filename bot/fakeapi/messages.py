"""A message in a chat of the fake Bot API, as a phone would show it (edits applied in place)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from bot.fakeapi.models import JSONDict

__all__ = ["MEDIA_FIELDS", "ChatMessage"]

#: The content fields of a message besides its text (an animation first: Telegram
#: also gives it a ``document`` for old clients).
MEDIA_FIELDS = (
    *("photo", "location", "contact", "sticker", "voice", "animation", "document"),
    *("video", "video_note", "audio"),
)


@dataclass(slots=True)
class ChatMessage:
    """A message in a chat's transcript, as a phone would show it (edits applied in place).

    Attributes:
        chat_id: The chat.
        message_id: Id within the chat.
        from_bot: ``True`` for messages the bot sent, ``False`` for simulated users' messages.
        date: Unix time of sending.
        sender: The ``from`` user object.
        chat: The ``chat`` object.
        text: Plain text (parse mode already applied), or ``None`` for media without text.
        entities: Entities of ``text``.
        caption: Caption of media messages.
        caption_entities: Entities of ``caption``.
        parse_mode: The parse mode the bot asked for (informational).
        reply_markup: The markup as sent by the bot (inline keyboard, reply keyboard, remove or
            force reply); ``None`` if none or removed by an edit.
        photo: ``PhotoSize`` list of photo messages.
        location: ``Location`` object.
        contact: ``Contact`` object.
        sticker: ``Sticker`` object.
        voice: ``Voice`` object.
        document: ``Document`` object.
        video, video_note, audio, animation: ``Video`` / ``VideoNote`` / ``Audio`` /
            ``Animation`` objects.
        reply_to_message_id: Id of the message this one replies to.
        forward_origin: ``MessageOrigin`` of forwarded messages.
        media_group_id: The album a ``sendMediaGroup`` message belongs to.
        edited: Whether the message was edited.
        edit_count: How many times.
        edit_date: Unix time of the last edit.
        deleted: Whether the message was deleted (deleted messages leave ``transcript()``).
        version: Value of the fake's change counter at the last change of this message.
        sent_at: ``time.monotonic()`` when the message was created.
    """

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    sender: JSONDict
    chat: JSONDict
    text: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSONDict] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None
    photo: list[JSONDict] | None = None
    location: JSONDict | None = None
    contact: JSONDict | None = None
    sticker: JSONDict | None = None
    voice: JSONDict | None = None
    document: JSONDict | None = None
    video: JSONDict | None = None
    video_note: JSONDict | None = None
    audio: JSONDict | None = None
    animation: JSONDict | None = None
    reply_to_message_id: int | None = None
    forward_origin: JSONDict | None = None
    media_group_id: str | None = None
    edited: bool = False
    edit_count: int = 0
    edit_date: int | None = None
    deleted: bool = False
    version: int = 0
    sent_at: float = 0.0
    _reply_to: JSONDict | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """``text``, or the media: ``photo``, ``location``, ``contact``, ``sticker``,
        ``voice``, ``animation``, ``document``, ``video``, ``video_note``, ``audio``."""
        for name in MEDIA_FIELDS:
            if getattr(self, name) is not None:
                return name
        return "text"

    @property
    def content(self) -> str:
        """The text, or the caption, or ``""``."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        """Rows of inline buttons (empty if the message has no inline keyboard)."""
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            rows: list[list[JSONDict]] = self.reply_markup["inline_keyboard"]
            return rows
        return []

    @property
    def buttons(self) -> list[JSONDict]:
        """All inline buttons, row by row."""
        return [button for row in self.inline_keyboard for button in row]

    def button(self, text: str) -> JSONDict:
        """Find an inline button by its label (exact match first, then substring).

        Args:
            text: The label, or a part of it.

        Returns:
            The ``InlineKeyboardButton`` object.

        Raises:
            KeyError: No such button.
        """
        for button in self.buttons:
            if button.get("text") == text:
                return button
        for button in self.buttons:
            if text in str(button.get("text", "")):
                return button
        labels = [b.get("text") for b in self.buttons]
        raise KeyError(f"no inline button {text!r} in message {self.message_id}: {labels}")

    def callback_data(self, text: str) -> str:
        """The ``callback_data`` of the inline button labelled ``text``.

        Args:
            text: The label, or a part of it.

        Returns:
            The callback data.

        Raises:
            KeyError: No such button, or it has no callback data.
        """
        data = self.button(text).get("callback_data")
        if not isinstance(data, str):
            raise KeyError(f"button {text!r} has no callback_data")
        return data

    def to_api(self) -> JSONDict:
        """The message as a Bot API ``Message`` object (what ``de_json`` expects).

        Returns:
            The message dict.
        """
        out: JSONDict = {
            "message_id": self.message_id,
            "from": copy.deepcopy(self.sender),
            "chat": copy.deepcopy(self.chat),
            "date": self.date,
        }
        if self.edit_date is not None:
            out["edit_date"] = self.edit_date
        if self.forward_origin is not None:
            out["forward_origin"] = copy.deepcopy(self.forward_origin)
        if self._reply_to is not None:
            out["reply_to_message"] = copy.deepcopy(self._reply_to)
        if self.media_group_id is not None:
            out["media_group_id"] = self.media_group_id
        if self.text is not None:
            out["text"] = self.text
            if self.entities:
                out["entities"] = copy.deepcopy(self.entities)
        for name in MEDIA_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = copy.deepcopy(value)
        if self.caption is not None:
            out["caption"] = self.caption
            if self.caption_entities:
                out["caption_entities"] = copy.deepcopy(self.caption_entities)
        # The real API echoes only inline keyboards back in Message objects.
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            out["reply_markup"] = copy.deepcopy(self.reply_markup)
        return out

    def to_json(self) -> JSONDict:
        """A JSON view for web pages: the API shape plus the fake's bookkeeping.

        Returns:
            The message dict.
        """
        out = self.to_api()
        out.update(
            {
                "from_bot": self.from_bot,
                "kind": self.kind,
                "reply_markup": copy.deepcopy(self.reply_markup),
                "parse_mode": self.parse_mode,
                "edited": self.edited,
                "edit_count": self.edit_count,
                "deleted": self.deleted,
                "version": self.version,
            }
        )
        return out
