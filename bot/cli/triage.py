"""``minqing triage``: train and cross-validate the learned danger model.

* ``minqing triage train`` reads every labelled warning and emergency in the
  data directory (default ``tests/data``) and writes ``config/danger_model.json``
  (:mod:`nlp.danger_train`); ``--check`` writes nothing and fails when the
  shipped file differs from what training gives (the weights file is always
  what the data produce).
* ``minqing triage cv`` prints the leave-one-set-out figures: each group
  (blind sets ``blind13a``–``g``, training sets ``train13a``–``c``, the probes,
  the development sets) scored by a model trained, thresholds included,
  without it; for the rubric raised by the model and for the model alone.
  The rubric's word lists were tuned on ``blind13a``–``g`` (in-sample there);
  the ``train13b`` rows and the model-alone rows are the honest estimates.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import REPO_ROOT

if TYPE_CHECKING:  # the training module loads only when a triage command runs
    from nlp.danger_eval import SetFigures

__all__ = ["register"]

_REPO = REPO_ROOT
DATA = _REPO / "tests" / "data"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``triage train`` and ``triage cv``."""
    p = subparsers.add_parser(
        "triage", help="train or cross-validate the learned danger model (severity, emergencies)"
    )
    actions = p.add_subparsers(dest="triage_command", metavar="ACTION", required=True)
    t = actions.add_parser(
        "train",
        help="write config/danger_model.json from the labelled sets",
        description="Train the danger model (naive Bayes over character n-grams) from every "
        "labelled warning and emergency, thresholds by leave-one-set-out, and write it.",
    )
    t.add_argument("--data", type=Path, default=DATA, help="data directory (default tests/data)")
    t.add_argument("--out", type=Path, help="weights file (default config/danger_model.json)")
    t.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file differs")
    t.set_defaults(func=cmd_train)
    c = actions.add_parser(
        "cv",
        help="print leave-one-set-out figures per blind set",
        description="Each blind set scored by a model trained without it (weights and "
        "thresholds): the rubric alone, the rubric raised by the model, the model alone.",
    )
    c.add_argument("--data", type=Path, default=DATA, help="data directory (default tests/data)")
    c.add_argument("-v", "--verbose", action="store_true", help="list what still fails")
    c.set_defaults(func=cmd_cv)


def cmd_train(args: argparse.Namespace) -> int:
    """Train and write (or check) the weights file."""
    from nlp.danger import MODEL_PATH
    from nlp.danger_train import train

    out: Path = args.out or MODEL_PATH
    text = train(args.data).to_json()
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} differs from what `minqing triage train` gives", file=sys.stderr)
            return 1
        print(f"{out} is what training gives")
        return 0
    out.write_text(text, encoding="utf-8")
    lines = text.count("\n") - 5
    print(f"wrote {out} ({lines} n-grams)")
    return 0


def _print_figures(title: str, figures: Sequence[SetFigures]) -> None:
    print(title)
    print(
        "  set       exact  under  critical (below high)  danger recall  look-alike alarms"
        "  request alarms"
    )
    for f in figures:
        r = f.row()
        print(
            f"  {f.name:<9} {r['exact']:.3f}  {r['under']:.3f}  "
            f"{f.critical_hit}/{f.criticals} = {r['critical_recall']:.3f} ({f.critical_below_high})"
            f"    {f.danger_hit}/{f.danger} = {r['danger_recall']:.3f}"
            f"   {f.look_alike_alarms}/{f.look_alikes} = {r['false_alarms']:.3f}"
            f"     {f.false_alarms - f.look_alike_alarms}/{f.harmless - f.look_alikes}"
        )


def cmd_cv(args: argparse.Namespace) -> int:
    """Print the leave-one-set-out figures."""
    from nlp.danger_data import HELD_OUT_GROUPS, load_examples
    from nlp.danger_eval import evaluate, leave_one_set_out
    from nlp.danger_train import RawFits

    examples = load_examples(args.data)
    rubric = [evaluate(g, [e for e in examples if e.group == g], None) for g in HELD_OUT_GROUPS]
    fits: RawFits = {}  # the two runs fit the same weights; only thresholds differ
    combined = leave_one_set_out(examples, fits=fits)
    alone = leave_one_set_out(examples, alone=True, fits=fits)
    _print_figures("rubric alone (word lists tuned on blind13a-g: in-sample there)", rubric)
    _print_figures("rubric raised by the model, leave-one-set-out", combined)
    _print_figures("model alone, leave-one-set-out", alone)
    if args.verbose:
        for f in combined:
            print(f"== {f.name}: still failing (rubric + model)")
            for t in f.under_rated:
                print(f"  under-rated  {t}")
            for t in f.misses:
                print(f"  missed       {t}")
            for t in f.alarms:
                print(f"  false alarm  {t}")
    return 0
