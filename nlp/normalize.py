"""Text normalisation and masking of personal data.

``normalize`` prepares a citizen's message for segmentation: traditional to
simplified Chinese, full-width ASCII to half-width, no URLs, emoji or control
characters, and collapsed whitespace. ``mask_sensitive`` hides phone numbers
and resident identity numbers; the rest of the system reuses it for logs and
display, so it is a single compiled regular expression applied in one pass.
"""

from __future__ import annotations

import re
import threading
from typing import Any

__all__ = ["mask_sensitive", "normalize", "to_simplified"]

_CONVERTER: Any = None
_CONVERTER_LOCK = threading.Lock()

# Full-width punctuation that is ordinary in Chinese text and therefore kept
# as it is: ，！？：；（）. Everything else in U+FF01..U+FF5E (digits, Latin
# letters, ＠＃％＋－＝ ...) becomes its ASCII counterpart, and the ideographic
# space U+3000 becomes a plain space.
_KEEP_FULLWIDTH = set("，！？：；（）")
_WIDTH_TABLE: dict[int, int | str | None] = {
    cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH
}
_WIDTH_TABLE[0x3000] = " "

# URLs and emoji/pictographs become a space (they separate words); control
# and invisible format characters are dropped. Newlines and tabs are
# whitespace and are handled afterwards.
_NOISE_RE = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002B00-\U00002BFF"
    r"\U0000FE00-\U0000FE0F\U000E0000-\U000E007F\u200d\u20e3]+",
    re.IGNORECASE,
)
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u2060\ufeff]"
)
_NEWLINE_RUN_RE = re.compile(r"\s*[\r\n\u2028\u2029]\s*")
_SPACE_RUN_RE = re.compile(r"[^\S\n]+")


def _converter() -> Any:
    """Return the process-wide OpenCC traditional-to-simplified converter."""
    global _CONVERTER
    if _CONVERTER is None:
        with _CONVERTER_LOCK:
            if _CONVERTER is None:
                import opencc

                _CONVERTER = opencc.OpenCC("t2s")
    return _CONVERTER


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones.

    Args:
        text: Any text; simplified characters and non-Chinese text pass
            through unchanged.

    Returns:
        The text in simplified characters.
    """
    result: str = _converter().convert(text)
    return result


def normalize(text: str) -> str:
    """Normalise a message before segmentation.

    Steps, in order: remove URLs, emoji and control/invisible characters;
    full-width ASCII to half-width (keeping the Chinese punctuation
    ，！？：；（）); traditional to simplified; collapse every run of
    whitespace that contains a line break into one ``"\\n"`` and every other
    run into one space; strip both ends.

    Args:
        text: The raw message.

    Returns:
        The normalised message (possibly empty).
    """
    text = _CONTROL_RE.sub("", text)
    text = _NOISE_RE.sub(" ", text)
    text = text.translate(_WIDTH_TABLE)
    if not text.isascii():
        text = to_simplified(text)
    text = _NEWLINE_RUN_RE.sub("\n", text)
    text = _SPACE_RUN_RE.sub(" ", text)
    return text.strip()


# Masking. One alternation, tried left to right at each position:
#  - an 18-digit resident identity number (last character may be X), or a
#    15-digit old-style one: keep the first 3 and last 2 characters, so that
#    the province stays visible for a dispatcher but neither the county,
#    the birth date nor the sequence number can be read;
#  - a mainland mobile number (1[3-9]x, optional +86/86 prefix, optional
#    space or hyphen groups 3-4-4): keep the first 3 and last 4 digits;
#  - a landline with an area code (0xx or 0xxx, optional hyphen or space,
#    7-8 digits): keep the area code and the last 4 digits.
# Digit look-arounds make sure that we never mask part of a longer number.
_SENSITIVE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?P<id>\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])"
    r"|(?<!\d)(?P<cc>(?:\+|00)?86[- ]?)?(?P<m1>1[3-9]\d)(?P<s1>[- ]?)(?P<m2>\d{4})"
    r"(?P<s2>[- ]?)(?P<m3>\d{4})(?!\d)"
    r"|(?<!\d)(?P<area>0\d{2,3})(?P<s3>[- ]?)(?P<local>\d{7,8})(?!\d)"
)


def _mask_match(match: re.Match[str]) -> str:
    groups = match.groupdict()
    ident = groups["id"]
    if ident is not None:
        return ident[:3] + "*" * (len(ident) - 5) + ident[-2:]
    if groups["m1"] is not None:
        prefix = groups["cc"] or ""
        return f"{prefix}{groups['m1']}{groups['s1']}****{groups['s2']}{groups['m3']}"
    local = groups["local"]
    return f"{groups['area']}{groups['s3']}{'*' * (len(local) - 4)}{local[-4:]}"


def mask_sensitive(text: str) -> str:
    """Mask phone numbers and resident identity numbers in a text.

    * Mobile ``13812345678`` → ``138****5678`` (separators and a ``+86``
      prefix are kept: ``+86 138-1234-5678`` → ``+86 138-****-5678``).
    * Landline ``0731-84512345`` → ``0731-****2345``.
    * Identity number ``110105199001011234`` → ``110*************34`` (first
      3 and last 2 characters kept; same for 15-digit old numbers).

    Args:
        text: Any text.

    Returns:
        The text with every match masked; everything else is unchanged.
    """
    return _SENSITIVE_RE.sub(_mask_match, text)
