"""PostgreSQL test databases reused between tests, reset to their template in between.

Creating each PostgreSQL test's database from the migrated template and dropping
it afterwards (``CREATE DATABASE … TEMPLATE`` writes the whole 8 MB template to
the WAL, ``DROP DATABASE`` removes its files) cost about 0.25 s per test on a
quiet machine and over a second under load, and some 220 tests did it. Now a
test process keeps the databases its tests used and hands each test one that
is, again, exactly the template:

1. every other connection to it is terminated (as ``DROP DATABASE … WITH
   (FORCE)`` did), so nothing of the last test is still running;
2. its schema is compared with the template's (:data:`FINGERPRINT`: tables,
   columns, constraints, indexes, triggers, functions, types, sequences,
   views, extensions, schemas, database settings). A test that changed it
   (a downgrade and re-migration, say) gets its database dropped, not reused;
3. every table that holds a page (anything ever written to it, even rolled
   back) and every table the template has rows in is emptied with ``TRUNCATE``
   (a fresh, empty heap: rows are laid out as in a new database), its planner
   statistics removed, the template's rows copied back in their order (binary
   ``COPY``, taken from the template once), and every sequence set back to the
   template's position — all in one transaction.

So a test sees the same schema, rows and sequence positions as a database just
created from the template; only the database's name and OID can be one a test
before it used. A reset that fails drops the database instead.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import make_url

from bot.bench.database import postgres_admin

#: One text line per schema object outside PostgreSQL's own schemas; two databases
#: with the same lines have the same schema (as far as the application can tell).
FINGERPRINT = """
WITH ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'
), rel AS (
    SELECT c.oid, ns.nspname || '.' || c.relname AS name, c.relkind, c.reloptions
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
)
SELECT line FROM (
    SELECT 'schema ' || nspname FROM ns
    UNION ALL
    SELECT 'relation ' || name || ' ' || relkind::text || ' '
        || coalesce(array_to_string(reloptions, ','), '') FROM rel
    UNION ALL
    SELECT 'column ' || rel.name || '.' || a.attname || ' ' || a.attnum || ' '
        || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
        || a.attidentity::text || a.attgenerated::text || ' '
        || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'constraint ' || rel.name || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
    FROM pg_constraint k JOIN rel ON rel.oid = k.conrelid
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN rel ON rel.oid = i.indrelid
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'view ' || rel.name || ' ' || pg_get_viewdef(rel.oid) FROM rel
    WHERE rel.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, ''))
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    UNION ALL
    SELECT 'type ' || ns.nspname || '.' || t.typname || ' ' || t.typtype::text
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
    UNION ALL
    SELECT 'enum ' || e.enumtypid::regtype::text || ' ' || e.enumsortorder || ' ' || e.enumlabel
    FROM pg_enum e
    UNION ALL
    SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
    UNION ALL
    SELECT 'setting ' || array_to_string(s.setconfig, ',')
    FROM pg_db_role_setting s JOIN pg_database db ON db.oid = s.setdatabase
    WHERE db.datname = current_database()
    UNION ALL
    SELECT 'large objects ' || count(*) FROM pg_largeobject_metadata
) lines(line)
ORDER BY line
"""

#: Every ordinary table of the application's schemas (with its schema).
TABLES = """
SELECT n.nspname, c.relname, c.oid, pg_relation_size(c.oid) > 0 AS written
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
ORDER BY n.nspname, c.relname
"""


def _ident(*parts: str) -> str:
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


async def _connect(admin_url: str, database: str) -> Any:
    import asyncpg  # type: ignore[import-untyped]

    url = make_url(admin_url)
    return await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=database,
        timeout=10,
    )


async def _sequences(conn: Any) -> list[tuple[str, str, int, bool]]:
    """(schema, name, position, is_called) of every sequence, read without advancing it."""
    rows = await conn.fetch(
        """
        SELECT n.nspname, c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2
        """
    )
    out: list[tuple[str, str, int, bool]] = []
    for schema, name in rows:
        last, called = await conn.fetchrow(
            f"SELECT last_value, is_called FROM {_ident(schema, name)}"
        )
        out.append((schema, name, int(last), bool(called)))
    return out


@dataclass
class TemplateState:
    """What a database made from the template holds: schema, rows, sequence positions."""

    fingerprint: list[str]
    #: (schema, table) -> its rows in binary COPY format, for the tables that have rows.
    rows: dict[tuple[str, str], bytes] = field(default_factory=dict)
    sequences: list[tuple[str, str, int, bool]] = field(default_factory=list)

    @classmethod
    async def read(cls, admin_url: str, database: str) -> TemplateState:
        conn = await _connect(admin_url, database)
        try:
            state = cls([r[0] for r in await conn.fetch(FINGERPRINT)])
            for schema, table, _oid, _written in await conn.fetch(TABLES):
                if await conn.fetchval(f"SELECT EXISTS (SELECT FROM {_ident(schema, table)})"):
                    out = io.BytesIO()
                    await conn.copy_from_table(
                        table, schema_name=schema, output=out, format="binary"
                    )
                    state.rows[(schema, table)] = out.getvalue()
            state.sequences = await _sequences(conn)
            return state
        finally:
            await conn.close()


async def _terminate_others(conn: Any) -> None:
    """End every other session on ``conn``'s database (waiting until each is gone)."""
    await conn.execute(
        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )


async def _to_empty(conn: Any, written: set[int]) -> set[int]:
    """``written`` and every table that references one of them, however indirectly.

    ``TRUNCATE`` takes a referenced table only with all the tables that reference it.
    """
    references: dict[int, set[int]] = {}
    for referenced, referencing in await conn.fetch(
        "SELECT confrelid, conrelid FROM pg_constraint WHERE contype = 'f'"
    ):
        references.setdefault(referenced, set()).add(referencing)
    out, todo = set(), list(written)
    while todo:
        oid = todo.pop()
        if oid not in out:
            out.add(oid)
            todo.extend(references.get(oid, ()))
    return out


async def reset_to_template(admin_url: str, database: str, template: TemplateState) -> bool:
    """Make ``database`` hold exactly what ``template`` holds, ending every other session
    on it first; False (nothing reset) if its schema or the template's rows differ."""
    conn = await _connect(admin_url, database)
    try:
        await _terminate_others(conn)
        if [r[0] for r in await conn.fetch(FINGERPRINT)] != template.fingerprint:
            return False
        tables = {
            oid: (schema, table, written)
            for schema, table, oid, written in await conn.fetch(TABLES)
        }
        # The template's rows, in their order: untouched, or the database is not reused.
        kept: set[int] = set()
        for oid, (schema, table, _) in tables.items():
            if (schema, table) in template.rows:
                out = io.BytesIO()
                await conn.copy_from_table(table, schema_name=schema, output=out, format="binary")
                if out.getvalue() != template.rows[(schema, table)]:
                    return False
                kept.add(oid)
        written = {oid for oid, (*_, w) in tables.items() if w and oid not in kept}
        emptied = await _to_empty(conn, written)
        if emptied & kept:
            return False
        async with conn.transaction():
            await conn.execute("SET LOCAL synchronous_commit = off")
            if emptied:
                # A new, empty heap (rows laid out as in a new database), as never analysed.
                names = ", ".join(_ident(*tables[oid][:2]) for oid in sorted(emptied))
                await conn.execute(f"TRUNCATE {names}")
                await conn.execute(
                    "DELETE FROM pg_statistic WHERE starelid = ANY($1::oid[])", sorted(emptied)
                )
            if template.sequences:
                positions = ", ".join(
                    f"setval({_literal(_ident(schema, name))}, {last}, {called})"
                    for schema, name, last, called in template.sequences
                )
                await conn.execute(f"SELECT {positions}")
        return True
    finally:
        await conn.close()


async def drop_database(admin_url: str, database: str) -> None:
    await postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', admin_url)
