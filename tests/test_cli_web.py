"""The ``apikey`` and ``diary`` commands, run as a user runs them: a subprocess.

Until ``bot.cli`` lists ``bot.cli_web`` the commands are reached through a
small shim that registers them on the real parser (or, if ``bot.cli`` cannot
be imported yet, on a throwaway parser with the organisation commands).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.web_auth import verify_api_key
from storage.db import Database
from storage.models import Person
from tests.conftest import REPO_ROOT

SHIM = """
import argparse, sys
try:
    from bot.cli import build_parser
    parser = build_parser()
except ImportError:
    from bot import cli_org
    parser = argparse.ArgumentParser(prog="minqing")
    cli_org.register(parser.add_subparsers(dest="command", metavar="COMMAND"))
sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
if "apikey" not in sub.choices:
    from bot import cli_web
    cli_web.register(sub)
args = parser.parse_args(sys.argv[1:])
sys.exit(args.func(args))
"""


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINQING_")}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", SHIM, *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def db_at(folder: Path) -> Database:
    return Database(f"sqlite+aiosqlite:///{folder / 'minqing.db'}")


async def test_apikey_create_list_revoke(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    empty = run_cli("apikey", "list", cwd=tmp_path)
    assert empty.returncode == 0 and "no API keys" in empty.stdout

    first = run_cli("apikey", "create", "12345热线", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert key.startswith("mq_") and len(key) == 46
    assert "API key 1 for '12345热线' created" in first.stdout
    second = run_cli("apikey", "create", "城管平台", cwd=tmp_path)
    other = second.stdout.strip().splitlines()[-1]

    listed = run_cli("apikey", "list", cwd=tmp_path)
    assert listed.returncode == 0
    assert "12345热线" in listed.stdout and "城管平台" in listed.stdout
    assert listed.stdout.count("active") == 2 and key not in listed.stdout

    revoked = run_cli("apikey", "revoke", "1", cwd=tmp_path)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert run_cli("apikey", "revoke", "1", cwd=tmp_path).returncode == 0  # again: no error
    listed = run_cli("apikey", "list", cwd=tmp_path)
    assert listed.stdout.count("active") == 1 and "revoked 20" in listed.stdout

    db = db_at(tmp_path)
    try:
        assert await verify_api_key(db, key) is None
        row = await verify_api_key(db, other)
        assert row is not None and row.name == "城管平台"
    finally:
        await db.dispose()

    unknown = run_cli("apikey", "revoke", "99", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown API key id 99" in unknown.stderr
    blank = run_cli("apikey", "create", "  ", cwd=tmp_path)
    assert blank.returncode == 2 and "NAME" in blank.stderr
    bare = run_cli("apikey", cwd=tmp_path)
    assert bare.returncode == 2 and "required" in bare.stderr


def test_apikey_before_init_says_what_to_do(tmp_path: Path) -> None:
    result = run_cli("apikey", "list", cwd=tmp_path)
    assert result.returncode != 0 and "minqing init" in result.stderr


async def test_diary_add_and_compliance(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    db = db_at(tmp_path)
    try:
        async with db.session() as s:
            s.add(
                Person(
                    name="张东城",
                    telegram_user_id=777,
                    chat_id=777,
                    role="chief",
                    unit_id="dongcheng",
                    leader_rank="deputy_section",
                )
            )
    finally:
        await db.dispose()
    today = date.today()  # within a day of the district's date: far from every limit
    day = (today - timedelta(days=2)).isoformat()
    added = run_cli("diary", "add", "--person", "777", "--date", day, "走访", "三户", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert f"by 张东城 for {day}" in added.stdout

    future = (today + timedelta(days=3)).isoformat()
    refused = run_cli("diary", "add", "--person", "777", "--date", future, "x", cwd=tmp_path)
    assert refused.returncode == 2 and "走访日期不能晚于今天" in refused.stderr
    nobody = run_cli("diary", "add", "--person", "1", "x", cwd=tmp_path)
    assert nobody.returncode == 2 and "nobody with Telegram id 1" in nobody.stderr
    bad_date = run_cli("diary", "add", "--person", "777", "--date", "28号", "x", cwd=tmp_path)
    assert bad_date.returncode == 2 and "--date" in bad_date.stderr

    month = day[:7]
    report = run_cli("diary", "compliance", "--month", month, "--unit", "dongcheng", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "张东城 [东城街道群众工作站]" in report.stdout
    assert "1/1 (100.0%)" in report.stdout
    # The default month is the current one in the district.
    plain = run_cli("diary", "compliance", cwd=tmp_path)
    assert plain.returncode == 0 and "民情日记 20" in plain.stdout
    wrong = run_cli("diary", "compliance", "--month", "2024/05", cwd=tmp_path)
    assert wrong.returncode == 2 and "YYYY-MM" in wrong.stderr
