"""Mine weighted keywords from labelled messages into the lexicon.

The mined part of the lexicon is a linear support vector machine over the
words of a message (the same features the classifier uses), one room against
the others, on tf-idf vectors of unit length: a word weighs ``v × idf``
(``v`` = ``title_weight`` for title words, else 1; ``idf`` = how rare the
word is in the training messages) and each message is divided by its
length. Training is the dual coordinate descent of LIBLINEAR (squared hinge
loss, L2 regularisation), written out here so that the build needs no
numerical library and is deterministic.

The lexicon stores each term's weight times its idf (what one occurrence
adds before the division by the message's length) and the idf itself (its
share of that length). The margins are put on the scale of the hand-written
logits by one factor fitted by K-fold cross-validation inside the training
rows (minimum negative log-likelihood of the room, with the hand-written
keywords and rules added as they are at classification time); the same
folds give the cross-validated room macro-F1 that the build prints.

Rooms whose rows carry more than one target (teddy's 教育文体 rows are
``social/education``, its 卫生计生 rows plain ``social``) also get a bureau
model per ``room/bureau`` target, trained on that room's rows only; it
chooses the bureau inside the room and does not compete with the rooms.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.classify import message_features, prepare_text, score_features
from nlp.dataset import EXCLUDED, LabelledMessage
from nlp.lexicon import ROOMS, Lexicon, parse_lexicon
from nlp.mined_model import MINED_MARKER, MinedModel, render_lexicon
from nlp.svm import train_svm

__all__ = ["MINED_MARKER", "MinedModel", "mine", "render_lexicon", "train_svm"]


def _target(msg: LabelledMessage) -> str:
    return f"{msg.room}/{msg.bureau}" if msg.bureau else msg.room


@dataclass(frozen=True, slots=True)
class _Row:
    feats: dict[str, float]
    room: int  # index into the room targets
    target: str  # the row's own target (room or room/bureau)
    offsets: list[float]  # hand-written logits of the room targets
    fixed: list[float]  # hand-written logits of the rooms without training rows
    message: int  # index of the labelled message the row comes from
    title_only: bool  # the message's title alone (a short message)
    cost: float = 1.0  # the message's cost multiplier (real messages weigh more)


def _plan_targets(messages: Sequence[LabelledMessage]) -> tuple[list[str], list[str]]:
    """Room targets (one per room with rows) and bureau models."""
    by_room: dict[str, set[str]] = {}
    for m in messages:
        if m.room != EXCLUDED:
            by_room.setdefault(m.room, set()).add(_target(m))
    rooms: list[str] = []
    models: list[str] = []
    for room in sorted(by_room, key=ROOMS.index):
        names = by_room[room]
        if len(names) == 1:
            rooms.append(next(iter(names)))  # one target: it names the room (and its bureau)
        else:
            rooms.append(room)
            models.extend(sorted(t for t in names if "/" in t))
    return rooms, models


def _prepare(
    messages: Sequence[LabelledMessage], base: Lexicon, costs: Sequence[float] | None = None
) -> tuple[list[str], list[str], list[_Row]]:
    targets, models = _plan_targets(messages)
    base_probe = parse_lexicon(
        {**dict(base.raw), "mined": {"bias": dict.fromkeys(targets, 0.0)}, "terms": {}},
        base.source,
    )
    room_of = {t.partition("/")[0]: i for i, t in enumerate(targets)}

    def prior(target: str) -> float:
        # A room's prior is the district's deliberate offset: the shifts are
        # fitted without it, so re-mining keeps it (docs/classifier.md).
        return base.room_prior.get(target.partition("/")[0], 0.0)

    data: list[_Row] = []
    fixed: list[str] = []
    score_features({}, base_probe)  # compiles it: lexicon phrases enter the segmenter
    weights = costs if costs is not None else [1.0] * len(messages)
    kept = [(m, w) for m, w in zip(messages, weights, strict=True) if m.room != EXCLUDED]
    for index, (m, cost) in enumerate(kept):
        norm, _ = prepare_text(m.text, base.settings.max_chars)
        texts = [(norm, False)]
        title, sep, body = norm.partition("\n")
        if sep and body and 2 <= len(title) <= 60:
            texts.append((title, True))
        for text, title_only in texts:
            feats = message_features(text, base.settings.title_weight, base.settings.lead_chars)
            sc = score_features(feats, base_probe)
            logits, names = sc.logits, sc.targets
            fixed = [t for t in names if t not in targets]
            data.append(
                _Row(
                    feats,
                    room_of[m.room],
                    _target(m),
                    [logits[names.index(t)] - prior(t) for t in targets],
                    [logits[names.index(t)] - prior(t) for t in fixed],
                    index,
                    title_only,
                    cost,
                )
            )
    return targets, models, data


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    idf: dict[str, float]  # words in at least min_df training rows
    unknown: float  # idf of any other word (it counts in a message's length only)


def _vocabulary(rows: Sequence[_Row], min_df: int) -> _Vocabulary:
    df: Counter[str] = Counter(t for r in rows for t in r.feats)
    total = len(rows)
    idf = {t: math.log((total + 1) / (n + 1)) + 1.0 for t, n in df.items() if n >= min_df}
    return _Vocabulary(idf, math.log((total + 1) / max(min_df, 1)) + 1.0)


def _vector(feats: dict[str, float], vocab: _Vocabulary, floor: float) -> dict[str, float]:
    raw: dict[str, float] = {}
    length = 0.0
    for t, v in feats.items():
        idf = vocab.idf.get(t)
        if idf is None:
            length += (v * vocab.unknown) ** 2
        else:
            raw[t] = v * idf
            length += raw[t] ** 2
    divisor = math.sqrt(max(length, floor, 1e-12))
    return {t: x / divisor for t, x in raw.items()}


_Linear = tuple[float, dict[str, float]]


def _train_rooms(
    rows: Sequence[_Row], vocab: _Vocabulary, k: int, c: float, floor: float, seed: int
) -> list[_Linear]:
    vectors = [_vector(r.feats, vocab, floor) for r in rows]
    costs = _costs(rows, c)
    return [train_svm(vectors, [r.room == j for r in rows], costs, seed) for j in range(k)]


TITLE_COST = 0.25
"""Cost of a title row relative to a whole message."""

EXTRA_COST = 3.0
"""Cost of an error on a real message (bureau-labelled) relative to a contest row."""


def _costs(rows: Sequence[_Row], c: float) -> list[float]:
    return [r.cost * (c * TITLE_COST if r.title_only else c) for r in rows]


def _margins(models: Sequence[_Linear], row: _Row, vocab: _Vocabulary, floor: float) -> list[float]:
    x = _vector(row.feats, vocab, floor)
    return [b + sum(w.get(t, 0.0) * v for t, v in x.items()) for b, w in models]


def _room_logits(
    margins: Sequence[float], row: _Row, scale: float, shift: Sequence[float] | None = None
) -> list[float]:
    mined = [scale * m + (shift[j] if shift else 0.0) for j, m in enumerate(margins)]
    # Rooms without training rows sit at the mean of the mined ones (as in classify).
    mean = sum(mined) / len(mined)
    return [m + o for m, o in zip(mined, row.offsets, strict=True)] + [mean + f for f in row.fixed]


def _nll(scored: Sequence[tuple[list[float], _Row]], scale: float) -> float:
    total = 0.0
    for margins, row in scored:
        logits = _room_logits(margins, row, scale)
        top = max(logits)
        z = sum(math.exp(x - top) for x in logits)
        total -= logits[row.room] - top - math.log(z)
    return total


def _fit_shift(scored: Sequence[tuple[list[float], _Row]], scale: float, k: int) -> list[float]:
    """Per-room logit shifts that minimise the cross-validated room NLL.

    One-against-the-rest intercepts are not priors of a softmax; this turns
    them into one (gradient descent on a convex function of k numbers).
    """
    shift = [0.0] * k
    for _ in range(300):
        grad = [0.0] * k
        for margins, row in scored:
            logits = _room_logits(margins, row, scale, shift)
            top = max(logits)
            e = [math.exp(x - top) for x in logits]
            z = sum(e)
            mean_p = sum(e[k:]) / z / k  # rooms without rows follow the mean
            for j in range(k):
                grad[j] += e[j] / z + mean_p - (1.0 if j == row.room else 0.0)
        shift = [x - 2.0 * g / len(scored) for x, g in zip(shift, grad, strict=True)]
    mean = sum(shift) / k
    return [x - mean for x in shift]


def _macro_f1(pairs: Sequence[tuple[int, int]]) -> float:
    labels = sorted({g for _, g in pairs})
    f1s = []
    for c in labels:
        tp = sum(1 for p, g in pairs if p == c and g == c)
        fp = sum(1 for p, g in pairs if p == c and g != c)
        fn = sum(1 for p, g in pairs if p != c and g == c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def mine(
    messages: Sequence[LabelledMessage],
    base: Lexicon,
    *,
    c: float = 4.0,
    min_df: int = 2,
    min_weight: float = 0.05,
    folds: int = 5,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    costs: Sequence[float] | None = None,
) -> MinedModel:
    """Mine keyword weights from labelled messages.

    Args:
        messages: Training messages (rows mapped to :data:`EXCLUDED` are ignored).
        base: The lexicon whose hand-written part the mined weights complement.
        c: Inverse regularisation strength of the SVMs.
        min_df: Words in fewer training rows are not mined; they count in a
            message's length with the idf of such a word.
        min_weight: Weights smaller than this (in absolute value) are dropped.
        folds: Folds of the cross-validation that fits the scale and the room
            shifts (0 or 1: scale 1, no shifts, no CV figure).
        seed: Seed of the solver's visiting order.
        progress: Optional callback for progress messages.
        costs: Per message, a multiplier of the cost of its errors (default 1).

    Returns:
        The mined model.

    Raises:
        ValueError: If there are fewer than two rooms or no rows.
    """
    say = progress or (lambda _msg: None)
    targets, model_names, data = _prepare(messages, base, costs)
    if len(targets) < 2 or not data:
        raise ValueError("need labelled rows of at least two rooms to mine a lexicon")
    k = len(targets)
    floor = base.settings.norm_floor
    messages_n = sum(1 for d in data if not d.title_only)
    say(
        f"{messages_n} messages (+{len(data) - messages_n} titles alone), rooms: "
        f"{', '.join(targets)}; bureau models: {', '.join(model_names) or '-'}"
    )
    scale = 1.0
    shift = [0.0] * k
    cv_f1: float | None = None
    if folds > 1:
        scored: list[tuple[list[float], _Row]] = []
        for f in range(folds):
            train = [d for d in data if d.message % folds != f]
            vocab = _vocabulary(train, min_df)
            models = _train_rooms(train, vocab, k, c, floor, seed)
            scored.extend(
                (_margins(models, d, vocab, floor), d) for d in data if d.message % folds == f
            )
            say(f"fold {f + 1}/{folds} done")
        scale = min((s / 4 for s in range(2, 81)), key=lambda s: _nll(scored, s))
        shift = _fit_shift(scored, scale, k)
        pairs = []
        for margins, row in scored:
            if row.title_only:
                continue
            logits = _room_logits(margins, row, scale, shift)
            pairs.append((max(range(len(logits)), key=logits.__getitem__), row.room))
        cv_f1 = _macro_f1(pairs)
        say(
            f"scale {scale:.2f}, room shifts {', '.join(f'{x:+.2f}' for x in shift)}; "
            f"cross-validated room macro-F1 {cv_f1:.4f}"
        )
    vocab = _vocabulary(data, min_df)
    idf = vocab.idf
    rooms = _train_rooms(data, vocab, k, c, floor, seed)
    named: list[tuple[str, _Linear]] = list(zip(targets, rooms, strict=True))
    for name in model_names:
        room = name.partition("/")[0]
        inside = [d for d in data if targets[d.room].partition("/")[0] == room]
        vectors = [_vector(d.feats, vocab, floor) for d in inside]
        labels = [d.target == name for d in inside]
        named.append((name, train_svm(vectors, labels, _costs(inside, c), seed)))
    terms: dict[str, dict[str, float]] = {}
    for term in sorted(idf):
        ws = {}
        for name, (_, w) in named:
            value = round(scale * w.get(term, 0.0) * idf[term], 2)
            if abs(value) >= min_weight:
                ws[name] = value
        if ws:
            terms[term] = ws
    return MinedModel(
        targets=tuple(targets),
        bureau_models=tuple(model_names),
        bias={
            name: round(scale * b + (shift[j] if j < k else 0.0), 4)
            for j, (name, (b, _)) in enumerate(named)
        },
        terms=terms,
        idf={t: round(idf[t], 2) for t in terms},
        unknown_idf=round(vocab.unknown, 2),
        temperature=1.0,
        scale=scale,
        rows=messages_n,
        cv_macro_f1=cv_f1,
    )


def build_from_file(
    path: Path,
    label_map: dict[str, str],
    split: str,
    base_path: Path,
    progress: Callable[[str], None] | None = None,
    extra: Sequence[LabelledMessage] = (),
    extra_source: str = "",
    extra_cost: float = EXTRA_COST,
) -> str:
    """Mine a lexicon from a labelled TSV file and return its text.

    Args:
        path: Labelled file (teddy format).
        label_map: Label → ``room[/bureau]``.
        split: ``build``, ``heldout`` or ``all``.
        base_path: The lexicon whose hand-written part is kept.
        progress: Optional progress callback.
        extra: More training messages labelled with a bureau (real messages),
            mined together with the file's rows.
        extra_source: Description of ``extra`` for the lexicon's ``source``.
        extra_cost: Cost multiplier of the errors on ``extra``'s rows.

    Returns:
        The new lexicon text.
    """
    from nlp.dataset import read_labelled
    from nlp.lexicon import load_lexicon

    base_text = base_path.read_text(encoding="utf-8")
    base = load_lexicon(base_path)
    hand = parse_lexicon(
        {k: v for k, v in base.raw.items() if k not in ("mined", "terms")}, str(base_path)
    )
    messages = [*read_labelled(path, label_map, split)]
    costs = [1.0] * len(messages) + [extra_cost] * len(extra)
    model = mine([*messages, *extra], hand, progress=progress, costs=costs)
    source = f"{path.name} split={split}" + (f" + {extra_source}" if extra_source else "")
    return render_lexicon(base_text, model, source)
