"""Whether a text is human language at all, or binary data and control characters.

A form field or an API body can carry anything: ``%00%00%FF%FE中abc`` arrives as
two NULs, two replacement characters (bytes that were not UTF-8) and four
letters. Such a text is not a citizen's words, and filing it would put garbage
into a station's assessed work (trial 26 T22). :func:`bot.services.triage.triage`
reads it as ``noise`` (after danger: a real cry for help inside garbage still
wins), so the bot, the web form and Open311 answer it as they answer noise;
Open311 names the reason in its 400 with :func:`unreadable`.

A character is *unreadable* when it is a control character other than tab and
line breaks, a lone surrogate, a private-use or unassigned code point, a
non-character, or U+FFFD (what undecodable bytes become). A text is unreadable
when it holds at least as many unreadable characters as letters and digits
(of any script): ``\\x00\\x00��中abc`` (4 against 4) is, while a real complaint
with control characters pasted into it (路灯坏了\\x00\\x07\\x1b[31m 三天了: 3
against 10) is still read, its words kept.
"""

from __future__ import annotations

import unicodedata

__all__ = ["unreadable", "unreadable_chars"]

_WHITESPACE_CONTROLS = frozenset("\t\n\r")
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})


def _bad(ch: str) -> bool:
    if ch in _WHITESPACE_CONTROLS:
        return False
    if ch == "\ufffd" or (ord(ch) & 0xFFFE) == 0xFFFE:
        return True
    return unicodedata.category(ch) in _BAD_CATEGORIES


def unreadable_chars(text: str) -> int:
    """How many characters of ``text`` are unreadable (see the module docstring)."""
    return sum(1 for ch in text if _bad(ch))


def unreadable(text: str) -> bool:
    """Whether ``text`` is binary data or control characters rather than words."""
    bad = unreadable_chars(text)
    return bad > 0 and bad >= sum(1 for ch in text if ch.isalnum())
