"""Authentication and authorisation for the web side.

* **One-time login links.** The bot hands a dashboard user a link that logs
  them in once, within :data:`LOGIN_TTL`. The token is random, carries an
  HMAC tag (so that an altered token is told apart from an unknown one
  without a database look-up) and is stored only as a SHA-256 hash.
* **Sessions.** After the link, the browser holds a signed cookie: person id,
  expiry and a nonce, HMAC-SHA256-signed with the installation secret
  ``web_session``, verified in constant time. Nothing is stored server-side;
  :func:`session_person` re-checks that the person is still active.
* **Access policy.** Which units' cases (and the identities in them) a person
  may see on the dashboard: see :class:`AccessPolicy`.
* **Open311 API keys.** Random keys shown once, stored hashed, revocable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, false, or_, true

from bot.services.keys import installation_secret
from bot.services.people import PersonLike
from config.district import District, UnitKind
from storage import auth as store
from storage.db import Database
from storage.enums import UNIT_ROLES, CaseKind, Role
from storage.models import ApiKey, Case, Person, utcnow
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
#: Prefix of Open311 API keys, so that a leaked key is recognisable.
API_KEY_PREFIX = "mq_"
MAX_API_KEY_NAME = 200

_LOGIN_RE = re.compile(r"^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{22})$")
_SESSION_RE = re.compile(
    r"^v1\.([1-9][0-9]{0,18})\.([0-9]{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$"
)
_API_KEY_RE = re.compile(r"^mq_[A-Za-z0-9_-]{43}$")


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


# --- access policy ---------------------------------------------------------------


class CaseLike(Protocol):
    """What the policy needs to know about a case (a :class:`Case` will do)."""

    @property
    def kind(self) -> str: ...
    @property
    def reporter_id(self) -> int | None: ...
    @property
    def owning_unit_id(self) -> str: ...
    @property
    def territorial_unit_id(self) -> str | None: ...
    @property
    def escalated_to_unit_id(self) -> str | None: ...


class Visibility(StrEnum):
    """How much of the dashboard a person sees."""

    NONE = "none"  # citizens, inactive people, people bound to no known unit
    OWN_WARNINGS = "own_warnings"  # information officers
    UNITS = "units"  # chiefs and staff: their unit and the units below it
    ALL = "all"  # admins, the mass-work office and its centres


#: Units whose chiefs and staff see everything.
DISTRICT_KINDS = frozenset({UnitKind.OFFICE, UnitKind.CENTRE})


def unit_subtree(district: District, unit_id: str) -> frozenset[str]:
    """``unit_id`` and every unit below it."""
    found: set[str] = set()
    stack = [unit_id]
    while stack:
        current = stack.pop()
        if current in found or current not in district.units:
            continue
        found.add(current)
        stack.extend(child.id for child in district.children(current))
    return frozenset(found)


@dataclass(frozen=True)
class AccessPolicy:
    """Which cases, units and identities one person may see on the dashboard.

    * Admins, and chiefs and staff of the mass-work office or its centres,
      see everything.
    * Other chiefs and staff see their own unit and the units below it (a
      street station sees its communities' work rooms), not their siblings. A
      case is theirs when it is owned by, was escalated to, or happened in
      (territorial unit) one of those units.
    * Information officers see only the warnings they filed.
    * Citizens, inactive people and people bound to an unknown unit see
      nothing.

    Seeing a case is not seeing its reporter's phone: that is the rule of
    ``CaseService.sees_contact`` (the handling unit and the dispatcher desk),
    the same as on Telegram cards.
    """

    person_id: int
    visibility: Visibility
    unit_ids: frozenset[str] = frozenset()

    @classmethod
    def for_person(cls, person: PersonLike, district: District) -> AccessPolicy:
        """The policy for ``person`` in ``district``."""
        nothing = cls(person_id=person.id, visibility=Visibility.NONE)
        if not person.active:
            return nothing
        role = person.role
        if role == Role.ADMIN:
            return cls(person.id, Visibility.ALL, frozenset(district.units))
        if role == Role.OFFICER:
            return cls(person.id, Visibility.OWN_WARNINGS)
        if role not in (Role.CHIEF, Role.STAFF) or person.unit_id not in district.units:
            return nothing
        if district.units[person.unit_id].kind in DISTRICT_KINDS:
            return cls(person.id, Visibility.ALL, frozenset(district.units))
        return cls(person.id, Visibility.UNITS, unit_subtree(district, person.unit_id))

    @property
    def dashboard(self) -> bool:
        """Whether the person may use the dashboard at all."""
        return self.visibility is not Visibility.NONE

    @property
    def sees_everything(self) -> bool:
        """Whether no filter applies."""
        return self.visibility is Visibility.ALL

    def can_see_unit(self, unit_id: str) -> bool:
        """Whether the unit's cases, people and figures are visible."""
        return self.visibility in (Visibility.ALL, Visibility.UNITS) and unit_id in self.unit_ids

    def can_see_case(self, case: CaseLike) -> bool:
        """Whether ``case`` is visible."""
        if self.visibility is Visibility.ALL:
            return True
        if self.visibility is Visibility.OWN_WARNINGS:
            return case.kind == CaseKind.WARNING and case.reporter_id == self.person_id
        if self.visibility is Visibility.UNITS:
            units = (case.owning_unit_id, case.territorial_unit_id, case.escalated_to_unit_id)
            return any(u is not None and u in self.unit_ids for u in units)
        return False

    def can_see_person(self, person: PersonLike) -> bool:
        """Whether a member of staff (their name, unit, role) is visible."""
        if person.id == self.person_id and self.dashboard:
            return True
        return person.unit_id is not None and self.can_see_unit(person.unit_id)

    def case_clause(self) -> ColumnElement[bool]:
        """A SQL condition on :class:`Case` equivalent to :meth:`can_see_case`."""
        if self.visibility is Visibility.ALL:
            return true()
        if self.visibility is Visibility.OWN_WARNINGS:
            return and_(Case.kind == CaseKind.WARNING.value, Case.reporter_id == self.person_id)
        if self.visibility is Visibility.UNITS:
            units = sorted(self.unit_ids)
            return or_(
                Case.owning_unit_id.in_(units),
                Case.territorial_unit_id.in_(units),
                Case.escalated_to_unit_id.in_(units),
            )
        return false()


# --- Open311 API keys ------------------------------------------------------------


class ApiKeyError(Exception):
    """An API key cannot be created or revoked.

    Attributes:
        reason: ``bad_name`` or ``unknown_key``.
        message: What to tell the user, in Chinese.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


def new_api_key() -> str:
    """A fresh random API key (256 bits)."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """The stored form of an API key."""
    return _sha256(key)


async def create_api_key(db: Database, name: str, *, now: datetime | None = None) -> str:
    """Create an API key called ``name``; return the key (shown only this once).

    Raises:
        ApiKeyError: ``bad_name`` (empty or too long).
    """
    label = name.strip()
    if not label or len(label) > MAX_API_KEY_NAME:
        raise ApiKeyError("bad_name", f"名称不能为空，且不超过 {MAX_API_KEY_NAME} 个字符。")
    key = new_api_key()
    async with db.session() as session:
        await store.add_api_key(
            session, name=label, key_hash=hash_api_key(key), created_at=now or utcnow()
        )
    return key


_DUMMY_HASH = "0" * 64


async def verify_api_key(db: Database, key: str) -> ApiKey | None:
    """The active API key ``key`` is, or None (unknown, malformed or revoked)."""
    if _API_KEY_RE.match(key) is None:
        return None
    digest = hash_api_key(key)
    async with db.session() as session:
        row = await store.find_api_key(session, digest)
    stored = row.key_hash if row is not None else _DUMMY_HASH
    matches = hmac.compare_digest(stored.encode("ascii"), digest.encode("ascii"))
    if row is None or not matches or row.revoked_at is not None:
        return None
    return row


async def list_api_keys(db: Database) -> list[ApiKey]:
    """Every API key (revoked ones too), oldest first."""
    async with db.session() as session:
        return await store.list_api_keys(session)


async def revoke_api_key(db: Database, key_id: int, *, now: datetime | None = None) -> ApiKey:
    """Revoke an API key; revoking it again changes nothing.

    Raises:
        ApiKeyError: ``unknown_key``.
    """
    async with db.session() as session:
        row = await store.get_api_key_for_update(session, key_id)
        if row is None:
            raise ApiKeyError("unknown_key", f"没有编号为 {key_id} 的接口密钥。")
        if row.revoked_at is None:
            row.revoked_at = now or utcnow()
        return row
