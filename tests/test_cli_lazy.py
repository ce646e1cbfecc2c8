"""``minqing`` loads only what a command uses (issue 16)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bot.cli import COMMANDS, GROUPS, _registrar


def test_the_command_table_matches_what_the_groups_register() -> None:
    registered: dict[str, str] = {}
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    for group in GROUPS:
        before = set(subparsers.choices)
        _registrar(group)(subparsers)
        for name in set(subparsers.choices) - before:
            registered[name] = group
    assert set(registered) == set(COMMANDS)
    for name, group in registered.items():
        assert group in COMMANDS[name][0], name


def _modules_after(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    code = (
        "import sys, contextlib, io\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try: main({args!r})\n"
        "    except SystemExit: pass\n"
        "print('\\n'.join(sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    return set(out.split())


def test_help_and_classify_import_no_database_telegram_or_web_stack() -> None:
    heavy = {"sqlalchemy", "telegram", "aiohttp", "alembic"}
    assert not heavy & _modules_after(["--help"])
    after_classify = _modules_after(["classify", "楼道灯坏了"])
    assert "jieba" in after_classify and not heavy & after_classify


def test_help_imports_nothing_beyond_what_argparse_needs_to_answer_help() -> None:
    """What ``bench commands`` takes as ``--help``'s anchor is all it loads, but minqing's CLI."""
    anchor = (
        "import argparse, contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: argparse.ArgumentParser(prog='minqing').parse_args(['--help'])\n"
        "    except SystemExit: pass\n"
        "import sys; print('\\n'.join(sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", anchor], capture_output=True, text=True, check=True
    ).stdout
    extra = _modules_after(["--help"]) - set(out.split())
    assert extra <= {"bot", "bot.cli", "collections.abc"}, extra


def test_units_loads_the_database_stack_but_not_postgresql_telegram_web_or_alembic(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'units.db'}"}
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "init"], env=env, capture_output=True, check=True
    )
    after_units = _modules_after(["units"], env)
    assert "storage.org" in after_units and "aiosqlite" in after_units  # it did run
    unused = {"telegram", "aiohttp", "alembic", "sqlalchemy.dialects.postgresql", "jieba"}
    assert not unused & after_units, unused & after_units
    assert "bot.services.invites" not in after_units
    # The report reads two light Core tables: no mapped class is declared.
    assert "storage.models" not in after_units and "storage.case_scores" not in after_units


def test_the_light_tables_of_the_coverage_report_are_the_models_columns() -> None:
    from sqlalchemy import Table

    from storage.models import Person, Unit
    from storage.org import PEOPLE, UNITS

    for light, model in ((UNITS, Unit), (PEOPLE, Person)):
        table = model.__table__
        assert isinstance(table, Table) and light.name == table.name
        for column in light.c:
            assert column.name in table.c, (light.name, column.name)
            assert column.type._type_affinity is table.c[column.name].type._type_affinity
