"""Evaluation of the classifier: accuracy, macro-F1, confusion, calibration.

Used by ``minqing classify --eval`` and by the tests.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from nlp.bureau_eval import (
    CONFIDENT,
    BureauCase,
    BureauReport,
    bureau_report,
    evaluate_bureaus,
    format_bureau_report,
    is_bureau_file,
    read_bureau_set,
    read_split,
    room_of_bureau,
)
from nlp.classify import UNKNOWN, UNSURE_BELOW, classify
from nlp.dataset import EXCLUDED, LabelledMessage
from nlp.lexicon import ROOMS, Lexicon

__all__ = [
    "CONFIDENT",
    "BureauCase",
    "BureauReport",
    "EvalReport",
    "HandCase",
    "bureau_report",
    "evaluate",
    "evaluate_bureaus",
    "format_bureau_report",
    "format_report",
    "is_bureau_file",
    "read_bureau_set",
    "read_hand_set",
    "read_split",
    "room_of_bureau",
]

_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)


@dataclass(frozen=True, slots=True)
class HandCase:
    """A hand-written test case (text, room, bureau, optional severity)."""

    text: str
    room: str
    bureau: str
    severity: str = ""


@dataclass(slots=True)
class EvalReport:
    """Metrics over a set of labelled messages (scored rows only)."""

    rooms: tuple[str, ...]
    n: int = 0
    correct: int = 0
    per_room: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    bureau_n: int = 0
    bureau_correct: int = 0
    severity_n: int = 0
    severity_correct: int = 0
    calibration: list[tuple[float, float, int, float, float]] = field(default_factory=list)
    ece: float = 0.0
    unsure: int = 0
    excluded_n: int = 0
    excluded_unsure: int = 0
    excluded_rooms: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str, str, float]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Room accuracy."""
        return self.correct / self.n if self.n else 0.0

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the rooms that occur in the gold labels."""
        f1s = [v[2] for v in self.per_room.values() if v[3] > 0]
        return sum(f1s) / len(f1s) if f1s else 0.0

    @property
    def bureau_accuracy(self) -> float | None:
        """Bureau accuracy over rows whose label names a bureau (room must match too)."""
        return self.bureau_correct / self.bureau_n if self.bureau_n else None

    @property
    def severity_accuracy(self) -> float | None:
        """Exact severity accuracy over rows with a severity label."""
        return self.severity_correct / self.severity_n if self.severity_n else None


def read_hand_set(path: Path) -> list[HandCase]:
    """Read a hand-written TSV set with a header ``text room bureau [severity]``.

    Args:
        path: The file.

    Returns:
        The cases.
    """
    cases: list[HandCase] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        cols = {c: i for i, c in enumerate(header)}
        for row in reader:
            if not row or not row[0].strip():
                continue
            sev = row[cols["severity"]] if "severity" in cols else ""
            cases.append(HandCase(row[cols["text"]], row[cols["room"]], row[cols["bureau"]], sev))
    return cases


def evaluate(
    items: Iterable[LabelledMessage | HandCase],
    lexicon: Lexicon | None = None,
    keep_errors: int = 0,
) -> EvalReport:
    """Classify labelled items and compute the metrics.

    Items whose room is :data:`nlp.dataset.EXCLUDED` are classified but left
    out of the scores; how often they come out unsure is reported.

    Args:
        items: Labelled messages or hand-written cases.
        lexicon: The lexicon; ``None`` for the packaged one.
        keep_errors: Keep up to this many misrouted examples in the report.

    Returns:
        The report.
    """
    gold: list[str] = []
    pred: list[str] = []
    confs: list[tuple[float, bool]] = []
    report = EvalReport(rooms=ROOMS)
    for item in items:
        result = classify(item.text, lexicon)
        if item.room == EXCLUDED:
            report.excluded_n += 1
            if result.unsure:
                report.excluded_unsure += 1
            report.excluded_rooms[result.room] = report.excluded_rooms.get(result.room, 0) + 1
            continue
        gold.append(item.room)
        pred.append(result.room)
        right = result.room == item.room
        # Room-level calibration: the room's probability (the answer's own
        # confidence is that of its bureau, see bureau_report).
        room_conf = result.alternatives[0].confidence if result.room != UNKNOWN else 0.0
        confs.append((room_conf, right))
        if result.unsure:
            report.unsure += 1
        key = (item.room, result.room)
        report.confusion[key] = report.confusion.get(key, 0) + 1
        if item.bureau:
            report.bureau_n += 1
            report.bureau_correct += int(right and result.bureau == item.bureau)
        severity = getattr(item, "severity", "")
        if severity:
            report.severity_n += 1
            report.severity_correct += int(result.severity == severity)
        if not right and len(report.errors) < keep_errors:
            report.errors.append((item.text[:80], item.room, result.room, result.confidence))
    report.n = len(gold)
    report.correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    for room in ROOMS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == room and p == room)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != room and p == room)
        support = sum(1 for g in gold if g == room)
        fn = support - tp
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report.per_room[room] = (precision, recall, f1, support)
    ece = 0.0
    for lo, hi in pairwise(_BINS):
        inside = [(c, r) for c, r in confs if lo <= c < hi]
        if not inside:
            continue
        mean_conf = sum(c for c, _ in inside) / len(inside)
        acc = sum(1 for _, r in inside if r) / len(inside)
        report.calibration.append((lo, min(hi, 1.0), len(inside), mean_conf, acc))
        ece += len(inside) / max(len(confs), 1) * abs(mean_conf - acc)
    report.ece = ece
    return report


def format_report(report: EvalReport, title: str = "") -> str:
    """Render a report as plain text.

    Args:
        report: The report.
        title: A heading line.

    Returns:
        Multi-line text.
    """
    lines: list[str] = []
    if title:
        lines.append(title)
    lines.append(f"rows scored: {report.n}")
    lines.append(f"room accuracy: {report.accuracy:.4f}")
    lines.append(f"room macro-F1: {report.macro_f1:.4f}")
    if report.bureau_accuracy is not None:
        lines.append(
            f"bureau accuracy: {report.bureau_accuracy:.4f} (over {report.bureau_n} rows "
            "with a bureau label)"
        )
    if report.severity_accuracy is not None:
        lines.append(f"severity exact: {report.severity_accuracy:.4f} (over {report.severity_n})")
    lines.append(f"unsure (confidence < {UNSURE_BELOW}): {report.unsure}/{report.n}")
    lines.append("")
    lines.append(f"{'room':<12}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}")
    for room, (prec, rec, f1, sup) in report.per_room.items():
        if sup or any(k[1] == room for k in report.confusion):
            lines.append(f"{room:<12}{prec:>10.4f}{rec:>10.4f}{f1:>10.4f}{sup:>10}")
    lines.append("")
    cols: Sequence[str] = [*ROOMS, UNKNOWN]
    present = [c for c in cols if any(k[1] == c or k[0] == c for k in report.confusion)]
    lines.append("confusion (rows: gold, columns: predicted)")
    lines.append(f"{'':<12}" + "".join(f"{c[:10]:>11}" for c in present))
    for g in present:
        if not any(k[0] == g for k in report.confusion):
            continue
        lines.append(
            f"{g:<12}" + "".join(f"{report.confusion.get((g, col), 0):>11}" for col in present)
        )
    lines.append("")
    lines.append("calibration (confidence bin: count, mean confidence, accuracy)")
    for lo, hi, count, mc, acc in report.calibration:
        lines.append(f"  [{lo:.2f}, {hi:.2f}): {count:>5}  {mc:.3f}  {acc:.3f}")
    lines.append(f"expected calibration error: {report.ece:.4f}")
    if report.excluded_n:
        spread = ", ".join(f"{k}={v}" for k, v in sorted(report.excluded_rooms.items()))
        lines.append("")
        lines.append(
            f"excluded labels (no room in this district): {report.excluded_n} rows, "
            f"unsure or unknown {report.excluded_unsure}; routed to: {spread}"
        )
    if report.errors:
        lines.append("")
        lines.append("some misrouted rows (text, gold, predicted, confidence):")
        for text, g, p, c in report.errors:
            lines.append(f"  {g} -> {p} ({c:.2f}): {text}")
    return "\n".join(lines)
