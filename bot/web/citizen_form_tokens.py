"""The citizen form's CSRF tokens: a browser nonce and an HMAC-bound form token.

``GET /report`` sets a random browser nonce (:func:`new_nonce`) in the
:data:`FORM_COOKIE` cookie; each rendered form carries ``issued.form_id.tag``
(:func:`issue_token`) with ``tag`` = HMAC-SHA256 (installation secret
``web_form``) over the issue time, a fresh form id and the browser nonce.
:func:`check_token` accepts a token only for the nonce it was issued to,
compared in constant time, and only while the form is younger than
:data:`FORM_TTL`. The routes that use them are in :mod:`bot.web.citizen_form`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

#: The browser nonce cookie.
FORM_COOKIE = "minqing_form"
#: How long a rendered form may be submitted.
FORM_TTL = timedelta(hours=2)

_NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
_TOKEN_RE = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def new_nonce() -> str:
    """A fresh browser nonce or form id (128 bits)."""
    return secrets.token_urlsafe(16)


def is_nonce(value: str) -> bool:
    """Whether ``value`` has the form of a nonce made by :func:`new_nonce`."""
    return bool(_NONCE_RE.match(value))


def _tag(secret: bytes, issued: int, form_id: str, browser_nonce: str) -> str:
    body = f"report-form|{issued}|{form_id}|{browser_nonce}".encode("ascii")
    return _b64(hmac.new(secret, body, hashlib.sha256).digest())


def issue_token(secret: bytes, browser_nonce: str, now: datetime) -> str:
    """A form token bound to ``browser_nonce``: ``issued.form_id.tag``."""
    issued = int(now.timestamp())
    form_id = new_nonce()
    return f"{issued}.{form_id}.{_tag(secret, issued, form_id, browser_nonce)}"


def _verified(
    secret: bytes, token: str, browser_nonce: str | None, now: datetime
) -> tuple[str, float] | None:
    """The form id and age (seconds) of a token this server issued to this browser."""
    match = _TOKEN_RE.match(token or "")
    if match is None or browser_nonce is None or not is_nonce(browser_nonce):
        return None
    issued, form_id, tag = int(match.group(1)), match.group(2), match.group(3)
    expected = _tag(secret, issued, form_id, browser_nonce)
    if not hmac.compare_digest(expected.encode("ascii"), tag.encode("ascii")):
        return None
    age = now.timestamp() - issued
    return (form_id, age) if age >= -300 else None


def check_token(secret: bytes, token: str, browser_nonce: str | None, now: datetime) -> str | None:
    """The form id of a valid token for this browser, or None (forged, foreign or expired)."""
    found = _verified(secret, token, browser_nonce, now)
    if found is None or found[1] > FORM_TTL.total_seconds():
        return None
    return found[0]


def expired_form_id(
    secret: bytes, token: str, browser_nonce: str | None, now: datetime
) -> str | None:
    """The form id of a genuine token for this browser that is only too old, or None.

    Its tag verifies with this browser's cookie, so no other site made the post:
    a danger report on a form left open past :data:`FORM_TTL` is filed with it
    (trial 26 T10). A forged, foreign or missing token gives None.
    """
    found = _verified(secret, token, browser_nonce, now)
    return found[0] if found is not None and found[1] > FORM_TTL.total_seconds() else None
