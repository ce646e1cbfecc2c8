"""查询码: the secret, given at filing, that opens a web-form case's status page (trial D13).

Case numbers (``MQ<date>-<sequence>``) are sequential and guessable, so the
status page never shows anything on the number alone. A reporter proves the
case is theirs with the phone number they gave, or with this code, printed on
the confirmation page of every web-form filing (phone or not).

The code is derived, not stored: an HMAC of the case number under an
installation secret of its own (``web_lookup``), eight characters from an
alphabet without look-alikes (0/O, 1/I/L), shown as ``ABCD-EFGH``. Deriving it
lets a repeated form (refresh, double click) show the same code again and keeps
no plaintext credential in the database; anyone who can read the secret can read
the cases anyway. Eight characters of 31 symbols are about 40 bits, and the
status look-up allows ten tries a minute and sixty an hour per client address
(:mod:`bot.web.throttle`); the per-case limit is for phone guesses only.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.services.keys import installation_secret
from storage.db import Database

#: The installation secret the codes are derived from.
LOOKUP_SECRET_NAME = "web_lookup"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8

__all__ = ["looks_like_code", "lookup_code", "matches_code", "normalise_code"]


def _derive(secret: bytes, number: str) -> str:
    digest = hmac.new(secret, b"lookup|" + number.upper().encode(), hashlib.sha256).digest()
    value = int.from_bytes(digest, "big")
    chars = []
    for _ in range(LENGTH):
        value, index = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalise_code(given: str | None) -> str:
    """What a person typed, as a bare code: upper case, no spaces or dashes."""
    if not given:
        return ""
    return "".join(c for c in given.upper() if c.isalnum())


def looks_like_code(given: str | None) -> bool:
    """Whether ``given`` has the shape of a 查询码 (eight letters and digits, a letter
    among them), not of a phone number: the status page's per-case limit is for
    phone guesses only (trial 29 P9)."""
    typed = normalise_code(given)
    return len(typed) == LENGTH and any(c.isalpha() for c in typed)


async def lookup_code(db: Database, number: str) -> str:
    """The code of case ``number``, for display (``ABCD-EFGH``)."""
    code = _derive(await installation_secret(db, LOOKUP_SECRET_NAME), number)
    return f"{code[:4]}-{code[4:]}"


async def matches_code(db: Database, number: str, given: str | None) -> bool:
    """Whether ``given`` is the code of case ``number`` (constant-time comparison)."""
    typed = normalise_code(given)
    if len(typed) != LENGTH:
        return False
    expected = _derive(await installation_secret(db, LOOKUP_SECRET_NAME), number)
    return hmac.compare_digest(typed.encode(), expected.encode())
