"""``minqing bench intake|alerts|serve-start|scale|commands|all``: figures under load.

These targets join ``minqing bench`` (owned by :mod:`bot.cli.nlp`, which also has
``bench classify``): :func:`register` adds them through
:func:`bot.cli.nlp.bench_subparsers`, and :func:`register_bench_targets` takes
the bench subparsers directly. Each target prints its figures and, with
``--out FILE``, merges them into a JSON file under the target's name (other
targets' figures in the file are kept).

Examples::

    minqing bench intake --rate 30 --duration 60 --database sqlite --out bench.json
    minqing bench intake --step --database postgres --out bench.json
    minqing bench alerts --recipients 20 --runs 10 --out bench.json
    minqing bench serve-start --out bench.json
    minqing bench scale --cases 1000000 --events 5000000 --database postgres --out bench.json
    minqing bench all --out bench.json
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.bench.figures import merge_figures

SubParsers = "argparse._SubParsersAction[argparse.ArgumentParser]"

__all__ = ["register", "register_bench_targets"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the targets to ``minqing bench`` (call after ``bot.cli.nlp.register``).

    Args:
        subparsers: The top-level subparsers (unused: the bench subparsers come from
            :func:`bot.cli.nlp.bench_subparsers`).
    """
    from bot.cli import nlp as cli_nlp

    register_bench_targets(cli_nlp.bench_subparsers())


def _backends(value: str) -> list[str]:
    if value == "both":
        return ["sqlite", "postgres"]
    return [value]


def register_bench_targets(bench: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``intake``, ``alerts``, ``serve-start``, ``scale`` and ``all`` to the bench subparsers.

    Args:
        bench: The subparsers of ``minqing bench``.
    """
    db_help = "sqlite, postgres or both (PostgreSQL: MINQING_BENCH_POSTGRES_URL or "
    db_help += "MINQING_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test)"

    p = bench.add_parser(
        "intake",
        help="citizens' updates through the webhook of a real service: latency, throughput",
        description="Simulated citizens post updates at a fixed rate to the webhook of "
        "`minqing serve` (child process) whose bot talks to a fake Bot API in this process; "
        "latency per update from its POST to the bot's answer reaching the fake.",
    )
    p.add_argument("--rate", type=float, default=30.0, help="updates per second (default 30)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds per rate (default 60)")
    p.add_argument("--step", action="store_true", help="ramp the rate until p99 passes 1 s")
    p.add_argument(
        "--flow",
        choices=("file", "which", "text"),
        default="file",
        help="file: the five-step filing flow (default); which: /which queries; "
        "text: each update a new citizen's plain-text description",
    )
    p.add_argument(
        "--echo",
        action="store_true",
        help="plain-text descriptions side by side with a bare PTB echo bot (AIORateLimiter) "
        "in the same harness: p50/p99 and CPU ms per update of each",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="with --echo: alternating measured rounds of each bot (default 3)",
    )
    p.add_argument(
        "--citizens",
        type=int,
        default=0,
        help="with --echo: then RSS after 100 and after this many distinct citizens, and the "
        "restart time with them in the database",
    )
    p.add_argument(
        "--citizens-rate",
        type=float,
        default=20.0,
        help="new citizens per second for --citizens (default 20: below saturation, so that "
        "no backlog is counted as memory per citizen)",
    )
    p.add_argument(
        "--database", default="sqlite", choices=("sqlite", "postgres", "both"), help=db_help
    )
    p.add_argument(
        "--grace",
        type=float,
        default=30.0,
        help="seconds to wait for late answers after sending (default 30)",
    )
    p.add_argument("--out", type=Path, help="merge the figures into this JSON file")
    p.set_defaults(func=cmd_intake)

    p = bench.add_parser(
        "alerts",
        help="a critical warning filed → every recipient's card at the fake: latency",
        description="Recipients (chiefs and staff of the officer's station and the district "
        "centres) get the warning's card through the outbox with the delivery worker's pacing "
        "and the PTB rate limiter on; p50/p99 over repeated runs.",
    )
    p.add_argument("--recipients", type=int, default=20, help="recipients (default 20)")
    p.add_argument("--runs", type=int, default=10, help="warnings filed (default 10)")
    p.add_argument(
        "--database", default="sqlite", choices=("sqlite", "postgres", "both"), help=db_help
    )
    p.add_argument("--out", type=Path, help="merge the figures into this JSON file")
    p.set_defaults(func=cmd_alerts)

    p = bench.add_parser(
        "serve-start",
        help="cold start of `minqing serve` to ready, and its peak RSS under intake load",
    )
    p.add_argument("--starts", type=int, default=5, help="cold starts measured (default 5)")
    p.add_argument(
        "--load-rate",
        type=float,
        default=20.0,
        help="intake rate for the RSS figure (default 20/s)",
    )
    p.add_argument(
        "--load-duration",
        type=float,
        default=30.0,
        help="seconds of intake load for the RSS figure (default 30)",
    )
    p.add_argument(
        "--database", default="sqlite", choices=("sqlite", "postgres"), help="sqlite or postgres"
    )
    p.add_argument("--out", type=Path, help="merge the figures into this JSON file")
    p.set_defaults(func=cmd_serve_start)

    p = bench.add_parser(
        "scale",
        help="grow the database, then time the dashboard's main queries with their plans",
    )
    p.add_argument("--cases", type=int, default=1_000_000, help="cases (default 1,000,000)")
    p.add_argument("--events", type=int, default=5_000_000, help="events (default 5,000,000)")
    p.add_argument(
        "--database", default="postgres", choices=("sqlite", "postgres", "both"), help=db_help
    )
    p.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    p.add_argument("--keep", action="store_true", help="keep the grown database")
    p.add_argument("--quiet-plans", action="store_true", help="do not print the plans")
    p.add_argument("--out", type=Path, help="merge the figures into this JSON file")
    p.set_defaults(func=cmd_scale)

    p = bench.add_parser(
        "commands",
        help="cold starts of --help, classify and units beside what their libraries need",
        description="Each command in a fresh process, alternating with a bare python doing "
        "only what the command's libraries must do (see bot/bench/commands.py); CPU seconds "
        "(user + system) and wall, medians.",
    )
    p.add_argument("--runs", type=int, default=7, help="cold starts of each (default 7)")
    p.add_argument(
        "--only",
        nargs="+",
        choices=("help", "classify", "units"),
        default=["help", "classify", "units"],
        help="the commands to measure (default all three)",
    )
    p.add_argument(
        "--no-compile",
        action="store_true",
        help="do not byte-compile the project's modules first (see bot/bench/commands.py)",
    )
    p.add_argument("--out", type=Path, help="merge the figures into this JSON file")
    p.set_defaults(func=cmd_commands)

    p = bench.add_parser("all", help="every target with modest defaults")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("bench.json"),
        help="merge the figures into this JSON file (default bench.json)",
    )
    p.add_argument(
        "--database", default="both", choices=("sqlite", "postgres", "both"), help=db_help
    )
    p.set_defaults(func=cmd_all)


# ------------------------------------------------------------------ figures


def _quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "aiohttp.access", "bot.fakeapi"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _say(line: str) -> None:
    print(line, flush=True)


def _workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="minqing-bench-")


# ------------------------------------------------------------------ targets


def cmd_intake(args: argparse.Namespace) -> int:
    """Run ``minqing bench intake``."""
    from bot.bench.intake import run_intake

    _quiet_logging()
    if args.echo:
        return _intake_beside_echo(args)
    figures: dict[str, Any] = {"step": bool(args.step)}
    with _workdir() as tmp:
        for backend in _backends(args.database):
            report = asyncio.run(
                run_intake(
                    database=backend,
                    rate=args.rate,
                    duration=args.duration,
                    step=args.step,
                    flow=args.flow,
                    workdir=Path(tmp),
                    grace=args.grace,
                    log=_say,
                )
            )
            figures[backend] = report.as_dict()
            if args.step:
                _say(
                    f"[{backend}] highest rate with p99 ≤ 1 s and nothing lost: "
                    f"{report.max_rate_p99_under_1s}/s (first over: "
                    f"{report.first_rate_p99_over_1s}/s)"
                )
            _say(f"[{backend}] serve peak RSS under this load: {report.serve_peak_rss_mb:.1f} MiB")
    if args.out:
        merge_figures(args.out, f"intake_{args.flow}" + ("_step" if args.step else ""), figures)
    return 0


def _intake_beside_echo(args: argparse.Namespace) -> int:
    from bot.bench.intake_echo import run_side_by_side

    figures: dict[str, Any] = {}
    with _workdir() as tmp:
        for backend in _backends(args.database):
            figures[backend] = asyncio.run(
                run_side_by_side(
                    database=backend,
                    rate=args.rate,
                    duration=args.duration,
                    workdir=Path(tmp),
                    grace=args.grace,
                    rounds=args.rounds,
                    citizens=(args.citizens, args.citizens_rate),
                    log=_say,
                )
            )
    if args.out:
        merge_figures(args.out, "intake_text_vs_echo", figures)
    return 0


def cmd_commands(args: argparse.Namespace) -> int:
    """Run ``minqing bench commands``."""
    import os
    import subprocess
    import sys

    from bot import REPO_ROOT
    from bot.bench.commands import format_figures, measure

    with _workdir() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'commands.db'}"
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "init"],
            env=env,
            cwd=str(REPO_ROOT),
            stdout=subprocess.DEVNULL,
            check=True,
        )
        figures = measure(
            url, runs=args.runs, only=tuple(args.only), compile_first=not args.no_compile
        )
    if hasattr(os, "getloadavg"):
        figures["load_average_after"] = round(os.getloadavg()[0], 2)
    for line in format_figures({k: v for k, v in figures.items() if isinstance(v, dict)}):
        _say(line)
    _say(f"load average (1 min) at the end: {figures.get('load_average_after')}")
    if args.out:
        merge_figures(args.out, "commands", figures)
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """Run ``minqing bench alerts``."""
    from bot.bench.alerts import run_alerts

    _quiet_logging()
    figures: dict[str, Any] = {}
    with _workdir() as tmp:
        for backend in _backends(args.database):
            result = asyncio.run(
                run_alerts(
                    database=backend,
                    recipients=args.recipients,
                    runs=args.runs,
                    workdir=Path(tmp),
                    log=_say,
                )
            )
            figures[backend] = result
    if args.out:
        merge_figures(args.out, "alerts", figures)
    return 0


def cmd_serve_start(args: argparse.Namespace) -> int:
    """Run ``minqing bench serve-start``."""
    from bot.bench.alerts import run_serve_start

    _quiet_logging()
    with _workdir() as tmp:
        figures = asyncio.run(
            run_serve_start(
                database=args.database,
                starts=args.starts,
                load_rate=args.load_rate,
                load_duration=args.load_duration,
                workdir=Path(tmp),
                log=_say,
            )
        )
    if args.out:
        merge_figures(args.out, "serve_start", figures)
    return 0


def cmd_scale(args: argparse.Namespace) -> int:
    """Run ``minqing bench scale``."""
    from bot.bench.scale import run_scale

    _quiet_logging()
    figures: dict[str, Any] = {}
    with _workdir() as tmp:
        for backend in _backends(args.database):
            figures[backend] = asyncio.run(
                run_scale(
                    database=backend,
                    cases=args.cases,
                    events=args.events,
                    repeat=args.repeat,
                    keep=args.keep,
                    workdir=Path(tmp),
                    print_plans=not args.quiet_plans,
                    log=_say,
                )
            )
    if args.out:
        merge_figures(args.out, f"scale_{args.cases}", figures)
    return 0


def cmd_all(args: argparse.Namespace) -> int:
    """Run every target with modest defaults (a few minutes)."""
    out: Path = args.out
    db = args.database
    steps: list[tuple[str, Callable[[argparse.Namespace], int], argparse.Namespace]] = []
    ns = argparse.Namespace
    steps.append(
        (
            "intake",
            cmd_intake,
            ns(rate=20.0, duration=20.0, step=False, flow="file", database=db, grace=30.0, out=out),
        )
    )
    steps.append(
        (
            "intake --step",
            cmd_intake,
            ns(
                rate=30.0,
                duration=15.0,
                step=True,
                flow="which",
                database="sqlite",
                grace=30.0,
                out=out,
            ),
        )
    )
    steps.append(("alerts", cmd_alerts, ns(recipients=20, runs=5, database=db, out=out)))
    steps.append(
        (
            "serve-start",
            cmd_serve_start,
            ns(starts=3, load_rate=20.0, load_duration=20.0, database="sqlite", out=out),
        )
    )
    steps.append(
        (
            "scale",
            cmd_scale,
            ns(
                cases=100_000,
                events=500_000,
                database=db,
                repeat=3,
                keep=False,
                quiet_plans=True,
                out=out,
            ),
        )
    )
    try:
        from bot.cli import nlp as cli_nlp

        steps.append(
            (
                "classify",
                cli_nlp.cmd_bench_classify,
                ns(messages=200, rounds=3, rss_count=5000, out=None),
            )
        )
    except ImportError:
        pass
    failures = 0
    for name, func, namespace in steps:
        _say(f"== bench {name}")
        try:
            rc = func(namespace)
        except Exception as exc:  # report and go on with the other targets
            _say(f"bench {name} failed: {type(exc).__name__}: {exc}")
            rc = 1
        failures += rc != 0
    return 1 if failures else 0
