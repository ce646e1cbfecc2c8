"""Bot API methods that send a voice, a video, a video note, an audio, an animation or a
sticker (``sendPhoto`` and ``sendDocument`` are in :mod:`bot.fakeapi.sending`), and the
simulated users' own such messages.

As the real API: the file is an upload, an ``attach://`` part, a URL or a file_id; a
file_id of another kind (a voice's given to ``sendVideo``) is refused with ``400 Bad
Request: type of file mismatch``, an unknown one (with ``strict_file_ids``) with
``wrong file identifier/HTTP URL specified``, a missing one with ``there is no voice in
the request``; captions are checked as on photos (a video note and a sticker take
none). Blocked chats (403), injected faults and 429s apply as to every method.
"""

from __future__ import annotations

from bot.fakeapi.models import JSONDict, StoredFile, UserAction
from bot.fakeapi.protocol import Upload
from bot.fakeapi.sending import Sending
from bot.fakeapi.users import UserActions

#: The kinds ``send*`` here sends, and whether they take a caption.
CAPTIONED = {
    "voice": True,
    "video": True,
    "audio": True,
    "animation": True,
    "video_note": False,
    "sticker": False,
}
#: What a user's file of each kind is by default (content type, bytes).
_DEFAULT_BYTES = {
    "voice": ("audio/ogg", b"OggS\x00fake"),
    "video": ("video/mp4", b"\x00\x00\x00\x18ftypmp42fake"),
    "video_note": ("video/mp4", b"\x00\x00\x00\x18ftypmp42fake"),
    "audio": ("audio/mpeg", b"ID3\x03fake"),
    "animation": ("video/mp4", b"\x00\x00\x00\x18ftypmp42fake"),
    "document": ("application/pdf", b"%PDF-1.4 fake"),
}


def media_object(kind: str, stored: StoredFile, duration: int = 0) -> JSONDict:
    """The ``Voice`` / ``Video`` / ``VideoNote`` / ``Audio`` / ``Animation`` /
    ``Sticker`` / ``Document`` object of ``stored`` as a message carries it."""
    out: JSONDict = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    seconds = duration or stored.duration
    if kind in ("voice", "video", "video_note", "audio", "animation"):
        out["duration"] = seconds
    if kind in ("video", "animation"):
        out.update(width=stored.width, height=stored.height)
    if kind == "video_note":
        out["length"] = 240
    if kind == "sticker":
        out.update(type="regular", width=512, height=512, is_animated=False, is_video=False)
    if kind not in ("sticker", "video_note"):
        out["mime_type"] = stored.content_type
    out["file_size"] = stored.size
    return out


class MediaSending(Sending):
    """``sendVoice``, ``sendVideo``, ``sendVideoNote``, ``sendAudio``, ``sendAnimation``,
    ``sendSticker``."""

    async def _send_media(self, kind: str, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        self._bot_chat(p.get("chat_id"))
        stored = self._input_file(p, files, kind, kind)
        if isinstance(p.get("duration"), int) and not stored.duration:
            stored.duration = int(p["duration"])
        fields: JSONDict = {kind: media_object(kind, stored)}
        if kind == "animation":  # as Telegram, for clients that know no animations
            fields["document"] = media_object("document", stored)
        if CAPTIONED[kind]:
            fields.update(self._caption_fields(p))
        return self._bot_send(p, **fields)

    async def _m_send_voice(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return await self._send_media("voice", p, files)

    async def _m_send_video(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return await self._send_media("video", p, files)

    async def _m_send_video_note(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return await self._send_media("video_note", p, files)

    async def _m_send_audio(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return await self._send_media("audio", p, files)

    async def _m_send_animation(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return await self._send_media("animation", p, files)

    async def _m_send_sticker(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return await self._send_media("sticker", p, files)


class UserMedia(UserActions):
    """A simulated user sends a video, a video note, an audio, an animation or a file."""

    def send_media(
        self,
        user_id: int,
        kind: str,
        caption: str | None = None,
        *,
        duration: int = 5,
        file_name: str = "材料.pdf",
        data: bytes | None = None,
        chat_id: int | None = None,
    ) -> UserAction:
        """A user sends a file of ``kind`` (``video``, ``video_note``, ``audio``,
        ``animation``, ``document``; voices and stickers: ``send_voice``, ``send_sticker``).

        Returns:
            The update and message id.
        """
        content_type, default = _DEFAULT_BYTES[kind]
        stored = self._store_file(kind, data if data is not None else default, content_type)
        stored.duration = duration
        item = media_object(kind, stored)
        if kind == "document":
            item["file_name"] = file_name
        fields: JSONDict = {kind: item}
        if kind == "animation":
            fields["document"] = media_object("document", stored)
        if caption and kind != "video_note":
            fields["caption"] = caption
        return self._user_message(user_id, chat_id, fields)
