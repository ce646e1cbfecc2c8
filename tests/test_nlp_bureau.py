"""Routing real messages to bureaus (issue 14): metrics, and the level reached.

The 304 judged real messages (``teddy2020-bureau-dev.tsv`` in the shared
evaluation folder) were split before any change into a build half and a
held-out half (``tests/data/bureau_split.tsv``). The lexicon was mined and
tuned on the build half only; the held-out half was scored at the start and
at the end. The thresholds below guard the level reached on it (see
docs/classifier.md for the targets that were missed).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bot.cli import nlp as cli_nlp
from nlp.evaluate import (
    BureauReport,
    bureau_report,
    evaluate_bureaus,
    read_bureau_set,
    read_split,
    room_of_bureau,
)

REPO = Path(__file__).resolve().parents[1]
SPLIT = REPO / "tests" / "data" / "bureau_split.tsv"


def _probe(name: str) -> tuple[int, int, int, list[bool]]:
    """A probe set's rows, rooms right, bureaus right, and whether each answer given with
    confidence >= 0.8 was the right bureau."""
    import csv

    from nlp.classify import classify

    with (REPO / "tests" / "data" / name).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    pairs = [(classify(r["text"]), r) for r in rows]
    return (
        len(rows),
        sum(c.room == r["room"] for c, r in pairs),
        sum(c.bureau == r["bureau"] for c, r in pairs),
        [c.bureau == r["bureau"] for c, r in pairs if c.confidence >= 0.8],
    )


_CANDIDATES = [REPO.parent / "shared" / "eval", REPO.parent.parent / "shared" / "eval"]
EVAL_DIR = next((d for d in _CANDIDATES if (d / "teddy2020-bureau-dev.tsv").is_file()), None)
needs_data = pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")

# The level reached on the held-out half (docs/classifier.md). Stop 23 (branch i14c: duty
# families, the lexicon re-mined, the weights retrained with probe I; scored once, at the
# end): bureau 139/155, room 142/155, macro recall 0.858, police 44/48, planning 14/16,
# land 12/15, education 8/10, confidence >= 0.8: 114/119 right (0.958). Fourth and fifth
# stop: bureau 136, room 140, macro recall 0.837, land 11/15, 115/120 (0.958).
BUREAU_REACHED = 0.89
ROOM_REACHED = 0.91
MACRO_RECALL_REACHED = 0.85
RECALL_REACHED = {"police": 0.91, "planning": 0.87, "land": 0.8, "education": 0.8}
CONFIDENT_REACHED = 0.95


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="minqing")
    cli_nlp.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_report_counts_bureaus_rooms_recall_and_confident_answers() -> None:
    answers = [
        ("police", "police", 0.95, False),
        ("police", "construction", 0.9, False),  # wrong room, confidently
        ("planning", "construction", 0.5, True),  # right room, wrong bureau
        ("land", "unknown", 0.0, True),
    ]
    report = bureau_report(answers)
    assert report.n == 4
    assert report.bureau_accuracy == pytest.approx(0.25)
    assert report.room_accuracy == pytest.approx(0.5)
    assert report.per_bureau == {"police": (2, 1), "planning": (1, 0), "land": (1, 0)}
    assert report.macro_recall == pytest.approx((0.5 + 0 + 0) / 3)
    assert report.confident_n == 2 and report.confident_precision == pytest.approx(0.5)
    assert report.confusion[("police", "construction")] == 1
    assert report.unsure == 2
    # Reliability: [0, .5) holds the unknown (conf 0, wrong): gap 0; [.5, .6) conf .5,
    # wrong: gap .5; [.9, .95) conf .9 wrong: gap .9; [.95, 1] conf .95 right: gap .05.
    assert report.ece == pytest.approx((0 + 0.5 + 0.9 + 0.05) / 4)


def test_room_of_bureau() -> None:
    assert room_of_bureau("police") == "general"
    assert room_of_bureau("justice") == "legal"
    with pytest.raises(ValueError):
        room_of_bureau("mayor")


def test_split_was_made_by_bureau_and_covers_both_parts() -> None:
    parts = read_split(SPLIT)
    assert len(parts) == 304
    assert sum(p == "heldout" for p in parts.values()) == 155


@pytest.fixture(scope="module")
def heldout() -> BureauReport:
    assert EVAL_DIR is not None
    parts = read_split(SPLIT)
    cases = read_bureau_set(
        EVAL_DIR / "teddy2020-bureau-dev.tsv", {i for i, p in parts.items() if p == "heldout"}
    )
    return evaluate_bureaus(cases)


@needs_data
def test_heldout_real_messages_keep_the_level_reached(heldout: BureauReport) -> None:
    # Issue 14's targets are bureau 0.85 and room 0.90: reached at the fourth stop.
    # Baseline before the change: bureau 0.535, room 0.600.
    assert heldout.n == 155
    assert heldout.bureau_accuracy >= BUREAU_REACHED, heldout.bureau_accuracy
    assert heldout.room_accuracy >= ROOM_REACHED, heldout.room_accuracy
    assert heldout.macro_recall >= MACRO_RECALL_REACHED, heldout.macro_recall


@needs_data
def test_heldout_every_bureau_with_five_rows_is_recognised_at_least_six_times_in_ten(
    heldout: BureauReport,
) -> None:
    # Issue 14: no bureau with recall below 0.6 where it has >= 5 rows (land was 8/15).
    for bureau, (n, right) in heldout.per_bureau.items():
        if n >= 5:
            assert right / n >= 0.6, f"{bureau} recall {right}/{n}"


@needs_data
def test_heldout_police_planning_and_land_are_recognised(heldout: BureauReport) -> None:
    # Baseline: police 10/48, planning 10/16, land 3/15.
    for bureau, floor in RECALL_REACHED.items():
        n, right = heldout.per_bureau[bureau]
        assert right / n >= floor, f"{bureau} recall {right}/{n}"


@needs_data
def test_heldout_confident_answers_are_mostly_right(heldout: BureauReport) -> None:
    # Target 0.95 for confidence >= 0.8 (reached at the fourth stop); baseline 0.647.
    assert heldout.confident_precision is not None
    assert heldout.confident_precision >= CONFIDENT_REACHED, heldout.confident_precision


@needs_data
def test_cli_eval_on_a_bureau_file_with_a_split_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert EVAL_DIR is not None
    path = EVAL_DIR / "teddy2020-bureau-dev.tsv"
    assert run(["classify", "--eval", str(path), "--split", f"{SPLIT}:build"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^rows scored: 149$", out, re.M)
    for label in ("bureau accuracy", "room accuracy", "macro recall over bureaus"):
        assert re.search(rf"^{label}[^:]*: [01]\.\d{{4}}$", out, re.M), label
    assert re.search(r"^police\s+48\s+\d+\s+[0-9.]+$", out, re.M)
    assert "most frequent confusions" in out
    assert "expected calibration error" in out
    assert re.search(r"answers with confidence >= 0.8: \d+, right", out)


def test_probe_f_is_recognised_at_the_level_reached_now_that_it_is_training_data() -> None:
    """Issue 14's blind probe F was scored once unseen: 0.772 room, 0.706 bureau. Since the
    third stop it is tuning and training data of the learnt bureau weights (tests/data/README.md):
    cross-validated 0.867 / 0.822, in-sample (this test) 0.956 / 0.939; since the fourth stop
    (room_weight: the lexicon keeps more say over the room) cross-validated 0.867 / 0.850,
    in-sample 170/180 room and bureau (0.944). It guards only that the table keeps what it
    learnt; the unseen estimate is probe H, scored by the lead."""
    import csv

    from nlp.classify import classify

    path = Path(__file__).parent / "data" / "probe_f_citizen_messages.tsv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    got = [classify(r["text"]) for r in rows]
    room = sum(c.room == r["room"] for c, r in zip(got, rows, strict=True)) / len(rows)
    bureau = sum(c.bureau == r["bureau"] for c, r in zip(got, rows, strict=True)) / len(rows)
    assert len(rows) == 180
    assert room >= 0.94 and bureau >= 0.94


def test_probe_g_stays_at_least_where_it_was_scored() -> None:
    """Issue 14's blind probe G (200 messages, stop 20) was scored once unseen on the merged
    classifier: room 0.905, bureau 0.880, answers at confidence ≥ 0.8 right 150/156 (targets
    0.93 / 0.90 / 0.95: room and bureau missed). Before the learnt weights (main at a7cc243) it
    scored 0.820 / 0.775. Since the fourth stop it is training data of the learnt weights
    (leave-one-probe-out 0.900 / 0.875; in-sample 192 / 191, 174 of 176 sure answers right):
    this guards the unseen level, which the in-sample figure must not fall below."""
    rows, room, bureau, sure = _probe("probe_g_citizen_messages.tsv")
    assert rows == 200
    assert room >= 181
    assert bureau >= 176
    assert sum(sure) / len(sure) >= 0.95


def test_probe_h_stays_at_least_where_it_was_scored_unseen() -> None:
    """Issue 14's blind probe H (220 messages, stop 21, written by a helper who saw only
    DESIGN.md and the seed) was scored on main dafb49a before any change of stop 21 (room 0.945,
    bureau 0.905, confidence ≥ 0.8 right 172/180) and once, unseen, on the merged classifier of
    stop 21: room 208/220 = 0.945, bureau 202/220 = 0.918, confidence ≥ 0.8 right 178/182
    (targets 0.93 / 0.90 / 0.95: met). Since stop 22 it is training data for the learnt bureau
    weights (in-sample now: room 216, bureau 215, confidence >= 0.8 right 205/207); this still
    guards the unseen level. Probe I below is the current unseen estimate."""
    rows, room, bureau, sure = _probe("probe_h_citizen_messages.tsv")
    assert rows == 220
    assert room >= 208
    assert bureau >= 202
    assert sum(sure) / len(sure) >= 0.95


def test_probe_i_stays_at_least_where_it_was_scored_unseen() -> None:
    """Issue 14's blind probe I (220 messages, stop 22, written by a helper who saw only
    DESIGN.md, the seed and the issue, never the lexicon or another probe) was scored on main
    ef5cc2f before any change of stop 22 (room 208, bureau 199, confidence >= 0.8 right
    183/190) and once, unseen, on the merged classifier of stop 22 (0995a54): room 208/220 =
    0.945, bureau 199/220 = 0.905, confidence >= 0.8 right 189/196 = 0.964 (targets 0.93 /
    0.90 / 0.95: met). Since stop 23 (branch i14c) it is tuning and training data of the duty
    rules and the learnt weights (the trainer's five folds: bureau 0.93, room 0.97; in-sample
    about 218 / 218): this still guards the unseen level, which the in-sample figure must not
    fall below. The unseen estimate now is the lead's fresh blind probe."""
    rows, room, bureau, sure = _probe("probe_i_citizen_messages.tsv")
    assert rows == 220
    assert room >= 208
    assert bureau >= 199
    assert sum(sure) >= 189 and sum(sure) / len(sure) >= 0.95


def test_probe_k_keeps_the_level_it_was_tuned_to() -> None:
    """Issue 14's blind probe K (240 messages, stop 24, written by a helper who saw only
    DESIGN.md, the seed and the issue, never the lexicon or another probe; about half name no
    office) was scored on main 5b259e8 before any change of stop 24 (room 218, bureau 215,
    confidence >= 0.8 right 197/203) and once, unseen, on the merged classifier of stop 24
    (1c56867): room 218/240 = 0.908 (target 0.93: missed), bureau 214/240 = 0.892 (target 0.90:
    missed), confidence >= 0.8 right 197/203 = 0.970 (met).

    Since stop 25 (branch i14f) it is TUNED ON: its misses were read and fixed by duty words
    and rules (docs/classifier.md, "Stop 25"), giving room 239, bureau 239, confidence >= 0.8
    right 212/213 in-sample. Those figures are no estimate of unseen traffic any more; this
    guards the tuned level with two rows of slack. The unseen estimate needs a fresh probe."""
    rows, room, bureau, sure = _probe("probe_k_citizen_messages.tsv")
    assert rows == 240
    assert room >= 237
    assert bureau >= 237
    assert sum(sure) >= 208 and sum(sure) / len(sure) >= 0.95
