"""Training the learnt bureau word weights offline (``minqing lexicon weights``).

A multinomial logistic regression (scikit-learn, a bench dependency, never
needed at runtime) over each message's jieba words, ``v / ‖v‖`` as in
:mod:`nlp.bureau_weights`, words found in at least ``min_df`` training
messages. Rows: real board messages labelled with a bureau (the build half of
issue 14's split, weighted ``real_weight``) and the hand-written and probe sets
(``text room bureau`` files).

The combination with the lexicon and the confidence are fitted on
cross-validated answers: each row is scored by a model trained without its
fold and, for real rows, by a lexicon mined without that row when one is
given (``cv_probs``). Folds are drawn by a SHA-256 of the row's ``group``
(since stop 27 the set a row comes from: a probe's writer), so that every row
of a set is scored by a model that never saw that writer's wording — the
situation of a fresh blind probe; rows without a group are folded by their
text. The calibration is an isotonic regression (pool adjacent violators,
written out here) of "the answer was right" on the answer's raw top
probability, fitted only on the rows whose ``calibrate`` is true (since stop
27: sets no duty vocabulary or rule was written from, whose cross-validated
answers are as sure as a new writer's).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nlp.bureau_weights import ALL_BUREAUS
from nlp.features import message_features, prepare_text
from nlp.lexicon import BUREAUS, ROOMS, Lexicon
from nlp.scoring import _compiled, score_features

_ROOM = {b: r for r in ROOMS for b in BUREAUS[r]}

LONG_WORDS = 20
"""A message of more distinct words than this is calibrated by ``calibration_long``."""

__all__ = [
    "LONG_WORDS",
    "TrainRow",
    "WeightsFit",
    "fit_weights",
    "isotonic",
    "lexicon_probs",
    "set_group",
]


@dataclass(slots=True)
class TrainRow:
    """One labelled message for training.

    Attributes:
        text: The message.
        bureau: Its bureau.
        source: Where it came from (``real`` or a file's stem), for the report.
        weight: Sample weight.
        cv_probs: The lexicon's bureau probabilities from a lexicon that did
            not see this row (real rows); ``None`` to use the given lexicon.
        group: Rows of one group share a cross-validation fold (a set's
            writer); empty to fold the row by its text.
        calibrate: Whether its cross-validated answer fits the calibration
            (false for a set the lexicon's vocabulary was written from).
        train: False for a row that is only scored (stop 33: a set the
            table is not trained on, scored as the table trained on the rest
            answers it); it never trains, calibrates or shapes the features.
    """

    text: str
    bureau: str
    source: str
    weight: float = 1.0
    cv_probs: dict[str, float] | None = None
    group: str = ""
    calibrate: bool = True
    train: bool = True


@dataclass(slots=True)
class WeightsFit:
    """The fitted table and its cross-validated figures."""

    bias: dict[str, float]
    words: dict[str, dict[str, float]]
    calibration: list[tuple[float, float]]
    calibration_long: list[tuple[float, float]]
    lexicon_weight: float
    learnt_weight: float
    rule_weight: float
    room_weight: float = 0.0
    report: list[str] = field(default_factory=list)


def lexicon_probs(
    text: str, lex: Lexicon
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """A message's words and the lexicon's probability of every bureau.

    A bureau's probability is its room's probability times its share of the
    room (as :func:`nlp.classify.classify` computes the routed answer's); the
    third part is what the fired rules add to a bureau.
    """
    from nlp.classify import lexicon_bureau_probs

    comp = _compiled(lex)
    norm, _ = prepare_text(text, lex.settings.max_chars)
    feats = message_features(norm, lex.settings.title_weight, lex.settings.lead_chars)
    sc = score_features(feats, lex)
    return feats, lexicon_bureau_probs(comp, sc, lex), sc.rule_bureaus


def isotonic(
    points: Sequence[tuple[float, float, float]], z: float = 1.0
) -> list[tuple[float, float]]:
    """Pool adjacent violators: (x, y, weight) → increasing step points (x, fitted y).

    Returns one point per pooled block (answers with the same x are one
    block), at the block's weighted mean x, with the block's share right
    replaced by its Wilson lower bound at ``z`` standard errors (its row
    count as n; then made non-decreasing from the right): a conservative map,
    so that answers given with a high confidence are right at least that often.
    """
    tied: list[list[float]] = []  # [sum w·x, sum w·y, sum w, rows] per distinct x
    last_x: float | None = None
    for x, y, w in sorted(points):
        if tied and x == last_x:
            tied[-1][0] += w * x
            tied[-1][1] += w * y
            tied[-1][2] += w
            tied[-1][3] += 1.0
        else:
            tied.append([w * x, w * y, w, 1.0])
        last_x = x
    blocks: list[list[float]] = []
    for block in tied:
        blocks.append(block)
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            for i in range(4):
                blocks[-1][i] += last[i]
    out: list[tuple[float, float]] = []
    for b in blocks:
        p, n = b[1] / b[2], b[3]
        z2 = z * z
        low = (p + z2 / (2 * n) - z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n)
        out.append((round(b[0] / b[2], 8), round(max(0.0, low), 4)))
    for i in range(len(out) - 2, -1, -1):
        if out[i][1] > out[i + 1][1]:
            out[i] = (out[i][0], out[i + 1][1])
    return out


def set_group(stem: str) -> str:
    """The cross-validation group of a set file: its writer.

    A probe's citizen messages and warnings were written by one helper
    (``probe_e_citizen_messages`` and ``probe_e_warnings`` → ``probe_e``), as
    were a blind triage set's files (``blind13k_warnings`` → ``blind13k``).
    """
    head, _, rest = stem.partition("_")
    if head == "probe" and rest:
        return "probe_" + rest.partition("_")[0]
    return head


def _fold(text: str, k: int) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big") % k


def _folds(rows: Sequence[TrainRow], k: int, own: Callable[[str], bool] | None = None) -> list[int]:
    """Each row's fold: groups dealt round-robin in the order of their SHA-256
    (so that the folds hold about as many sets each), ungrouped rows by text.

    A group for which ``own`` is true gets a fold of its own after the ``k``
    dealt ones (leave-one-writer-out for that writer, stop 33)."""
    mine = sorted({r.group for r in rows if r.group and own is not None and own(r.group)})
    groups = sorted({r.group for r in rows if r.group} - set(mine), key=lambda g: _fold(g, 1 << 30))
    dealt = {g: i % k for i, g in enumerate(groups)} | {g: k + i for i, g in enumerate(mine)}
    return [dealt[r.group] if r.group else _fold(r.text, k) for r in rows]


def _x(feats: dict[str, float], idf: dict[str, float], min_idf: float) -> dict[str, float]:
    """``v / ‖v‖`` over the message's words; only words of two or more characters
    that are not common (idf ≥ ``min_idf`` in the lexicon's mined terms; a word
    the lexicon does not know is rare) become features, the norm counts all."""
    norm = math.sqrt(sum(v * v for v in feats.values())) or 1.0
    return {t: v / norm for t, v in feats.items() if len(t) >= 2 and idf.get(t, 99.0) >= min_idf}


def fit_weights(
    rows: Sequence[TrainRow],
    lex: Lexicon,
    *,
    c_reg: float = 3.0,
    lexicon_weight: float = 0.5,
    learnt_weight: float = 1.5,
    rule_weight: float = 1.0,
    room_weight: float = 0.0,
    folds: int = 5,
    min_df: int = 2,
    min_idf: float = 2.5,
    own_fold: Callable[[str], bool] | None = None,
    progress: Callable[[str], None] | None = None,
) -> WeightsFit:
    """Fit the table on ``rows`` and report its cross-validated figures.

    Args:
        rows: Labelled messages.
        lex: The lexicon the table is combined with.
        c_reg: Inverse L2 strength of the logistic regression.
        lexicon_weight: Factor of the lexicon's log-probability.
        learnt_weight: Factor of the learnt score.
        rule_weight: Factor of the fired rules' bureau weights, added again.
        room_weight: Factor of the lexicon's log-probability of the bureau's room.
        folds: Cross-validation folds.
        min_df: A word must occur in this many training messages.
        min_idf: A word must be at least this rare (lexicon idf) to be a feature.
        own_fold: Groups (writers) that get a cross-validation fold of their
            own, so that their figures are leave-one-writer-out.
        progress: Called with a line per step.

    Raises:
        ImportError: If scikit-learn is not installed.
    """
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    say = progress or (lambda _m: None)
    feats: list[dict[str, float]] = []
    lprobs: list[dict[str, float]] = []
    rules: list[dict[str, float]] = []
    for r in rows:
        f, p, fired = lexicon_probs(r.text, lex)
        feats.append(f)
        lprobs.append(r.cv_probs if r.cv_probs is not None else p)
        rules.append(fired)
    xs = [_x(f, lex.term_idf, min_idf) for f in feats]
    y = np.array([ALL_BUREAUS.index(r.bureau) for r in rows])
    sw = np.array([r.weight for r in rows])
    fold = np.array(_folds(rows, folds, own_fold))
    trains = np.array([r.train for r in rows])
    cal = [r.calibrate and r.train for r in rows]

    def fit(mask: Any) -> tuple[Any, Any, Any]:
        vec: Any = DictVectorizer()
        x = vec.fit_transform([xs[i] for i in np.flatnonzero(mask)])
        keep = np.asarray((x > 0).sum(0)).ravel() >= min_df
        model: Any = LogisticRegression(C=c_reg, max_iter=5000)
        model.fit(x[:, keep], y[mask], sample_weight=sw[mask])
        return vec, keep, model

    z = np.full((len(rows), len(ALL_BUREAUS)), -30.0)
    n_folds = int(fold.max()) + 1 if len(rows) else folds
    full: tuple[Any, Any, Any] | None = None
    for k in range(n_folds):
        test = fold == k
        if not test.any():
            continue
        if (test & trains).any():
            vec, keep, model = fit(~test & trains)
        else:  # only rows that never train: the table trained on every row answers them
            full = full or fit(trains)
            vec, keep, model = full
        scores = model.decision_function(
            vec.transform([xs[i] for i in np.flatnonzero(test)])[:, keep]
        )
        part = np.full((int(test.sum()), len(ALL_BUREAUS)), -30.0)
        part[:, model.classes_] = scores
        z[test] = part
        say(f"fold {k + 1}/{n_folds} done")
    lp = np.log(np.array([[max(p.get(b, 0.0), 1e-9) for b in ALL_BUREAUS] for p in lprobs]))
    ruled = np.array([[fired.get(b, 0.0) for b in ALL_BUREAUS] for fired in rules])
    s = lexicon_weight * lp + learnt_weight * z + rule_weight * ruled
    if room_weight:
        # The room's probability: the sum of its bureaus' (one column per bureau).
        room_of = np.array([ROOMS.index(_ROOM[b]) for b in ALL_BUREAUS])
        room_p = np.stack([np.exp(lp[:, room_of == k]).sum(1) for k in range(len(ROOMS))], 1)
        s = s + room_weight * np.log(np.maximum(room_p, 1e-9))[:, room_of]
    prob = np.exp(s - s.max(1, keepdims=True))
    prob /= prob.sum(1, keepdims=True)
    pred = prob.argmax(1)
    raw = prob.max(1)
    right = pred == y
    # Two maps: messages of more than LONG_WORDS distinct words (board posts,
    # real stories) and shorter ones (what is typed into the bot); a long
    # story is further from most training rows and is right less often at
    # the same raw probability.
    calibration = isotonic(
        [
            (float(raw[i]), float(right[i]), float(sw[i]))
            for i in range(len(rows))
            if cal[i] and len(feats[i]) <= LONG_WORDS
        ]
    )
    calibration_long = isotonic(
        [
            (float(raw[i]), float(right[i]), float(sw[i]))
            for i in range(len(rows))
            if cal[i] and len(feats[i]) > LONG_WORDS
        ]
    )
    lengths = [len(f) for f in feats]
    report = _report(rows, pred, y, raw, calibration, calibration_long, lengths)
    vec, keep, model = full or fit(trains)
    names = np.array(vec.get_feature_names_out())[keep]
    coef = np.zeros((len(ALL_BUREAUS), len(names)))
    coef[model.classes_] = model.coef_
    bias = np.zeros(len(ALL_BUREAUS))
    bias[model.classes_] = model.intercept_
    # A bureau without rows keeps a very low bias (it cannot be learnt).
    missing = set(range(len(ALL_BUREAUS))) - {int(c) for c in model.classes_}
    for j in missing:
        bias[j] = -10.0
    words: dict[str, dict[str, float]] = {}
    for i, name in enumerate(names):
        ws = {ALL_BUREAUS[j]: round(float(coef[j, i]), 3) for j in range(len(ALL_BUREAUS))}
        ws = {b: w for b, w in ws.items() if abs(w) >= 0.005}
        if ws:
            words[str(name)] = ws
    return WeightsFit(
        bias={b: round(float(bias[j]), 3) for j, b in enumerate(ALL_BUREAUS)},
        words=words,
        calibration=calibration,
        calibration_long=calibration_long,
        lexicon_weight=lexicon_weight,
        learnt_weight=learnt_weight,
        rule_weight=rule_weight,
        room_weight=room_weight,
        report=report,
    )


def _calibrated(points: Sequence[tuple[float, float]], raw: float) -> float:
    from nlp.bureau_weights import BureauWeights

    table = BureauWeights("", 1.0, 1.0, (), {}, tuple(points))
    return table.calibrate(raw)


def _report(
    rows: Sequence[TrainRow],
    pred: Any,
    y: Any,
    raw: Any,
    calibration: list[tuple[float, float]],
    calibration_long: list[tuple[float, float]],
    lengths: list[int],
) -> list[str]:
    room_of = {b: r for r in ROOMS for b in BUREAUS[r]}
    lines = ["cross-validated (source: rows, bureau, room, confidence >= 0.8: n, right)"]
    sources = sorted({r.source for r in rows})
    pooled = "probes' citizen messages, pooled"
    for source in [*sources, pooled]:
        if source == pooled:
            idx = [i for i, r in enumerate(rows) if r.source.startswith("probe_")]
            idx = [i for i in idx if "citizen" in rows[i].source]
            if not idx:
                continue
        else:
            idx = [i for i, r in enumerate(rows) if r.source == source]
        bureau = sum(bool(pred[i] == y[i]) for i in idx) / len(idx)
        room = sum(
            room_of[ALL_BUREAUS[int(pred[i])]] == room_of[ALL_BUREAUS[int(y[i])]] for i in idx
        ) / len(idx)
        conf = [
            i
            for i in idx
            if _calibrated(
                calibration_long if lengths[i] > LONG_WORDS else calibration, float(raw[i])
            )
            >= 0.8
        ]
        right = sum(bool(pred[i] == y[i]) for i in conf)
        share = f"{right / len(conf):.3f}" if conf else "-"
        lines.append(
            f"{source:<28} {len(idx):>4}  {bureau:.3f}  {room:.3f}  {len(conf):>4} {share}"
        )
    return lines
