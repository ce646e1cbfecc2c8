"""The Bot API's ``HTML`` parse mode: tags into plain text and entities."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.fakeapi.formatting_entities import (
    EntityBuilder,
    EntityParseError,
    byte_offset,
    link_entity,
)

__all__ = ["parse_html"]

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


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse ``HTML`` markup; raises :class:`EntityParseError` where the real API would."""
    b = EntityBuilder()
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
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(text, lt)}")
        inner = text[lt + 1 : gt]
        closing = inner.startswith("/")
        body = inner[1:] if closing else inner
        m = re.match(r"([A-Za-z][-A-Za-z0-9]*)", body)
        tag = m.group(1).lower() if m else ""
        if closing:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(text, lt)}")
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
                f'Unsupported start tag "{tag}" at byte offset {byte_offset(text, lt)}'
            )
        attrs = _parse_html_attrs(body[len(tag) :])
        entity: dict[str, Any] = {"type": _HTML_TAGS[tag]}
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Unsupported start tag "span" at byte offset {byte_offset(text, lt)}'
            )
        if tag == "a":
            entity = link_entity(entity, attrs.get("href", ""))
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
