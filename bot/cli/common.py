"""What the CLI modules share: loading settings, district and database; errors; columns."""

from __future__ import annotations

import argparse
import asyncio
import sys
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.district import ConfigError, District, load_district
from config.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # the database stack is imported by the commands that use it
    from bot.services.clock import Clock
    from storage.db import Database


def fail(message: str, code: int = 2) -> int:
    """Print ``message`` as an error on stderr and return the exit code."""
    print(f"minqing: error: {message}", file=sys.stderr)
    return code


def strict(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make an unknown option an error of this command, shown with this command's usage.

    argparse hands a subcommand's unknown options back to the top-level parser,
    which then prints the top-level usage (``minqing units --bogus``); this
    subcommand parser refuses them itself.
    """
    original = parser.parse_known_args

    def parse_known_args(
        args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = original(args, namespace)
        if extras:
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras

    setattr(parser, "parse_known_args", parse_known_args)  # noqa: B010 - on this instance only
    return parser


def missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist (opening it would create it)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # an unparsable URL is reported when it is opened
        return None
    name: Any = parsed.database
    if not parsed.drivername.startswith("sqlite") or not name or name == ":memory:":
        return None
    path = Path(str(name))
    return None if path.exists() else path


def load_config() -> tuple[Settings, District] | None:
    """Settings and the district, or None after printing on stderr why they are unusable."""
    try:
        settings = load_settings()
        return settings, load_district(settings.district_config_path)
    except (SettingsError, ConfigError) as exc:
        fail(str(exc))
        return None


def with_db(
    work: Callable[[Settings, District, Database], Awaitable[int]],
    *,
    needs_schema: bool = True,
) -> int:
    """Run ``work`` with settings, district and database; return its exit code.

    Settings and the district are loaded first, so nothing touches the
    database when they are broken. With ``needs_schema`` a database that
    ``minqing init`` has not migrated is refused with a hint.
    """
    config = load_config()
    if config is None:
        return 2
    settings, district = config
    missing = missing_sqlite_file(settings.database_url) if needs_schema else None
    if missing is not None:
        return fail(f"no database at {missing}; run `minqing init` first")

    async def run() -> int:
        from storage.db import Database

        db = Database(settings.database_url)
        try:
            if needs_schema and not await db.is_up_to_date():
                return fail("the database is not initialised or is out of date; run `minqing init`")
            return await work(settings, district, db)
        finally:
            await db.dispose()

    return asyncio.run(run())


async def db_clock(settings: Settings, db: Database) -> Clock:
    """The time a command on ``db`` keeps: the sandbox's clock when ``db`` is a sandbox's
    (its 快进 included, trial 32 D11), else the service's (``MINQING_CLOCK_START``)."""
    from bot.services.clock_state import clock_for_database

    return await clock_for_database(db, settings.clock_start)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap
