"""``minqing lexicon weights``: train the learnt bureau word weights offline (issue 14).

Needs scikit-learn (``pip install -e '.[bench]'``); the table it writes,
``config/bureau_weights.toml``, is read at runtime without it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

__all__ = ["register"]


def register(lexicon_actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``weights`` to the actions of ``minqing lexicon``."""
    p = lexicon_actions.add_parser(
        "weights",
        help="train the learnt bureau word weights (config/bureau_weights.toml)",
        description="Fit a logistic regression over jieba words on real bureau-labelled "
        "messages and hand-written sets, its combination with the lexicon and an isotonic "
        "calibration by cross-validation; print the cross-validated figures and write "
        "the table for review.",
    )
    p.add_argument("--bureau-rows", type=Path, required=True, metavar="FILE.tsv")
    p.add_argument(
        "--bureau-split",
        required=True,
        metavar="SPLIT.tsv:PART",
        help="only these rows of --bureau-rows (e.g. tests/data/bureau_split.tsv:build)",
    )
    p.add_argument(
        "--sets", type=Path, nargs="*", default=[], help="text/room/bureau files (probes)"
    )
    p.add_argument(
        "--score-sets",
        type=Path,
        nargs="*",
        default=[],
        help="sets only scored, as the table trained on the rest answers them (not trained on)",
    )
    p.add_argument(
        "--leave-one-writer-out",
        action="store_true",
        help="every probe's writer gets a cross-validation fold of its own (the other sets "
        "stay dealt into five folds), so that each probe's figures are leave-one-writer-out",
    )
    p.add_argument(
        "--cv-lexicon",
        action="append",
        default=[],
        metavar="FOLDS.tsv:PART=LEXICON.toml",
        help="real rows of this part are scored in cross-validation by this lexicon "
        "(one mined without them); repeatable",
    )
    p.add_argument(
        "--contest",
        type=Path,
        metavar="FILE.tsv",
        help="also the build split of a contest file (teddy format, room labels: a room's "
        "default bureau stands for it)",
    )
    p.add_argument("--contest-weight", type=float, default=0.3, help="sample weight of a row")
    p.add_argument(
        "--contest-rooms",
        default="legal,livelihood,social,urban",
        help="only the contest rows of these rooms (comma-separated)",
    )
    p.add_argument("--real-weight", type=float, default=3.0, help="sample weight of a real row")
    p.add_argument(
        "--calibrate-on",
        nargs="*",
        metavar="SET",
        help="fit the confidence map only on the cross-validated answers of these sets (file "
        "stems as in --sets, 'real' for the real rows): sets no vocabulary was written from; "
        "default all",
    )
    p.add_argument("--c", dest="c_reg", type=float, default=30.0, help="inverse L2 strength")
    p.add_argument("--min-idf", type=float, default=2.5, help="commoner words are no feature")
    p.add_argument("--lexicon-weight", type=float, default=0.5)
    p.add_argument("--learnt-weight", type=float, default=2.0)
    p.add_argument(
        "--room-weight",
        type=float,
        default=1.5,
        help="factor of the lexicon's log-probability of the room, added (the contest's say)",
    )
    p.add_argument("--rule-weight", type=float, default=2.0, help="factor of the rules, again")
    p.add_argument("--lexicon", type=Path, help="lexicon combined with (default: packaged)")
    p.add_argument("--out", type=Path, help="write here instead of standard output")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the table trained differs from --out's",
    )
    p.set_defaults(func=cmd_lexicon_weights)


def cmd_lexicon_weights(args: argparse.Namespace) -> int:
    """Run ``minqing lexicon weights``."""
    from nlp.evaluate import read_bureau_set, read_split
    from nlp.lexicon import Lexicon, LexiconError, default_lexicon, load_lexicon
    from nlp.weights_report import weights_toml
    from nlp.weights_train import TrainRow, fit_weights, lexicon_probs, set_group

    try:
        calibrate_on = set(args.calibrate_on) if args.calibrate_on is not None else None
        known = {p.stem for p in args.sets} | {"real"}
        if calibrate_on is not None and calibrate_on - known:
            raise ValueError(
                f"--calibrate-on names no set: {', '.join(sorted(calibrate_on - known))}"
            )
        lex = load_lexicon(args.lexicon) if args.lexicon else default_lexicon()
        split_file, _, part = str(args.bureau_split).rpartition(":")
        only = {i for i, p in read_split(Path(split_file)).items() if p == part}
        cases = read_bureau_set(args.bureau_rows, only)
        cv: dict[str, Lexicon] = {}
        for spec in args.cv_lexicon:
            where, _, lex_path = spec.partition("=")
            folds_file, _, fold = where.rpartition(":")
            fold_lex = load_lexicon(Path(lex_path))
            for row_id, p in read_split(Path(folds_file)).items():
                if p == fold:
                    cv[row_id] = fold_lex
        rows: list[TrainRow] = []
        for c in cases:
            other = cv.get(c.id)
            probs = lexicon_probs(c.text, other)[1] if other is not None else None
            real_cal = calibrate_on is None or "real" in calibrate_on
            rows.append(
                TrainRow(c.text, c.bureau, "real", args.real_weight, probs, calibrate=real_cal)
            )
        if args.check and args.out is None:
            raise ValueError("--check needs --out (the table to compare)")
        scored = [(p, True) for p in args.sets] + [(p, False) for p in args.score_sets]
        for path, train in scored:
            cal = calibrate_on is None or path.stem in calibrate_on
            source = path.stem if train else f"{path.stem} (not trained)"
            with path.open(encoding="utf-8", newline="") as handle:
                for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                    if r.get("bureau"):
                        rows.append(
                            TrainRow(
                                r["text"],
                                r["bureau"],
                                source,
                                group=set_group(path.stem),
                                calibrate=cal,
                                train=train,
                            )
                        )
        if args.contest:
            from nlp.dataset import load_label_map, read_labelled

            for m in read_labelled(args.contest, load_label_map("teddy"), "build"):
                if m.room not in lex.default_bureau or m.room not in args.contest_rooms.split(","):
                    continue  # a label with no room in this district
                bureau = m.bureau or lex.default_bureau[m.room]
                rows.append(TrainRow(m.text, bureau, "contest", args.contest_weight))
        fit = fit_weights(
            rows,
            lex,
            c_reg=args.c_reg,
            min_idf=args.min_idf,
            lexicon_weight=args.lexicon_weight,
            learnt_weight=args.learnt_weight,
            rule_weight=args.rule_weight,
            room_weight=args.room_weight,
            own_fold=(lambda g: g.startswith("probe_")) if args.leave_one_writer_out else None,
            progress=lambda m: print(m, file=sys.stderr),
        )
    except (ValueError, OSError, LexiconError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"error: {exc} (pip install -e '.[bench]')", file=sys.stderr)
        return 1
    shown = f"{args.bureau_rows.name} {part} part ({len(cases)} rows, weight {args.real_weight})"
    sets = ", ".join(p.name for p in args.sets)
    if args.contest:
        rooms, weight = args.contest_rooms, args.contest_weight
        sets += f"; {args.contest.name} build split (rooms {rooms}, weight {weight})"
    how = f"C = {args.c_reg}, min idf {args.min_idf}"
    if args.calibrate_on is not None:
        how += "; calibrated on " + ", ".join(args.calibrate_on)
    if args.leave_one_writer_out:
        how += "; cross-validated leave-one-writer-out for every probe"
    if args.score_sets:
        how += "; scored only (not trained on): " + ", ".join(p.name for p in args.score_sets)
    text = weights_toml(fit, f"{shown}; {sets}; {how}")
    print("\n".join(fit.report))
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'as trained' if same else 'differs from the table trained'}")
        return 0 if same else 1
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}: {len(fit.words)} words", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
