"""Migrated test databases copied from a template built once per test run.

Migrating a new database through every Alembic revision and loading the
district's organisation took 0.5-1.2 s on SQLite and about 2 s on PostgreSQL
(busy 2-core machine), and some 700 tests did it. Each is now a copy of one
template made the same way (``Database.migrate`` then ``sync_organisation``) on
first use: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL. The copy holds the same schema, rows and sequence positions as a
database migrated in the test. Tests of migrations themselves still migrate.

Templates are kept per district (compared by value) and removed by
:func:`remove_templates` when the run ends (``tests/conftest.py``).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.bench.database import postgres_admin
from bot.services.organisation import sync_organisation
from config.district import District
from storage.db import Database

_sqlite_templates: list[tuple[District, Path]] = []
_postgres_templates: list[tuple[District, str, str]] = []  # district, admin URL, name
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


async def create_postgres_from_template(admin_url: str, name: str, district: District) -> str:
    """Create database ``name``, migrated with ``district`` loaded; its SQLAlchemy URL."""
    template = next(
        (t for known, admin, t in _postgres_templates if known == district and admin == admin_url),
        None,
    )
    if template is None:
        template = f"mq_template_{uuid.uuid4().hex[:12]}"
        await postgres_admin(f'CREATE DATABASE "{template}"', admin_url)
        try:
            # Disposed after migrating: PostgreSQL copies a template nobody is connected to.
            await _migrate(_database_url(admin_url, template), district)
        except BaseException:
            await postgres_admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)', admin_url)
            raise
        _postgres_templates.append((district, admin_url, template))
    await postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"', admin_url)
    return _database_url(admin_url, name)


def remove_templates() -> None:
    """Drop the PostgreSQL templates and delete the SQLite ones (at the end of the run)."""
    global _template_dir

    async def drop() -> None:
        for _, admin_url, name in _postgres_templates:
            await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin_url)

    if _postgres_templates:
        asyncio.run(drop())
        _postgres_templates.clear()
    _sqlite_templates.clear()
    if _template_dir is not None:
        shutil.rmtree(_template_dir, ignore_errors=True)
        _template_dir = None
