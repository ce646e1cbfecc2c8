"""``minqing classify``, ``minqing lexicon`` and ``minqing bench classify``.

``register(subparsers)`` adds the three subcommands to the top-level parser.
``bench`` has its own subcommands; other modules add theirs with
:func:`bench_subparsers` (call it after :func:`register`), e.g.::

    sub = cli_nlp.bench_subparsers().add_parser("outbox", help="...")
    sub.set_defaults(func=run_outbox_bench)

Each parser sets ``func`` to a callable taking the parsed arguments and
returning the exit code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli import learn as cli_learn
from bot.cli import weights as cli_weights
from bot.cli.nlp_bench import bench_messages, cmd_bench_classify
from bot.cli.nlp_classify import cmd_classify
from bot.cli.nlp_lexicon import cmd_lexicon_build, cmd_lexicon_check, load_lexicon_text_check

__all__ = [
    "bench_messages",
    "bench_subparsers",
    "cmd_bench_classify",
    "cmd_classify",
    "cmd_lexicon_build",
    "cmd_lexicon_check",
    "load_lexicon_text_check",
    "register",
]

_BENCH: list[Any] = []


def bench_subparsers() -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Return the subparsers of ``minqing bench`` so other modules can add targets.

    Raises:
        RuntimeError: If :func:`register` has not run yet.
    """
    if not _BENCH:
        raise RuntimeError("bot.cli.nlp.register() must run before bench_subparsers()")
    result: argparse._SubParsersAction[argparse.ArgumentParser] = _BENCH[-1]
    return result


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``classify``, ``lexicon`` and ``bench`` (with ``bench classify``).

    Args:
        subparsers: The top-level subparsers action.
    """
    p = subparsers.add_parser(
        "classify",
        help="classify a message into room and bureau (or evaluate on a file)",
        description="Classify TEXT, or one text per stdin line with --jsonl, or evaluate "
        "on a labelled file with --eval.",
    )
    p.add_argument("text", nargs="*", help="the message (words are joined by spaces)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read one text per stdin line, write one JSON object per line",
    )
    p.add_argument(
        "--eval",
        metavar="FILE",
        type=Path,
        help="evaluate on a labelled TSV: teddy format (id label title body) or "
        "a hand-written set (text room bureau [severity])",
    )
    p.add_argument(
        "--label-map",
        default="teddy",
        help="label map for --eval: a built-in name (teddy, rooms) or a file "
        "with 'label<TAB>room[/bureau]' lines (default: teddy)",
    )
    p.add_argument(
        "--split",
        default="heldout",
        help="rows of a teddy-format file to evaluate on: build, heldout (default, the "
        "30%% the lexicon was not built from) or all; for a bureau-level file "
        "(id bureau title body) a split file and part, e.g. "
        "tests/data/bureau_split.tsv:heldout",
    )
    p.add_argument(
        "--reference",
        action="store_true",
        help="with a bureau-level file and a split file: also print a plain TF-IDF + "
        "LinearSVC trained on the split's build rows (needs scikit-learn)",
    )
    p.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="with --eval, list up to N misrouted rows",
    )
    p.add_argument("--lexicon", type=Path, help="lexicon TOML (default: config/lexicon.toml)")
    p.set_defaults(func=cmd_classify)

    lx = subparsers.add_parser("lexicon", help="build or check the keyword lexicon")
    lsub = lx.add_subparsers(dest="lexicon_command", metavar="ACTION")
    b = lsub.add_parser(
        "build",
        help="mine weighted keywords from labelled messages",
        description="Mine keyword weights from the build split of a labelled "
        "TSV and write a complete lexicon (hand-written part of --base plus "
        "the mined part) for review.",
    )
    b.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="FILE.tsv",
        help="labelled messages, teddy format (id label title body)",
    )
    b.add_argument("--label-map", default="teddy", help="built-in name or file (default: teddy)")
    b.add_argument(
        "--split",
        default="build",
        choices=("build", "heldout", "all"),
        help="rows to mine from (default: build, 70%% by a stable hash of the id)",
    )
    b.add_argument(
        "--base",
        type=Path,
        help="lexicon whose hand-written part is kept (default: config/lexicon.toml)",
    )
    b.add_argument(
        "--bureau-rows",
        type=Path,
        metavar="FILE.tsv",
        help="also mine real messages labelled with a bureau (id bureau title body)",
    )
    b.add_argument(
        "--bureau-split",
        metavar="SPLIT.tsv:PART",
        help="with --bureau-rows: only the rows of this part of a split file "
        "(e.g. tests/data/bureau_split.tsv:build)",
    )
    b.add_argument("--out", type=Path, help="write here instead of standard output")
    b.set_defaults(func=cmd_lexicon_build)
    c = lsub.add_parser("check", help="load and validate a lexicon file")
    c.add_argument("path", nargs="?", type=Path, help="default: config/lexicon.toml")
    c.set_defaults(func=cmd_lexicon_check)
    cli_learn.register(lsub)
    cli_weights.register(lsub)
    lx.set_defaults(func=lambda _args: _usage(lx))

    bench = subparsers.add_parser("bench", help="benchmarks")
    bsub = bench.add_subparsers(dest="bench_target", metavar="TARGET")
    _BENCH.append(bsub)
    bc = bsub.add_parser(
        "classify",
        help="classifier speed, cold start and memory",
        description="Classification rate vs bare jieba.lcut on the same "
        "300-character messages, cold start in a fresh process, and peak "
        "RSS of a process that classified 10,000 messages.",
    )
    bc.add_argument("--messages", type=int, default=200, help="distinct messages (default 200)")
    bc.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    bc.add_argument(
        "--rss-count",
        type=int,
        default=10_000,
        help="messages classified before peak RSS is read (default 10000)",
    )
    bc.add_argument(
        "--cold-starts",
        type=int,
        default=5,
        help="fresh processes timed for the cold start (default 5)",
    )
    bc.add_argument("--out", type=Path, help="also write the figures as JSON here")
    bc.add_argument(
        "--instructions",
        action="store_true",
        help="instead of timing: instructions per message of bare jieba.lcut and of classify, "
        "counted by valgrind's callgrind in two processes (start-up not counted), and their "
        "ratio; a figure the machine's load does not move (a few minutes)",
    )
    bc.add_argument(
        "--cache-sim",
        action="store_true",
        help="with --instructions: also simulate the caches and give callgrind's cycle estimate",
    )
    bc.add_argument(
        "--callgrind-dir",
        type=Path,
        help="with --instructions: keep callgrind's output files here (for callgrind_annotate)",
    )
    bc.set_defaults(func=_bench_classify)
    bench.set_defaults(func=lambda _args: _usage(bench))


def _bench_classify(args: argparse.Namespace) -> int:
    """``bench classify``: timed, or with ``--instructions`` counted by callgrind."""
    if args.instructions:
        # Imported here: `minqing classify` and `--help` need none of subprocess or tempfile.
        from bot.cli.nlp_bench_instr import cmd_bench_instructions

        return cmd_bench_instructions(args)
    return cmd_bench_classify(args)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
