"""Evaluation of the classifier: accuracy, macro-F1, confusion, calibration.

Used by ``minqing classify --eval`` and by the tests.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from nlp.classify import UNKNOWN, UNSURE_BELOW, classify
from nlp.dataset import EXCLUDED, LabelledMessage
from nlp.lexicon import BUREAUS, ROOMS, Lexicon

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
        confs.append((result.confidence, right))
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


# ------------------------------------------------------------------ bureau level


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


def format_bureau_report(report: BureauReport, title: str = "", pairs: int = 12) -> str:
    """Render a bureau-level report as plain text (``pairs`` most frequent confusions)."""
    lines = [title] if title else []
    lines.append(f"rows scored: {report.n}")
    lines.append(f"bureau accuracy: {report.bureau_accuracy:.4f}")
    lines.append(f"room accuracy (room of the bureau): {report.room_accuracy:.4f}")
    lines.append(f"macro recall over bureaus: {report.macro_recall:.4f}")
    prec = report.confident_precision
    shown = f"{prec:.4f}" if prec is not None else "-"
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
    lines.append("")
    lines.append("calibration of the routed bureau (bin: count, mean confidence, accuracy)")
    for lo, hi, count, mc, acc in report.calibration:
        lines.append(f"  [{lo:.2f}, {hi:.2f}): {count:>5}  {mc:.3f}  {acc:.3f}")
    lines.append(f"expected calibration error: {report.ece:.4f}")
    return "\n".join(lines)
