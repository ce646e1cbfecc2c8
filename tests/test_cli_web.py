"""The ``apikey`` and ``diary`` commands, run as a user runs them: a subprocess.

Until ``bot.cli`` lists ``bot.cli.web`` the commands are reached through a
small shim that registers them on the real parser (or, if ``bot.cli`` cannot
be imported yet, on a throwaway parser with the organisation commands).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest.mock import ANY

import pytest

from bot.cli import org as cli_org
from bot.cli import web as cli_web
from bot.services.diary import local_today
from bot.web.api_keys import create_api_key, verify_api_key
from storage.db import Database
from storage.models import Person
from tests.conftest import REPO_ROOT
from tests.factories import suite_now

SHIM = """
import argparse, sys
try:
    from bot.cli import build_parser
    parser = build_parser()
except ImportError:
    from bot.cli import org as cli_org
    parser = argparse.ArgumentParser(prog="minqing")
    cli_org.register(parser.add_subparsers(dest="command", metavar="COMMAND"))
sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
if "apikey" not in sub.choices:
    from bot.cli import web as cli_web
    cli_web.register(sub)
args = parser.parse_args(sys.argv[1:])
sys.exit(args.func(args))
"""


#: Settings a test run passes on to the commands: the service's clock.
KEEP = {"MINQING_CLOCK_START"}


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINQING_") or k in KEEP}
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


def run_in_process(*args: str) -> tuple[int, str, str]:
    """Run a command in this process (the cheap way to cover error paths).

    Returns:
        Exit code, stdout and stderr.
    """
    parser = argparse.ArgumentParser(prog="minqing")
    subparsers = parser.add_subparsers(dest="command")
    cli_org.register(subparsers)
    cli_web.register(subparsers)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parsed = parser.parse_args(list(args))
            code = int(parsed.func(parsed))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in-process commands in ``tmp_path`` with the default settings."""
    for name in [k for k in os.environ if k.startswith("MINQING_") and k not in KEEP] + [
        "DATABASE_URL"
    ]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_apikey_create_list_revoke(in_folder: Path) -> None:
    tmp_path = in_folder
    assert await asyncio.to_thread(run_in_process, "init") == (0, ANY, "")
    empty = run_cli("apikey", "list", cwd=tmp_path)
    assert empty.returncode == 0 and "no API keys" in empty.stdout

    first = run_cli("apikey", "create", "12345热线", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert key.startswith("mq_") and len(key) == 46
    assert "API key 1 for '12345热线' created" in first.stdout
    db = db_at(tmp_path)
    try:
        other = await create_api_key(db, "城管平台")
    finally:
        await db.dispose()

    revoked = run_cli("apikey", "revoke", "1", cwd=tmp_path)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    listed = run_cli("apikey", "list", cwd=tmp_path)
    assert listed.returncode == 0
    assert "12345热线" in listed.stdout and "城管平台" in listed.stdout
    assert listed.stdout.count("active") == 1 and "revoked 20" in listed.stdout
    assert key not in listed.stdout

    db = db_at(tmp_path)
    try:
        assert await verify_api_key(db, key) is None
        row = await verify_api_key(db, other)
        assert row is not None and row.name == "城管平台"
    finally:
        await db.dispose()


def test_apikey_errors(in_folder: Path) -> None:
    assert run_in_process("init")[0] == 0
    code, out, _ = run_in_process("apikey", "create", "测试")
    assert code == 0 and out.strip().splitlines()[-1].startswith("mq_")
    assert run_in_process("apikey", "revoke", "1")[0] == 0
    assert run_in_process("apikey", "revoke", "1")[0] == 0  # again: no error
    code, _, err = run_in_process("apikey", "revoke", "99")
    assert code == 2 and "unknown API key id 99" in err
    code, _, err = run_in_process("apikey", "create", "  ")
    assert code == 2 and "NAME" in err
    code, _, err = run_in_process("apikey")
    assert code == 2 and "required" in err
    code, _, err = run_in_process("apikey", "revoke", "one")
    assert code == 2 and "invalid int" in err


def test_apikey_before_init_says_what_to_do(tmp_path: Path) -> None:
    result = run_cli("apikey", "list", cwd=tmp_path)
    assert result.returncode != 0 and "minqing init" in result.stderr


async def add_leader(folder: Path, since: datetime | None = None) -> None:
    """A deputy section chief of 东城, in office since ``since`` (default: six weeks)."""
    db = db_at(folder)
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
                    created_at=since or suite_now() - timedelta(weeks=6),
                )
            )
    finally:
        await db.dispose()


#: The district's date on the service's clock (``MINQING_CLOCK_START`` when set).
TODAY = local_today(suite_now())


async def test_diary_add_and_compliance(in_folder: Path) -> None:
    tmp_path = in_folder
    assert (await asyncio.to_thread(run_in_process, "init"))[0] == 0
    await add_leader(tmp_path)
    day = (TODAY - timedelta(days=2)).isoformat()
    added = run_cli(
        "diary", "add", "--person", "777", "--date", day, "走访东城", "三户困难家庭", cwd=tmp_path
    )
    assert added.returncode == 0, added.stderr
    assert f"by 张东城 for {day}" in added.stdout

    report = run_cli("diary", "compliance", "--month", day[:7], "--unit", "dongcheng", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "张东城 [东城街道群众工作站]" in report.stdout
    assert "1/1 (100.0%)" in report.stdout


def test_diary_errors(in_folder: Path) -> None:
    assert run_in_process("init")[0] == 0
    asyncio.run(add_leader(in_folder))
    future = (TODAY + timedelta(days=3)).isoformat()
    code, _, err = run_in_process("diary", "add", "--person", "777", "--date", future, "x")
    assert code == 2 and "走访日期不能晚于今天" in err
    code, _, err = run_in_process("diary", "add", "--person", "1", "x")
    assert code == 2 and "nobody with Telegram id 1" in err
    code, _, err = run_in_process("diary", "add", "--person", "777", "--date", "28号", "x")
    assert code == 2 and "--date" in err
    code, out, _ = run_in_process("diary", "add", "--person", "777", "今天走访阳光小区物业纠纷")
    assert code == 0 and "diary entry 1" in out
    # The default month is the current one in the district.
    code, out, _ = run_in_process("diary", "compliance")
    assert code == 0 and "民情日记 20" in out and "张东城" in out
    code, _, err = run_in_process("diary", "compliance", "--month", "2024/05")
    assert code == 2 and "YYYY-MM" in err
    code, _, err = run_in_process("diary", "compliance", "--unit", "atlantis")
    assert code == 2 and "atlantis" in err


def test_break9_cli_takes_today_from_the_service_clock(in_folder: Path) -> None:
    """On New Year's Day (district time) the CLI's "today" is that day, not the machine's."""
    assert run_in_process("init")[0] == 0
    asyncio.run(add_leader(in_folder, since=datetime(2026, 11, 1, tzinfo=UTC)))
    env = {"MINQING_CLOCK_START": "2027-01-01T00:30+08:00"}
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        code, out, err = run_in_process("diary", "add", "--person", "777", "元旦走访东城孤寡老人")
        assert code == 0, err
        assert "for 2027-01-01" in out
        code, _, err = run_in_process(
            "diary", "add", "--person", "777", "--date", "2027-01-02", "x"
        )
        assert code == 2 and "走访日期不能晚于今天" in err
        code, out, _ = run_in_process("diary", "compliance")
        assert code == 0 and "民情日记 2027-01" in out and "1/1 (100.0%)" in out
        code, out, err = run_in_process(
            "diary", "add", "--person", "777", "--date", "2026-12-31", "除夕前走访和平社区困难户"
        )
        assert code == 0, err
        assert "for 2026-12-31" in out
