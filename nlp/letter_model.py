"""A learnt model of a long letter's severity that may raise the rubric's level (stops 27–28).

Real letters to an office tell collective action in calm words that no word
list written from one sample's letters reaches in the next (亦工亦农群体代表多次
上访, 业主多次集结越级反映, 合同工群体联名诉求), and the signs of the rubric's
medium level in a writer's words (民愤极大、怨声载道, 危及生命安全, 继续告上去).
This model reads a letter (:func:`nlp.background.is_letter`) by its features
(:mod:`nlp.letter_features`: a collective subject, an act, a plan, acting
together, a group of writers, the families of a group's grievance, head counts,
households concerned, 我们, repetition, length, and the word classes of
:mod:`nlp.letter_words`: emotion, a threat to go higher, a danger to health or
safety argued, many people concerned, talk online, a dispute) and scores each
level's head

    ``score = bias + Σ weight(feature present)``

(logistic regressions of "the letter is at least medium" and "at least high",
trained by ``minqing triage letters-train``, :mod:`nlp.letter_train`, on the
labelled real letters R1–R6plus and shipped as ``config/letter_model.json``).
A letter the rubric rates low is raised to **medium** when the medium head's
score reaches its threshold; a letter rated low or medium is raised to **high**
when the high head's does. The model never lowers a level, never sets
``critical`` (a danger to life stays the rubric's to find) and never raises a
low letter that says the matter is over. Before the heads, a letter signed jointly
by many or for a group petitioning (:func:`nlp.letter_joint.joint_letter`: 联名,
全体村民 as the signature, 集体请愿) is a collective petition and set to **high**
(since stop 28, branch i13bb), unless it says the matter is over.

The words that set the level (:meth:`LetterModel.reasons`) are the words of the
present features with the largest positive weights on that level's head
(到市政府、上访、三十多户; 怨声载道、民愤、蛮横); a letter whose features name no
word is not raised.

Pure Python at run time, and cheap (:func:`raise_letter`): one scan for the
lists' words over the bigrams the rubric has just read, and the costlier
readers only when the largest weights they could add might reach a threshold.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nlp.letter_features import (
    HEAD_NAMES,
    READER_NAMES,
    UNREAD_NO_CROWD,
    head_features,
    letter_features,
    list_features,
    may_read,
    read_features,
    told_over,
)
from nlp.letter_joint import joint_letter
from nlp.rubric_model import Rubric
from nlp.severity_value import Severity

__all__ = [
    "LETTER_MODEL_PATH",
    "LetterModel",
    "default_letter_model",
    "letter_features",
    "load_letter_model",
    "raise_letter",
    "told_over",
]

LETTER_MODEL_PATH = Path(__file__).resolve().parent.parent / "config" / "letter_model.json"
"""The packaged weights (written by ``minqing triage letters-train``)."""

_SHOWN_MAX = 4
"""How many words a raised letter's reasons show."""


@dataclass(frozen=True, slots=True)
class LetterModel:
    """The letter model: one weight per feature and level, and each level's bias and threshold.

    Attributes:
        weights: Feature name → its weight on each level's head (``LEVELS`` order).
        bias: Level (``high``) → the head's bias.
        threshold: Level → the score (bias included) at which the letter is raised to it.
        meta: How the weights were made (shown, never read).
    """

    weights: Mapping[str, tuple[float, ...]]
    bias: Mapping[str, float]
    threshold: Mapping[str, float]
    meta: Mapping[str, object]

    def scores(self, feats: Mapping[str, str]) -> dict[str, float]:
        """Each level's score: its bias plus the weights of the features present."""
        # The rows of the features present, read once for every level (the same
        # terms summed in the same order as one generator per level).
        w = self.weights
        rows = [w[f] for f in feats if f in w]
        return {level: self.bias[level] + sum(r[i] for r in rows) for i, level in enumerate(LEVELS)}

    def may_raise(self, feats: Mapping[str, str], unread: Iterable[str], above: str) -> bool:
        """True if, with any of the ``unread`` features added, a head above ``above`` could fire.

        An exact bound: the score with ``feats`` plus every positive weight of
        ``unread``; ``False`` means :meth:`level` gives nothing above ``above``
        whatever the unread features are.
        """
        scores = self.scores(feats)
        rest = [self.weights[f] for f in unread if f in self.weights]
        for i, level in enumerate(LEVELS):
            if _RANK[level] <= _RANK[above]:
                continue
            if scores[level] + sum(max(0.0, w[i]) for w in rest) >= self.threshold[level]:
                return True
        return False

    def level(self, feats: Mapping[str, str]) -> str | None:
        """The highest level whose score reaches its threshold, or ``None``."""
        scores = self.scores(feats)
        for level in reversed(LEVELS):
            if scores[level] >= self.threshold[level]:
                return level
        return None

    def reasons(self, feats: Mapping[str, str], level: str) -> tuple[str, ...]:
        """The words of the features with the largest positive weights on ``level``'s head."""
        i = LEVELS.index(level)
        w = self.weights
        ranked = sorted(
            (f for f in feats if f in w and w[f][i] > 0 and feats[f]), key=lambda f: -w[f][i]
        )
        shown: list[str] = []
        for f in ranked:
            for said in feats[f].split("、"):
                if not any(said in s or s in said for s in shown):
                    shown.append(said)
            if len(shown) >= _SHOWN_MAX:
                break
        return tuple(shown[:_SHOWN_MAX])

    def to_json(self) -> str:
        """The weights file's text: one feature a line, sorted (diffable)."""
        head = {"meta": dict(self.meta), "bias": dict(self.bias), "threshold": dict(self.threshold)}
        lines = [
            json.dumps(k, ensure_ascii=False)
            + ": "
            + json.dumps(v, ensure_ascii=False, sort_keys=True)
            for k, v in head.items()
        ]
        body = ",\n    ".join(
            json.dumps(f, ensure_ascii=False) + ": " + json.dumps([round(x, 4) for x in v])
            for f, v in sorted(self.weights.items())
        )
        return "{\n  " + ",\n  ".join(lines) + ',\n  "weights": {\n    ' + body + "\n  }\n}\n"


LEVELS = ("medium", "high")
"""The levels the model can set, lowest first (the columns of the weights)."""

RAISES_FROM = ("low", "medium")
"""The levels the model raises: low to medium or high, medium to high.

Stop 27 kept only the high head: a medium head over R1–R3's features set right
one under-rated letter of 520. Stop 28 gave it word classes of its own
(:mod:`nlp.letter_words`) and R4's letters, whose labeller drew medium lower
(docs/severity.md, "Stop 28").
"""


def raise_letter(
    text: str, rub: Rubric, found: Severity, model: LetterModel | None = None
) -> Severity:
    """A letter's severity: the rubric's (``found``), raised to the model's level when higher.

    A low letter may be raised to medium or high, a medium one to high; no
    level is lowered and none set to critical.

    The reasons of a raised letter are the words that set the level
    (:meth:`LetterModel.reasons`); a letter whose features name no word is
    not raised. ``families`` then ends with ``"letter_model"``.

    Args:
        text: Normalised text of a letter.
        rub: The rubric.
        found: The rubric's assessment of the text.
        model: The model; ``None`` for the packaged ``config/letter_model.json``.

    Returns:
        The severity.
    """
    if found.level not in RAISES_FROM:
        return found
    # A letter signed jointly by many or on behalf of a group petitioning is a collective
    # petition (high by the rubric's definition), unless it says the matter is over.
    joint = joint_letter(text)
    if joint is not None and not told_over(text, rub):
        return found.set_to("high", (joint,), "letter_joint")
    mod = model if model is not None else default_letter_model()
    if mod is None:
        return found
    # Most letters hold too little: the words of the lists and the largest
    # weights the head counts and readers could add say so before they are read.
    feats = list_features(text, rub, shown=False)
    unread = (*HEAD_NAMES, *READER_NAMES) if "crowd_act" in feats else UNREAD_NO_CROWD
    if not mod.may_raise(feats, unread, found.level):
        return found
    heads, counts = head_features(text)
    feats.update(heads)
    unread = may_read(text, feats, counts, rub)
    if not mod.may_raise(feats, unread, found.level):
        return found
    feats.update(read_features(text, rub, unread))
    level = mod.level(feats)
    if level is None or _RANK[level] <= _RANK[found.level]:
        return found
    # Raising (rare): a low letter that says the matter is over stays low, as for
    # the danger model (nlp.severity); the words shown are worked out now.
    if found.level == "low" and told_over(text, rub):
        return found
    reasons = mod.reasons(letter_features(text, rub), level)
    if not reasons:
        return found
    return found.set_to(level, reasons, "letter_model")


_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def load_letter_model(path: Path) -> LetterModel:
    """Read a weights file written by :meth:`LetterModel.to_json`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return LetterModel(
        weights={str(k): tuple(float(x) for x in v) for k, v in data["weights"].items()},
        bias={str(k): float(v) for k, v in data["bias"].items()},
        threshold={str(k): float(v) for k, v in data["threshold"].items()},
        meta=dict(data.get("meta", {})),
    )


_DEFAULT: LetterModel | None = None
_LOCK = threading.Lock()


def default_letter_model() -> LetterModel | None:
    """The packaged model, loaded once; ``None`` if the file is absent."""
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                if not LETTER_MODEL_PATH.exists():
                    return None
                _DEFAULT = load_letter_model(LETTER_MODEL_PATH)
    return _DEFAULT
