"""``minqing triage``: train and cross-validate the learned danger model.

* ``minqing triage train`` reads every labelled warning and emergency in the
  data directory (default ``tests/data``) and writes ``config/danger_model.json``
  (:mod:`nlp.danger_train`); ``--check`` writes nothing and fails when the
  shipped file differs from what training gives (the weights file is always
  what the data produce).
* ``minqing triage cv`` prints the leave-one-set-out figures: each group
  (every writer's set ``blind13a``–``y`` and ``train13a``–``c``, the probes,
  the development sets) scored by the shipped model's training less that group,
  thresholds included; for the rubric raised by the model and for the model
  alone, per set and pooled. ``--pooled`` adds a model trained on every
  writer's set (stop 33). The rubric's word lists were tuned on the blind sets'
  misses (in-sample there); the model-alone rows are the honest estimates.
* ``minqing triage letters-train`` trains the letter model (:mod:`nlp.letter_train`)
  from the labelled real letters and writes ``config/letter_model.json``;
  ``--check`` fails when the shipped file differs.
* ``minqing triage letters-cv`` prints its leave-one-set-out figures (each
  letter set scored by a model trained without it), before and after.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import REPO_ROOT

if TYPE_CHECKING:  # the training module loads only when a triage command runs
    from nlp.danger_eval import SetFigures

__all__ = ["register"]

_REPO = REPO_ROOT
DATA = _REPO / "tests" / "data"
_EVAL_CANDIDATES = (_REPO.parent / "shared" / "eval", _REPO.parent.parent / "shared" / "eval")
EVAL = next(
    (d for d in _EVAL_CANDIDATES if (d / "teddy2020-dev.tsv").is_file()), _EVAL_CANDIDATES[0]
)
"""The shared evaluation directory that holds the letters' texts."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``triage train``, ``cv``, ``letters-train`` and ``letters-cv``.

    Each action's description is its command's docstring.
    """
    p = subparsers.add_parser(
        "triage", help="train or cross-validate the learned danger model (severity, emergencies)"
    )
    actions = p.add_subparsers(dest="triage_command", metavar="ACTION", required=True)
    t = _action(
        actions, "train", cmd_train, "write config/danger_model.json from the labelled sets"
    )
    _writes(t, "config/danger_model.json")
    c = _action(actions, "cv", cmd_cv, "print leave-one-set-out figures per blind set")
    c.add_argument("-v", "--verbose", action="store_true", help="list what still fails")
    c.add_argument(
        "--pooled",
        action="store_true",
        help="also score a model trained on every writer's set (blind13a-y, train13a-c), "
        "each held out in turn (slow: about an hour on two shared cores)",
    )
    lt = _action(
        actions,
        "letters-train",
        cmd_letters_train,
        "write config/letter_model.json from the labelled real letters",
        letters=True,
    )
    _writes(lt, "config/letter_model.json")
    lc = _action(
        actions,
        "letters-cv",
        cmd_letters_cv,
        "print the letter model's leave-one-set-out figures",
        letters=True,
    )
    lc.add_argument("-v", "--verbose", action="store_true", help="list the letters raised")


def _action(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    func: Callable[[argparse.Namespace], int],
    help_: str,
    *,
    letters: bool = False,
) -> argparse.ArgumentParser:
    """One ``triage`` action running ``func`` (described by its docstring), with its
    ``--data`` directory, and with ``letters`` the directory of the letters' texts."""
    a = actions.add_parser(name, help=help_, description=func.__doc__)
    a.add_argument("--data", type=Path, default=DATA, help="data directory (default tests/data)")
    if letters:
        a.add_argument("--eval", type=Path, default=EVAL, help="directory of the letters' texts")
    a.set_defaults(func=func)
    return a


def _writes(action: argparse.ArgumentParser, default: str) -> None:
    """A training action's ``--out`` (the weights file, ``default``) and ``--check``."""
    action.add_argument("--out", type=Path, help=f"weights file (default {default})")
    action.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the file differs"
    )


def cmd_train(args: argparse.Namespace) -> int:
    """Train the danger model (naive Bayes over character n-grams) from every
    labelled warning and emergency, thresholds by leave-one-set-out, and write it."""
    from nlp.danger import MODEL_PATH
    from nlp.danger_train import train

    out: Path = args.out or MODEL_PATH
    text = train(args.data).to_json()
    return _write_or_check(out, text, args.check, "train", f"{text.count(chr(10)) - 5} n-grams")


def _write_or_check(out: Path, text: str, check: bool, action: str, size: str) -> int:
    """Write a trained model's ``text`` to ``out`` and say so (with its ``size``), or with
    ``check`` write nothing and exit 1 if ``out`` differs from what ``triage <action>`` gives."""
    if check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} differs from what `minqing triage {action}` gives", file=sys.stderr)
            return 1
        print(f"{out} is what training gives")
        return 0
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({size})")
    return 0


def _print_figures(title: str, figures: Sequence[SetFigures]) -> None:
    from nlp.danger_data import BLIND_SETS, STOP32_SETS
    from nlp.danger_eval import pooled

    print(title)
    print(
        "  set       exact  under  critical (below high)  danger recall  look-alike alarms"
        "  request alarms"
    )
    rows = list(figures)
    blind = [f for f in figures if f.name in BLIND_SETS]
    if len(blind) > 1:
        rows.append(pooled("all a-y+t", blind))
        rows.append(pooled("new h-y", [f for f in blind if f.name not in STOP32_SETS]))
    for f in rows:
        r = f.row()
        print(
            f"  {f.name:<9} {r['exact']:.3f}  {r['under']:.3f}  "
            f"{f.critical_hit}/{f.criticals} = {r['critical_recall']:.3f} ({f.critical_below_high})"
            f"    {f.danger_hit}/{f.danger} = {r['danger_recall']:.3f}"
            f"   {f.look_alike_alarms}/{f.look_alikes} = {r['false_alarms']:.3f}"
            f"     {f.false_alarms - f.look_alike_alarms}/{f.harmless - f.look_alikes}"
        )


def cmd_cv(args: argparse.Namespace) -> int:
    """Each blind set scored by a model trained without it (weights and
    thresholds): the rubric alone, the rubric raised by the model, the model alone."""
    from nlp.danger_data import BLIND_SETS, HELD_OUT_GROUPS, load_examples
    from nlp.danger_eval import evaluate, leave_one_set_out
    from nlp.danger_train import RawFits

    examples = load_examples(args.data)
    rubric = [evaluate(g, [e for e in examples if e.group == g], None) for g in HELD_OUT_GROUPS]
    fits: RawFits = {}  # the runs share weights fitted on the same groups
    _print_figures("rubric alone (word lists tuned on blind13a-y: in-sample there)", rubric)
    combined = leave_one_set_out(examples, fits=fits)
    alone = leave_one_set_out(examples, alone=True, fits=fits)
    _print_figures(
        "rubric raised by the shipped model, each set held out where it trained", combined
    )
    _print_figures("the shipped model alone, held out", alone)
    if args.pooled:
        combined = leave_one_set_out(examples, fits=fits, trained_on=BLIND_SETS)
        alone = leave_one_set_out(examples, alone=True, fits=fits, trained_on=BLIND_SETS)
        _print_figures(
            "rubric raised by a model of every writer's set, leave-one-set-out", combined
        )
        _print_figures("a model of every writer's set alone, leave-one-set-out", alone)
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


def cmd_letters_train(args: argparse.Namespace) -> int:
    """Train the letter model (logistic regression over structural features
    of real letters, thresholds leave-one-set-out) and write it."""
    from nlp.letter_model import LETTER_MODEL_PATH
    from nlp.letter_train import train as train_letters

    out: Path = args.out or LETTER_MODEL_PATH
    text = train_letters(args.data, args.eval).to_json()
    size = f"{text.count(chr(10)) - 6} features"
    return _write_or_check(out, text, args.check, "letters-train", size)


def _letter_row(name: str, f: dict[str, int]) -> str:
    return (
        f"  {name:<6} {f['n']:>4}  {f['exact'] / f['n']:.3f} ({f['exact']:>3})  {f['over']:>4}"
        f"  {f['under']:>3} = {f['under'] / f['n']:.3f}  {f['high_reached']:>2}/{f['high']:<2}"
        f"       {f['medium_reached']:>2}/{f['medium']:<2}       {f['low_raised']:>3}/{f['low']}"
    )


def cmd_letters_cv(args: argparse.Namespace) -> int:
    """Each letter set scored without and with a letter model trained
    (weights and thresholds) on the other sets."""
    from nlp.letter_train import PLUS_SETS, cross_validate, figures, load_letters

    sets = cross_validate(load_letters(args.data, args.eval))
    header = (
        "  set       n  exact        over  under          high>=high  medium>=medium  low raised"
    )
    for title, pick in (("without the letter model", 0), ("with it, leave-one-set-out", 1)):
        print(title)
        print(header)
        pooled: list[tuple[str, str]] = []
        for s in sets:
            pairs = s.before if pick == 0 else s.after
            pooled.extend(pairs)
            print(_letter_row(s.name, figures(pairs)))
        print(_letter_row("all", figures(pooled)))
        # The plus sets hold no low letter: the random samples alone price over-rating.
        random = [p for s in sets if s.name not in PLUS_SETS for p in (s.before, s.after)[pick]]
        print(_letter_row("random", figures(random)))
    if args.verbose:
        for s in sets:
            for key in s.raised:
                print(f"  raised  {s.name}  {key}")
    return 0
