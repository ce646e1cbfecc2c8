"""Quality guard on the hand-written sets (tests/data), written before tuning.

Thresholds are the product requirements: room accuracy ≥ 90 %, bureau
accuracy ≥ 85 % over the citizen messages and warnings together, warning
severity exact ≥ 80 %, and a calibrated confidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.evaluate import EvalReport, HandCase, evaluate, read_hand_set
from nlp.lexicon import BUREAUS

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def citizens() -> list[HandCase]:
    return read_hand_set(DATA / "citizen_messages.tsv")


@pytest.fixture(scope="module")
def warnings() -> list[HandCase]:
    return read_hand_set(DATA / "warnings.tsv")


@pytest.fixture(scope="module")
def report(citizens: list[HandCase], warnings: list[HandCase]) -> EvalReport:
    return evaluate([*citizens, *warnings])


def test_sets_are_large_and_cover_every_room_and_bureau(
    citizens: list[HandCase], warnings: list[HandCase]
) -> None:
    assert len(citizens) >= 150
    assert len(warnings) >= 40
    for case in [*citizens, *warnings]:
        assert case.bureau in BUREAUS[case.room], case
    covered = {(c.room, c.bureau) for c in citizens}
    expected = {(room, bureau) for room, bureaus in BUREAUS.items() for bureau in bureaus}
    assert covered == expected
    assert {w.severity for w in warnings} == {"low", "medium", "high", "critical"}


def test_room_accuracy_at_least_90_percent(report: EvalReport) -> None:
    assert report.accuracy >= 0.90, f"room accuracy {report.accuracy:.3f}"


def test_bureau_accuracy_at_least_85_percent(report: EvalReport) -> None:
    assert report.bureau_accuracy is not None
    assert report.bureau_accuracy >= 0.85, f"bureau accuracy {report.bureau_accuracy:.3f}"


def test_every_room_is_recognised(report: EvalReport) -> None:
    for room, (_precision, recall, _f1, support) in report.per_room.items():
        assert support > 0
        assert recall >= 0.75, f"{room} recall {recall:.2f}"


def test_warning_severity_exact_at_least_80_percent(warnings: list[HandCase]) -> None:
    severity = evaluate(warnings).severity_accuracy
    assert severity is not None and severity >= 0.80, f"severity exact {severity}"


def test_confidence_is_calibrated(report: EvalReport) -> None:
    assert report.ece < 0.08, f"expected calibration error {report.ece:.3f}"
    confident = [row for row in report.calibration if row[0] >= 0.9]
    total = sum(row[2] for row in confident)
    right = sum(row[2] * row[4] for row in confident)
    assert total >= 50
    assert right / total >= 0.9


@pytest.mark.parametrize(
    ("probe", "room", "bureau"),
    [
        ("probe_a", 0.90, 0.88),
        ("probe_b", 0.90, 0.88),
        ("probe_c", 0.86, 0.83),
        ("probe_d", 0.90, 0.90),
    ],
)
def test_tuned_probes_keep_the_level_reached(probe: str, room: float, bureau: float) -> None:
    """Probes written blind to the lexicon and then tuned on (tests/data/README.md)."""
    report = evaluate(
        [
            *read_hand_set(DATA / f"{probe}_citizen_messages.tsv"),
            *read_hand_set(DATA / f"{probe}_warnings.tsv"),
        ]
    )
    assert report.accuracy >= room, f"room accuracy {report.accuracy:.3f}"
    assert report.bureau_accuracy is not None
    assert report.bureau_accuracy >= bureau, f"bureau accuracy {report.bureau_accuracy:.3f}"
