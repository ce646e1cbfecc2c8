"""Bureau-level evaluation of real messages (issue 14).

Reads files of the form ``id bureau title body`` (no quoting) and split files
``id bureau part``; reports bureau and room accuracy, recall per bureau, the
most frequent confusions and the calibration of the routed answer. Pure:
used by ``minqing classify --eval`` and the tests, re-exported by
:mod:`nlp.evaluate`.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from nlp.classify import UNKNOWN, classify
from nlp.lexicon import BUREAUS, Lexicon

__all__ = [
    "CONFIDENT",
    "BureauCase",
    "BureauReport",
    "bureau_report",
    "evaluate_bureaus",
    "format_bureau_report",
    "is_bureau_file",
    "read_bureau_set",
    "read_split",
    "room_of_bureau",
]

_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)


@dataclass(frozen=True, slots=True)
class BureauCase:
    """A real message judged at bureau level (id, bureau, title + body)."""

    id: str
    bureau: str
    text: str


@dataclass(slots=True)
class BureauReport:
    """Bureau-level metrics: accuracy, recall per bureau, confusion, calibration.

    Calibration is of the answer as routed: an answer counts as right when its
    bureau is right (its room then is too).
    """

    n: int = 0
    bureau_correct: int = 0
    room_correct: int = 0
    per_bureau: dict[str, tuple[int, int]] = field(default_factory=dict)
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    calibration: list[tuple[float, float, int, float, float]] = field(default_factory=list)
    ece: float = 0.0
    confident_n: int = 0
    confident_correct: int = 0
    unsure: int = 0
    unsure_correct: int = 0

    @property
    def bureau_accuracy(self) -> float:
        """Share of rows routed to the right bureau."""
        return self.bureau_correct / self.n if self.n else 0.0

    @property
    def room_accuracy(self) -> float:
        """Share of rows routed to the right room (the gold bureau's room)."""
        return self.room_correct / self.n if self.n else 0.0

    @property
    def macro_recall(self) -> float:
        """Mean recall over the bureaus present in the gold labels."""
        recalls = [c / n for n, c in self.per_bureau.values() if n]
        return sum(recalls) / len(recalls) if recalls else 0.0

    @property
    def confident_precision(self) -> float | None:
        """Share right among answers with confidence ≥ :data:`CONFIDENT`."""
        return self.confident_correct / self.confident_n if self.confident_n else None


CONFIDENT = 0.8
"""Answers at or above this confidence are expected to be right ≥ 95 % of the time."""


def room_of_bureau(bureau: str) -> str:
    """The room a bureau belongs to.

    Raises:
        ValueError: If the bureau is not in the lexicon's organisation.
    """
    for room, bureaus in BUREAUS.items():
        if bureau in bureaus:
            return room
    raise ValueError(f"unknown bureau {bureau!r}")


def read_split(path: Path) -> dict[str, str]:
    """Read a split file (``id bureau part``): row id → part."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        cols = {c.strip().lower(): i for i, c in enumerate(header)}
        return {row[cols["id"]]: row[cols["part"]] for row in reader if row}


def read_bureau_set(path: Path, only: Collection[str] | None = None) -> list[BureauCase]:
    """Read a bureau-level TSV (``id bureau title body``, no quoting).

    Args:
        path: The file.
        only: If given, keep only rows whose id is in it.

    Returns:
        The cases, text = title, newline, body.

    Raises:
        ValueError: If a column is missing or a bureau is unknown.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    cases: list[BureauCase] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        cols = {c.strip().lower(): i for i, c in enumerate(header)}
        missing = [c for c in ("id", "bureau", "title", "body") if c not in cols]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        width = max(cols.values()) + 1
        for row in reader:
            if not row:
                continue
            row = row + [""] * (width - len(row))
            row_id, bureau = row[cols["id"]].strip(), row[cols["bureau"]].strip()
            if only is not None and row_id not in only:
                continue
            room_of_bureau(bureau)
            title, body = row[cols["title"]].strip(), row[cols["body"]].strip()
            cases.append(BureauCase(row_id, bureau, f"{title}\n{body}" if title else body))
    return cases


def is_bureau_file(path: Path) -> bool:
    """True if the TSV's header names a ``bureau`` column and no ``label``/``room``."""
    with path.open(encoding="utf-8") as handle:
        header = [c.strip().lower() for c in handle.readline().rstrip("\n").split("\t")]
    return "bureau" in header and "label" not in header and "room" not in header


def bureau_report(
    answers: Iterable[tuple[str, str, float, bool]], bins: Sequence[float] = _BINS
) -> BureauReport:
    """Compute the bureau-level metrics of classified rows.

    Args:
        answers: Per row (gold bureau, predicted bureau, confidence, unsure).
        bins: Confidence bin edges of the reliability table.

    Returns:
        The report.
    """
    report = BureauReport()
    confs: list[tuple[float, bool]] = []
    for gold, pred, conf, unsure in answers:
        right = gold == pred
        report.n += 1
        report.bureau_correct += right
        pred_room = room_of_bureau(pred) if pred != UNKNOWN else UNKNOWN
        report.room_correct += pred_room == room_of_bureau(gold)
        n, c = report.per_bureau.get(gold, (0, 0))
        report.per_bureau[gold] = (n + 1, c + right)
        if not right:
            report.confusion[(gold, pred)] = report.confusion.get((gold, pred), 0) + 1
        confs.append((conf, right))
        if conf >= CONFIDENT:
            report.confident_n += 1
            report.confident_correct += right
        if unsure:
            report.unsure += 1
            report.unsure_correct += right
    for lo, hi in pairwise(bins):
        inside = [(c, r) for c, r in confs if lo <= c < hi]
        if inside:
            mean_conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(1 for _, r in inside if r) / len(inside)
            report.calibration.append((lo, min(hi, 1.0), len(inside), mean_conf, acc))
            report.ece += len(inside) / len(confs) * abs(mean_conf - acc)
    return report


def evaluate_bureaus(cases: Iterable[BureauCase], lexicon: Lexicon | None = None) -> BureauReport:
    """Classify bureau-level cases and compute the metrics."""
    answers = []
    for case in cases:
        result = classify(case.text, lexicon)
        answers.append((case.bureau, result.bureau, result.confidence, result.unsure))
    return bureau_report(answers)


def format_bureau_report(
    report: BureauReport, title: str = "", pairs: int = 12, calibration: bool = True
) -> str:
    """Render a bureau-level report as plain text.

    Args:
        report: The report.
        title: A heading line.
        pairs: How many of the most frequent confusions to list.
        calibration: Show the confidence figures (not for a model without
            probabilities, such as the reference SVM).
    """
    lines = [title] if title else []
    lines.append(f"rows scored: {report.n}")
    lines.append(f"bureau accuracy: {report.bureau_accuracy:.4f}")
    lines.append(f"room accuracy (room of the bureau): {report.room_accuracy:.4f}")
    lines.append(f"macro recall over bureaus: {report.macro_recall:.4f}")
    prec = report.confident_precision
    shown = f"{prec:.4f}" if prec is not None else "-"
    if calibration:
        lines.append(f"answers with confidence >= {CONFIDENT}: {report.confident_n}, right {shown}")
        lines.append(
            f"unsure (to confirm or the dispatcher desk): {report.unsure}, "
            f"of which right {report.unsure_correct}"
        )
    lines.append("")
    lines.append(f"{'bureau':<16}{'rows':>6}{'right':>7}{'recall':>8}")
    for bureau, (n, c) in sorted(report.per_bureau.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"{bureau:<16}{n:>6}{c:>7}{c / n:>8.3f}")
    lines.append("")
    lines.append("most frequent confusions (gold -> predicted: rows)")
    top = sorted(report.confusion.items(), key=lambda kv: (-kv[1], kv[0]))[:pairs]
    for (g, p), k in top:
        lines.append(f"  {g} -> {p}: {k}")
    if calibration:
        lines.append("")
        lines.append("calibration of the routed bureau (bin: count, mean confidence, accuracy)")
        for lo, hi, count, mc, acc in report.calibration:
            lines.append(f"  [{lo:.2f}, {hi:.2f}): {count:>5}  {mc:.3f}  {acc:.3f}")
        lines.append(f"expected calibration error: {report.ece:.4f}")
    return "\n".join(lines)
