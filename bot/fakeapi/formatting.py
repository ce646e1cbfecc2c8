"""Text formatting like the Bot API does it: parse modes into plain text plus entities.

The real Bot API never stores markup: it parses ``HTML``, ``MarkdownV2`` and ``Markdown`` into
plain text and a list of ``MessageEntity`` objects whose offsets and lengths count UTF-16 code
units, and it rejects malformed markup with ``400 Bad Request: can't parse entities: ...``. The
fake does the same so that a bot that forgets to escape user input fails in tests the way it would
fail in production. The parse modes live in ``formatting_html`` and ``formatting_markdown``,
what they share in ``formatting_entities``; import the public names from here.
"""

from __future__ import annotations

import re
from typing import Any

from bot.fakeapi.formatting_entities import EntityParseError, utf16_len
from bot.fakeapi.formatting_html import parse_html
from bot.fakeapi.formatting_markdown import parse_markdown

__all__ = [
    "EntityParseError",
    "detect_bot_commands",
    "parse_text",
    "utf16_len",
]

_BOT_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


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
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown(text, v2=True)
    if mode == "markdown":
        return parse_markdown(text, v2=False)
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
