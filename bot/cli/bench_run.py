"""What the bench targets of :mod:`bot.cli.bench` run (``intake``, ``alerts``, ``scale``, ...).

Each ``cmd_*`` takes the parsed arguments and returns the exit code; the benchmark
itself is imported inside the function, so registering the targets loads none of them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bot.bench.figures import merge_figures

__all__ = [
    "cmd_alerts",
    "cmd_all",
    "cmd_commands",
    "cmd_intake",
    "cmd_scale",
    "cmd_serve_start",
]


def _backends(value: str) -> list[str]:
    if value == "both":
        return ["sqlite", "postgres"]
    return [value]


# ------------------------------------------------------------------ figures


def _quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "aiohttp.access", "bot.fakeapi"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _say(line: str) -> None:
    print(line, flush=True)


def _workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="minqing-bench-")


def _on_each_backend(
    database: str, run: Callable[[str, Path], Coroutine[Any, Any, Any]]
) -> dict[str, Any]:
    """``run(backend, workdir)`` on each backend ``--database`` names, one event loop each.

    Returns:
        What each run returned, by backend.
    """
    figures: dict[str, Any] = {}
    with _workdir() as tmp:
        for backend in _backends(database):
            figures[backend] = asyncio.run(run(backend, Path(tmp)))
    return figures


def _save(out: Path | None, key: str, figures: dict[str, Any]) -> None:
    """Merge ``figures`` under ``key`` into ``--out``, if given."""
    if out:
        merge_figures(out, key, figures)


def _run_on_each_backend(
    args: argparse.Namespace,
    key: str,
    run: Callable[..., Coroutine[Any, Any, Any]],
    **options: Any,
) -> int:
    """A target's ``run(database=backend, workdir=…, log=…, **options)`` on each backend
    of ``--database``, its figures saved under ``key`` in ``--out``; the exit code.
    """

    def on(backend: str, workdir: Path) -> Coroutine[Any, Any, Any]:
        return run(database=backend, workdir=workdir, log=_say, **options)

    _quiet_logging()
    _save(args.out, key, _on_each_backend(args.database, on))
    return 0


def _options(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The parsed options ``names``, by name (a benchmark's keyword arguments)."""
    return {name: getattr(args, name) for name in names}


# ------------------------------------------------------------------ targets


def cmd_intake(args: argparse.Namespace) -> int:
    """Run ``minqing bench intake``."""
    from bot.bench.intake import run_intake

    _quiet_logging()
    if args.echo:
        return _intake_beside_echo(args)

    async def run(backend: str, workdir: Path) -> dict[str, Any]:
        report = await run_intake(
            database=backend,
            rate=args.rate,
            duration=args.duration,
            step=args.step,
            flow=args.flow,
            workdir=workdir,
            grace=args.grace,
            log=_say,
        )
        if args.step:
            _say(
                f"[{backend}] highest rate with p99 ≤ 1 s and nothing lost: "
                f"{report.max_rate_p99_under_1s}/s (first over: "
                f"{report.first_rate_p99_over_1s}/s)"
            )
        _say(f"[{backend}] serve peak RSS under this load: {report.serve_peak_rss_mb:.1f} MiB")
        return report.as_dict()

    figures = {"step": bool(args.step), **_on_each_backend(args.database, run)}
    _save(args.out, f"intake_{args.flow}" + ("_step" if args.step else ""), figures)
    return 0


def _intake_beside_echo(args: argparse.Namespace) -> int:
    from bot.bench.intake_echo import run_side_by_side

    return _run_on_each_backend(
        args,
        "intake_text_vs_echo",
        run_side_by_side,
        citizens=(args.citizens, args.citizens_rate),
        **_options(args, "rate", "duration", "grace", "rounds"),
    )


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
    _save(args.out, "commands", figures)
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """Run ``minqing bench alerts``."""
    from bot.bench.alerts import run_alerts

    return _run_on_each_backend(args, "alerts", run_alerts, **_options(args, "recipients", "runs"))


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
    _save(args.out, "serve_start", figures)
    return 0


def cmd_scale(args: argparse.Namespace) -> int:
    """Run ``minqing bench scale``."""
    from bot.bench.scale import run_scale

    return _run_on_each_backend(
        args,
        f"scale_{args.cases}",
        run_scale,
        print_plans=not args.quiet_plans,
        **_options(args, "cases", "events", "repeat", "keep"),
    )


def _all_steps(out: Path, database: str) -> list[tuple[str, list[str]]]:
    """``bench all``'s runs: a label and the target's command line (its defaults do the rest)."""
    to = ["--out", str(out)]
    return [
        ("intake", ["intake", "--rate", "20", "--duration", "20", "--database", database, *to]),
        (
            "intake --step",
            ["intake", "--step", "--rate", "30", "--duration", "15", "--flow", "which", *to],
        ),
        ("alerts", ["alerts", "--runs", "5", "--database", database, *to]),
        ("serve-start", ["serve-start", "--starts", "3", "--load-duration", "20", *to]),
        (
            "scale",
            [
                *("scale", "--cases", "100000", "--events", "500000", "--database", database),
                *("--repeat", "3", "--quiet-plans", *to),
            ],
        ),
        ("classify", ["classify", "--rounds", "3", "--rss-count", "5000"]),
    ]


def cmd_all(args: argparse.Namespace) -> int:
    """Run every target with modest settings (a few minutes).

    Each run's arguments come from the target's own parser, so a run gets every
    option the target knows, with its defaults.
    """
    from bot.cli import nlp as cli_nlp

    targets = cli_nlp.bench_subparsers().choices
    failures = 0
    for name, argv in _all_steps(args.out, args.database):
        if argv[0] not in targets:
            continue
        namespace = targets[argv[0]].parse_args(argv[1:])
        func: Callable[[argparse.Namespace], int] = namespace.func
        _say(f"== bench {name}")
        try:
            rc = func(namespace)
        except Exception as exc:  # report and go on with the other targets
            _say(f"bench {name} failed: {type(exc).__name__}: {exc}")
            rc = 1
        failures += rc != 0
    return 1 if failures else 0
