"""Open311 API keys: random keys shown once, stored hashed, revocable.

Keys are made and revoked with ``minqing web api-key`` (:mod:`bot.cli.web`); the
Open311 endpoints check them with :func:`verify_api_key`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from storage import auth as store
from storage.db import Database
from storage.models import ApiKey, utcnow

#: Prefix of Open311 API keys, so that a leaked key is recognisable.
API_KEY_PREFIX = "mq_"
MAX_API_KEY_NAME = 200

_API_KEY_RE = re.compile(r"^mq_[A-Za-z0-9_-]{43}$")


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
    return hashlib.sha256(key.encode("ascii")).hexdigest()


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
