"""Mine weighted keywords from labelled messages into the lexicon.

The mined part of the lexicon is a multinomial logistic regression over the
words of a message (the same features the classifier uses), trained with
AdaGrad and L2 regularisation, *on top of* the hand-written keywords and
rules (their contributions are fixed offsets during training, so the mined
weights only add what the hand-written part misses). Each weight is
initialised from the smoothed log-odds of the word with an informative
Dirichlet prior (the word's overall frequency), so rarely seen words keep
weights close to their log-odds. The result stays a readable keyword list:
each term lists its weight per target (a room, or ``room/bureau`` when the
training label named a bureau).

The calibration temperature is fitted by K-fold cross-validation inside the
training rows (minimum negative log-likelihood of the room).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.classify import message_features, prepare_text, score_features
from nlp.dataset import EXCLUDED, LabelledMessage
from nlp.lexicon import ROOMS, Lexicon, parse_lexicon

__all__ = ["MINED_MARKER", "MinedModel", "mine", "render_lexicon"]

MINED_MARKER = "# ==== mined section"
"""Line that starts the generated part of ``lexicon.toml``."""


@dataclass(frozen=True, slots=True)
class MinedModel:
    """Mined weights.

    Attributes:
        targets: Target names (``room`` or ``room/bureau``).
        bias: Per-target bias.
        terms: Term → target → weight.
        temperature: Calibration temperature.
        rows: Number of training rows.
    """

    targets: tuple[str, ...]
    bias: dict[str, float]
    terms: dict[str, dict[str, float]]
    temperature: float
    rows: int


def _target(msg: LabelledMessage) -> str:
    return f"{msg.room}/{msg.bureau}" if msg.bureau else msg.room


_Row = tuple[dict[str, float], int, list[float], list[float]]


def _prepare(
    messages: Sequence[LabelledMessage], base: Lexicon
) -> tuple[list[str], list[str], list[_Row]]:
    targets = sorted(
        {_target(m) for m in messages if m.room != EXCLUDED},
        key=lambda t: (ROOMS.index(t.partition("/")[0]), t),
    )
    base_probe = parse_lexicon(
        {**dict(base.raw), "mined": {"bias": dict.fromkeys(targets, 0.0)}, "terms": {}},
        base.source,
    )
    data: list[_Row] = []
    fixed: list[str] = []
    score_features({}, base_probe)  # compiles it: lexicon phrases enter the segmenter
    for m in messages:
        if m.room == EXCLUDED:
            continue
        norm, _ = prepare_text(m.text, base.settings.max_chars)
        feats = message_features(norm, base.settings.title_weight, base.settings.lead_chars)
        sc = score_features(feats, base_probe)
        logits, names = sc.logits, sc.targets
        offsets = [logits[names.index(t)] for t in targets]
        fixed = [t for t in names if t not in targets]
        data.append(
            (feats, targets.index(_target(m)), offsets, [logits[names.index(t)] for t in fixed])
        )
    return targets, fixed, data


def _train(
    data: Sequence[_Row],
    k: int,
    l2: float,
    epochs: int,
    floor: float,
    lr: float,
    min_df: int,
    seed: int,
) -> tuple[list[float], dict[str, list[float]]]:
    df: Counter[str] = Counter(t for f, _, _, _ in data for t in f)
    vocab = {t for t, c in df.items() if c >= min_df}
    rows = []
    for feats, y, off, fixed in data:
        kept = {t: v for t, v in feats.items() if t in vocab}
        n = math.sqrt(max(sum(v * v for v in feats.values()), floor))
        rows.append(({t: v / n for t, v in kept.items()}, y, off, fixed))
    # Informative-prior log-odds as a starting point.
    counts: list[Counter[str]] = [Counter() for _ in range(k)]
    for feats, y, _, _ in rows:
        counts[y].update(feats.keys())
    total: Counter[str] = Counter()
    for per_class in counts:
        total.update(per_class)
    grand = sum(total.values()) or 1
    sizes = [sum(per_class.values()) for per_class in counts]
    alpha = 100.0
    weights: dict[str, list[float]] = {}
    for t in vocab:
        prior = alpha * total[t] / grand
        lo = [math.log((counts[c][t] + prior) / (sizes[c] + alpha)) for c in range(k)]
        mu = sum(lo) / k
        weights[t] = [0.1 * (x - mu) for x in lo]
    bias = [0.0] * k
    g_w: dict[str, list[float]] = {t: [1e-8] * k for t in vocab}
    g_b = [1e-8] * k
    rnd = random.Random(seed)
    order = list(range(len(rows)))
    for _ in range(epochs):
        rnd.shuffle(order)
        for i in order:
            feats, y, off, fixed = rows[i]
            m = list(bias)
            for t, v in feats.items():
                w = weights[t]
                for c in range(k):
                    m[c] += v * w[c]
            # Unmined targets sit at the mean of the mined ones (as in classify).
            mean = sum(m) / k
            s = [m[c] + off[c] for c in range(k)] + [f + mean for f in fixed]
            top = max(s)
            e = [math.exp(x - top) for x in s]
            z = sum(e)
            p_fixed = sum(e[k:]) / z / k
            grad = [e[c] / z - (1.0 if c == y else 0.0) + p_fixed for c in range(k)]
            for c in range(k):
                g_b[c] += grad[c] * grad[c]
                bias[c] -= lr * grad[c] / math.sqrt(g_b[c])
            for t, v in feats.items():
                w = weights[t]
                g = g_w[t]
                for c in range(k):
                    gr = grad[c] * v + l2 * w[c]
                    g[c] += gr * gr
                    w[c] -= lr * gr / math.sqrt(g[c])
    return bias, weights


def _train_avg(
    data: Sequence[_Row],
    k: int,
    l2: float,
    epochs: int,
    floor: float,
    lr: float,
    min_df: int,
    seed: int,
    seeds: int,
) -> tuple[list[float], dict[str, list[float]]]:
    """Train with several shuffling seeds and average the weights (less variance)."""
    runs = [_train(data, k, l2, epochs, floor, lr, min_df, seed + i) for i in range(seeds)]
    bias = [sum(r[0][c] for r in runs) / seeds for c in range(k)]
    weights = {t: [sum(r[1][t][c] for r in runs) / seeds for c in range(k)] for t in runs[0][1]}
    return bias, weights


def _room_nll(
    data: Sequence[_Row],
    targets: Sequence[str],
    bias: list[float],
    weights: dict[str, list[float]],
    floor: float,
) -> list[tuple[list[float], int]]:
    out = []
    k = len(targets)
    for feats, y, off, fixed in data:
        n = math.sqrt(max(sum(v * v for v in feats.values()), floor))
        m = list(bias)
        for t, v in feats.items():
            w = weights.get(t)
            if w:
                for c in range(k):
                    m[c] += v / n * w[c]
        mean = sum(m) / k
        out.append(([m[c] + off[c] for c in range(k)] + [f + mean for f in fixed], y))
    return out


def _macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    labels = sorted({g for _, g in pairs})
    f1s = []
    for c in labels:
        tp = sum(1 for p, g in pairs if p == c and g == c)
        fp = sum(1 for p, g in pairs if p == c and g != c)
        fn = sum(1 for p, g in pairs if p != c and g == c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def _fit_temperature(scored: Sequence[tuple[list[float], int]], targets: Sequence[str]) -> float:
    rooms = [t.partition("/")[0] for t in targets]
    best_t, best_nll = 1.0, float("inf")
    for i in range(10, 301, 5):
        temp = i / 100
        nll = 0.0
        for s, y in scored:
            top = max(s)
            e = [math.exp((x - top) / temp) for x in s]
            z = sum(e)
            p = sum(e[c] for c in range(len(s)) if rooms[c] == rooms[y]) / z
            nll -= math.log(max(p, 1e-12))
        if nll < best_nll:
            best_t, best_nll = temp, nll
    return best_t


def mine(
    messages: Sequence[LabelledMessage],
    base: Lexicon,
    *,
    l2: float = 1e-4,
    epochs: int = 15,
    lr: float = 0.5,
    min_df: int = 2,
    min_weight: float = 0.03,
    folds: int = 5,
    seed: int = 0,
    seeds: int = 5,
    progress: Callable[[str], None] | None = None,
) -> MinedModel:
    """Mine keyword weights from labelled messages.

    Args:
        messages: Training messages (rows mapped to :data:`EXCLUDED` are ignored).
        base: The lexicon whose hand-written part the mined weights complement.
        l2: L2 regularisation strength.
        epochs: Training passes.
        lr: AdaGrad learning rate.
        min_df: Minimum number of messages a term must occur in.
        min_weight: Terms whose largest absolute weight is below this are dropped.
        folds: Folds of the cross-validation that fits the temperature (0: none).
        seed: First shuffling seed (the result is deterministic for a given seed).
        seeds: Number of training runs with consecutive seeds whose weights are
            averaged.
        progress: Optional callback for progress messages.

    Returns:
        The mined model.

    Raises:
        ValueError: If there are fewer than two targets or no rows.
    """
    say = progress or (lambda _msg: None)
    targets, fixed, data = _prepare(messages, base)
    if len(targets) < 2 or not data:
        raise ValueError("need labelled rows of at least two rooms to mine a lexicon")
    k = len(targets)
    floor = base.settings.norm_floor
    say(f"{len(data)} rows, targets: {', '.join(targets)}")
    temperature = 1.0
    if folds > 1:
        scored: list[tuple[list[float], int]] = []
        for f in range(folds):
            train = [d for i, d in enumerate(data) if i % folds != f]
            test = [d for i, d in enumerate(data) if i % folds == f]
            bias, weights = _train_avg(train, k, l2, epochs, floor, lr, min_df, seed, seeds)
            scored.extend(_room_nll(test, targets, bias, weights, floor))
            say(f"fold {f + 1}/{folds} done")
        temperature = _fit_temperature(scored, targets + fixed)
        rooms = [t.partition("/")[0] for t in targets + fixed]
        pairs = [(rooms[max(range(len(s)), key=s.__getitem__)], rooms[y]) for s, y in scored]
        say(f"temperature {temperature:.2f}; cross-validated room macro-F1 {_macro_f1(pairs):.4f}")
    bias, weights = _train_avg(data, k, l2, epochs, floor, lr, min_df, seed, seeds)
    terms: dict[str, dict[str, float]] = {}
    for term in sorted(weights):
        w = weights[term]
        if max(abs(x) for x in w) < min_weight:
            continue
        terms[term] = {targets[c]: round(w[c], 2) for c in range(k) if abs(w[c]) >= 0.05}
    return MinedModel(
        targets=tuple(targets),
        bias={targets[c]: round(bias[c], 4) for c in range(k)},
        terms=terms,
        temperature=temperature,
        rows=len(data),
    )


def _key(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def render_lexicon(base_text: str, model: MinedModel, source: str) -> str:
    """Write a full lexicon: the hand-written part of ``base_text`` plus the mined part.

    Args:
        base_text: The current lexicon file's text; everything from
            :data:`MINED_MARKER` on is replaced.
        model: The mined model.
        source: Description of the training data, written into the file.

    Returns:
        The new lexicon text (TOML).
    """
    head = base_text.split(MINED_MARKER, 1)[0].rstrip() + "\n\n"
    lines = [
        f"{MINED_MARKER} (generated by `minqing lexicon build`; rebuild instead of editing) ====",
        "# Each term lists its weight per target (a room, or room/bureau when the",
        "# training label named a bureau). Weights are multiplied by v/√n (see",
        "# docs/classifier.md). Delete a term or change a weight to tune it.",
        "",
        "[mined]",
        f"source = {_key(source)}",
        f"rows = {model.rows}",
        f"temperature = {model.temperature:.2f}",
        "bias = { " + ", ".join(f"{_key(t)} = {b}" for t, b in model.bias.items()) + " }",
        "",
        "[terms]",
    ]
    for term, ws in model.terms.items():
        inner = ", ".join(f"{_key(t)} = {w}" for t, w in ws.items())
        lines.append(f"{_key(term)} = {{ {inner} }}")
    return head + "\n".join(lines) + "\n"


def build_from_file(
    path: Path,
    label_map: dict[str, str],
    split: str,
    base_path: Path,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Mine a lexicon from a labelled TSV file and return its text.

    Args:
        path: Labelled file (teddy format).
        label_map: Label → ``room[/bureau]``.
        split: ``build``, ``heldout`` or ``all``.
        base_path: The lexicon whose hand-written part is kept.
        progress: Optional progress callback.

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
    messages = list(read_labelled(path, label_map, split))
    model = mine(messages, hand, progress=progress)
    return render_lexicon(base_text, model, f"{path.name} split={split}")
