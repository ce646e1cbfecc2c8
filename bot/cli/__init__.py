"""The ``minqing`` command line (entry point ``bot.cli:main``).

One module per command group (:mod:`~bot.cli.org`, :mod:`~bot.cli.serve`,
:mod:`~bot.cli.nlp`, :mod:`~bot.cli.bench`, :mod:`~bot.cli.web`,
:mod:`~bot.cli.report`, helpers in :mod:`~bot.cli.common`), each exposing
``register(subparsers)``; each parser sets ``func`` to a callable taking the
parsed arguments and returning the process exit code. This module only
assembles them. On top of everything: a module here may import any part of the
project (heavy ones inside the command's function), and nothing imports it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _registrars() -> list[Registrar]:
    from bot.cli import bench, nlp, org, report, serve, web

    return [
        org.register,
        serve.register,
        nlp.register,
        bench.register,
        web.register,
        report.register,
    ]


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="minqing",
        description="民情 minqing — a district's mass-work network as a Telegram bot.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in _registrars():
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    # python-telegram-bot 22: take RetryAfter.retry_after as a timedelta already
    # (the future default; bot.runtime.delivery reads both forms).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
