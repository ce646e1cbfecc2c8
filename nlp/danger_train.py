"""Training the danger model (:mod:`nlp.danger`), offline.

``minqing triage train`` calls :func:`train` and writes
``config/danger_model.json``; :mod:`nlp.danger_eval` scores it leave one set
out (``minqing triage cv``) and :mod:`nlp.danger_data` reads the examples.
Deterministic: the same files give the same weights file, byte for byte.

**Heads.** Every head is linear over the binary character n-grams of
:func:`nlp.danger.ngrams` (score = bias + the weights of the n-grams present),
fitted one of two ways (:data:`METHODS`, chosen leave one set out, stop 24):

* ``critical`` and ``danger``: an L2-regularised **logistic regression**
  (scikit-learn's liblinear, ``C`` = :data:`LOGREG_C`; a bench and test
  dependency used only here, never at run time). Unlike naive Bayes it does not
  count one word three times over (塔, 吊, 塔吊) nor give a word seen only in
  dangers a large weight when the other words of those texts already explain
  them: 塔吊挡住了我家阳光 and 人民路上有个大坑 are no danger any more.
* ``high``, ``medium`` and the service heads: a binarised multinomial **naive
  Bayes** written as log-count ratios (Wang & Manning 2012, "NBSVM"): with ``p``
  and ``q`` the smoothed counts of n-gram ``f`` over the positive and negative
  texts, ``weight(f) = log((p_f / Σp) / (q_f / Σq))`` and ``bias = log(N₊ / N₋)``
  (logistic regression there caught fewer dangers now and under-rated more).

An n-gram is kept when at least :data:`MIN_DF` training texts of the head carry
it (and, with :data:`MIN_SETS` above 1, texts of that many groups) and its
weight is at least :data:`MIN_WEIGHT` in size.

**Thresholds** are chosen by leave-one-set-out over the groups: each set's
scores come from a model trained without it; for each head the threshold
minimises ``MISS_COST × missed + false raises``. A severity head's is chosen
over every warning, look-alike and request (a missed danger costs
:data:`MISS_COST` false raises: under-rating is far worse); the ``danger``
head's over the messages the rubric alone does not already detect
(:data:`RUBRIC_AWARE_HEADS`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from nlp.danger import HEADS, DangerModel, Head
from nlp.danger_data import BLIND_SETS, RANK, TRAINED_SETS, Example, load_examples
from nlp.severity import RAISES_FROM

__all__ = ["RawFits", "fit", "train"]

ALPHA = 1.0
"""Naive Bayes' additive smoothing (stop 24: 2.0 was no better leave one set out)."""
MIN_DF = 2
MIN_SETS = 1
"""Groups an n-gram must occur in (stop 24: 2 cost a critical on train13a and b)."""
METHODS: dict[str, str] = {}
"""How each head is fitted: ``logreg`` or, for a head not named, ``nb``."""
LOGREG_C = 1.0
"""The logistic regression's inverse regularisation strength."""
MIN_WEIGHT = 0.05
MISS_COST = {"critical": 12.0, "high": 8.0, "medium": 3.0, "danger": 2.0, "unlike_request": 100.0}
"""What one missed positive costs, in false raises, per head. (Stop 23: 6 / 4 / 2 for
critical / high / medium before; doubled, leave-one-set-out on train13b caught 2 more
criticals and under-rated 2 fewer warnings for the same exact rate.) ``unlike_request``
(stop 27) lets the ``critical`` head raise a text; missing there is missing a critical."""
RUBRIC_AWARE_HEADS: frozenset[str] = frozenset({"danger"})
"""Heads whose shipped threshold is chosen only over what the rubric leaves to them.
Since stop 23 only ``danger``: the severity heads' thresholds are chosen over every
warning (and the look-alikes and requests as negatives), as for the model alone. On
the sets the rubric was tuned on it leaves almost nothing to learn a threshold from;
thresholds chosen there missed 13 and 23 criticals of the new training sets
train13a/b (leave-one-set-out)."""
REQUEST_RAISE_COST = 1.0
"""What raising a look-alike or a real request above the rubric's level costs, in false
raises of a warning. (0.25 until stop 22, when thresholds were chosen only over what the
rubric left; over every text, 0.25 let the critical head rate 商场跳楼价甩卖 critical.)"""
DANGER_REQUEST_COST = 3.0
"""What an emergency line on an ordinary request costs, in look-alike alarms: requests
are far more common than danger in real traffic (the judged citizen sets: 12 of 755
describe danger now)."""


def _fit_head(examples: Sequence[Example], head: str) -> tuple[float, dict[str, float]]:
    """One head: (bias, weights), by :data:`METHOD`."""
    rows = [(ex, y) for ex in examples if (y := ex.label(head)) is not None]
    n_pos = sum(y for _, y in rows)
    n_neg = len(rows) - n_pos
    if n_pos == 0 or n_neg == 0:
        return 0.0, {}
    # One pass over the texts: document frequency is the positive plus the negative count.
    pos: Counter[str] = Counter()
    neg: Counter[str] = Counter()
    for ex, y in rows:
        (pos if y else neg).update(ex.grams)
    df = pos.copy()
    df.update(neg)
    sets: dict[str, set[str]] = {}
    if MIN_SETS > 1:
        for ex, _ in rows:
            for g in ex.grams:
                sets.setdefault(g, set()).add(ex.group)
    grams = sorted(
        g for g, n in df.items() if n >= MIN_DF and (MIN_SETS <= 1 or len(sets[g]) >= MIN_SETS)
    )
    if METHODS.get(head, "nb") == "logreg":
        return _fit_logreg(rows, grams)
    p_total = sum(pos[g] for g in grams) + ALPHA * len(grams)
    q_total = sum(neg[g] for g in grams) + ALPHA * len(grams)
    weights: dict[str, float] = {}
    for g in grams:
        w = math.log((pos[g] + ALPHA) / p_total) - math.log((neg[g] + ALPHA) / q_total)
        if abs(w) >= MIN_WEIGHT:
            weights[g] = w
    return math.log(n_pos / n_neg), weights


def _fit_logreg(
    rows: Sequence[tuple[Example, int]], grams: Sequence[str]
) -> tuple[float, dict[str, float]]:
    """L2-regularised logistic regression over the binary n-grams (scikit-learn, offline)."""
    import numpy as np
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression

    col = {g: i for i, g in enumerate(grams)}
    indptr = [0]
    indices: list[int] = []
    for ex, _ in rows:
        indices.extend(col[g] for g in ex.grams if g in col)
        indptr.append(len(indices))
    x = csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(rows), len(grams)),
    )
    y = np.array([y for _, y in rows])
    clf = LogisticRegression(
        C=LOGREG_C, solver="liblinear", max_iter=1000, tol=1e-6, random_state=0
    )
    clf.fit(x, y)
    coef = clf.coef_[0]
    weights = {g: float(coef[i]) for g, i in col.items() if abs(coef[i]) >= MIN_WEIGHT}
    return float(clf.intercept_[0]), weights


RawFits = dict[frozenset[str], DangerModel]
"""Models fitted with no thresholds, by the groups of their training examples.

Shared by the fits of one leave-one-set-out run (:func:`nlp.danger_eval.leave_one_set_out`):
every training list there is one list of examples less some groups, so the groups it
holds name it. Leaving out groups A then B trains on the same texts as B then A, and the
model alone and the rubric-aware one differ only in thresholds: without the cache the
same weights were fitted up to four times.
"""


def _fit_raw(
    examples: Sequence[Example], thresholds: dict[str, float], fits: RawFits | None = None
) -> DangerModel:
    """Fit every head on ``examples`` with the given thresholds (weights from ``fits``
    when they hold a model of the same groups)."""
    if fits is None:
        return _fit_weights(examples, thresholds)
    key = frozenset(ex.group for ex in examples)
    raw = fits.get(key)
    if raw is None:
        raw = fits[key] = _fit_weights(examples, {})
    heads = [replace(h, threshold=thresholds.get(h.name, 0.0)) for h in raw.heads]
    return DangerModel(heads, raw.weights)


def _fit_weights(examples: Sequence[Example], thresholds: dict[str, float]) -> DangerModel:
    """Fit every head on ``examples`` with the given thresholds."""
    table: dict[str, list[float]] = {}
    heads: list[Head] = []
    for i, name in enumerate(HEADS):
        bias, weights = _fit_head(examples, name)
        heads.append(Head(name, bias, thresholds.get(name, 0.0)))
        for g, w in weights.items():
            table.setdefault(g, [0.0] * len(HEADS))[i] = w
    return DangerModel(heads, table)


def _applicable(ex: Example, head: str, with_rubric: bool = True) -> bool:
    """Whether the head's decision matters for this example (the rubric is not already there)."""
    if head == "danger":
        return ex.kind != "warning" and not (with_rubric and ex.rubric_danger)
    if head == "unlike_request":
        # Its threshold weighs a critical warning missed against a request let through.
        return True
    if ex.kind == "danger":
        return False
    if not with_rubric:
        # Every warning; and a look-alike or a real request (a negative: raising
        # 上吊顶的工人把墙弄坏了 is a false raise) unless the rubric already rates it so.
        return ex.kind == "warning" or RANK[ex.rubric_level] < RANK[head]
    # The head may raise only from the levels nlp.severity lets it (high: from medium).
    lowest = RANK[RAISES_FROM[head]]
    return lowest <= RANK[ex.rubric_level] < RANK[head]


def _threshold_label(ex: Example, head: str) -> int | None:
    """The label a head's threshold is chosen on: as :meth:`Example.label`, and
    for a severity head a look-alike or a real request counts as a negative
    (a routine request raised to critical is a false raise too)."""
    y = ex.label(head)
    if y is None and head in ("critical", "high", "medium") and ex.kind in ("lookalike", "request"):
        return 0
    return y


def _raise_cost(ex: Example, head: str) -> float:
    """What raising a negative costs: 1 for a warning or a look-alike,
    REQUEST_RAISE_COST for a request raised in level, DANGER_REQUEST_COST for an
    emergency line on a real request."""
    if head == "danger":
        return DANGER_REQUEST_COST if ex.kind == "request" else 1.0
    return 1.0 if ex.kind == "warning" else REQUEST_RAISE_COST


def _best_threshold(scored: Iterable[tuple[float, int, float]], miss_cost: float) -> float:
    """The threshold with the least ``miss_cost × missed + weighted false raises``.

    ``scored`` holds ``(score, label, weight)``; a negative's weight is what
    raising it costs. Candidates are midpoints between consecutive scores; on
    a tie the lower threshold (more recall) wins.
    """
    pairs = sorted(scored)
    if not pairs:
        return 0.0
    # Threshold below everything: every positive caught, every negative raised.
    raised = math.fsum(w for _, y, w in pairs if not y)
    best_cost = raised
    best_t = pairs[0][0] - 1.0
    missed = 0.0
    for k, (s, y, w) in enumerate(pairs):
        if y:
            missed += 1
        else:
            raised -= w
        nxt = pairs[k + 1][0] if k + 1 < len(pairs) else s + 2.0
        if nxt == s:
            continue
        cost = miss_cost * missed + raised
        if cost < best_cost - 1e-9:
            best_cost, best_t = cost, (s + nxt) / 2
    return best_t


def _out_of_fold(
    examples: Sequence[Example], groups: Sequence[str], fits: RawFits | None = None
) -> list[tuple[Example, dict[str, float]]]:
    """Scores of each example of ``groups`` from a model trained without its group."""
    out: list[tuple[Example, dict[str, float]]] = []
    for held in groups:
        model = _fit_raw([ex for ex in examples if ex.group != held], {}, fits)
        for ex in examples:
            if ex.group == held:
                out.append((ex, dict(model.score(ex.masked).scores)))
    return out


def _thresholds(
    examples: Sequence[Example],
    groups: Sequence[str],
    with_rubric: bool = True,
    fits: RawFits | None = None,
) -> dict[str, float]:
    """Every head's threshold, by leave-one-set-out over ``groups``."""
    oof = _out_of_fold(examples, groups, fits)
    thresholds = {name: 0.0 for name in HEADS}
    for head, cost in MISS_COST.items():
        pairs = [
            (scores[head], y, _raise_cost(ex, head))
            for ex, scores in oof
            if _applicable(ex, head, with_rubric and head in RUBRIC_AWARE_HEADS)
            and (y := _threshold_label(ex, head)) is not None
        ]
        thresholds[head] = _best_threshold(pairs, cost)
    return thresholds


def fit(
    examples: Sequence[Example],
    groups: Sequence[str] = TRAINED_SETS,
    with_rubric: bool = True,
    fits: RawFits | None = None,
) -> DangerModel:
    """Thresholds by leave-one-set-out over ``groups``, then weights from every example.

    ``with_rubric=False`` chooses thresholds for the model used alone (the
    figures that show what the model itself generalises to). ``fits`` shares
    weights between the fits of one leave-one-set-out run (:data:`RawFits`).
    """
    model = _fit_raw(examples, _thresholds(examples, groups, with_rubric, fits), fits)
    model.meta = {
        "features": "distinct character 1-2-grams of the normalised text, digits as 0",
        "heads": "score = bias + sum of weights present; logistic regression (liblinear, L2) "
        "for the heads of methods, else log-count-ratio naive Bayes",
        "methods": METHODS,
        "logreg_c": LOGREG_C,
        "alpha": ALPHA,
        "min_df": MIN_DF,
        "miss_cost": MISS_COST,
        "examples": len(examples),
        "threshold_groups": list(groups),
        "trained_by": "minqing triage train",
    }
    return model


def train(data: Path) -> DangerModel:
    """Train the shipped model from a data directory: on every example but those of the
    writers' sets outside :data:`~nlp.danger_data.TRAINED_SETS`."""
    examples = load_examples(data)
    return fit([ex for ex in examples if ex.group not in BLIND_SETS or ex.group in TRAINED_SETS])
