"""``minqing bench classify --instructions``: instructions per message, counted by callgrind.

A wall-clock ratio on a shared machine moves with the neighbours' load; the number of
instructions a process executes does not. Two fresh processes run under valgrind's callgrind,
one calling bare ``jieba.lcut`` and one ``nlp.classify`` on the same messages. Each imports,
loads its dictionaries and warms up on every message outside the count; then it makes one pass
over the messages inside ``functools.reduce``, and callgrind counts only what runs inside that
C function (``--toggle-collect=functools_reduce``): start-up is left out, not subtracted.
``PYTHONHASHSEED=0`` fixes the hash order, so a run repeats to the instruction.

The figure comparable with the wall ratio is jieba's instructions per message over
classify's. It is *not* the wall ratio: the two differ in instructions per cycle (classify
reads more tables than jieba's one dictionary and misses the caches more), see
docs/performance.md, "Stop 30". ``--cache-sim`` also simulates the caches (as this machine's
L1d and L2, about three times slower) and gives callgrind's cycle estimate for each.

Registered by :mod:`bot.cli.nlp`; a benchmark that prints figures, never a test of speed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot import REPO_ROOT
from bot.cli.nlp_bench import bench_messages

__all__ = ["cmd_bench_instructions", "count_side", "estimated_cycles", "read_totals"]

_TOGGLE = "functools_reduce"

_SIDE = """
import functools, json, sys
side, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    msgs = json.load(f)
if side == "jieba":
    import jieba
    jieba.setLogLevel(60)
    fn = jieba.lcut
else:
    from nlp import classify as fn
for m in msgs:  # warm-up: not counted
    fn(m)
# Only what runs inside functools.reduce is counted (callgrind --toggle-collect).
functools.reduce(lambda _, m: fn(m), msgs, None)
print(len(msgs))
"""

# The simulated caches: this machine's L1d (48 KiB, 12-way) and its L2 (2 MiB per core)
# as callgrind's last level; callgrind would otherwise take the 480 MiB L3 the hypervisor
# reports, where nothing ever misses.
_CACHES = ("--D1=49152,12,64", "--LL=2097152,16,64")


def read_totals(path: Path) -> dict[str, int]:
    """The event totals of a callgrind output file (``Ir`` and, with the cache simulation,
    the misses), by event name."""
    events: list[str] = []
    totals: list[int] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith(("totals:", "summary:")):
            totals = [int(x) for x in line.split()[1:]]
    return dict(zip(events, totals, strict=False))


def estimated_cycles(totals: dict[str, int]) -> int:
    """callgrind_annotate's cycle estimate: ``Ir + 10 × L1 misses + 100 × LL misses``."""
    l1 = sum(totals.get(k, 0) for k in ("I1mr", "D1mr", "D1mw"))
    ll = sum(totals.get(k, 0) for k in ("ILmr", "DLmr", "DLmw"))
    return totals.get("Ir", 0) + 10 * l1 + 100 * ll


def count_side(side: str, messages: Path, out: Path, cache_sim: bool = False) -> dict[str, int]:
    """Run one side (``jieba`` or ``classify``) under callgrind; its counted events."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONHASHSEED"] = "0"
    cmd = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        f"--toggle-collect={_TOGGLE}",
        *(("--cache-sim=yes", *_CACHES) if cache_sim else ()),
        sys.executable,
        "-c",
        _SIDE,
        side,
        str(messages),
    ]
    subprocess.run(
        cmd, capture_output=True, text=True, env=env, cwd=str(REPO_ROOT), check=True, timeout=3600
    )
    totals = read_totals(out)
    if not totals.get("Ir"):
        raise RuntimeError(
            f"callgrind counted nothing inside {_TOGGLE}: this Python's library has no symbols"
        )
    return totals


def cmd_bench_instructions(args: argparse.Namespace) -> int:
    """Run ``minqing bench classify --instructions``."""
    if shutil.which("valgrind") is None:
        print("--instructions needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    msgs = bench_messages(args.messages)
    keep = Path(args.callgrind_dir) if args.callgrind_dir else None
    with tempfile.TemporaryDirectory(prefix="minqing-callgrind-") as tmp:
        where = keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        path = Path(tmp) / "messages.json"
        path.write_text(json.dumps(msgs, ensure_ascii=False), encoding="utf-8")
        counted = {
            side: count_side(side, path, where / f"callgrind.{side}.out", args.cache_sim)
            for side in ("jieba", "classify")
        }
    n = len(msgs)
    per = {side: t["Ir"] / n for side, t in counted.items()}
    ratio = per["jieba"] / per["classify"]
    figures: dict[str, Any] = {
        "message_chars": 300,
        "messages": n,
        "jieba_lcut_instructions_per_message": round(per["jieba"]),
        "classify_instructions_per_message": round(per["classify"]),
        "instruction_ratio_jieba_to_classify": round(ratio, 3),
    }
    print(
        f"instructions per message (callgrind, {n} messages of 300 characters, start-up and "
        f"warm-up not counted): bare jieba.lcut {per['jieba']:,.0f}; classify "
        f"{per['classify']:,.0f}; ratio {ratio:.3f} (jieba / classify, comparable with the "
        "wall ratio classify / jieba messages a second)"
    )
    if args.cache_sim:
        cyc = {side: estimated_cycles(t) / n for side, t in counted.items()}
        figures["jieba_lcut_estimated_cycles_per_message"] = round(cyc["jieba"])
        figures["classify_estimated_cycles_per_message"] = round(cyc["classify"])
        cyc_ratio = cyc["jieba"] / cyc["classify"]
        figures["estimated_cycle_ratio_jieba_to_classify"] = round(cyc_ratio, 3)
        for side, t in counted.items():
            figures[f"{side}_misses_per_message"] = {
                k: round(v / n) for k, v in t.items() if k.endswith(("mr", "mw"))
            }
        print(
            f"estimated cycles per message (Ir + 10 × L1 misses + 100 × L2 misses, simulated "
            f"48 KiB L1d and 2 MiB L2): bare jieba.lcut {cyc['jieba']:,.0f}; classify "
            f"{cyc['classify']:,.0f}; ratio {cyc_ratio:.3f}"
        )
    if keep:
        print(f"callgrind output kept in {keep} (callgrind_annotate FILE)")
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0
