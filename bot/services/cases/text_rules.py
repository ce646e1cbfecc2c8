"""The case service's text rules: what is stripped from text a person sends, what a
note must hold, and what is masked (names, phones, identity numbers). Split from
:mod:`bot.services.cases.model` (review 2 Q11), which re-exports them.
"""

from __future__ import annotations

import re

from bot.services.lifecycle import CaseError
from nlp import mask_sensitive

#: Longest note (办理结果, reason, 补充说明) kept.
MAX_NOTE = 2000


def _mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def _mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    masked = mask_sensitive(phone)
    if masked != phone:
        return masked
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]


#: Characters no person means to send and some use to deceive: C0 and C1 controls but
#: tab and line breaks, the bidi embeddings, overrides and isolates (U+202E shows the rest
#: of a card's line reversed), and the byte-order mark. NUL is kept as U+FFFD, as storage does.
_INVISIBLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def strip_controls(text: str) -> str:
    """``text`` without control and bidi-override characters (trial 25 T3)."""
    return _INVISIBLE.sub("", text).replace("\x00", "\ufffd")


def _clean(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = strip_controls(text).strip()
    return text[:limit] if text else None


def _required(text: str | None, refusal: str) -> str:
    """``text`` cleaned to :data:`MAX_NOTE`; empty or missing is refused with ``refusal``.

    Raises:
        CaseError: ``bad_input``.
    """
    cleaned = _clean(text, MAX_NOTE)
    if not cleaned:
        raise CaseError("bad_input", refusal)
    return cleaned


#: A resident identity number (18 digits, the last may be X; 15-digit old numbers;
#: grouped 6-8-4), full-width digits read as digits.
_ID_NUMBER_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9]{6}[- ]?[0-9]{8}[- ]?[0-9]{3}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])"
)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def mask_id_numbers(text: str) -> str:
    """``text`` with every identity number masked (``110*************34``), phone
    numbers and everything else unchanged: no card needs a citizen's ID number,
    the owning unit included (it calls back on the phone)."""
    view = text.translate(_FULL_WIDTH)
    if _ID_NUMBER_RE.search(view) is None:
        return text
    parts: list[str] = []
    last = 0
    for match in _ID_NUMBER_RE.finditer(view):
        parts.append(text[last : match.start()])
        parts.append(mask_sensitive(text[match.start() : match.end()]))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)
