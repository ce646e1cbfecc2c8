"""Data access for dashboard login tokens and Open311 API keys (stored hashed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import rowcount
from storage.models import ApiKey, LoginToken


async def add_login_token(
    session: AsyncSession,
    *,
    token_hash: str,
    person_id: int,
    expires_at: datetime,
    created_at: datetime,
) -> LoginToken:
    """Store a new login token (only its hash)."""
    row = LoginToken(
        token_hash=token_hash, person_id=person_id, expires_at=expires_at, created_at=created_at
    )
    session.add(row)
    await session.flush()
    return row


async def find_login_token_for_update(session: AsyncSession, token_hash: str) -> LoginToken | None:
    """The token with this hash, locked against a concurrent redeem (PostgreSQL)."""
    return await session.scalar(
        select(LoginToken).where(LoginToken.token_hash == token_hash).with_for_update()
    )


async def delete_login_tokens(session: AsyncSession, *, expired_before: datetime) -> int:
    """Delete tokens that expired, or were used, before ``expired_before``.

    Returns:
        How many rows were deleted.
    """
    result = await session.execute(
        delete(LoginToken).where(
            or_(LoginToken.expires_at < expired_before, LoginToken.used_at < expired_before)
        )
    )
    return rowcount(result)


async def add_api_key(
    session: AsyncSession, *, name: str, key_hash: str, created_at: datetime
) -> ApiKey:
    """Store a new API key (only its hash)."""
    row = ApiKey(name=name, key_hash=key_hash, created_at=created_at)
    session.add(row)
    await session.flush()
    return row


async def find_api_key(session: AsyncSession, key_hash: str) -> ApiKey | None:
    """The API key with this hash, revoked or not."""
    return await session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


async def get_api_key_for_update(session: AsyncSession, key_id: int) -> ApiKey | None:
    """The API key with this id, locked for a change."""
    return await session.scalar(select(ApiKey).where(ApiKey.id == key_id).with_for_update())


async def list_api_keys(session: AsyncSession) -> list[ApiKey]:
    """Every API key, oldest first."""
    return list((await session.scalars(select(ApiKey).order_by(ApiKey.id))).all())
