"""The ``minqing`` CLI for the organisation, run as a user runs it: a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MINQING_")}
    full_env.pop("DATABASE_URL", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env={**full_env, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_init_twice_then_invite_and_units(tmp_path: Path) -> None:
    first = run_cli("init", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "added: 36 unit(s)" in first.stdout
    # The default database is a SQLite file in the working folder.
    assert (tmp_path / "minqing.db").exists()
    second = run_cli("init", cwd=tmp_path)
    assert second.returncode == 0 and "organisation unchanged" in second.stdout

    invite = run_cli("invite", "--unit", "dongcheng", "--role", "chief", cwd=tmp_path)
    assert invite.returncode == 0, invite.stderr
    code = invite.stdout.strip().splitlines()[-1]
    assert len(code) == 12 and code.isalnum() and code.isupper()

    units = run_cli("units", cwd=tmp_path)
    assert units.returncode == 0, units.stderr
    assert "东城街道群众工作站 [dongcheng] (sample)" in units.stdout
    assert "0/5 ✗" in units.stdout and "设置率" in units.stdout and "配备率" in units.stdout


def test_init_updates_a_renamed_unit_in_place(tmp_path: Path) -> None:
    config = tmp_path / "district.toml"
    text = (REPO_ROOT / "config" / "district.toml").read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    env = {"MINQING_CONFIG": str(config)}
    assert run_cli("init", cwd=tmp_path, env=env).returncode == 0
    config.write_text(text.replace("西湖街道群众工作站", "西湖街道工作站"), encoding="utf-8")
    second = run_cli("init", cwd=tmp_path, env=env)
    assert second.returncode == 0 and "updated: 1 unit(s): xihu" in second.stdout
    assert "西湖街道工作站 [xihu]" in run_cli("units", cwd=tmp_path, env=env).stdout


def test_broken_config_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text(
        (REPO_ROOT / "config" / "district.toml")
        .read_text(encoding="utf-8")
        .replace('resolve = "7d"', 'resolve = "soon"'),
        encoding="utf-8",
    )
    result = run_cli("init", cwd=tmp_path, env={"MINQING_CONFIG": str(config)})
    assert result.returncode == 2
    assert str(config) in result.stderr and "deadlines.normal.resolve" in result.stderr
    assert not (tmp_path / "minqing.db").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("invite", "--unit", "atlantis", "--role", "chief"), "unknown unit 'atlantis'"),
        (("invite", "--unit", "labor", "--role", "emperor"), "invalid choice"),
        (("invite", "--unit", "labor", "--role", "staff", "--expires", "soon"), "--expires"),
        (("invite", "--role", "staff"), "required"),
    ],
)
def test_bad_arguments_exit_non_zero_with_a_reason(
    tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert needle in result.stderr


def test_units_before_init_says_what_to_do(tmp_path: Path) -> None:
    result = run_cli("units", cwd=tmp_path)
    assert result.returncode != 0
    assert "minqing init" in result.stderr
