"""Decoding requests the way the Bot API does, and small helpers for API-shaped objects.

python-telegram-bot 22 (``HTTPXRequest``) always POSTs. Without files the body is
``application/x-www-form-urlencoded``; with files it is ``multipart/form-data``. In both cases
every value is a string: ``str`` parameters are sent as they are, every other value (ints, bools,
floats, lists, dicts such as ``reply_markup``) is ``json.dumps``-ed. The consequence for a server:
``text=123`` and ``chat_id=123`` look the same on the wire, so decoding must know which parameters
are strings. The real API knows each method's schema; this module keeps a list of string-typed
parameter names and JSON-decodes everything else when it parses. JSON bodies and query strings
(``GET /bot<token>/getMe?...``) are accepted too.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

from bot.fakeapi.models import ApiError, JSONDict

__all__ = [
    "Upload",
    "as_float",
    "as_int",
    "decode_value",
    "image_size",
    "read_params",
    "tiny_png",
]

# Parameters the Bot API types as String: never JSON-decode them ("123" stays "123").
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "ip_address",
        "action",
        "language_code",
        "title",
        "first_name",
        "last_name",
        "phone_number",
        "vcard",
        "business_connection_id",
        "message_effect_id",
        "emoji",
        "description",
        "short_description",
        "name",
        "file_id",
        "photo",
        "document",
        "voice",
        "audio",
        "video",
        "animation",
        "sticker",
        "video_note",
        "thumbnail",
        "certificate",
        "address",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "question",
        "explanation",
        "payload",
        "currency",
        "provider_token",
        "start_parameter",
        "custom_title",
        "invite_link",
        "next_offset",
        "sticker_set_name",
        "filename",
    }
)
# Parameters that are JSON objects/arrays even when a JSON body carries them as strings.
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
        "allowed_updates",
        "commands",
        "scope",
        "media",
        "results",
        "message_ids",
    }
)


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes

    def summary(self) -> JSONDict:
        """What a recorded call shows instead of the bytes.

        Returns:
            filename, content type and size.
        """
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": len(self.data),
        }


def decode_value(name: str, value: str) -> Any:
    """Decode one form/query value like the Bot API would.

    Args:
        name: Parameter name.
        value: The raw string.

    Returns:
        The string itself for string parameters, else the JSON-decoded value (falling back to
        the string when it is not JSON, e.g. ``chat_id=@channel``).
    """
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _decode_json_member(name: str, value: Any) -> Any:
    if name in JSON_PARAMS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def read_params(request: web.Request) -> tuple[JSONDict, dict[str, Upload]]:
    """Collect the parameters of a Bot API request from the query string and the body.

    Args:
        request: The aiohttp request.

    Returns:
        ``(params, uploads)``; uploads are multipart file parts keyed by field name.

    Raises:
        ApiError: 400 for an unparsable JSON body.
    """
    params: JSONDict = {k: decode_value(k, v) for k, v in request.query.items()}
    uploads: dict[str, Upload] = {}
    if request.method != "POST" or not request.body_exists:
        return params, uploads
    ctype = request.content_type
    if ctype == "application/json":
        raw = await request.read()
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except ValueError as exc:
            raise ApiError(400, "Bad Request: can't parse request JSON object") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: request JSON must be an object")
        for k, v in body.items():
            params[k] = _decode_json_member(k, v)
    elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for k, v in form.items():
            if isinstance(v, web.FileField):
                uploads[k] = Upload(
                    filename=v.filename or k,
                    content_type=v.content_type or "application/octet-stream",
                    data=v.file.read(),
                )
            else:
                params[k] = decode_value(k, str(v))
    return params, uploads


def tiny_png(width: int = 1, height: int = 1, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid, solid-colour PNG image (for simulated users' photos).

    Args:
        width: Pixels.
        height: Pixels.
        rgb: Colour.

    Returns:
        PNG bytes.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG image, read from its header.

    Args:
        data: Image bytes.

    Returns:
        ``(width, height)`` or ``None`` if the format is not recognised.
    """
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


N = TypeVar("N", int, float)


def as_int(value: Any, default: int) -> int:
    """``value`` as an int, or ``default`` (booleans and ``None`` too)."""
    return _as_number(value, default, int)


def as_float(value: Any, default: float) -> float:
    """``value`` as a float, or ``default`` (booleans and ``None`` too)."""
    return _as_number(value, default, float)


def _as_number(value: Any, default: N, kind: Callable[[Any], N]) -> N:
    if isinstance(value, bool) or value is None:
        return default
    try:
        return kind(value)
    except (TypeError, ValueError):
        return default
