"""Authentication for the dashboard: one-time login links and signed sessions.

* **One-time login links.** The bot hands a dashboard user a link that logs
  them in once, within :data:`LOGIN_TTL`. The token is random, carries an
  HMAC tag (so that an altered token is told apart from an unknown one
  without a database look-up) and is stored only as a SHA-256 hash.
* **Sessions.** After the link, the browser holds a signed cookie: person id,
  expiry and a nonce, HMAC-SHA256-signed with the installation secret
  ``web_session``, verified in constant time. Nothing is stored server-side
  but logouts (:func:`revoke_session`); :func:`session_person` re-checks that
  the person is still active.

Which cases a logged-in person then sees is :mod:`bot.web.access`; Open311's
API keys are :mod:`bot.web.api_keys`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.services.keys import installation_secret
from storage import auth as store
from storage.db import Database
from storage.enums import UNIT_ROLES
from storage.models import Person, utcnow
from storage.org import get_person

#: How long a login link works.
LOGIN_TTL = timedelta(minutes=10)
#: The dashboard path a login link points at (``?token=...``).
LOGIN_PATH = "/login"
#: How long a dashboard session lasts.
SESSION_TTL = timedelta(hours=12)
#: The session cookie's name.
SESSION_COOKIE = "minqing_session"
#: Installation secrets (see :func:`bot.services.keys.installation_secret`).
SESSION_SECRET_NAME = "web_session"
LOGIN_SECRET_NAME = "web_login"

_LOGIN_RE = re.compile(r"^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{22})$")
_SESSION_RE = re.compile(
    r"^v1\.([1-9][0-9]{0,18})\.([0-9]{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$"
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


# --- one-time login links ----------------------------------------------------


class LoginError(Exception):
    """A login link cannot be created or redeemed.

    Attributes:
        reason: ``malformed`` (not a token at all), ``tampered`` (its tag is
            wrong), ``unknown`` (well-formed but never issued here), ``used``,
            ``expired``, ``inactive`` (the person may no longer use the
            dashboard), ``unknown_person``, ``no_access`` or ``bad_ttl``.
        message: What to tell the user, in Chinese.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


def _may_use_dashboard(person: Person | None) -> bool:
    return person is not None and person.active and person.role in UNIT_ROLES


def _login_tag(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, b"login:" + body.encode("ascii"), hashlib.sha256).digest())[:22]


def login_url(base_url: str, token: str) -> str:
    """The dashboard URL that redeems ``token``."""
    return f"{base_url.rstrip('/')}{LOGIN_PATH}?token={token}"


async def create_login_link(
    db: Database,
    person_id: int,
    base_url: str,
    ttl: timedelta = LOGIN_TTL,
    *,
    now: datetime | None = None,
) -> str:
    """A one-time dashboard login URL for ``person_id``.

    Args:
        db: The database.
        person_id: Who logs in; must be active and bound to a unit.
        base_url: The dashboard's public URL, e.g. ``https://minqing.example``.
        ttl: How long the link works.
        now: The current time (default: the system clock).

    Raises:
        LoginError: ``unknown_person``, ``no_access`` or ``bad_ttl``.
    """
    if ttl <= timedelta(0):
        raise LoginError("bad_ttl", "有效期必须大于零。")
    now = now or utcnow()
    secret = await installation_secret(db, LOGIN_SECRET_NAME)
    body = secrets.token_urlsafe(24)
    token = f"{body}.{_login_tag(secret, body)}"
    async with db.session() as session:
        person = await get_person(session, person_id)
        if person is None:
            raise LoginError("unknown_person", "找不到该用户。")
        if not _may_use_dashboard(person):
            raise LoginError("no_access", "您没有使用网页工作台的权限。")
        await store.add_login_token(
            session,
            token_hash=_sha256(token),
            person_id=person_id,
            expires_at=now + ttl,
            created_at=now,
        )
    return login_url(base_url, token)


async def redeem_login_token(db: Database, token: str, now: datetime | None = None) -> int:
    """Use a login token once; return the person it logs in.

    Raises:
        LoginError: ``malformed``, ``tampered``, ``unknown``, ``used``,
            ``expired`` or ``inactive``.
    """
    now = now or utcnow()
    match = _LOGIN_RE.match(token.strip())
    if match is None:
        raise LoginError("malformed", "登录链接无效，请在机器人中重新获取。")
    secret = await installation_secret(db, LOGIN_SECRET_NAME)
    expected = _login_tag(secret, match.group(1))
    if not hmac.compare_digest(expected.encode("ascii"), match.group(2).encode("ascii")):
        raise LoginError("tampered", "登录链接无效，请在机器人中重新获取。")
    async with db.session() as session:
        row = await store.find_login_token_for_update(session, _sha256(token.strip()))
        if row is None:
            raise LoginError("unknown", "登录链接无效或已失效，请在机器人中重新获取。")
        if row.used_at is not None:
            raise LoginError("used", "该登录链接已使用过，请在机器人中重新获取。")
        if row.expires_at <= now:
            raise LoginError("expired", "登录链接已过期，请在机器人中重新获取。")
        person = await get_person(session, row.person_id)
        if not _may_use_dashboard(person):
            raise LoginError("inactive", "您的账号已停用或没有网页工作台权限。")
        row.used_at = now
        return row.person_id


async def purge_login_tokens(
    db: Database, now: datetime | None = None, keep: timedelta = timedelta(days=1)
) -> int:
    """Delete login tokens that expired or were used more than ``keep`` ago."""
    now = now or utcnow()
    async with db.session() as session:
        return await store.delete_login_tokens(session, expired_before=now - keep)


# --- sessions ------------------------------------------------------------------


@dataclass(frozen=True)
class WebSession:
    """A verified dashboard session."""

    person_id: int
    expires_at: datetime
    nonce: str


class SessionSigner:
    """Issues and verifies signed session cookie values.

    The value is ``v1.PERSON.EXPIRES.NONCE.SIG``: ``EXPIRES`` in Unix seconds,
    ``NONCE`` 96 random bits, ``SIG`` the HMAC-SHA256 of everything before it.
    """

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("session secret too short")
        self._secret = secret

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._secret, body.encode("ascii"), hashlib.sha256).digest())

    def issue(self, person_id: int, now: datetime, ttl: timedelta = SESSION_TTL) -> str:
        """A cookie value for ``person_id`` valid for ``ttl`` from ``now``."""
        if person_id <= 0:
            raise ValueError("person id must be positive")
        if ttl <= timedelta(0):
            raise ValueError("ttl must be positive")
        expires = int((now + ttl).timestamp())
        body = f"v1.{person_id}.{expires}.{secrets.token_urlsafe(12)}"
        return f"{body}.{self._sign(body)}"

    def verify(self, value: str, now: datetime) -> WebSession | None:
        """The session in ``value``, or None if it is malformed, forged or expired."""
        match = _SESSION_RE.match(value)
        if match is None:
            return None
        body, _, sig = value.rpartition(".")
        if not hmac.compare_digest(self._sign(body).encode("ascii"), sig.encode("ascii")):
            return None
        expires_at = datetime.fromtimestamp(int(match.group(2)), UTC)
        if expires_at <= now:
            return None
        return WebSession(
            person_id=int(match.group(1)), expires_at=expires_at, nonce=match.group(3)
        )

    def csrf_token(self, session: WebSession) -> str:
        """A token for the forms of ``session`` (bound to its nonce, so to this login)."""
        return self._sign(f"csrf.{session.person_id}.{session.nonce}")

    def check_csrf(self, session: WebSession, token: str) -> bool:
        """Whether ``token`` is the form token of ``session`` (constant time)."""
        expected = self.csrf_token(session).encode("ascii")
        return hmac.compare_digest(expected, token.encode("utf-8", "replace"))


def cookie_settings(*, secure: bool, ttl: timedelta = SESSION_TTL) -> dict[str, Any]:
    """Keyword arguments for aiohttp's ``response.set_cookie(SESSION_COOKIE, value, ...)``.

    Args:
        secure: Send the cookie over HTTPS only (set it whenever the dashboard is on HTTPS).
        ttl: The session's lifetime, for ``Max-Age``.
    """
    return {
        "httponly": True,
        "secure": secure,
        "samesite": "Lax",
        "path": "/",
        "max_age": int(ttl.total_seconds()),
    }


async def session_signer(db: Database) -> SessionSigner:
    """The signer keyed with this installation's ``web_session`` secret."""
    return SessionSigner(await installation_secret(db, SESSION_SECRET_NAME))


def _revocation_hash(nonce: str) -> str:
    """The key a logged-out session is remembered by (never a login token's hash)."""
    return _sha256(f"revoked-session:{nonce}")


async def session_person(db: Database, value: str, now: datetime | None = None) -> Person | None:
    """The person a session cookie logs in, if it is valid, not logged out, and they may
    still use the dashboard."""
    now = now or utcnow()
    signed = (await session_signer(db)).verify(value, now)
    if signed is None:
        return None
    async with db.session() as session:
        if await store.find_login_token_for_update(session, _revocation_hash(signed.nonce)):
            return None
        person = await get_person(session, signed.person_id)
    return person if _may_use_dashboard(person) else None


async def revoke_session(db: Database, value: str, now: datetime | None = None) -> bool:
    """Log a session out server-side: its cookie stops working at once, not in 12 h.

    The revocation is kept as a spent row in ``login_tokens`` (hash of the session's
    nonce, ``used_at`` set, ``expires_at`` the session's end), so that housekeeping's
    :func:`purge_login_tokens` forgets it a day after the cookie would have expired.

    Returns:
        Whether ``value`` was a valid session (and is now revoked).
    """
    now = now or utcnow()
    signed = (await session_signer(db)).verify(value, now)
    if signed is None:
        return False
    token_hash = _revocation_hash(signed.nonce)
    async with db.session() as session:
        if await store.find_login_token_for_update(session, token_hash) is None:
            row = await store.add_login_token(
                session,
                token_hash=token_hash,
                person_id=signed.person_id,
                expires_at=signed.expires_at,
                created_at=now,
            )
            row.used_at = now
    return True
