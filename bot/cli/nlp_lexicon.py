"""``minqing lexicon build`` and ``minqing lexicon check``.

Registered by :mod:`bot.cli.nlp`; heavy imports stay inside the functions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["cmd_lexicon_build", "cmd_lexicon_check", "load_lexicon_text_check"]


def cmd_lexicon_build(args: argparse.Namespace) -> int:
    """Run ``minqing lexicon build``."""
    from nlp.dataset import load_label_map
    from nlp.lexicon import LEXICON_PATH, LexiconError, load_lexicon
    from nlp.mine import build_from_file

    base = args.base or LEXICON_PATH
    for what, path in (("--from", args.source), ("--base", base)):
        if not Path(path).is_file():
            print(f"error: {what} {path}: no such file", file=sys.stderr)
            return 1
    try:
        label_map = load_label_map(args.label_map)
        extra, extra_source = _bureau_rows(args.bureau_rows, args.bureau_split)
        text = build_from_file(
            args.source,
            label_map,
            args.split,
            base,
            progress=lambda m: print(m, file=sys.stderr),
            extra=extra,
            extra_source=extra_source,
        )
        load_lexicon_text_check(text, str(args.out or "<output>"))
    except (ValueError, OSError, LexiconError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        lex = load_lexicon(args.out)
        print(f"wrote {args.out}: {len(lex.terms)} mined terms", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _bureau_rows(path: Path | None, split: str | None) -> tuple[list[Any], str]:
    """Bureau-labelled rows for mining, and their description for ``[mined] source``."""
    from nlp.dataset import LabelledMessage
    from nlp.evaluate import read_bureau_set, read_split, room_of_bureau

    if path is None:
        return [], ""
    only: set[str] | None = None
    shown = "all rows"
    if split:
        split_file, _, part = split.rpartition(":")
        only = {i for i, p in read_split(Path(split_file)).items() if p == part}
        shown = f"{part} part"
    rows = [
        LabelledMessage(c.id, c.bureau, room_of_bureau(c.bureau), c.bureau, c.text)
        for c in read_bureau_set(path, only)
    ]
    return rows, f"{path.name} {shown}"


def load_lexicon_text_check(text: str, source: str) -> None:
    """Validate lexicon text (raises :class:`nlp.lexicon.LexiconError`)."""
    import tomllib

    from nlp.lexicon import LexiconError, parse_lexicon

    try:
        parse_lexicon(tomllib.loads(text), source)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{source}: not valid TOML: {exc}") from exc


def cmd_lexicon_check(args: argparse.Namespace) -> int:
    """Run ``minqing lexicon check``."""
    from nlp.lexicon import LexiconError, load_lexicon

    try:
        lex = load_lexicon(args.path)
    except LexiconError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    hand = sum(len(k) for k in lex.bureau_keywords.values())
    print(
        f"{lex.source}: ok — {hand} bureau keywords, {len(lex.rules)} rules, "
        f"{len(lex.terms)} mined terms"
    )
    return 0
