"""Storage: migrations on both databases, organisation sync, invites."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select

from bot.services.invites import InviteError, create_invite, hash_code, redeem_invite
from bot.services.organisation import coverage, sync_organisation
from config.district import District
from storage.db import Database
from storage.enums import Role
from storage.models import Base, Invite, Person, Unit
from storage.revisions import alembic_config, head_revision


def _table_names(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _schema_diff(conn: Connection) -> list[object]:
    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(ctx, Base.metadata))


async def test_migrations_up_down_up_and_match_the_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert await db.current_revision() is None and not await db.is_up_to_date()
        await db.migrate()
        # The schema check every command makes (without Alembic) agrees with Alembic.
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert head_revision() == head and await db.current_revision() == head
        assert await db.is_up_to_date()
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(_table_names)
            assert set(Base.metadata.tables) <= tables
            # The migration creates exactly what the models describe.
            assert await conn.run_sync(_schema_diff) == []
        await db.downgrade("base")
        assert not await db.is_up_to_date()
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_table_names) <= {"alembic_version"}
        await db.migrate()
        async with db.engine.connect() as conn:
            assert set(Base.metadata.tables) <= await conn.run_sync(_table_names)
    finally:
        await db.dispose()


async def test_sync_is_idempotent_and_updates_in_place(db: Database, district: District) -> None:
    again = await sync_organisation(db, district)
    assert not again.changed
    renamed = dict(district.units)
    renamed["dongcheng"] = replace(renamed["dongcheng"], name="东城街道群众工作站（新）")
    del renamed["gaoxin_chuangye"]
    edited = replace(district, units=renamed)
    report = await sync_organisation(db, edited)
    assert report.updated == ["dongcheng"]
    assert report.deactivated == ["gaoxin_chuangye"]
    assert report.added == []
    async with db.session() as s:
        assert (await s.get(Unit, "dongcheng")).name == "东城街道群众工作站（新）"  # type: ignore[union-attr]
        gone = await s.get(Unit, "gaoxin_chuangye")
        assert gone is not None and not gone.active
    back = await sync_organisation(db, district)
    assert back.reactivated == ["gaoxin_chuangye"] and back.updated == ["dongcheng"]


async def test_invite_is_hashed_single_use_and_binds(db: Database) -> None:
    issued = await create_invite(db, unit_id="dongcheng", role=Role.CHIEF)
    async with db.session() as s:
        stored = (await s.scalars(select(Invite))).one()
        assert stored.code_hash == hash_code(issued.code) and issued.code not in stored.code_hash
    person = await redeem_invite(db, code=issued.code.lower(), telegram_user_id=501, name="王站长")
    assert (person.role, person.unit_id) == ("chief", "dongcheng")
    with pytest.raises(InviteError) as info:
        await redeem_invite(db, code=issued.code, telegram_user_id=502, name="李")
    assert info.value.reason == "used"
    async with db.session() as s:
        assert await s.scalar(select(Person).where(Person.telegram_user_id == 502)) is None


async def test_invite_expires_and_wrong_codes_lock_out(db: Database) -> None:
    t0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    issued = await create_invite(
        db, unit_id="labor", role=Role.OFFICER, ttl=timedelta(hours=1), now=t0
    )
    with pytest.raises(InviteError) as info:
        await redeem_invite(
            db, code=issued.code, telegram_user_id=9, name="x", now=t0 + timedelta(hours=2)
        )
    assert info.value.reason == "expired"
    for _ in range(5):
        with pytest.raises(InviteError) as info:
            await redeem_invite(db, code="WRONGCODE234", telegram_user_id=77, name="y", now=t0)
        assert info.value.reason == "unknown_code"
    fresh = await create_invite(db, unit_id="labor", role=Role.OFFICER, now=t0)
    with pytest.raises(InviteError) as info:
        await redeem_invite(db, code=fresh.code, telegram_user_id=77, name="y", now=t0)
    assert info.value.reason == "locked_out"
    # An hour later the guesser may try again, and a right code works.
    person = await redeem_invite(
        db, code=fresh.code, telegram_user_id=77, name="y", now=t0 + timedelta(minutes=61)
    )
    assert person.role == "officer"


async def test_invite_for_unknown_unit_or_citizen_role_is_refused(db: Database) -> None:
    with pytest.raises(InviteError) as info:
        await create_invite(db, unit_id="atlantis", role=Role.CHIEF)
    assert info.value.reason == "unknown_unit"
    with pytest.raises(InviteError):
        await create_invite(db, unit_id="labor", role=Role.CITIZEN)


async def test_coverage_rates_follow_the_targets(db: Database, district: District) -> None:
    async with db.session() as s:
        uid = 1000
        # dongcheng street station: a chief + 4 staff (5 ✓), 3 officers (✓).
        for role, n in ((Role.CHIEF, 1), (Role.STAFF, 4), (Role.OFFICER, 3)):
            for _ in range(n):
                uid += 1
                s.add(Person(telegram_user_id=uid, role=role.value, unit_id="dongcheng"))
        # labor department station: a chief only (staff 1/1 ✓, officers 0/1 ✗).
        s.add(Person(telegram_user_id=2000, role="chief", unit_id="labor"))
    report = await coverage(db, district)
    by_id = {u.id: u for u in report.units}
    assert (by_id["dongcheng"].staff, by_id["dongcheng"].officers) == (5, 3)
    assert by_id["dongcheng"].staff_ok and by_id["dongcheng"].officers_ok
    assert by_id["labor"].staff_ok and by_id["labor"].officers_ok is False
    # 设置率: stations and work rooms with a chief: 2 of (15 department + 3 street/park
    # stations + 5 community/residential rooms) = 2/23.
    assert report.setup_rate == pytest.approx(2 / 23)
    # 配备率: units with an officer target meeting it: 1 of (15 + 3 + 5 + 1 school) = 1/24.
    assert report.officer_rate == pytest.approx(1 / 24)
    assert by_id["office"].depth == 0 and by_id["dongcheng_heping"].depth == 2
