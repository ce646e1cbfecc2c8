"""Migrated test databases copied from a template built once per test run.

Migrating a new database through every Alembic revision and loading the
district's organisation took 0.5-1.2 s on SQLite and about 2 s on PostgreSQL
(busy 2-core machine), and some 700 tests did it. Each is now a copy of one
template made the same way (``Database.migrate`` then ``sync_organisation``) on
first use: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL. The copy holds the same schema, rows and sequence positions as a
database migrated in the test. Tests of migrations themselves still migrate.

On PostgreSQL a test process also keeps the databases its tests used: after a
test its database is reset to exactly the template's schema, rows and sequence
positions and handed to the next test (:mod:`tests.pgreuse`), instead of
dropping it and copying the template again.

Templates are kept per district (compared by value) and removed, with the
databases kept for reuse, by :func:`remove_templates` when the run ends
(``tests/conftest.py``).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.bench.database import postgres_admin
from bot.services.organisation import sync_organisation
from config.district import District
from storage.db import Database
from tests.pgreuse import TemplateState, drop_database, reset_to_template

_sqlite_templates: list[tuple[District, Path]] = []
_template_dir: Path | None = None


async def _migrate(url: str, district: District) -> None:
    database = Database(url)
    try:
        await database.migrate()
        await sync_organisation(database, district)
    finally:
        await database.dispose()


async def _sqlite_template(district: District) -> Path:
    global _template_dir
    for known, path in _sqlite_templates:
        if known == district:
            return path
    if _template_dir is None:
        _template_dir = Path(tempfile.mkdtemp(prefix="minqing-test-templates-"))
    path = _template_dir / f"template-{len(_sqlite_templates)}.db"
    await _migrate(f"sqlite+aiosqlite:///{path}", district)
    # Every connection is closed, so the write-ahead log is checkpointed into the file.
    assert not _wal(path).exists(), "the template's WAL was not checkpointed"
    _sqlite_templates.append((district, path))
    return path


def _wal(path: Path) -> Path:
    return path.with_name(f"{path.name}-wal")


def _copy_new(source: Path, path: Path) -> None:
    if path.exists():
        raise FileExistsError(path)
    shutil.copyfile(source, path)


async def copy_sqlite_template(path: Path, district: District) -> None:
    """Make ``path`` (no file yet) a migrated SQLite database with ``district`` loaded."""
    _copy_new(await _sqlite_template(district), path)


def _database_url(admin_url: str, name: str) -> str:
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


@dataclass
class _PostgresTemplate:
    district: District
    admin_url: str
    name: str
    state: TemplateState
    #: Databases made from it that were reset to it and wait for their next test.
    free: list[str] = field(default_factory=list)


_postgres_templates: list[_PostgresTemplate] = []
_in_use: dict[str, _PostgresTemplate] = {}  # database name -> its template


async def _postgres_template(admin_url: str, district: District) -> _PostgresTemplate:
    for known in _postgres_templates:
        if known.district == district and known.admin_url == admin_url:
            return known
    name = f"mq_template_{uuid.uuid4().hex[:12]}"
    await postgres_admin(f'CREATE DATABASE "{name}"', admin_url)
    try:
        # Disposed after migrating: PostgreSQL copies a template nobody is connected to.
        await _migrate(_database_url(admin_url, name), district)
        state = await TemplateState.read(admin_url, name)
    except BaseException:
        await drop_database(admin_url, name)
        raise
    template = _PostgresTemplate(district, admin_url, name, state)
    _postgres_templates.append(template)
    return template


async def acquire_postgres(admin_url: str, district: District) -> tuple[str, str]:
    """A database migrated with ``district`` loaded, as made from the template: (name, URL).

    One a test before released and :func:`release_postgres` reset, else a new copy.
    Give it back with :func:`release_postgres`.
    """
    template = await _postgres_template(admin_url, district)
    if template.free:
        name = template.free.pop()
    else:
        name = f"mq_test_{uuid.uuid4().hex[:12]}"
        await postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template.name}"', admin_url)
    _in_use[name] = template
    return name, _database_url(admin_url, name)


async def release_postgres(name: str) -> None:
    """The test is done with database ``name``: reset it to its template, or drop it.

    Dropped when the test changed its schema or the reset failed (:mod:`tests.pgreuse`).
    """
    template = _in_use.pop(name)
    reset = False
    try:
        reset = await reset_to_template(template.admin_url, name, template.state)
    finally:
        if reset:
            template.free.append(name)
        else:
            await drop_database(template.admin_url, name)


def remove_templates() -> None:
    """Drop the PostgreSQL templates and their databases, delete the SQLite templates (at the
    end of the run)."""
    global _template_dir

    async def drop() -> None:
        for template in _postgres_templates:
            for name in [*template.free, template.name]:
                await drop_database(template.admin_url, name)
        for name, template in _in_use.items():
            await drop_database(template.admin_url, name)

    if _postgres_templates:
        asyncio.run(drop())
        _postgres_templates.clear()
        _in_use.clear()
    _sqlite_templates.clear()
    if _template_dir is not None:
        shutil.rmtree(_template_dir, ignore_errors=True)
        _template_dir = None
