"""A linear support vector machine (squared hinge loss) by dual coordinate descent.

Written out so that mining the lexicon (:mod:`nlp.mine`) needs no numerical
library and is deterministic.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

__all__ = ["train_svm"]


def train_svm(
    rows: Sequence[dict[str, float]],
    labels: Sequence[bool],
    c: Sequence[float],
    seed: int = 0,
    tol: float = 0.1,
    max_passes: int = 1000,
) -> tuple[float, dict[str, float]]:
    """Train a linear SVM (squared hinge loss) by dual coordinate descent.

    The algorithm of LIBLINEAR's L2-regularised L2-loss dual solver
    (Hsieh et al., 2008), with the bias as a feature of constant value 1.

    Args:
        rows: Sparse feature vectors.
        labels: True for the positive class.
        c: Inverse regularisation strength (the cost of a margin error), per row.
        seed: Seed of the visiting order (the result is deterministic).
        tol: Stop when the projected gradients span less than this.
        max_passes: Upper bound on passes over the rows.

    Returns:
        The bias and the weights.
    """
    diags = [0.5 / ci for ci in c]
    q = [sum(v * v for v in r.values()) + 1.0 + d for r, d in zip(rows, diags, strict=True)]
    ys = [1.0 if label else -1.0 for label in labels]
    alpha = [0.0] * len(rows)
    weights: dict[str, float] = {}
    bias = 0.0
    rnd = random.Random(seed)
    order = list(range(len(rows)))
    for _ in range(max_passes):
        rnd.shuffle(order)
        high, low = -math.inf, math.inf
        for i in order:
            row, y, a = rows[i], ys[i], alpha[i]
            margin = bias
            for t, v in row.items():
                margin += weights.get(t, 0.0) * v
            grad = y * margin - 1.0 + diags[i] * a
            projected = grad if a > 0.0 else min(grad, 0.0)
            high = max(high, projected)
            low = min(low, projected)
            if projected != 0.0:
                new = max(a - grad / q[i], 0.0)
                step = (new - a) * y
                alpha[i] = new
                if step:
                    for t, v in row.items():
                        weights[t] = weights.get(t, 0.0) + step * v
                    bias += step
        if high - low < tol:
            break
    return bias, weights
