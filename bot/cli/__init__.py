"""The ``minqing`` command line (entry point ``bot.cli:main``).

One module per command group (:mod:`~bot.cli.org`, :mod:`~bot.cli.serve`,
:mod:`~bot.cli.nlp`, :mod:`~bot.cli.bench`, :mod:`~bot.cli.web`,
:mod:`~bot.cli.report`, :mod:`~bot.cli.triage`, helpers in :mod:`~bot.cli.common`), each exposing
``register(subparsers)``; each parser sets ``func`` to a callable taking the
parsed arguments and returning the process exit code. This module only
assembles them. On top of everything: a module here may import any part of the
project (heavy ones inside the command's function), and nothing imports it.

Commands load only what they use: :data:`COMMANDS` names every command's
group without importing it, :func:`main` imports the one group the command
line asks for (``minqing classify`` never imports SQLAlchemy, telegram or
aiohttp), and ``minqing --help`` lists the commands from :data:`COMMANDS`
alone. ``tests/test_cli_lazy.py`` keeps :data:`COMMANDS` and the groups in step.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

#: The groups in registration order (``bench`` adds to the ``bench`` that ``nlp`` creates).
GROUPS = ("org", "serve", "nlp", "bench", "web", "report", "triage")

#: Command → (groups to register, in order; one-line help for ``minqing --help``).
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "init": (("org",), "create or migrate the database and load the organisation from the config"),
    "invite": (("org",), "create a one-time code that binds a person to a unit"),
    "units": (
        ("org",),
        "print the organisation as a tree with staffing against the seed's targets",
    ),
    "serve": (
        ("serve",),
        "run the bot, delivery, scheduler and web server (polling by default)",
    ),
    "sandbox": (
        ("serve",),
        "try minqing without a token: the real bot, a built-in fake Telegram, three phones",
    ),
    "classify": (("nlp",), "classify a message into room and bureau (or evaluate on a file)"),
    "lexicon": (("nlp",), "build or check the keyword lexicon"),
    "bench": (("nlp", "bench"), "benchmarks"),
    "triage": (
        ("triage",),
        "train or cross-validate the learned danger model (severity, emergencies)",
    ),
    "apikey": (("web",), "create, list and revoke Open311 API keys"),
    "diary": (("web",), "the public-sentiment diary (民情日记)"),
    "report": (
        ("report",),
        "the monthly assessment per unit: scores, ranking, coverage, diary, residential files",
    ),
}

_DESCRIPTION = "民情 minqing — a district's mass-work network as a Telegram bot."


def _registrar(group: str) -> Registrar:
    module = importlib.import_module(f"bot.cli.{group}")
    register: Registrar = module.register
    return register


def _registrars(groups: Sequence[str] = GROUPS) -> list[Registrar]:
    return [_registrar(group) for group in groups]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the top-level parser.

    Args:
        command: Register only the groups this command needs, and every other
            command as a name with its help (what ``--help`` and an unknown
            command's error list). ``None`` registers every group fully.
    """
    parser = argparse.ArgumentParser(prog="minqing", description=_DESCRIPTION)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command is None:
        groups: Sequence[str] = GROUPS
    else:
        groups = COMMANDS[command][0] if command in COMMANDS else ()
    for register in _registrars(groups):
        register(subparsers)
    for name, (_, help_text) in COMMANDS.items():
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def _command_of(argv: Sequence[str]) -> str:
    """The command word of a command line (the first argument not an option); "" if none."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    # python-telegram-bot 22: take RetryAfter.retry_after as a timedelta already
    # (the future default; bot.runtime.delivery reads both forms).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args_in = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_of(args_in))
    args = parser.parse_args(args_in)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
