"""One-time invites that bind a Telegram user to a unit and a role.

Codes are shown once and stored only as a SHA-256 hash. A user who keeps
guessing wrong codes is locked out for a while.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.enums import UNIT_ROLES, Role
from storage.invites import (
    add_invite,
    count_failed_attempts,
    find_invite_for_update,
    record_attempt,
)
from storage.models import Person, utcnow
from storage.org import get_person_by_telegram_id, get_unit

#: Unambiguous characters for codes people may type (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
DEFAULT_TTL = timedelta(days=7)
#: After this many failed attempts within LOCKOUT_WINDOW a user is locked out.
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_WINDOW = timedelta(hours=1)


class InviteError(Exception):
    """An invite cannot be created or redeemed; ``message`` is for the user (Chinese)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


def normalise_code(code: str) -> str:
    """Uppercase a code and drop spaces and dashes people add when typing."""
    return "".join(ch for ch in code.upper() if ch not in " -_\t")


def looks_like_invite(code: str) -> bool:
    """Whether ``code`` has an invite code's shape (its length, its alphabet): a
    ``/start`` deep link's payload of another shape is no invite (a campaign tag)."""
    normal = normalise_code(code)
    return len(normal) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in normal)


def hash_code(code: str) -> str:
    """The stored form of a code."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


def new_code() -> str:
    """A fresh random code (about 59 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class IssuedInvite:
    """An invite as shown to whoever created it."""

    code: str
    unit_id: str
    role: Role
    expires_at: datetime


async def create_invite(
    db: Database,
    *,
    unit_id: str,
    role: Role,
    ttl: timedelta = DEFAULT_TTL,
    created_by_id: int | None = None,
    leader_rank: str | None = None,
    now: datetime | None = None,
) -> IssuedInvite:
    """Create a single-use invite for ``role`` in ``unit_id``.

    Raises:
        InviteError: unknown or inactive unit, a role that is not bound to a
            unit, or a non-positive lifetime.
    """
    if role not in UNIT_ROLES:
        raise InviteError("bad_role", f"角色 {role} 不需要邀请码")
    if ttl <= timedelta(0):
        raise InviteError("bad_ttl", "有效期必须大于零")
    now = now or utcnow()
    code = new_code()
    async with db.session() as session:
        unit = await get_unit(session, unit_id)
        if unit is None or not unit.active:
            raise InviteError("unknown_unit", f"没有编号为 {unit_id} 的单位")
        await add_invite(
            session,
            code_hash=hash_code(code),
            unit_id=unit_id,
            role=role.value,
            expires_at=now + ttl,
            created_by_id=created_by_id,
            leader_rank=leader_rank,
        )
    return IssuedInvite(code=code, unit_id=unit_id, role=role, expires_at=now + ttl)


async def redeem_invite(
    db: Database,
    *,
    code: str,
    telegram_user_id: int,
    name: str,
    chat_id: int | None = None,
    now: datetime | None = None,
) -> Person:
    """Bind the Telegram user to the invite's unit and role, once.

    Raises:
        InviteError: locked out, unknown code, already used, or expired.
    """
    now = now or utcnow()
    async with db.session() as session:
        failures = await count_failed_attempts(session, telegram_user_id, now - LOCKOUT_WINDOW)
        if failures >= MAX_FAILED_ATTEMPTS:
            raise InviteError("locked_out", "尝试次数过多，请一小时后再试，或联系管理员。")
    async with db.session() as session:
        invite = await find_invite_for_update(session, hash_code(code))
        problem: InviteError | None = None
        if invite is None:
            problem = InviteError("unknown_code", "邀请码不正确，请核对后再试。")
        elif invite.used_at is not None:
            problem = InviteError("used", "该邀请码已被使用，请向管理员重新申请。")
        elif invite.expires_at <= now:
            problem = InviteError("expired", "该邀请码已过期，请向管理员重新申请。")
        if problem is None and invite is not None:
            person = await get_person_by_telegram_id(session, telegram_user_id)
            if person is None:
                person = Person(telegram_user_id=telegram_user_id, role=invite.role)
                session.add(person)
            person.name = name[:200] or person.name
            person.chat_id = chat_id if chat_id is not None else telegram_user_id
            person.role = invite.role
            person.unit_id = invite.unit_id
            person.leader_rank = invite.leader_rank or person.leader_rank
            person.active = True
            await session.flush()
            invite.used_at = now
            invite.used_by_id = person.id
            await record_attempt(session, telegram_user_id, succeeded=True, at=now)
            return person
    async with db.session() as session:
        await record_attempt(session, telegram_user_id, succeeded=False, at=now)
    assert problem is not None
    raise problem
