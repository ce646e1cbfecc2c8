"""Attacks on codes and links: guessing invite codes, tampered, reused and expired login links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.invites import MAX_FAILED_ATTEMPTS, InviteError, create_invite, redeem_invite
from bot.web.auth import LoginError, create_login_link, redeem_login_token
from storage.db import Database
from storage.enums import Role
from tests.factories import chief, citizen

T0 = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)


async def test_guessing_invite_codes_locks_the_guesser_out(db: Database) -> None:
    issued = await create_invite(db, unit_id="labor", role=Role.CHIEF, now=T0)
    for i in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(InviteError) as err:
            await redeem_invite(
                db,
                code=f"WRONGCODE{i:03d}",
                telegram_user_id=666,
                name="x",
                now=T0 + timedelta(seconds=i),
            )
        assert err.value.reason == "unknown_code"
    # Locked out: even the right code is refused, and the invite stays unused.
    with pytest.raises(InviteError) as err:
        await redeem_invite(
            db, code=issued.code, telegram_user_id=666, name="x", now=T0 + timedelta(minutes=1)
        )
    assert err.value.reason == "locked_out"
    # Others are not affected; after the window the guesser may try again.
    person = await redeem_invite(
        db, code=issued.code, telegram_user_id=777, name="李", now=T0 + timedelta(minutes=2)
    )
    assert person.unit_id == "labor" and person.role == Role.CHIEF
    with pytest.raises(InviteError) as err:
        await redeem_invite(
            db, code=issued.code, telegram_user_id=666, name="x", now=T0 + timedelta(hours=2)
        )
    assert err.value.reason == "used"


async def test_many_guessers_are_limited_only_per_user(db: Database) -> None:
    """Documents the current limit: per Telegram user, none per unit or overall.

    Twenty accounts making four wrong guesses each (80 guesses in a minute) are
    never locked out. With 31^12 possible codes this is not a practical attack,
    but a per-unit or global limit is reported as missing.
    """
    await create_invite(db, unit_id="labor", role=Role.CHIEF, now=T0)
    reasons = set()
    for user in range(20):
        for i in range(MAX_FAILED_ATTEMPTS - 1):
            with pytest.raises(InviteError) as err:
                await redeem_invite(
                    db,
                    code=f"GUESS{user:03d}{i:03d}",
                    telegram_user_id=9000 + user,
                    name="x",
                    now=T0 + timedelta(seconds=user),
                )
            reasons.add(err.value.reason)
    assert reasons == {"unknown_code"}


async def test_tampered_reused_and_expired_login_links_are_refused(db: Database) -> None:
    boss = await chief(db, "labor")
    url = await create_login_link(db, boss.id, "https://minqing.example", now=T0)
    token = url.split("token=", 1)[1]
    body, tag = token.split(".")
    flipped_tag = tag[:-1] + ("A" if tag[-1] != "A" else "B")
    flipped_body = ("A" if body[0] != "A" else "B") + body[1:]
    for bad, reason in (
        (f"{body}.{flipped_tag}", "tampered"),
        (f"{flipped_body}.{tag}", "tampered"),
        (body, "malformed"),
        (token + "x", "malformed"),
        ("' OR 1=1 --", "malformed"),
        ("", "malformed"),
    ):
        with pytest.raises(LoginError) as err:
            await redeem_login_token(db, bad, now=T0)
        assert err.value.reason == reason, bad
    assert await redeem_login_token(db, token, now=T0) == boss.id
    with pytest.raises(LoginError) as err:
        await redeem_login_token(db, token, now=T0)
    assert err.value.reason == "used"
    late = await create_login_link(db, boss.id, "https://minqing.example", now=T0)
    with pytest.raises(LoginError) as err:
        await redeem_login_token(db, late.split("token=", 1)[1], now=T0 + timedelta(hours=1))
    assert err.value.reason == "expired"
    resident = await citizen(db)
    with pytest.raises(LoginError) as err:
        await create_login_link(db, resident.id, "https://minqing.example", now=T0)
    assert err.value.reason == "no_access"
