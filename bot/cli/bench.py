"""``minqing bench intake|alerts|serve-start|scale|commands|all``: figures under load.

These targets join ``minqing bench`` (owned by :mod:`bot.cli.nlp`, which also has
``bench classify``): :func:`register` adds them through
:func:`bot.cli.nlp.bench_subparsers`, and :func:`register_bench_targets` takes
the bench subparsers directly. Each target prints its figures and, with
``--out FILE``, merges them into a JSON file under the target's name (other
targets' figures in the file are kept). What each target runs is in
:mod:`bot.cli.bench_run`.

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
from collections.abc import Callable
from pathlib import Path

from bot.cli.bench_run import (
    cmd_alerts,
    cmd_all,
    cmd_commands,
    cmd_intake,
    cmd_scale,
    cmd_serve_start,
)

__all__ = ["register", "register_bench_targets"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the targets to ``minqing bench`` (call after ``bot.cli.nlp.register``).

    Args:
        subparsers: The top-level subparsers (unused: the bench subparsers come from
            :func:`bot.cli.nlp.bench_subparsers`).
    """
    from bot.cli import nlp as cli_nlp

    register_bench_targets(cli_nlp.bench_subparsers())


_DATABASE_HELP = (
    "sqlite, postgres or both (PostgreSQL: MINQING_BENCH_POSTGRES_URL or "
    "MINQING_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test)"
)


def _database_option(p: argparse.ArgumentParser, default: str) -> None:
    """``--database sqlite|postgres|both``."""
    p.add_argument(
        "--database", default=default, choices=("sqlite", "postgres", "both"), help=_DATABASE_HELP
    )


def _figures_to(p: argparse.ArgumentParser, func: Callable[[argparse.Namespace], int]) -> None:
    """``--out FILE`` and the command that runs the target."""
    p.add_argument("--out", type=Path, help="merge the figures into this JSON file")
    p.set_defaults(func=func)


def register_bench_targets(bench: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``intake``, ``alerts``, ``serve-start``, ``scale`` and ``all`` to the bench subparsers.

    Args:
        bench: The subparsers of ``minqing bench``.
    """
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
    _database_option(p, "sqlite")
    p.add_argument(
        "--grace",
        type=float,
        default=30.0,
        help="seconds to wait for late answers after sending (default 30)",
    )
    _figures_to(p, cmd_intake)

    p = bench.add_parser(
        "alerts",
        help="a critical warning filed → every recipient's card at the fake: latency",
        description="Recipients (chiefs and staff of the officer's station and the district "
        "centres) get the warning's card through the outbox with the delivery worker's pacing "
        "and the PTB rate limiter on; p50/p99 over repeated runs.",
    )
    p.add_argument("--recipients", type=int, default=20, help="recipients (default 20)")
    p.add_argument("--runs", type=int, default=10, help="warnings filed (default 10)")
    _database_option(p, "sqlite")
    _figures_to(p, cmd_alerts)

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
    _figures_to(p, cmd_serve_start)

    p = bench.add_parser(
        "scale",
        help="grow the database, then time the dashboard's main queries with their plans",
    )
    p.add_argument("--cases", type=int, default=1_000_000, help="cases (default 1,000,000)")
    p.add_argument("--events", type=int, default=5_000_000, help="events (default 5,000,000)")
    _database_option(p, "postgres")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    p.add_argument("--keep", action="store_true", help="keep the grown database")
    p.add_argument("--quiet-plans", action="store_true", help="do not print the plans")
    _figures_to(p, cmd_scale)

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
    _figures_to(p, cmd_commands)

    p = bench.add_parser("all", help="every target with modest defaults")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("bench.json"),
        help="merge the figures into this JSON file (default bench.json)",
    )
    _database_option(p, "both")
    p.set_defaults(func=cmd_all)
