"""``minqing bench classify --instructions``: callgrind's counts read back, and a whole run.

The whole run (two processes under valgrind, about a minute of CPU even for two messages)
needs valgrind and ``MINQING_SLOW_TESTS=1``. No figure is asserted against a bound: the
command is a benchmark that prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import pytest

from bot.cli import nlp as cli_nlp
from bot.cli.nlp_bench_instr import estimated_cycles, read_totals

SLOW = os.environ.get("MINQING_SLOW_TESTS") == "1"


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="minqing")
    cli_nlp.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_the_counts_are_read_from_callgrinds_output(tmp_path: Path) -> None:
    out = tmp_path / "callgrind.out"
    out.write_text(
        "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\n"
        "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
        "fl=(1) x.c\nfn=(1) f\n3 1000 400 200 5 7 3 1 2 0\n"
        "totals: 1000 400 200 5 7 3 1 2 0\n",
        encoding="utf-8",
    )
    totals = read_totals(out)
    assert totals["Ir"] == 1000 and totals["D1mr"] == 7 and totals["DLmr"] == 2
    # Ir + 10 × (5 + 7 + 3) first-level misses + 100 × (1 + 2 + 0) last-level misses.
    assert estimated_cycles(totals) == 1000 + 150 + 300
    plain = tmp_path / "plain.out"
    plain.write_text("events: Ir\nsummary: 123456\ntotals: 123456\n", encoding="utf-8")
    assert read_totals(plain) == {"Ir": 123456}
    assert estimated_cycles(read_totals(plain)) == 123456


def test_without_valgrind_the_mode_says_what_it_needs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert run(["bench", "classify", "--instructions", "--messages", "2"]) == 2
    assert "valgrind" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="needs valgrind")
@pytest.mark.skipif(not SLOW, reason="a minute of CPU under valgrind: set MINQING_SLOW_TESTS=1")
def test_instructions_are_counted_for_both_sides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "instr.json"
    argv = ["bench", "classify", "--instructions", "--messages", "2", "--out", str(out)]
    code = run([*argv, "--callgrind-dir", str(tmp_path / "cg")])
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["messages"] == 2
    jieba = data["jieba_lcut_instructions_per_message"]
    ours = data["classify_instructions_per_message"]
    # Cutting or classifying 300 characters takes well over the interpreter's call
    # overhead: start-up is not counted, the messages are.
    assert jieba > 100_000 and ours > 100_000
    assert data["instruction_ratio_jieba_to_classify"] == round(jieba / ours, 3)
    printed = capsys.readouterr().out
    assert "bare jieba.lcut" in printed and "ratio" in printed
    # The figures are the counts in callgrind's own output files, kept where asked.
    counted = read_totals(tmp_path / "cg" / "callgrind.classify.out")["Ir"]
    assert abs(counted / 2 - ours) <= 0.5
