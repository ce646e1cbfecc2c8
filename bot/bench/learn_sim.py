"""What learning from corrections would do: a simulation on labelled real messages (issue 14).

The build rows of a bureau-level file (id, bureau, title, body) play the district's
corrections (each one "corrected" to its labelled bureau), :func:`nlp.learn.propose`
makes the overlay, and the held-out rows and the fixed sets are scored before and
after::

    python -m bot.bench.learn_sim ../shared/eval/teddy2020-bureau-dev.tsv \\
        --split tests/data/bureau_split.tsv
"""

from __future__ import annotations

import argparse
import csv
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import REPO_ROOT
from nlp import classify
from nlp.evaluate import evaluate, read_hand_set
from nlp.learn import Correction, propose
from nlp.lexicon import BUREAUS, Lexicon, load_lexicon, merge_overlay, parse_lexicon

_REPO = REPO_ROOT
_SETS = (_REPO / "tests/data/citizen_messages.tsv", _REPO / "tests/data/warnings.tsv")
_ROOM_OF = {b: r for r, bs in BUREAUS.items() for b in bs}


def _rows(path: Path) -> list[list[str]]:
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r for r in rows[1:] if len(r) >= 4 and r[1] in _ROOM_OF]


def _accuracy(rows: Sequence[list[str]], lex: Lexicon) -> float:
    right = sum(classify(f"{r[2]}\n{r[3]}", lex).bureau == r[1] for r in rows)
    return right / len(rows) if rows else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    """Print the simulation's figures."""
    parser = argparse.ArgumentParser(prog="python -m bot.bench.learn_sim")
    parser.add_argument("data", type=Path, help="bureau-level TSV: id, bureau, title, body")
    parser.add_argument("--split", type=Path, required=True, help="TSV: id, bureau, part")
    parser.add_argument("--max-per-target", type=int, default=5)
    args = parser.parse_args(argv)
    with args.split.open(encoding="utf-8", newline="") as handle:
        part = {r[0]: r[2] for r in csv.reader(handle, delimiter="\t") if len(r) >= 3}
    rows = _rows(args.data)
    build = [r for r in rows if part.get(r[0]) == "build"]
    held = [r for r in rows if part.get(r[0]) == "heldout"]
    lex = load_lexicon()
    base: dict[str, Any] = dict(lex.raw)
    base["terms"] = {
        t: {**w, **({"idf": lex.term_idf[t]} if t in lex.term_idf else {})}
        for t, w in lex.terms.items()
    }
    hand = {p.name: read_hand_set(p) for p in _SETS}
    corrections = []
    for r in build:
        text = f"{r[2]}\n{r[3]}"
        c = classify(text, lex)
        corrections.append(Correction(text, c.room, c.bureau, _ROOM_OF[r[1]], r[1]))
    proposal = propose(
        corrections,
        base,
        "",
        [c.text for cs in hand.values() for c in cs],
        max_per_target=args.max_per_target,
        guard=[Correction(c.text, "", "", c.room, c.bureau) for cs in hand.values() for c in cs],
    )
    after = parse_lexicon(merge_overlay(base, tomllib.loads(proposal.overlay_after)), "<after>")
    weight = proposal.rules[0].weight if proposal.rules else 0.0
    print(
        f"corrections (build rows): {proposal.total}, routed right before "
        f"{proposal.right_before}, after {proposal.right_after}; "
        f"{len(proposal.rules)} rule(s), weight {weight:g}"
    )
    print(
        f"held-out bureau accuracy (n={len(held)}): before {_accuracy(held, lex):.3f}, "
        f"after {_accuracy(held, after):.3f}"
    )
    for name, cases in hand.items():
        b, a = evaluate(cases, lex), evaluate(cases, after)
        print(
            f"{name}: bureau {b.bureau_accuracy or 0:.3f} -> {a.bureau_accuracy or 0:.3f}, "
            f"room {b.accuracy:.3f} -> {a.accuracy:.3f}"
        )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
