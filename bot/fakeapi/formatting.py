"""Text formatting like the Bot API does it: parse modes into plain text plus entities.

The real Bot API never stores markup: it parses ``HTML``, ``MarkdownV2`` and ``Markdown`` into
plain text and a list of ``MessageEntity`` objects whose offsets and lengths count UTF-16 code
units, and it rejects malformed markup with ``400 Bad Request: can't parse entities: ...``. The
fake does the same so that a bot that forgets to escape user input fails in tests the way it would
fail in production.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = [
    "EntityParseError",
    "detect_bot_commands",
    "parse_text",
    "utf16_len",
]

# Tags accepted by the Bot API in HTML mode, mapped to entity types.
_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
}
_BOT_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


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


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Turn a text with an optional parse mode into plain text and entities.

    Args:
        text: The text as the client sent it.
        parse_mode: ``HTML``, ``MarkdownV2``, ``Markdown`` (case-insensitive) or ``None``.
        entities: Explicit entities; when given they win over ``parse_mode``, as in the real API.

    Returns:
        ``(plain_text, entities)`` with entities sorted by offset.

    Raises:
        EntityParseError: The markup is malformed or the parse mode is unknown.
    """
    if entities:
        return text, [dict(e) for e in entities]
    mode = (parse_mode or "").strip().lower()
    if not mode:
        return text, []
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, v2=True)
    if mode == "markdown":
        return _parse_markdown(text, v2=False)
    raise EntityParseError(f"Unsupported parse_mode {parse_mode!r}")


def detect_bot_commands(text: str) -> list[dict[str, Any]]:
    """Find ``/command`` and ``/command@bot`` tokens the way Telegram clients mark them.

    Args:
        text: A user's message text.

    Returns:
        ``bot_command`` entities, in order.
    """
    found: list[dict[str, Any]] = []
    for match in _BOT_COMMAND.finditer(text):
        found.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return found


class _Builder:
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


def _parse_html_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in re.finditer(r"([A-Za-z_:][-\w:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?", raw):
        value = m.group(2) or ""
        if value[:1] in "\"'":
            value = value[1:-1]
        attrs[m.group(1).lower()] = html.unescape(value)
    return attrs


def _unescape_html_text(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "&":
            out.append(ch)
            i += 1
            continue
        end = text.find(";", i)
        name = text[i + 1 : end] if end != -1 else ""
        if end != -1 and name in _NAMED_ENTITIES:
            out.append(_NAMED_ENTITIES[name])
            i = end + 1
        elif end != -1 and re.fullmatch(r"#(\d{1,7}|[xX][0-9a-fA-F]{1,6})", name):
            num = name[1:]
            code = int(num[1:], 16) if num[:1] in "xX" else int(num)
            out.append(chr(code) if 0 < code < 0x110000 else "\ufffd")
            i = end + 1
        else:
            # The real API keeps unknown entities as literal text.
            out.append(ch)
            i += 1
    return "".join(out)


def _parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    b = _Builder()
    stack: list[tuple[str, dict[str, Any], int, int]] = []  # tag, entity, start, source index
    i = 0
    n = len(text)
    while i < n:
        lt = text.find("<", i)
        if lt == -1:
            b.add(_unescape_html_text(text[i:]))
            break
        b.add(_unescape_html_text(text[i:lt]))
        gt = text.find(">", lt)
        if gt == -1:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, lt)}")
        inner = text[lt + 1 : gt]
        closing = inner.startswith("/")
        body = inner[1:] if closing else inner
        m = re.match(r"([A-Za-z][-A-Za-z0-9]*)", body)
        tag = m.group(1).lower() if m else ""
        if closing:
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, lt)}"
                )
            open_tag, closed, start, _ = stack.pop()
            if tag != open_tag:
                raise EntityParseError(
                    f'Can\'t find end tag corresponding to start tag "{open_tag}"'
                )
            in_pre = bool(stack) and stack[-1][0] == "pre"
            if closed["type"] == "code" and in_pre and "language" in closed:
                stack[-1][1]["language"] = closed["language"]
            else:
                if closed["type"] == "code":
                    closed.pop("language", None)
                b.close(closed, start)
            i = gt + 1
            continue
        if tag not in _HTML_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, lt)}'
            )
        attrs = _parse_html_attrs(body[len(tag) :])
        entity: dict[str, Any] = {"type": _HTML_TAGS[tag]}
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Unsupported start tag "span" at byte offset {_byte_offset(text, lt)}'
            )
        if tag == "a":
            href = attrs.get("href", "")
            if href.startswith("tg://user?id="):
                entity = {"type": "text_mention", "user": {"id": int(href[13:] or 0)}}
            else:
                entity["url"] = href
        elif tag == "code" and attrs.get("class", "").startswith("language-"):
            entity["language"] = attrs["class"][len("language-") :]
        elif tag == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attrs.get("emoji-id", "")
        stack.append((tag, entity, b.pos, lt))
        i = gt + 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return b.result()


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


def _parse_markdown(text: str, *, v2: bool) -> tuple[str, list[dict[str, Any]]]:
    b = _Builder()
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
                        f"{_byte_offset(text, stack[-1][3])}"
                    )
                _, entity, start, _ = stack.pop()
                b.close(entity, start)
                return
        if stack and not v2:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset "
                f"{_byte_offset(text, stack[-1][3])}"
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
                    f"{_byte_offset(text, i)}"
                    if v2
                    else "Can't find end of the entity starting at byte offset "
                    f"{_byte_offset(text, i)}"
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
                    f"{_byte_offset(text, stack[-1][3])}"
                )
            stack.append(("[", {"type": "text_link"}, b.pos, i))
            i += 1
            continue
        if ch == "]" and stack and stack[-1][0] == "[":
            if not text.startswith("(", i + 1):
                if v2:
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, i)}"
                    )
                # Legacy Markdown: not a link after all.
                stack.pop()
                i += 1
                continue
            href, j = _scan_to(text, i + 2, ")", escapes=True)
            if j >= n:
                raise EntityParseError(
                    f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}"
                )
            _, entity, start, _ = stack.pop()
            if href.startswith("tg://user?id="):
                entity = {"type": "text_mention", "user": {"id": int(href[13:] or 0)}}
            else:
                entity["url"] = href
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
                f"Can't find end of {name} entity at byte offset {_byte_offset(text, src)}"
            )
        raise EntityParseError(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, src)}"
        )
    return b.result()
