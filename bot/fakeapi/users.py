"""Simulated users of the fake Bot API: what they write, press and share."""

from __future__ import annotations

import copy
import time

from bot.fakeapi.files import FileStore
from bot.fakeapi.formatting import detect_bot_commands, utf16_len
from bot.fakeapi.models import JSONDict, UserAction
from bot.fakeapi.protocol import tiny_png
from bot.fakeapi.state import PendingCallback


class UserActions(FileStore):
    """Users acting in their chats; each action queues the update Telegram would send the bot."""

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to: int | None = None,
        entities: list[JSONDict] | None = None,
    ) -> UserAction:
        """A user sends a text message (``/commands`` get ``bot_command`` entities).

        Args:
            user_id: Sender.
            text: The text.
            chat_id: Chat (default: the user's private chat).
            reply_to: Id of a message in the chat this one replies to.
            entities: Explicit entities (default: detected bot commands).

        Returns:
            The update and new message id.
        """
        if not text:
            raise ValueError("empty text")
        fields: JSONDict = {
            "text": text,
            "entities": entities if entities is not None else detect_bot_commands(text),
        }
        return self._user_message(user_id, chat_id, fields, reply_to=reply_to)

    def send_command(self, user_id: int, command: str, *, chat_id: int | None = None) -> UserAction:
        """A user sends a command such as ``/start CODE``.

        Args:
            user_id: Sender.
            command: Text starting with ``/``.
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        if not command.startswith("/"):
            command = "/" + command
        head = command.split(maxsplit=1)[0]
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(head)}
        rest = [e for e in detect_bot_commands(command) if e["offset"] != 0]
        return self.send_text(user_id, command, chat_id=chat_id, entities=[entity, *rest])

    def edit_text(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> UserAction:
        """A user edits one of their text messages (an ``edited_message`` update).

        Args:
            user_id: The author.
            message_id: Their message.
            text: New text.
            chat_id: Chat (default: private).

        Returns:
            The update.
        """
        chat = self._user_chat(user_id, chat_id)
        msg = chat.messages.get(message_id)
        if msg is None or msg.from_bot or msg.sender.get("id") != user_id:
            raise KeyError(f"user {user_id} has no message {message_id} in chat {chat.id}")
        msg.text = text
        msg.entities = detect_bot_commands(text)
        msg.edited = True
        msg.edit_count += 1
        msg.edit_date = int(time.time())
        msg.version = self._bump()
        update_id = self._push_update({"edited_message": msg.to_api()})
        return UserAction(update_id, chat.id, message_id, self._version)

    def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str | None = None,
        *,
        chat_id: int | None = None,
        text: str | None = None,
        strict: bool = True,
    ) -> UserAction:
        """A user presses an inline button under a bot message (a ``callback_query`` update).

        Args:
            user_id: Who presses.
            message_id: The bot message carrying the keyboard.
            callback_data: The button's data.
            chat_id: Chat (default: private).
            text: Alternatively, the button's label (or part of it).
            strict: Require the message to currently show a button with that data, as a real
                client would.

        Returns:
            The update (``callback_query_id`` is set; ``message_id`` is ``None``).

        Raises:
            KeyError: Unknown message or no such button.
        """
        chat = self._user_chat(user_id, chat_id)
        msg = chat.messages.get(message_id)
        if msg is None or msg.deleted:
            raise KeyError(f"no message {message_id} in chat {chat.id}")
        if text is not None:
            callback_data = msg.callback_data(text)
        if callback_data is None:
            raise ValueError("give callback_data or text")
        if strict and callback_data not in [b.get("callback_data") for b in msg.buttons]:
            raise KeyError(
                f"message {message_id} has no button with callback_data {callback_data!r}: "
                f"{msg.buttons}"
            )
        query_id = f"{self.bot_user['id']}{next(self._callback_ids):08d}"
        self._callbacks[query_id] = PendingCallback(chat.id, message_id, user_id, callback_data)
        update_id = self._push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": copy.deepcopy(self._users[user_id]),
                    "message": msg.to_api(),
                    "chat_instance": str(abs(chat.id) * 7 + 1),
                    "data": callback_data,
                }
            }
        )
        return UserAction(update_id, chat.id, None, self._version, callback_query_id=query_id)

    def press_reply_button(
        self,
        user_id: int,
        label: str,
        *,
        chat_id: int | None = None,
        latitude: float = 36.0671,
        longitude: float = 120.3826,
        phone_number: str = "+8613800138000",
    ) -> UserAction:
        """A user taps a button of the reply keyboard the bot currently shows.

        A plain button sends its text; a ``request_location`` button shares a location; a
        ``request_contact`` button shares the user's own contact. A ``one_time_keyboard`` hides
        after the tap.

        Args:
            user_id: Who taps.
            label: Button text (exact, else the first button containing it).
            chat_id: Chat (default: private).
            latitude: Location shared by a ``request_location`` button.
            longitude: Location shared by a ``request_location`` button.
            phone_number: Number shared by a ``request_contact`` button.

        Returns:
            The resulting message's update.

        Raises:
            KeyError: No reply keyboard, or no such button.
        """
        chat = self._user_chat(user_id, chat_id)
        keyboard = chat.reply_keyboard
        if not keyboard:
            raise KeyError(f"no reply keyboard is shown in chat {chat.id}")
        buttons = [b for row in keyboard["keyboard"] for b in row]
        button = next((b for b in buttons if b.get("text") == label), None)
        if button is None:
            button = next((b for b in buttons if label in str(b.get("text", ""))), None)
        if button is None:
            raise KeyError(f"no reply button {label!r}: {[b.get('text') for b in buttons]}")
        if keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None
        if button.get("request_location"):
            return self.send_location(user_id, latitude, longitude, chat_id=chat_id)
        if button.get("request_contact"):
            return self.send_contact(user_id, phone_number, chat_id=chat_id)
        return self.send_text(user_id, str(button["text"]), chat_id=chat_id)

    def send_location(
        self, user_id: int, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> UserAction:
        """A user shares a location (e.g. through a ``request_location`` button).

        Args:
            user_id: Sender.
            latitude: Degrees.
            longitude: Degrees.
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        return self._user_message(
            user_id, chat_id, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def send_contact(
        self,
        user_id: int,
        phone_number: str,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        chat_id: int | None = None,
        own: bool = True,
    ) -> UserAction:
        """A user shares a contact (their own, as a ``request_contact`` button does, by default).

        Args:
            user_id: Sender.
            phone_number: The number.
            first_name: Contact's first name (default: the sender's).
            last_name: Optional.
            chat_id: Chat (default: private).
            own: Set the contact's ``user_id`` to the sender's (own contact).

        Returns:
            The update and message id.
        """
        profile = self._ensure_user(user_id)
        contact: JSONDict = {
            "phone_number": phone_number,
            "first_name": first_name or profile["first_name"],
        }
        if last_name:
            contact["last_name"] = last_name
        if own:
            contact["user_id"] = user_id
        return self._user_message(user_id, chat_id, {"contact": contact})

    def send_photo(
        self,
        user_id: int,
        caption: str | None = None,
        *,
        data: bytes | None = None,
        chat_id: int | None = None,
    ) -> UserAction:
        """A user sends a photo (its bytes are served by ``getFile`` + the file URL).

        Args:
            user_id: Sender.
            caption: Optional caption.
            data: Image bytes (default: a small generated PNG).
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        stored = self._store_file(
            "photo", data if data is not None else tiny_png(64, 48), "image/png"
        )
        fields: JSONDict = {"photo": self._photo_sizes(stored)}
        if caption:
            fields["caption"] = caption
        return self._user_message(user_id, chat_id, fields)

    def send_sticker(
        self, user_id: int, emoji: str = "👍", *, chat_id: int | None = None
    ) -> UserAction:
        """A user sends a sticker.

        Args:
            user_id: Sender.
            emoji: The sticker's emoji.
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        stored = self._store_file("sticker", b"RIFF\x00\x00\x00\x00WEBP", "image/webp")
        sticker: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return self._user_message(user_id, chat_id, {"sticker": sticker})

    def send_voice(
        self,
        user_id: int,
        duration: int = 3,
        *,
        data: bytes | None = None,
        chat_id: int | None = None,
    ) -> UserAction:
        """A user sends a voice note.

        Args:
            user_id: Sender.
            duration: Seconds.
            data: Audio bytes (default: a few placeholder bytes).
            chat_id: Chat (default: private).

        Returns:
            The update and message id.
        """
        stored = self._store_file(
            "voice", data if data is not None else b"OggS\x00fake", "audio/ogg"
        )
        stored.duration = duration
        voice: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": stored.size,
        }
        return self._user_message(user_id, chat_id, {"voice": voice})

    def push_update(self, update: JSONDict) -> int:
        """Queue (or deliver) a raw update; ``update_id`` is assigned.

        Args:
            update: An update without ``update_id`` (e.g. ``{"my_chat_member": {...}}``).

        Returns:
            The update id.
        """
        body = {k: v for k, v in update.items() if k != "update_id"}
        return self._push_update(body)

    def _user_message(
        self, user_id: int, chat_id: int | None, fields: JSONDict, *, reply_to: int | None = None
    ) -> UserAction:
        chat = self._user_chat(user_id, chat_id)
        reply: JSONDict | None = None
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None:
                raise KeyError(f"no message {reply_to} in chat {chat.id}")
            reply = self._reply_snapshot(target)
        msg = self._new_message(
            chat,
            from_bot=False,
            sender=self._users[user_id],
            reply_to_message_id=reply_to,
            **fields,
        )
        msg._reply_to = reply
        update_id = self._push_update({"message": msg.to_api()})
        return UserAction(update_id, chat.id, msg.message_id, self._version)
