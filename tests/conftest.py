"""Shared fixtures: databases on SQLite and (when configured) PostgreSQL.

PostgreSQL tests run when ``MINQING_TEST_POSTGRES_URL`` is set (``.ci/run``
sets it); each test gets a database of its own, so that tests never see each
other's rows. A test's ``db`` holds what a copy of a migrated template holds
(:mod:`tests.dbtemplate`) rather than being migrated in the test: on SQLite a
new file copy, on PostgreSQL a database of the run reset to the template after
the test before (:mod:`tests.pgreuse`). An empty database (``database_url``
without ``db``) is created and dropped around its test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.bench.database import postgres_admin
from bot.fakeapi import FakeBotApi, running_fake_bot_api
from config.district import District, load_district
from storage.db import Database
from tests.botkit import BotKit, sqlite_bot
from tests.dashkit import Dash, serve
from tests.dbtemplate import (
    acquire_postgres,
    copy_sqlite_template,
    release_postgres,
    remove_templates,
)

# As `minqing` itself does (bot.cli.main): RetryAfter.retry_after as a timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "1")
# Tests classify with the packaged lexicon only, whatever overlay a district has learnt.
os.environ["MINQING_LEXICON_OVERLAY"] = ""

POSTGRES_URL_ENV = "MINQING_TEST_POSTGRES_URL"
REPO_ROOT = Path(__file__).resolve().parents[1]


def postgres_admin_url() -> str | None:
    """The PostgreSQL URL tests may create databases through, if configured."""
    return os.environ.get(POSTGRES_URL_ENV) or None


async def _admin_execute(sql: str) -> None:
    await postgres_admin(sql, postgres_admin_url())


async def _make_database_url(
    backend: str, tmp_path: Path, migrated_for: District | None = None
) -> AsyncIterator[str]:
    """An empty database, or with ``migrated_for`` one migrated with that district loaded."""
    if backend == "sqlite":
        path = tmp_path / "minqing-test.db"
        if migrated_for is not None:
            await copy_sqlite_template(path, migrated_for)
        yield f"sqlite+aiosqlite:///{path}"
        return
    admin = postgres_admin_url()
    if admin is None:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    if migrated_for is not None:
        name, url = await acquire_postgres(admin, migrated_for)
        try:
            yield url
        finally:
            await release_postgres(name)
        return
    name = f"mq_test_{uuid.uuid4().hex[:12]}"
    try:
        await _admin_execute(f'CREATE DATABASE "{name}"')
        url = make_url(admin).set(drivername="postgresql+asyncpg", database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Remove the migrated templates the run made."""
    remove_templates()


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database on each backend (PostgreSQL skipped when not configured).

    Empty, except in a test that uses ``db``: then it is ``db``'s database, already
    migrated with the test's district loaded (a copy of a template).
    """
    district: District | None = (
        request.getfixturevalue("district") if "db" in request.fixturenames else None
    )
    async for url in _make_database_url(request.param, tmp_path, district):
        yield url


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty SQLite database file."""
    async for url in _make_database_url("sqlite", tmp_path):
        yield url


@pytest.fixture
def district() -> District:
    """The embedded default district."""
    return load_district()


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database (a test file may define a ``kit`` of its own)."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated database with the test's district loaded, on each backend.

    ``database_url`` made it from a migrated template (:mod:`tests.dbtemplate`).
    """
    database = Database(database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def dash(db: Database, district: District) -> AsyncIterator[Dash]:
    """The dashboard on a real port over the suite's database (see :mod:`tests.dashkit`)."""
    async with serve(db, district) as d:
        yield d


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    """A running fake Bot API (the delivery tests'; some modules define their own)."""
    async with running_fake_bot_api() as api:
        yield api


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    """The real ``telegram.Bot`` pointed at the fake."""
    request = HTTPXRequest(connection_pool_size=32, read_timeout=5.0)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as b:
        yield b
