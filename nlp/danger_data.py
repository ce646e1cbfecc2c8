"""The labelled examples of the danger model (:mod:`nlp.danger`), read offline.

:func:`load_examples` reads every labelled warning, danger-now message,
look-alike and short real request of the data directory (``tests/data``) into
:class:`Example` rows, with the n-grams the model reads and the rubric's own
verdict; :mod:`nlp.danger_train` fits the model on them and
:mod:`nlp.danger_eval` scores it, leave one set out.

**Data**: every labelled warning (severity heads), every danger-now message
(positive for ``danger``, its ``service`` column for the service heads), every
look-alike and every short real request (negative for ``danger``). The blind
sets ``blind13a``–``y`` and the training sets ``train13a``–``c`` (one writer
each) are the groups held out one at a time; the shipped model learns from
:data:`TRAINED_SETS` of them; the other files (the team's warnings, probes A–D, the
rubric's development sets) are groups ``probes`` and ``dev``. Probe E is left
out: its severity labels were never re-graded to the rubric and it is kept
unread.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from nlp.danger import is_feature, ngrams
from nlp.emergency import detect
from nlp.normalize import normalize
from nlp.rubric_model import LEVELS
from nlp.severity import mask_look_alikes, rubric_assessment

__all__ = [
    "BASE_WARNINGS",
    "BLIND_SETS",
    "HELD_OUT_GROUPS",
    "RANK",
    "STOP32_SETS",
    "TRAINED_SETS",
    "Example",
    "load_examples",
]

STOP32_SETS: tuple[str, ...] = (
    "blind13a",
    "blind13b",
    "blind13c",
    "blind13d",
    "blind13e",
    "blind13f",
    "blind13g",
    "train13a",
    "train13b",
    "train13c",
)
"""The cross-validation groups of stops 23-32: the blind evaluation sets ``blind13a``–``g``
(each scored once unseen, then tuned on) and the training sets ``train13a``–``c`` (written
blind to the code as training data; no small talk). The model shipped until stop 32 was
trained on these only."""
BLIND_SETS: tuple[str, ...] = (
    *(f"blind13{c}" for c in "abcdefghijklmnopqrstuvwxy"),
    "train13a",
    "train13b",
    "train13c",
)
"""Every writer's set, ``blind13a``–``y`` and ``train13a``–``c``: the groups held out one at
a time (leave one writer out). Each was written by one writer blind to the code; ``h``–``y``
were each scored once unseen by the lead and then tuned on by rules (stops 24-32)."""
TRAINED_SETS: tuple[str, ...] = STOP32_SETS
"""The writers' sets the shipped model learns from (weights and thresholds). Stop 33 measured
training on every set (:data:`BLIND_SETS`, ``minqing triage cv --pooled``): leave one set out
it catches more criticals and dangers, but the model trained so rates single farewell signs
(把存折交给了邻居) critical and a kettle's hiss a gas leak, which guard tests forbid, so the
shipped model still learns from these sets only (docs/severity.md, "Stop 33")."""
HELD_OUT_GROUPS: tuple[str, ...] = (*BLIND_SETS, "probes", "dev")
"""The groups :func:`leave_one_set_out` holds out: the blind sets, and the team's
warnings and probes A–D, and the rubric's development sets (both written knowing
the rubric, so weaker evidence than a blind set)."""

BASE_WARNINGS = (
    "warnings.tsv",
    "probe_a_warnings.tsv",
    "probe_b_warnings.tsv",
    "probe_c_warnings.tsv",
    "probe_d_warnings.tsv",
    "triage_dev_warnings.tsv",
)

RANK = {level: i for i, level in enumerate(LEVELS)}
"""Level → its rank, lowest 0."""


@dataclass(slots=True)
class Example:
    """One labelled text.

    Attributes:
        text: The raw text.
        group: The blind set it comes from, ``"probes"`` (the team's warnings and
            probes A–D) or ``"dev"`` (the rubric's development sets).
        kind: ``warning``, ``danger``, ``lookalike``, ``request`` (a short real one)
            or ``citizen`` (a probe's citizen message: a negative of ``unlike_request``
            only).
        severity: A warning's level.
        services: A danger's numbers.
        grams: The text's n-grams (filled by :func:`load_examples`).
        norm: The normalised text.
        masked: The text the model reads (look-alikes masked).
        rubric_level: The rubric's own level.
        rubric_danger: Whether the rubric alone detects danger now.
        rubric_services: The numbers the rubric alone names.
    """

    text: str
    group: str
    kind: str
    severity: str = ""
    services: tuple[str, ...] = ()
    grams: tuple[str, ...] = ()
    norm: str = ""
    masked: str = ""
    rubric_level: str = "low"
    rubric_danger: bool = False
    rubric_services: tuple[str, ...] = field(default=())

    def label(self, head: str) -> int | None:
        """1 / 0 for a head this example trains, ``None`` if it does not."""
        if head == "unlike_request":
            if self.kind == "warning":
                return 1 if self.severity == "critical" else None
            return 0 if self.kind in ("request", "citizen") else None
        if self.kind == "citizen":
            return None
        if head in ("critical", "high", "medium"):
            if self.kind != "warning":
                return None
            return int(RANK[self.severity] >= RANK[head])
        if head == "danger":
            return int(self.kind == "danger") if self.kind != "warning" else None
        if self.kind != "danger":
            return None
        return int(head[1:] in self.services)


CITIZEN_NEGATIVES: tuple[str, ...] = tuple(
    f"probe_{p}_citizen_messages.tsv" for p in ("a", "b", "c", "d", "e", "f", "g", "h", "i")
)
"""Citizen messages that are no danger now (stop 27): negatives of the ``unlike_request``
head's weights (:mod:`nlp.danger`), nothing else. Probes K–N and ``citizen_messages.tsv``
are left out, so that they stay an unseen check of how many ordinary requests the model
raises to critical."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _prepare(ex: Example) -> Example:
    ex.norm = normalize(ex.text[:12000])[:3000]
    ex.masked = mask_look_alikes(ex.norm)
    ex.grams = tuple(sorted(g for g in ngrams(ex.masked) if is_feature(g)))
    ex.rubric_level = rubric_assessment(ex.norm).level
    if ex.kind != "warning":
        found = detect(ex.text, learned=False)
        ex.rubric_danger = found is not None
        ex.rubric_services = found.services if found is not None else ()
    return ex


def _danger(text: str, group: str, services: str) -> Example:
    return Example(text, group, "danger", services=tuple(services.split("+")))


def load_examples(data: Path) -> list[Example]:
    """Every labelled example of the data directory, in a fixed order."""
    out: list[Example] = []
    for name in BASE_WARNINGS:
        group = "dev" if name.startswith("triage_dev") else "probes"
        out += [Example(r["text"], group, "warning", r["severity"]) for r in _rows(data / name)]
    for r in _rows(data / "triage_dev_emergencies.tsv"):
        out.append(_danger(r["text"], "dev", r["expected"]))
    for r in _rows(data / "triage_dev_lookalikes.tsv"):
        out.append(Example(r["text"], "dev", "lookalike"))
    for r in _rows(data / "triage_dev_requests.tsv"):
        out.append(Example(r["text"], "dev", "request"))
    for name in CITIZEN_NEGATIVES:
        out += [Example(r["text"], "citizen", "citizen") for r in _rows(data / name)]
    for group in BLIND_SETS:
        for r in _rows(data / f"{group}_warnings.tsv"):
            out.append(Example(r["text"], group, "warning", r["severity"]))
        for r in _rows(data / f"{group}_emergencies.tsv"):
            if r["danger"] == "1":
                out.append(_danger(r["text"], group, r["service"]))
            else:
                out.append(Example(r["text"], group, "lookalike"))
        # The training sets have no small talk or requests of their own.
        if (data / f"{group}_nonrequests.tsv").exists():
            for r in _rows(data / f"{group}_nonrequests.tsv"):
                if r["kind"] == "request":
                    out.append(Example(r["text"], group, "request"))
    return [_prepare(ex) for ex in out]
