"""The learnt bureau word weights (``config/bureau_weights.toml``), combined with the lexicon.

A multinomial logistic regression over a message's jieba words, one weight per
word and bureau, trained offline by ``minqing lexicon weights`` from real
board messages (the build half of issue 14's split) and the probe sets
(:mod:`nlp.weights_train`). It is read like the lexicon: a word's line names
the bureaus it speaks for (positive) and against (negative).

At classification time a bureau's score is::

    lexicon_weight × log P_lexicon(bureau) + room_weight × log P_lexicon(room of bureau)
        + learnt_weight × (bias + Σ w(word) × v / ‖v‖) + rule_weight × rules(bureau)

with ``v`` the word's weight in the message (2 in a title, else 1) and
``‖v‖`` the length of the message's word vector; a softmax of the scores gives
the bureau probabilities, and the answer's confidence is the top probability
mapped through ``calibration`` (an isotonic fit of cross-validated answers:
raw probability → share right), so that a confidence of 0.8 means about 80 %
right on messages like the ones it was fitted on.

Pure: the table is plain data; no scikit-learn at runtime.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, mul, truediv
from pathlib import Path

from nlp.lexicon import BUREAUS, LEXICON_PATH, ROOMS, LexiconError, read_toml_cached

__all__ = ["WEIGHTS_PATH", "BureauWeights", "load_weights", "weights_for"]

WEIGHTS_PATH = LEXICON_PATH.with_name("bureau_weights.toml")
"""The packaged table."""

ALL_BUREAUS: tuple[str, ...] = tuple(b for r in ROOMS for b in BUREAUS[r])
"""Column order of the table: bureaus room by room."""

_sum_floats: Callable[[Iterable[float]], float] = sum


@dataclass(frozen=True, slots=True)
class BureauWeights:
    """A loaded table of learnt bureau word weights.

    Attributes:
        source: The file it came from.
        lexicon_weight: Factor of the lexicon's log-probability.
        learnt_weight: Factor of the learnt score.
        bias: Per bureau (in :data:`ALL_BUREAUS` order).
        words: Word → weight per bureau (same order).
        calibration: Isotonic points (raw top probability, share right),
            raw ascending, for messages of up to ``long_words`` distinct words.
        calibration_long: The same for longer messages.
        long_words: Where the long map takes over.
        rule_weight: Factor of the fired rules' bureau weights, added again.
        trust_above: A room the lexicon gives at least this probability is
            kept (the learnt weights only choose the bureau in it); 2 = off.
        room_weight: Factor of the lexicon's log-probability of the bureau's
            room, added to ``lexicon_weight``'s: the lexicon (mined on the
            contest's board posts too) keeps more say over the room than over
            the bureau inside it.
    """

    source: str
    lexicon_weight: float
    learnt_weight: float
    bias: tuple[float, ...]
    words: dict[str, tuple[float, ...]]
    calibration: tuple[tuple[float, float], ...]
    calibration_long: tuple[tuple[float, float], ...] = ()
    long_words: int = 20
    rule_weight: float = 1.0
    trust_above: float = 2.0
    room_weight: float = 0.0
    # Per bureau column: word → its positive excess over the other bureaus'
    # mean weight, built on first use (a function of the table alone).
    _excess: dict[int, dict[str, float]] = field(default_factory=dict, compare=False, repr=False)

    def learnt_scores(self, feats: dict[str, float]) -> list[float]:
        """``bias + Σ w(word) × v / ‖v‖`` per bureau for a message's words."""
        get = self.words.get
        # Column sums over the words in the table (a word not in it adds 0.0,
        # which changes no sum), then the title words' extra weight.
        cols = list(map(_sum_floats, zip(*filter(None, map(get, feats)), strict=True)))
        norm = _norm(feats)
        if cols:
            out = list(map(add, self.bias, map(truediv, cols, repeat(norm))))
        else:
            out = [b + 0.0 / norm for b in self.bias]
        for tok, v in [item for item in feats.items() if item[1] != 1.0]:
            row = get(tok)
            if row is not None:
                out = list(map(add, out, map(mul, row, repeat((v - 1.0) / norm))))
        return out

    def combine(
        self,
        lexicon_probs: dict[str, float],
        learnt: list[float],
        rules: dict[str, float] | None = None,
    ) -> list[float]:
        """Bureau probabilities (:data:`ALL_BUREAUS` order) from both parts.

        ``rules``: what the lexicon's fired ``[[rules]]`` add to a bureau, added
        again here: a district's decision (bribes go to 检察院 whatever office
        the official sits in) is not outvoted by the learnt words.
        """
        a, c = self.lexicon_weight, self.learnt_weight
        extra = rules or {}
        r = self.rule_weight
        room_p = [sum(lexicon_probs.get(b, 0.0) for b in BUREAUS[room]) for room in ROOMS]
        g = self.room_weight
        room_log = [g * math.log(max(p, 1e-9)) for p in room_p] if g else [0.0] * len(ROOMS)
        scores = [
            a * math.log(max(lexicon_probs.get(b, 0.0), 1e-9))
            + room_log[_ROOM_OF[b]]
            + c * z
            + r * extra.get(b, 0.0)
            for b, z in zip(ALL_BUREAUS, learnt, strict=True)
        ]
        # A room the lexicon is sure of stays: the learnt weights then only
        # choose the bureau inside it (the contest's board posts, which the
        # lexicon was mined on, keep its answer).
        top_room = max(range(len(ROOMS)), key=room_p.__getitem__)
        if room_p[top_room] >= self.trust_above:
            inside = set(BUREAUS[ROOMS[top_room]])
            scores = [
                s if b in inside else s - 1e3 for b, s in zip(ALL_BUREAUS, scores, strict=True)
            ]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def calibrate(self, raw: float, words: int = 0) -> float:
        """The calibrated confidence of an answer whose top probability is ``raw``.

        A message of more than ``long_words`` distinct words uses the map
        fitted on long messages (``calibration_long``), when there is one.
        """
        points = self.calibration
        if words > self.long_words and self.calibration_long:
            points = self.calibration_long
        if not points:
            return raw
        xs = [x for x, _ in points]
        i = bisect.bisect_right(xs, raw)
        if i == 0:
            return points[0][1]
        if i == len(points):
            return points[-1][1]
        (x0, y0), (x1, y1) = points[i - 1], points[i]
        return y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1

    def _excess_of(self, j: int) -> dict[str, float]:
        """Words whose weight for bureau column ``j`` exceeds the others' mean: that excess."""
        table = self._excess.get(j)
        if table is None:
            k = len(ALL_BUREAUS)
            table = {}
            for tok, row in self.words.items():
                excess = row[j] - (sum(row) - row[j]) / (k - 1)
                if excess > 0:
                    table[tok] = excess
            self._excess[j] = table
        return table

    def contributions(self, feats: dict[str, float], bureau: str) -> list[tuple[float, str]]:
        """Words that raised ``bureau`` above the other bureaus, strongest first."""
        excess = self._excess_of(ALL_BUREAUS.index(bureau))
        norm = _norm(feats)
        weight = self.learnt_weight
        out = [(weight * excess[tok] * feats[tok] / norm, tok) for tok in excess.keys() & feats]
        out.sort(key=lambda x: (-x[0], x[1]))
        return out


def _norm(feats: dict[str, float]) -> float:
    """The length of a message's word vector (1.0 for no words): each ``v × v``
    summed in the words' order, as a generator would, by ``map`` in C."""
    values = feats.values()
    return math.sqrt(_sum_floats(map(mul, values, values))) or 1.0


_ZERO: tuple[float, ...] = (0.0,) * len(ALL_BUREAUS)
_ROOM_OF = {b: i for i, room in enumerate(ROOMS) for b in BUREAUS[room]}


def _err(source: str, key: str, msg: str) -> LexiconError:
    return LexiconError(f"{source}: {key}: {msg}")


def parse_weights(data: dict[str, object], source: str) -> BureauWeights:
    """Validate a parsed table.

    Raises:
        LexiconError: If a key is missing or names an unknown bureau.
    """
    model = data.get("model")
    if not isinstance(model, dict):
        raise _err(source, "model", "missing table")
    bias_table = model.get("bias", {})
    if not isinstance(bias_table, dict):
        raise _err(source, "model.bias", "not a table")
    for b in bias_table:
        if b not in ALL_BUREAUS:
            raise _err(source, f"model.bias.{b}", "unknown bureau")
    bias = tuple(float(bias_table.get(b, 0.0)) for b in ALL_BUREAUS)
    calibration = tuple(
        (float(p[0]), float(p[1])) for p in model.get("calibration", []) if len(p) == 2
    )
    calibration_long = tuple(
        (float(p[0]), float(p[1])) for p in model.get("calibration_long", []) if len(p) == 2
    )
    words_table = data.get("words", {})
    if not isinstance(words_table, dict):
        raise _err(source, "words", "not a table")
    index = {b: i for i, b in enumerate(ALL_BUREAUS)}
    words: dict[str, tuple[float, ...]] = {}
    for word, ws in words_table.items():
        if not isinstance(ws, dict):
            raise _err(source, f"words.{word}", "not a table of bureau weights")
        row = [0.0] * len(ALL_BUREAUS)
        for b, w in ws.items():
            if b not in index:
                raise _err(source, f"words.{word}.{b}", "unknown bureau")
            row[index[b]] = float(w)
        words[str(word)] = tuple(row)
    return BureauWeights(
        source=source,
        lexicon_weight=float(model.get("lexicon_weight", 1.0)),
        learnt_weight=float(model.get("learnt_weight", 1.0)),
        bias=bias,
        words=words,
        calibration=calibration,
        calibration_long=calibration_long,
        long_words=int(model.get("long_words", 20)),
        rule_weight=float(model.get("rule_weight", 1.0)),
        trust_above=float(model.get("trust_above", 2.0)),
        room_weight=float(model.get("room_weight", 0.0)),
    )


def load_weights(path: Path | str | None = None) -> BureauWeights:
    """Load a table (the parsed file is cached like the lexicon's).

    Raises:
        LexiconError: If the file is missing or malformed.
    """
    file = Path(path) if path is not None else WEIGHTS_PATH
    data = read_toml_cached(file, "weights", "bureau weights file")
    return parse_weights(data, str(file))


_LOADED: dict[str, BureauWeights] = {}
_LOCK = threading.Lock()


def weights_for(setting: str) -> BureauWeights | None:
    """The table a lexicon names in ``[learnt] file`` (relative to config/), loaded once.

    Args:
        setting: The file name or path; empty for none.

    Returns:
        The table, or ``None`` when the lexicon names none.
    """
    if not setting:
        return None
    hit = _LOADED.get(setting)
    if hit is not None:
        return hit
    with _LOCK:
        hit = _LOADED.get(setting)
        if hit is None:
            path = Path(setting)
            if not path.is_absolute():
                path = LEXICON_PATH.parent / path
            hit = load_weights(path)
            _LOADED[setting] = hit
        return hit
