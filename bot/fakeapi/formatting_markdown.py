"""The Bot API's ``MarkdownV2`` and legacy ``Markdown`` parse modes."""

from __future__ import annotations

import re
from typing import Any

from bot.fakeapi.formatting_entities import (
    EntityBuilder,
    EntityParseError,
    byte_offset,
    link_entity,
)

__all__ = ["parse_markdown"]

_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
}


def _scan_to(text: str, j: int, stop: str, *, escapes: bool) -> tuple[str, int]:
    """The characters from ``j`` up to ``stop``, backslash escapes resolved if ``escapes``.

    Returns:
        The characters and the index of ``stop`` (``len(text)`` when it never comes).
    """
    n = len(text)
    out: list[str] = []
    while j < n and not text.startswith(stop, j):
        if escapes and text[j] == "\\" and j + 1 < n:
            out.append(text[j + 1])
            j += 2
            continue
        out.append(text[j])
        j += 1
    return "".join(out), j


def parse_markdown(text: str, *, v2: bool) -> tuple[str, list[dict[str, Any]]]:
    """Parse ``MarkdownV2`` (``v2``) or legacy ``Markdown``; errors worded as the real API's."""
    b = EntityBuilder()
    # Open entities: (marker, entity, start, source index)
    stack: list[tuple[str, dict[str, Any], int, int]] = []
    i = 0
    n = len(text)
    line_start = True
    quote_start: int | None = None

    def open_or_close(marker: str, etype: str, src: int) -> None:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == marker:
                if k != len(stack) - 1 and not v2:
                    break
                if k != len(stack) - 1:
                    name = _MDV2_NAMES.get(stack[-1][1]["type"], stack[-1][1]["type"])
                    raise EntityParseError(
                        f"Can't find end of {name} entity at byte offset "
                        f"{byte_offset(text, stack[-1][3])}"
                    )
                _, entity, start, _ = stack.pop()
                b.close(entity, start)
                return
        if stack and not v2:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset "
                f"{byte_offset(text, stack[-1][3])}"
            )
        stack.append((marker, {"type": etype}, b.pos, src))

    while i < n:
        ch = text[i]
        if v2 and line_start:
            if ch == ">":
                if quote_start is None:
                    quote_start = b.pos
                i += 1
                line_start = False
                continue
            if quote_start is not None:
                # The quote ended on the previous line; do not include its newline.
                b.close({"type": "blockquote"}, quote_start, b.pos - 1)
                quote_start = None
        line_start = False
        if ch == "\\" and i + 1 < n and (v2 or text[i + 1] in "_*`["):
            if v2 and ord(text[i + 1]) > 126:
                raise EntityParseError(f"Character '{text[i + 1]}' can't be escaped")
            b.add(text[i + 1])
            i += 2
            continue
        if ch == "`":
            fence = text.startswith("```", i)
            opener = "```" if fence else "`"
            j = i + len(opener)
            language = ""
            if fence:
                nl = text.find("\n", j)
                first = text[j:nl] if nl != -1 else ""
                if nl != -1 and re.fullmatch(r"[\w+#.-]*", first):
                    language = first
                    j = nl + 1
            content, j = _scan_to(text, j, opener, escapes=v2)
            if j >= n:
                raise EntityParseError(
                    f"Can't find end of {'Pre' if fence else 'Code'} entity at byte offset "
                    f"{byte_offset(text, i)}"
                    if v2
                    else "Can't find end of the entity starting at byte offset "
                    f"{byte_offset(text, i)}"
                )
            start = b.pos
            if fence and content.endswith("\n"):
                content = content[:-1]
            b.add(content)
            entity: dict[str, Any] = {"type": "pre" if fence else "code"}
            if language:
                entity["language"] = language
            b.close(entity, start)
            i = j + len(opener)
            continue
        if ch == "*":
            open_or_close("*", "bold", i)
            i += 1
            continue
        if ch == "_":
            if v2 and text.startswith("__", i):
                open_or_close("__", "underline", i)
                i += 2
            else:
                open_or_close("_", "italic", i)
                i += 1
            continue
        if v2 and ch == "~":
            open_or_close("~", "strikethrough", i)
            i += 1
            continue
        if v2 and text.startswith("||", i):
            open_or_close("||", "spoiler", i)
            i += 2
            continue
        if ch == "[":
            if stack and not v2:
                raise EntityParseError(
                    "Can't find end of the entity starting at byte offset "
                    f"{byte_offset(text, stack[-1][3])}"
                )
            stack.append(("[", {"type": "text_link"}, b.pos, i))
            i += 1
            continue
        if ch == "]" and stack and stack[-1][0] == "[":
            if not text.startswith("(", i + 1):
                if v2:
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {byte_offset(text, i)}"
                    )
                # Legacy Markdown: not a link after all.
                stack.pop()
                i += 1
                continue
            href, j = _scan_to(text, i + 2, ")", escapes=True)
            if j >= n:
                raise EntityParseError(
                    f"Can't find end of a URL at byte offset {byte_offset(text, i + 1)}"
                )
            _, entity, start, _ = stack.pop()
            entity = link_entity(entity, href)
            b.close(entity, start)
            i = j + 1
            continue
        if v2 and ch in _MDV2_RESERVED:
            raise EntityParseError(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        b.add(ch)
        if ch == "\n":
            line_start = True
        i += 1
    if quote_start is not None:
        b.close({"type": "blockquote"}, quote_start)
    if stack:
        _, entity, _, src = stack[-1]
        if v2:
            name = _MDV2_NAMES.get(entity["type"], entity["type"])
            raise EntityParseError(
                f"Can't find end of {name} entity at byte offset {byte_offset(text, src)}"
            )
        raise EntityParseError(
            f"Can't find end of the entity starting at byte offset {byte_offset(text, src)}"
        )
    return b.result()
