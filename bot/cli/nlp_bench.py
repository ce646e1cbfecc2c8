"""``minqing bench classify``: classification rate against bare jieba, cold start, peak RSS.

Registered by :mod:`bot.cli.nlp`; heavy imports stay inside the functions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from bot import REPO_ROOT

__all__ = ["bench_messages", "cmd_bench_classify"]

# Until stop 21 this module counted its own way to the root and reached bot/, so the hand
# set was never found and every figure measured 200 copies of the fallback sentence.
_REPO = REPO_ROOT
_HAND_SET = _REPO / "tests" / "data" / "citizen_messages.tsv"


def bench_messages(count: int, length: int = 300) -> list[str]:
    """Build ``count`` distinct messages of ``length`` characters from the hand set."""
    from nlp.evaluate import read_hand_set

    texts = (
        [c.text for c in read_hand_set(_HAND_SET)]
        if _HAND_SET.is_file()
        else ["小区物业费年年涨，服务却越来越差，垃圾好几天没人清"]
    )
    out: list[str] = []
    i = 0
    while len(out) < count:
        buf = ""
        while len(buf) < length:
            buf += texts[i % len(texts)] + "。"
            i += 1
        out.append(buf[:length])
        i += 7
    return out


_COLD = """
import json, time
t0 = time.perf_counter()
from nlp import classify
classify("小区物业费年年涨，服务却越来越差")
print(json.dumps({"cold_start_s": time.perf_counter() - t0}))
"""

# Peak RSS is read from /proc/self/status (VmHWM): getrusage's ru_maxrss
# survives exec on Linux and would report the parent's peak.
_RSS = """
import json, sys
from bot.cli.nlp_bench import bench_messages
from nlp import classify
msgs = bench_messages(500)
n = int(sys.argv[1])
for i in range(n):
    classify(msgs[i % len(msgs)])
try:
    with open("/proc/self/status") as f:
        line = next(x for x in f if x.startswith("VmHWM:"))
    peak_mb = int(line.split()[1]) / 1024
except OSError:
    import psutil
    peak_mb = psutil.Process().memory_info().rss / 2**20
print(json.dumps({"peak_rss_mb": peak_mb, "classified": n}))
"""


def _subprocess(code: str, *argv: str) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(_REPO) + os.pathsep + env.get("PYTHONPATH", "")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(_REPO),
        check=True,
        timeout=600,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = time.perf_counter() - started
    return result


def cmd_bench_classify(args: argparse.Namespace) -> int:
    """Run ``minqing bench classify``."""
    import jieba

    from nlp import classify

    msgs = bench_messages(args.messages)
    jieba.setLogLevel(60)
    for m in msgs:  # warm-up both
        jieba.lcut(m)
        classify(m)
    # No whole-message result is cached anywhere in nlp (the only per-run cache,
    # nlp.segment's, holds log-probabilities of dictionary words), so repeating
    # the same messages in every round measures what distinct messages cost.
    load_before = os.getloadavg()[0]
    t_jieba = 0.0
    t_cls = 0.0
    round_ratios: list[float] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for m in msgs:
            jieba.lcut(m)
        r_jieba = time.perf_counter() - start
        start = time.perf_counter()
        for m in msgs:
            classify(m)
        r_cls = time.perf_counter() - start
        t_jieba += r_jieba
        t_cls += r_cls
        round_ratios.append(r_jieba / r_cls)
    load_after = os.getloadavg()[0]
    total = len(msgs) * args.rounds
    jieba_rate = total / t_jieba
    cls_rate = total / t_cls
    # This process has built the dictionary and lexicon caches, so each
    # fresh process below starts as a service restart does.
    colds = [_subprocess(_COLD) for _ in range(max(args.cold_starts, 1))]
    cold_s = sorted(c["cold_start_s"] for c in colds)
    cold = {
        "cold_start_s": statistics.median(cold_s),
        "process_wall_s": statistics.median(c["process_wall_s"] for c in colds),
    }
    rss = _subprocess(_RSS, str(args.rss_count))
    figures = {
        "message_chars": 300,
        "messages": len(msgs),
        "rounds": args.rounds,
        "jieba_lcut_per_s": round(jieba_rate, 1),
        "classify_per_s": round(cls_rate, 1),
        "ratio_classify_to_jieba": round(cls_rate / jieba_rate, 3),
        # On a shared machine one round can be slowed by a neighbour: the
        # median of the rounds' own ratios, and the load average around them.
        "ratio_median_of_rounds": round(statistics.median(round_ratios), 3),
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        "cold_start_s": round(cold["cold_start_s"], 3),
        "cold_start_max_s": round(cold_s[-1], 3),
        "cold_starts": len(cold_s),
        "cold_process_wall_s": round(cold["process_wall_s"], 3),
        "peak_rss_mb_after": rss["classified"],
        "peak_rss_mb": round(rss["peak_rss_mb"], 1),
    }
    print(
        f"classification: {cls_rate:,.0f} msg/s; bare jieba.lcut: {jieba_rate:,.0f} msg/s; "
        f"ratio {cls_rate / jieba_rate:.2f} (300-character messages, same run; median of "
        f"{len(round_ratios)} rounds {statistics.median(round_ratios):.2f}; load average "
        f"{load_before:.1f} → {load_after:.1f})"
    )
    print(
        f"cold start (import + dictionaries + lexicon + first message): median "
        f"{cold['cold_start_s']:.3f} s, max {cold_s[-1]:.3f} s over {len(cold_s)} processes "
        f"(whole process {cold['process_wall_s']:.3f} s)"
    )
    print(f"peak RSS after {rss['classified']:,} messages: {rss['peak_rss_mb']:.1f} MB")
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0
