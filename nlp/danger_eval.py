"""Scoring the danger model (:mod:`nlp.danger`) leave one set out, offline.

``minqing triage cv`` calls :func:`leave_one_set_out` and prints the figures:
each group of :data:`nlp.danger_data.HELD_OUT_GROUPS` is scored by a model
trained — weights and thresholds — without it (:func:`nlp.danger_train.fit`),
for the rubric raised by the model and for the model alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nlp.danger import DangerModel
from nlp.danger_data import BLIND_SETS, HELD_OUT_GROUPS, RANK, TRAINED_SETS, Example
from nlp.danger_train import RawFits, fit
from nlp.emergency import detect
from nlp.severity import assess_normalized, mask_look_alikes

__all__ = ["SetFigures", "evaluate", "leave_one_set_out", "pooled"]

_SERVICE_HEADS = ("s110", "s119", "s120")


@dataclass(slots=True)
class SetFigures:
    """Figures on one set (warnings and emergencies)."""

    name: str
    warnings: int = 0
    exact: int = 0
    under: int = 0
    criticals: int = 0
    critical_hit: int = 0
    critical_below_high: int = 0
    danger: int = 0
    danger_hit: int = 0
    harmless: int = 0
    false_alarms: int = 0
    look_alikes: int = 0
    look_alike_alarms: int = 0
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)
    under_rated: list[str] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        """The figures as ratios."""
        return {
            "exact": self.exact / max(self.warnings, 1),
            "under": self.under / max(self.warnings, 1),
            "critical_recall": self.critical_hit / max(self.criticals, 1),
            "critical_below_high": float(self.critical_below_high),
            "danger_recall": self.danger_hit / max(self.danger, 1),
            "false_alarms": self.look_alike_alarms / max(self.look_alikes, 1),
            "request_alarms": (self.false_alarms - self.look_alike_alarms)
            / max(self.harmless - self.look_alikes, 1),
        }


def _model_level(model: DangerModel, norm: str) -> str:
    fired = model.score(mask_look_alikes(norm)).fired
    return next((lv for lv in ("critical", "high", "medium") if lv in fired), "low")


def _model_detect(model: DangerModel, norm: str) -> tuple[str, ...] | None:
    scored = model.score(mask_look_alikes(norm))
    if "danger" not in scored.fired:
        return None
    fired = tuple(h[1:] for h in _SERVICE_HEADS if h in scored.fired)
    best = max(_SERVICE_HEADS, key=lambda h: scored.scores[h])[1:]
    return fired or (best,)


def evaluate(
    name: str,
    examples: Sequence[Example],
    model: DangerModel | None,
    alone: bool = False,
) -> SetFigures:
    """Score ``examples`` with the rubric raised by ``model`` (``None``: the rubric alone;
    ``alone``: the model alone, no rubric)."""
    fig = SetFigures(name)
    for ex in examples:
        if ex.kind == "warning":
            if alone and model is not None:
                got = _model_level(model, ex.norm)
            else:
                got = assess_normalized(ex.norm, learned=model is not None, model=model).level
            fig.warnings += 1
            fig.exact += got == ex.severity
            if RANK[got] < RANK[ex.severity]:
                fig.under += 1
                fig.under_rated.append(f"{ex.severity}→{got} {ex.text}")
            if ex.severity == "critical":
                fig.criticals += 1
                fig.critical_hit += got == "critical"
                fig.critical_below_high += RANK[got] < RANK["high"]
            continue
        if alone and model is not None:
            services = _model_detect(model, ex.norm)
        else:
            found = detect(ex.text, learned=model is not None, model=model)
            services = found.services if found is not None else None
        if ex.kind == "danger":
            fig.danger += 1
            if services is not None and set(ex.services) & set(services):
                fig.danger_hit += 1
            else:
                fig.misses.append(ex.text)
        else:
            fig.harmless += 1
            look = ex.kind == "lookalike"
            fig.look_alikes += look
            if services is not None:
                fig.false_alarms += 1
                fig.look_alike_alarms += look
                fig.alarms.append(ex.text)
    return fig


def leave_one_set_out(
    examples: Sequence[Example],
    alone: bool = False,
    fits: RawFits | None = None,
    trained_on: Sequence[str] = TRAINED_SETS,
) -> list[SetFigures]:
    """For each group: thresholds by LOSO over the others, weights from all but it.

    The figures of a set come from a model that never saw it, neither for its
    weights nor for its thresholds. The thresholds are chosen as the shipped
    model's are (:func:`train`: over what the rubric leaves to raise), or, for
    the model ``alone``, over every text. Weights fitted on the same groups are
    fitted once (:data:`~nlp.danger_train.RawFits`); pass the same ``fits`` to
    both runs (rubric-aware and ``alone``) on the same ``examples`` to share them.

    ``trained_on`` names the writers' sets the model may learn from (weights and
    thresholds; the probes, development sets and citizen messages always train):
    :data:`~nlp.danger_data.TRAINED_SETS` (the default) gives the shipped model, held
    out where it saw the set, so that a set it never saw is scored by it as shipped;
    :data:`~nlp.danger_data.BLIND_SETS` gives every writer's set pooled (stop 33).
    """
    fits = {} if fits is None else fits
    out: list[SetFigures] = []
    for held in HELD_OUT_GROUPS:
        rest = [g for g in trained_on if g != held]
        train_ex = [
            ex
            for ex in examples
            if ex.group != held and (ex.group not in BLIND_SETS or ex.group in trained_on)
        ]
        model = fit(train_ex, rest, with_rubric=not alone, fits=fits)
        out.append(evaluate(held, [ex for ex in examples if ex.group == held], model, alone))
    return out


def pooled(name: str, figures: Sequence[SetFigures]) -> SetFigures:
    """The counts of ``figures`` summed into one row called ``name`` (no lists of texts)."""
    total = SetFigures(name)
    for f in figures:
        for key in _COUNTS:
            setattr(total, key, getattr(total, key) + getattr(f, key))
    return total


_COUNTS = (
    "warnings",
    "exact",
    "under",
    "criticals",
    "critical_hit",
    "critical_below_high",
    "danger",
    "danger_hit",
    "harmless",
    "false_alarms",
    "look_alikes",
    "look_alike_alarms",
)
