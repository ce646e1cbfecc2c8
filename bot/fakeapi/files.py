"""Files in the fake Bot API: what users and the bot send, ``getFile`` and the download URL."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from aiohttp import web

from bot.fakeapi.models import ApiError, JSONDict, StoredFile
from bot.fakeapi.protocol import Upload, image_size
from bot.fakeapi.store import FakeStore


class FileStore(FakeStore):
    """Stored files, photo sizes and the ``file/bot{token}/{path}`` endpoint."""

    def can_fetch(self, url: str) -> bool:
        """Whether Telegram's servers could download ``url`` (sent as a photo by URL).

        As Telegram, the fake cannot reach a loopback, private or link-local
        address, ``localhost``, a ``.local``/``.internal``/``.lan``/``.invalid``
        name or an address in :attr:`unfetchable_urls`; it answers ``400 Bad
        Request: failed to get HTTP URL content`` for them.
        """
        if url in self.unfetchable_urls:
            return False
        host = (urlsplit(url).hostname or "").lower()
        if not host or host == "localhost":
            return False
        if host.rsplit(".", 1)[-1] in ("local", "internal", "lan", "invalid", "localhost"):
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return True
        return address.is_global

    def _store_file(
        self, kind: str, data: bytes | None, content_type: str, filename: str = ""
    ) -> StoredFile:
        n = next(self._file_ids)
        ext = {
            "image/png": "png",
            "image/jpeg": "jpg",
            "image/webp": "webp",
            "audio/ogg": "oga",
            "video/mp4": "mp4",
            "audio/mpeg": "mp3",
        }.get(content_type, filename.rsplit(".", 1)[-1] if "." in filename else "bin")
        folder = {
            "photo": "photos",
            "sticker": "stickers",
            "voice": "voice",
            "video": "videos",
            "video_note": "video_notes",
            "audio": "music",
            "animation": "animations",
        }.get(kind, "documents")
        size = image_size(data) if data and kind == "photo" else None
        stored = StoredFile(
            file_id=f"Fake{kind.capitalize()}{n:06d}AgADBAADzqkxGw",
            file_unique_id=f"AQAD{n:06d}",
            file_path=f"{folder}/file_{n}.{ext}",
            data=data,
            content_type=content_type,
            width=size[0] if size else 1280,
            height=size[1] if size else 960,
            kind=kind,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _photo_sizes(self, stored: StoredFile) -> list[JSONDict]:
        scale = min(1.0, 90 / max(stored.width, stored.height, 1))
        thumb_id = stored.file_id + "-s"
        self._files[thumb_id] = stored
        return [
            {
                "file_id": thumb_id,
                "file_unique_id": stored.file_unique_id + "s",
                "width": max(1, int(stored.width * scale)),
                "height": max(1, int(stored.height * scale)),
                "file_size": stored.size,
            },
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": stored.width,
                "height": stored.height,
                "file_size": stored.size,
            },
        ]

    def _input_file(
        self, p: JSONDict, files: dict[str, Upload], name: str, kind: str
    ) -> StoredFile:
        value = p.get(name)
        upload = files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
        if upload is not None:
            return self._store_file(kind, upload.data, upload.content_type, upload.filename)
        if not isinstance(value, str) or not value:
            raise ApiError(400, f"Bad Request: there is no {name} in the request")
        known = self._files.get(value)
        if known is not None:
            if known.kind and known.kind != kind:
                # A voice's file_id given to sendDocument, a photo's to sendVideo …
                raise ApiError(400, "Bad Request: type of file mismatch")
            return known
        if re.match(r"^https?://", value):
            if not self.can_fetch(value):
                raise ApiError(400, "Bad Request: failed to get HTTP URL content")
            return self._store_file(
                kind, None, "image/jpeg" if kind == "photo" else "application/octet-stream"
            )
        if self.strict_file_ids:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        stored = self._store_file(
            kind, None, "image/jpeg" if kind == "photo" else "application/octet-stream"
        )
        self._files[value] = stored
        return stored

    async def _m_get_file(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        stored = self._files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        out: JSONDict = {"file_id": str(p["file_id"]), "file_unique_id": stored.file_unique_id}
        if stored.data is not None:
            out["file_size"] = stored.size
            out["file_path"] = stored.file_path
        return out

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if self._token is not None and request.match_info["token"] != self._token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None or stored.data is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.data, content_type=stored.content_type)
