"""Dashboard auth: one-time login links, session cookies, the access policy, API keys."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bot.services.clock import FakeClock
from bot.services.keys import installation_secret
from bot.web.access import AccessPolicy, Visibility, unit_subtree
from bot.web.api_keys import (
    ApiKeyError,
    create_api_key,
    list_api_keys,
    revoke_api_key,
    verify_api_key,
)
from bot.web.auth import (
    LOGIN_SECRET_NAME,
    LOGIN_TTL,
    LoginError,
    SessionSigner,
    _login_tag,
    cookie_settings,
    create_login_link,
    purge_login_tokens,
    redeem_login_token,
    session_person,
    session_signer,
)
from config.district import District
from storage.db import Database
from storage.models import Case, LoginToken, Person

T0 = datetime(2024, 9, 1, 2, 0, tzinfo=UTC)
SECRET = b"k" * 32


async def add_person(
    db: Database, role: str = "chief", unit_id: str | None = "dongcheng", name: str = "张站长"
) -> int:
    async with db.session() as s:
        person = Person(name=name, role=role, unit_id=unit_id)
        s.add(person)
        await s.flush()
        return person.id


async def set_active(db: Database, person_id: int, active: bool) -> None:
    async with db.session() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        person.active = active


def token_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == "/login"
    return parse_qs(parts.query)["token"][0]


# --- login links ---------------------------------------------------------------------


async def test_login_link_good_then_reused(db: Database) -> None:
    clock = FakeClock(T0)
    pid = await add_person(db)
    url = await create_login_link(db, pid, "https://mq.example/", now=clock.now())
    assert url.startswith("https://mq.example/login?token=")
    token = token_of(url)
    async with db.session() as s:
        stored = (await s.scalars(select(LoginToken))).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at == T0 + LOGIN_TTL

    clock.advance(LOGIN_TTL - timedelta(seconds=1))
    assert await redeem_login_token(db, token, clock.now()) == pid
    with pytest.raises(LoginError) as err:
        await redeem_login_token(db, token, clock.now())
    assert err.value.reason == "used" and "已使用" in err.value.message


async def test_login_link_expired(db: Database) -> None:
    pid = await add_person(db)
    token = token_of(await create_login_link(db, pid, "http://x", now=T0))
    with pytest.raises(LoginError) as err:
        await redeem_login_token(db, token, T0 + LOGIN_TTL)
    assert err.value.reason == "expired"
    short = token_of(await create_login_link(db, pid, "http://x", timedelta(seconds=30), now=T0))
    with pytest.raises(LoginError, match="expired"):
        await redeem_login_token(db, short, T0 + timedelta(seconds=31))


async def test_login_link_tampered_unknown_malformed(db: Database) -> None:
    pid = await add_person(db)
    token = token_of(await create_login_link(db, pid, "http://x", now=T0))
    body, tag = token.split(".")
    flipped = ("A" if body[0] != "A" else "B") + body[1:]
    for forged in (f"{flipped}.{tag}", f"{body}.{tag[:-1]}{'A' if tag[-1] != 'A' else 'B'}"):
        with pytest.raises(LoginError) as err:
            await redeem_login_token(db, forged, T0)
        assert err.value.reason == "tampered"
    # Correctly tagged with this installation's secret but never issued.
    secret = await installation_secret(db, LOGIN_SECRET_NAME)
    unknown = f"{flipped}.{_login_tag(secret, flipped)}"
    with pytest.raises(LoginError) as err:
        await redeem_login_token(db, unknown, T0)
    assert err.value.reason == "unknown"
    for junk in ("", "abc", token + "x", token.replace(".", ""), "<script>.x"):
        with pytest.raises(LoginError) as err:
            await redeem_login_token(db, junk, T0)
        assert err.value.reason == "malformed"
    # None of that used up the real token.
    assert await redeem_login_token(db, token, T0) == pid


async def test_login_link_is_for_dashboard_users_only(db: Database) -> None:
    citizen = await add_person(db, role="citizen", unit_id=None)
    with pytest.raises(LoginError, match="no_access"):
        await create_login_link(db, citizen, "http://x", now=T0)
    with pytest.raises(LoginError, match="unknown_person"):
        await create_login_link(db, 999_999, "http://x", now=T0)
    with pytest.raises(LoginError, match="bad_ttl"):
        await create_login_link(db, citizen, "http://x", timedelta(0), now=T0)
    chief = await add_person(db)
    token = token_of(await create_login_link(db, chief, "http://x", now=T0))
    await set_active(db, chief, False)
    with pytest.raises(LoginError, match="inactive"):
        await redeem_login_token(db, token, T0)


async def test_a_login_link_works_once_under_concurrency(db: Database) -> None:
    pid = await add_person(db)
    token = token_of(await create_login_link(db, pid, "http://x", now=T0))
    results = await asyncio.gather(
        *(redeem_login_token(db, token, T0) for _ in range(4)), return_exceptions=True
    )
    assert results.count(pid) == 1
    assert sorted(r.reason for r in results if isinstance(r, LoginError)) == ["used"] * 3


async def test_purge_login_tokens(db: Database) -> None:
    pid = await add_person(db)
    old = token_of(await create_login_link(db, pid, "http://x", now=T0))
    await redeem_login_token(db, old, T0)
    await create_login_link(db, pid, "http://x", now=T0 + timedelta(days=3))
    assert await purge_login_tokens(db, T0 + timedelta(days=3)) == 1
    async with db.session() as s:
        assert len((await s.scalars(select(LoginToken))).all()) == 1


# --- sessions --------------------------------------------------------------------------


def test_session_cookie_good_expired_tampered() -> None:
    signer = SessionSigner(SECRET)
    value = signer.issue(42, T0, timedelta(hours=1))
    session = signer.verify(value, T0 + timedelta(minutes=59))
    assert session is not None and session.person_id == 42
    assert session.expires_at == T0 + timedelta(hours=1)
    assert signer.verify(value, T0 + timedelta(hours=1)) is None  # expired

    version, pid, expires, nonce, sig = value.split(".")
    tampered = [
        f"{version}.43.{expires}.{nonce}.{sig}",  # someone else
        f"{version}.{pid}.{int(expires) + 86400}.{nonce}.{sig}",  # longer life
        f"{version}.{pid}.{expires}.{nonce[::-1]}.{sig}",
        f"{version}.{pid}.{expires}.{nonce}.{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}",
        f"v2.{pid}.{expires}.{nonce}.{sig}",
        value + ".x",
        "",
        "garbage",
    ]
    for forged in tampered:
        assert signer.verify(forged, T0) is None, forged
    assert SessionSigner(b"z" * 32).verify(value, T0) is None  # another installation
    # Two sessions of the same person differ (nonce).
    assert signer.issue(42, T0) != signer.issue(42, T0)


def test_csrf_tokens_are_bound_to_the_session() -> None:
    signer = SessionSigner(SECRET)
    one = signer.verify(signer.issue(42, T0), T0)
    two = signer.verify(signer.issue(42, T0), T0)
    assert one is not None and two is not None
    token = signer.csrf_token(one)
    assert signer.check_csrf(one, token)
    assert not signer.check_csrf(two, token)  # another login of the same person
    assert not signer.check_csrf(one, "") and not signer.check_csrf(one, token[:-1] + "é")
    assert not SessionSigner(b"z" * 32).check_csrf(one, token)
    settings = cookie_settings(secure=True)
    assert settings["httponly"] and settings["samesite"] == "Lax" and settings["max_age"] == 43200


def test_session_signer_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        SessionSigner(b"short")
    with pytest.raises(ValueError):
        SessionSigner(SECRET).issue(0, T0)
    with pytest.raises(ValueError):
        SessionSigner(SECRET).issue(1, T0, timedelta(0))


async def test_session_person_rechecks_the_person(db: Database) -> None:
    pid = await add_person(db)
    signer = await session_signer(db)
    assert (await session_signer(db)).verify(signer.issue(pid, T0), T0) is not None
    value = signer.issue(pid, T0)
    person = await session_person(db, value, T0)
    assert person is not None and person.id == pid
    assert await session_person(db, value + "x", T0) is None
    await set_active(db, pid, False)
    assert await session_person(db, value, T0) is None


# --- access policy ---------------------------------------------------------------------


@dataclass(frozen=True)
class P:
    id: int
    role: str
    unit_id: str | None
    active: bool = True


@dataclass(frozen=True)
class C:
    owning_unit_id: str
    kind: str = "request"
    reporter_id: int | None = 500
    territorial_unit_id: str | None = None
    escalated_to_unit_id: str | None = None


def test_unit_subtree(district: District) -> None:
    assert unit_subtree(district, "dongcheng") == {
        "dongcheng",
        "dongcheng_heping",
        "dongcheng_yangguang",
        "dongcheng_school",
    }
    assert unit_subtree(district, "livelihood") == {
        "livelihood",
        "labor",
        "civil_affairs",
        "personnel",
    }
    assert unit_subtree(district, "atlantis") == frozenset()


def test_a_street_chief_sees_their_communities_not_another_street(district: District) -> None:
    dongcheng = AccessPolicy.for_person(P(1, "chief", "dongcheng"), district)
    assert dongcheng.visibility is Visibility.UNITS and dongcheng.dashboard
    assert dongcheng.can_see_case(C("dongcheng_heping"))
    assert dongcheng.can_see_case(C("dongcheng"))
    assert not dongcheng.can_see_case(C("xihu_lakeside"))
    assert not dongcheng.can_see_case(C("xihu"))
    assert not dongcheng.can_see_unit("xihu_jinqiao") and dongcheng.can_see_unit("dongcheng_school")
    # A bureau's case that happened in one of its communities, or was escalated to it.
    assert dongcheng.can_see_case(C("labor", territorial_unit_id="dongcheng_yangguang"))
    assert dongcheng.can_see_case(C("dongcheng_heping", escalated_to_unit_id="supervision_centre"))
    assert not dongcheng.can_see_case(C("labor"))
    assert dongcheng.can_see_person(P(9, "officer", "dongcheng_heping"))
    assert not dongcheng.can_see_person(P(9, "officer", "xihu"))

    xihu_staff = AccessPolicy.for_person(P(2, "staff", "xihu"), district)
    assert xihu_staff.can_see_case(C("xihu_jinqiao"))
    assert not xihu_staff.can_see_case(C("dongcheng_heping"))

    # A community's director sees the room, not the street above or the sibling.
    room = AccessPolicy.for_person(P(3, "chief", "dongcheng_heping"), district)
    assert room.can_see_case(C("dongcheng_heping"))
    assert not room.can_see_case(C("dongcheng"))
    assert not room.can_see_case(C("dongcheng_yangguang"))


def test_everything_for_admins_and_the_district(district: District) -> None:
    for person in (
        P(1, "admin", "office"),
        P(2, "admin", "dongcheng"),
        P(3, "staff", "supervision_centre"),
        P(4, "chief", "office"),
    ):
        policy = AccessPolicy.for_person(person, district)
        assert policy.sees_everything, person
        assert policy.can_see_case(C("xihu")) and policy.can_see_unit("labor")


def test_officers_see_their_own_warnings_only(district: District) -> None:
    officer = AccessPolicy.for_person(P(7, "officer", "dongcheng"), district)
    assert officer.visibility is Visibility.OWN_WARNINGS and officer.dashboard
    assert officer.can_see_case(C("dongcheng", kind="warning", reporter_id=7))
    assert not officer.can_see_case(C("dongcheng", kind="warning", reporter_id=8))
    assert not officer.can_see_case(C("dongcheng", kind="request", reporter_id=7))
    assert not officer.can_see_unit("dongcheng")
    assert officer.can_see_person(P(7, "officer", "dongcheng"))
    assert not officer.can_see_person(P(8, "officer", "dongcheng"))


@pytest.mark.parametrize(
    "person",
    [
        P(1, "citizen", None),
        P(2, "chief", "dongcheng", active=False),
        P(3, "admin", "office", active=False),
        P(4, "chief", None),
        P(5, "staff", "atlantis"),
    ],
)
def test_nothing_for_citizens_and_the_unbound(district: District, person: P) -> None:
    policy = AccessPolicy.for_person(person, district)
    assert policy.visibility is Visibility.NONE and not policy.dashboard
    assert not policy.can_see_case(C("dongcheng", kind="warning", reporter_id=person.id))
    assert not policy.can_see_unit("dongcheng")


async def test_case_clause_matches_can_see_case(db: Database, district: District) -> None:
    """The SQL filter and the Python rule agree on real rows."""
    async with db.session() as s:
        for i, (owner, kind, reporter, territory) in enumerate(
            [
                ("dongcheng_heping", "request", None, None),
                ("xihu", "warning", None, None),
                ("labor", "request", None, "dongcheng_yangguang"),
                ("labor", "request", None, None),
            ]
        ):
            s.add(
                Case(
                    number=f"T{i}",
                    kind=kind,
                    original_text="x",
                    normalized_text="x",
                    room="livelihood",
                    bureau="labor",
                    owning_unit_id=owner,
                    territorial_unit_id=territory,
                    reporter_id=reporter,
                )
            )
    people = [
        P(1, "chief", "dongcheng"),
        P(2, "staff", "xihu"),
        P(3, "admin", None),
        P(4, "officer", "xihu"),
        P(5, "citizen", None),
    ]
    async with db.session() as s:
        cases = list((await s.scalars(select(Case).order_by(Case.id))).all())
        for person in people:
            policy = AccessPolicy.for_person(person, district)
            rows = await s.scalars(select(Case.number).where(policy.case_clause()))
            expected = {c.number for c in cases if policy.can_see_case(c)}
            assert set(rows.all()) == expected, person


# --- Open311 API keys ------------------------------------------------------------------


async def test_api_keys_create_verify_revoke(db: Database) -> None:
    key = await create_api_key(db, " 12345热线对接 ", now=T0)
    assert key.startswith("mq_") and len(key) == 46
    other = await create_api_key(db, "城管平台", now=T0)
    row = await verify_api_key(db, key)
    assert row is not None and row.name == "12345热线对接" and row.revoked_at is None
    assert [k.name for k in await list_api_keys(db)] == ["12345热线对接", "城管平台"]
    assert all(key not in k.key_hash for k in await list_api_keys(db))

    for wrong in ("", "mq_", key[:-1], key + "A", key[:-1] + ("A" if key[-1] != "A" else "B")):
        assert await verify_api_key(db, wrong) is None

    revoked = await revoke_api_key(db, row.id, now=T0 + timedelta(hours=1))
    assert revoked.revoked_at == T0 + timedelta(hours=1)
    assert await verify_api_key(db, key) is None
    again = await revoke_api_key(db, row.id, now=T0 + timedelta(hours=2))
    assert again.revoked_at == T0 + timedelta(hours=1)
    assert await verify_api_key(db, other) is not None

    with pytest.raises(ApiKeyError, match="unknown_key"):
        await revoke_api_key(db, 999_999)
    for bad in ("", "   ", "名" * 201):
        with pytest.raises(ApiKeyError, match="bad_name"):
            await create_api_key(db, bad)
