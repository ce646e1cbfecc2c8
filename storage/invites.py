"""Data access for one-time invites and the attempts to redeem them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite, InviteAttempt


async def add_invite(
    session: AsyncSession,
    *,
    code_hash: str,
    unit_id: str,
    role: str,
    expires_at: datetime,
    created_by_id: int | None = None,
    leader_rank: str | None = None,
) -> Invite:
    """Store a new invite (only the code's hash is kept)."""
    invite = Invite(
        code_hash=code_hash,
        unit_id=unit_id,
        role=role,
        expires_at=expires_at,
        created_by_id=created_by_id,
        leader_rank=leader_rank,
    )
    session.add(invite)
    await session.flush()
    return invite


async def find_invite_for_update(session: AsyncSession, code_hash: str) -> Invite | None:
    """The invite with this hash, locked against a concurrent redeem (PostgreSQL)."""
    return await session.scalar(
        select(Invite).where(Invite.code_hash == code_hash).with_for_update()
    )


async def record_attempt(
    session: AsyncSession, telegram_user_id: int, *, succeeded: bool, at: datetime
) -> None:
    """Remember one redeem attempt."""
    session.add(
        InviteAttempt(telegram_user_id=telegram_user_id, succeeded=succeeded, created_at=at)
    )
    await session.flush()


async def count_failed_attempts(
    session: AsyncSession, telegram_user_id: int, since: datetime
) -> int:
    """Failed redeem attempts by this user since ``since``."""
    n = await session.scalar(
        select(func.count())
        .select_from(InviteAttempt)
        .where(
            InviteAttempt.telegram_user_id == telegram_user_id,
            InviteAttempt.succeeded.is_(False),
            InviteAttempt.created_at >= since,
        )
    )
    return int(n or 0)
