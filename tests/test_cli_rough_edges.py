"""CLI answers a newcomer gets when something is missing or mistyped (issue 18)."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli_org import run_cli


def test_units_in_an_empty_folder_creates_no_database(tmp_path: Path) -> None:
    done = run_cli("units", cwd=tmp_path)
    assert done.returncode != 0 and "minqing init" in done.stderr
    assert not (tmp_path / "minqing.db").exists()


def test_an_unknown_option_shows_the_commands_own_usage(tmp_path: Path) -> None:
    done = run_cli("units", "--bogus", cwd=tmp_path)
    assert done.returncode == 2
    assert "usage: minqing units" in done.stderr and "--bogus" in done.stderr


def test_classify_honours_a_broken_minqing_config(tmp_path: Path) -> None:
    bad = tmp_path / "district.toml"
    bad.write_text('[district]\nname = "示范区"\n', encoding="utf-8")
    done = run_cli("classify", "楼下油烟太大", cwd=tmp_path, env={"MINQING_CONFIG": str(bad)})
    assert done.returncode != 0
    assert str(bad) in done.stderr and "units" in done.stderr  # the file, the key, the reason
    ok = run_cli("classify", "楼下油烟太大", cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout


def test_lexicon_build_from_a_missing_file(tmp_path: Path) -> None:
    done = run_cli("lexicon", "build", "--from", "missing.tsv", cwd=tmp_path)
    assert done.returncode != 0
    assert "missing.tsv: no such file" in done.stderr and "Errno" not in done.stderr
