"""What every parse mode of the fake shares: UTF-16 lengths, the entity builder, errors.

Entity offsets and lengths count UTF-16 code units, like the real Bot API's; the error messages
count UTF-8 bytes, like its ``can't parse entities`` answers.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "EntityBuilder",
    "EntityParseError",
    "byte_offset",
    "link_entity",
    "utf16_len",
]


class EntityParseError(ValueError):
    """Raised for malformed markup; the message is the part after ``can't parse entities:``."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of the Bot API's entity offsets.

    Args:
        text: Any string.

    Returns:
        The number of UTF-16 code units.
    """
    return len(text.encode("utf-16-le")) // 2


def byte_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of ``text[index]`` (what the API's error messages count)."""
    return len(text[:index].encode("utf-8"))


def link_entity(entity: dict[str, Any], href: str) -> dict[str, Any]:
    """A link's entity: ``text_mention`` for ``tg://user?id=N``, else ``entity`` with its URL.

    Args:
        entity: The ``text_link`` entity opened for the link.
        href: The link's target.

    Returns:
        The entity to close.
    """
    if href.startswith("tg://user?id="):
        return {"type": "text_mention", "user": {"id": int(href[13:] or 0)}}
    entity["url"] = href
    return entity


class EntityBuilder:
    """Accumulates plain text and open/closed entities while parsing."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0  # UTF-16 offset of the end of the plain text so far
        self.entities: list[dict[str, Any]] = []

    def add(self, chunk: str) -> None:
        if chunk:
            self.parts.append(chunk)
            self.pos += utf16_len(chunk)

    def close(self, entity: dict[str, Any], start: int, end: int | None = None) -> None:
        length = (self.pos if end is None else end) - start
        if length > 0:
            entity["offset"] = start
            entity["length"] = length
            self.entities.append(entity)

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        ordered = sorted(
            enumerate(self.entities), key=lambda p: (p[1]["offset"], -p[1]["length"], p[0])
        )
        return "".join(self.parts), [e for _, e in ordered]
