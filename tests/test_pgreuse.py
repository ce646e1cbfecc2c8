"""The suite's reuse of PostgreSQL databases (tests/pgreuse.py) keeps every test isolated.

A database handed back after a test that wrote rows, advanced sequences, changed the
organisation or the schema, or left a session open is either exactly the template
again (schema, every table's rows in their order, every sequence's position, no
planner statistics) or dropped and not reused.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
from sqlalchemy import text

from config.district import District, load_district
from storage.db import Database
from tests import dbtemplate
from tests.conftest import postgres_admin_url
from tests.factories import citizen
from tests.pgreuse import FINGERPRINT, TABLES, _connect, _ident

pytestmark = pytest.mark.skipif(
    postgres_admin_url() is None, reason="MINQING_TEST_POSTGRES_URL is not set"
)


async def _state(admin: str, database: str) -> tuple[list[str], dict[str, bytes], list[Any]]:
    """Schema lines, every table's rows (binary COPY, in physical order), sequence positions."""
    conn = await _connect(admin, database)
    try:
        schema = [r[0] for r in await conn.fetch(FINGERPRINT)]
        rows: dict[str, bytes] = {}
        for nsp, table, _oid, _written in await conn.fetch(TABLES):
            out = io.BytesIO()
            await conn.copy_from_table(table, schema_name=nsp, output=out, format="binary")
            rows[f"{nsp}.{table}"] = out.getvalue()
        sequences = [
            (name, *(await conn.fetchrow(f"SELECT last_value, is_called FROM {_ident(nsp, name)}")))
            for nsp, name in await conn.fetch(
                "SELECT sequence_schema, sequence_name FROM information_schema.sequences "
                "ORDER BY 1, 2"
            )
        ]
        return schema, rows, sequences
    finally:
        await conn.close()


async def _statistics(admin: str, database: str) -> int:
    conn = await _connect(admin, database)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            )
        )
    finally:
        await conn.close()


async def test_a_used_database_is_the_template_again_or_dropped() -> None:
    admin = postgres_admin_url()
    assert admin is not None
    district: District = load_district()
    template = await dbtemplate._postgres_template(admin, district)
    fresh = await _state(admin, template.name)
    empty = fresh[1]["public.cases"]
    assert fresh[1]["public.units"] != empty and fresh[1]["public.people"] == empty

    name, url = await dbtemplate.acquire_postgres(admin, district)
    db = Database(url)
    # Rows in several tables, sequences advanced, planner statistics, an open session.
    for _ in range(3):
        await citizen(db)
    open_session = db.engine.connect()
    conn = await open_session.__aenter__()
    await conn.execute(text("BEGIN"))
    await conn.execute(
        text(
            "INSERT INTO bot_state (kind, name, key, value, updated_at) "
            "VALUES ('k', 'n', 'k', '{}', now())"
        )
    )
    await conn.execute(text("ANALYZE people"))
    await dbtemplate.release_postgres(name)
    with contextlib.suppress(Exception):  # its session was ended by the release
        await conn.close()
    await db.dispose()
    assert name in template.free
    assert await _state(admin, name) == fresh
    assert await _statistics(admin, name) == 0

    # The same database comes back for the next test.
    again, url = await dbtemplate.acquire_postgres(admin, district)
    assert again == name
    db = Database(url)
    async with db.session() as s:
        # The organisation changed: not reused.
        await s.execute(text("UPDATE units SET name = name || '（改）' WHERE id = 'labor'"))
    await db.dispose()
    await dbtemplate.release_postgres(again)
    assert again not in template.free

    # A schema change: not reused either.
    name, url = await dbtemplate.acquire_postgres(admin, district)
    db = Database(url)
    async with db.session() as s:
        await s.execute(text("CREATE INDEX extra ON people (name)"))
    await db.dispose()
    await dbtemplate.release_postgres(name)
    assert name not in template.free
