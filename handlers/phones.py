"""Phone numbers a citizen types: found in a text and checked for the right length.

A mainland mobile has 11 digits and starts with 1; a landline has its area code
(0 and two or three digits) and 7 or 8 digits. ``+86`` / ``0086`` in front is
allowed; spaces, dashes, dots and brackets are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A run of digits with the separators people type inside a number.
_CANDIDATE_RE = re.compile(r"(?:\+?86[\s-]?)?[(（]?\d[\d\s\-－—.()（）]{5,}\d")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}[2-9]\d{6,7}$")
_SERVICE_RE = re.compile(r"^(?:400|800)\d{7}$")


@dataclass(frozen=True, slots=True)
class Phone:
    """A number found in a text: as typed (``raw``), its digits, and whether it is callable."""

    raw: str
    digits: str

    @property
    def valid(self) -> bool:
        """A mainland mobile, a landline with its area code, or a 400/800 number."""
        return bool(
            _MOBILE_RE.match(self.digits)
            or _LANDLINE_RE.match(self.digits)
            or _SERVICE_RE.match(self.digits)
        )

    @property
    def number(self) -> str:
        """The number as stored: the digits (a landline as ``0532-83912345``)."""
        if self.digits.startswith("0") and _LANDLINE_RE.match(self.digits):
            cut = 3 if self.digits[1] in "12" else 4
            return f"{self.digits[:cut]}-{self.digits[cut:]}"
        return self.digits


def _digits(raw: str) -> str:
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.lstrip().startswith("+86") or digits.startswith("0086"):
        digits = digits[4:] if digits.startswith("0086") else digits[2:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    return digits


def find_phone(text: str) -> Phone | None:
    """The longest phone-like run of digits in ``text`` (seven digits or more), if any."""
    best: Phone | None = None
    for match in _CANDIDATE_RE.finditer(text):
        raw = match.group(0).strip()
        digits = _digits(raw)
        if len(digits) >= 7 and (best is None or len(digits) > len(best.digits)):
            best = Phone(raw, digits)
    return best


def parse_phone(text: str) -> Phone | None:
    """``text`` as a phone number if it is nothing else (a number typed alone)."""
    phone = find_phone(text)
    if phone is None:
        return None
    rest = text.replace(phone.raw, "").strip(" ，,。.:：")
    return phone if not rest or rest in ("电话", "手机", "手机号", "联系电话") else None
