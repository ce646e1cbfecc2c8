"""What the CLI modules share: loading settings, district and database; errors; columns."""

from __future__ import annotations

import asyncio
import sys
import unicodedata
from collections.abc import Awaitable, Callable

from config.district import ConfigError, District, load_district
from config.settings import Settings, SettingsError, load_settings
from storage.db import Database


def fail(message: str, code: int = 2) -> int:
    """Print ``message`` as an error on stderr and return the exit code."""
    print(f"minqing: error: {message}", file=sys.stderr)
    return code


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

    async def run() -> int:
        db = Database(settings.database_url)
        try:
            if needs_schema and not await db.is_up_to_date():
                return fail("the database is not initialised or is out of date; run `minqing init`")
            return await work(settings, district, db)
        finally:
            await db.dispose()

    return asyncio.run(run())


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap
