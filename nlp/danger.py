"""A learned model of danger that raises the rubric's level, never lowers it.

The rubric's word families (:mod:`nlp.families`) match words; written by
hand, they miss wordings nobody listed (坐在楼顶边边上腿都伸出去了, 山坡塌了一片
压住两间民房). This module scores a text with a small linear model over
**character n-grams** (1 and 2 characters of the normalised text, digits
folded to ``0``), trained offline from every labelled warning and
emergency in ``tests/data`` by ``minqing triage train``
(:mod:`nlp.danger_train`) and shipped as ``config/danger_model.json``: one
weight per n-gram and head, readable and diffable.

Heads (each a binary naive-Bayes log-count-ratio model, see
``docs/severity.md``):

* ``critical``, ``high``, ``medium`` — the warning's level is at least that;
* ``danger`` — a citizen's message describes danger now (not a look-alike);
* ``s110``, ``s119``, ``s120`` — which emergency number that danger needs;
* ``unlike_request`` — a critical warning rather than an ordinary request or
  complaint (trained on the critical warnings against the real requests and
  the probes' citizen messages, stop 27): the ``critical`` head, which learnt
  critical against the lower *warnings*, took topic words of dangers set on
  roofs, rivers and walls (楼顶, 河里, 外墙) as evidence and rated 楼顶装了个信号塔
  critical; it raises a text only when this head fires too
  (:func:`nlp.severity.assess_normalized`).

A head *fires* when its score reaches its threshold, chosen by
cross-validation for recall (under-rating is far worse than a false alarm),
and the n-grams' own sum is positive (the prior alone never raises a level).
:func:`nlp.severity.assess_normalized` takes ``max(rubric, model)``;
:func:`nlp.emergency.detect` takes rubric ``or`` model. The words shown to an
officer are the n-grams present with the largest weights
(:meth:`Scored.reasons`).

Pure Python at run time: one dictionary lookup per n-gram, no numpy.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "HEADS",
    "MODEL_PATH",
    "DangerModel",
    "Head",
    "Scored",
    "default_model",
    "is_feature",
    "load_model",
    "ngrams",
]

MODEL_PATH = Path(__file__).resolve().parent.parent / "config" / "danger_model.json"
"""The packaged weights (written by ``minqing triage train``)."""

HEADS: tuple[str, ...] = (
    "critical",
    "high",
    "medium",
    "danger",
    "s110",
    "s119",
    "s120",
    "unlike_request",
)
"""The model's heads, in the order of the weights file's columns."""


# Characters of function words: a bigram with one of them is a poor "why".
_FUNCTION = frozenset("的地得一是在有个这那他她它我你们说和与就都也还又把被给么吗呢吧啊呀0")

# Particles that say nothing alone (shown neither as a single-character reason).
_PARTICLES = frozenset("了着过")

_DIGIT = re.compile(r"[0-9]")
_HAN = "\u4e00-\u9fff"
# Addresses and contact numbers are no evidence of danger: trained on a few hundred
# texts, the model learnt 人民路, 0号楼 and 单元 as danger words because some blind
# writers placed their scenes at such addresses, so a bare address ("东城街道人民路5号楼下")
# scored critical. House numbers, buildings, units, rooms, long digit runs (phones, after
# digits are folded to 0), named roads and streets, and named neighbourhoods are blanked
# before the n-grams are read, in training and at run time alike. A road word after a
# verb or an idiom's character (堵路, 拦路, 上街, 当街, 没有活路, 走投无路, 死路) is kept.
_PLACE = re.compile(
    r"0+(?:号楼|号院|号|栋|幢|单元|室|弄)"
    r"|0{5,}"
    rf"|[{_HAN}]{{1,3}}(?<![堵拦封挡占截断修过走让带问迷赶绕马一上无活出退生死满沿当临整逛往进到钻跑])"
    r"(?:大道|大街|路|街|巷(?!子)|胡同)"
    rf"|[{_HAN}]{{2,4}}(?:小区|社区|街道|花园|家园|新村|公寓|大厦|村委会)"
)


def fold(text: str) -> str:
    """The text as the model reads it: digits folded to ``0``, Latin letters lower
    case, addresses and phone numbers blanked (see ``_PLACE``).

    >>> fold("人民路5号楼下着火了")
    '      下着火了'
    """
    return _PLACE.sub(_blank, _DIGIT.sub("0", text).lower())


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def ngrams(text: str) -> set[str]:
    """The distinct character 1- and 2-grams of a normalised text.

    Digits are folded to ``0`` and Latin letters to lower case. An n-gram
    with punctuation or whitespace in it is never in the weights table
    (training keeps only n-grams of letters and digits,
    :func:`is_feature`), so ``着火，了`` gives no ``火了``.

    >>> sorted(ngrams("着火了"))
    ['了', '火', '火了', '着', '着火']
    """
    t = fold(text)
    grams = set(map(str.__add__, t, t[1:]))
    grams.update(t)
    return grams


def is_feature(gram: str) -> bool:
    """Whether an n-gram may be a feature: letters and digits only."""
    return gram.isalnum()


@dataclass(frozen=True, slots=True)
class Head:
    """One binary head: ``score = bias + Σ weight(n-gram present)``.

    Attributes:
        name: ``critical``, ``danger``, ``s119`` ...
        bias: The log prior ratio.
        threshold: The score at which the head fires.
    """

    name: str
    bias: float
    threshold: float


@dataclass(frozen=True, slots=True)
class Scored:
    """A text's scores, and the n-grams behind them.

    Attributes:
        scores: Head name → score.
        fired: The heads whose score reached their threshold.
        grams: The n-grams of the text that are in the table.
        table: The model's weights (n-gram → one weight per head).
        heads: The heads' names, in the order of the weights.
    """

    scores: Mapping[str, float]
    fired: frozenset[str]
    grams: frozenset[str] = frozenset()
    table: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    heads: tuple[str, ...] = HEADS

    @property
    def present(self) -> tuple[tuple[str, tuple[float, ...]], ...]:
        """``(n-gram, weights)`` of every n-gram of the text in the table (built on demand:
        only an officer's "why" needs it)."""
        return tuple((g, self.table[g]) for g in sorted(self.grams))

    def contributions(self, head: str) -> list[tuple[str, float]]:
        """``(n-gram, weight)`` of the n-grams pushing ``head`` up, largest first."""
        i = self.heads.index(head)
        return sorted(((g, w[i]) for g, w in self.present if w[i] > 0), key=lambda t: (-t[1], t[0]))

    def reasons(self, head: str, limit: int = 3) -> tuple[str, ...]:
        """The words that pushed ``head`` up: the top n-grams, none inside another.

        Bigrams with a function word's character in them (的塔, 喊他, 一地) are
        left out; a bigram is shown as it is (塔吊, 压着). Single characters (喝,
        吐) are shown only when no such bigram pushed the head up.
        """
        ranked = self.contributions(head)
        # Bigrams of content characters first; if none pushed the head up (the
        # logistic heads spread a word's weight over its characters), single ones.
        for size in (2, 1):
            chosen: list[str] = []
            for gram, _ in ranked:
                if len(gram) != size or _FUNCTION & set(gram) or gram in _PARTICLES:
                    continue
                if any(gram in c for c in chosen):
                    continue
                chosen = [c for c in chosen if c not in gram]
                chosen.append(gram)
                if len(chosen) >= limit:
                    break
            if chosen:
                return tuple(chosen)
        return ()


@dataclass(frozen=True, slots=True)
class _Subset:
    """The model restricted to some heads, ready for scoring.

    Attributes:
        heads: The heads, in the order of ``rows``' weights.
        rows: Every n-gram with a non-zero weight on one of the heads → its
            weights on those heads (0.0 where it has none): one lookup per
            n-gram of a text scores every head.
        codes: The same rows keyed by the n-gram's :func:`_gram_code`.
        code_grams: The n-gram of each code.
    """

    heads: tuple[Head, ...]
    rows: dict[str, tuple[float, ...]]
    grams: frozenset[str]
    codes: dict[int, tuple[float, ...]]
    code_grams: dict[int, str]
    code_set: frozenset[int]


def _gram_code(gram: str) -> int:
    """An n-gram of one or two characters as one integer: its code points, the second shifted.

    The code of ``ab`` is the 64-bit little-endian word of ``ab`` in UTF-32, so
    :func:`_text_codes` reads every bigram of a text from its encoded bytes
    without building a string for each.
    """
    return ord(gram[0]) | (ord(gram[1]) << 32 if len(gram) == 2 else 0)


def _text_codes(text: str) -> set[int]:
    """The codes (:func:`_gram_code`) of :func:`ngrams` of ``text``.

    The UTF-32 bytes read as 64-bit words from offset 0 and from offset 4 are
    the bigrams at even and at odd positions; read as 32-bit words, the single
    characters. (A bigram whose second character is U+0000 gets the code of its
    first character, which is in the set anyway and in no bigram of the table.)
    """
    t = fold(text)
    data = memoryview(t.encode("utf-32-le", "surrogatepass"))
    size = len(data)
    codes = set(data[: size // 8 * 8].cast("Q").tolist())
    if size > 4:
        codes.update(data[4 : 4 + (size - 4) // 8 * 8].cast("Q").tolist())
    codes.update(data.cast("I").tolist())
    return codes


class DangerModel:
    """The heads and the weight table."""

    def __init__(
        self,
        heads: Iterable[Head],
        weights: Mapping[str, Iterable[float]],
        meta: Mapping[str, object] | None = None,
    ) -> None:
        self.heads: tuple[Head, ...] = tuple(heads)
        self.weights: dict[str, tuple[float, ...]] = {g: tuple(w) for g, w in weights.items()}
        self.meta: dict[str, object] = dict(meta or {})
        self._index = {h.name: i for i, h in enumerate(self.heads)}
        self.names: tuple[str, ...] = tuple(h.name for h in self.heads)
        self._subsets: dict[tuple[str, ...], _Subset] = {}

    def head(self, name: str) -> Head:
        """The head called ``name``."""
        return self.heads[self._index[name]]

    def _subset(self, names: tuple[str, ...]) -> _Subset:
        """The heads of ``names`` and the weights of their n-grams (cached)."""
        hit = self._subsets.get(names)
        if hit is None:
            idx = [self._index[n] for n in names]
            rows = {
                g: tuple(w[i] if w[i] != 0.0 else 0.0 for i in idx)
                for g, w in self.weights.items()
                if any(w[i] != 0.0 for i in idx)
            }
            code_grams = {_gram_code(g): g for g in rows}
            if len(code_grams) != len(rows) or any(not 0 < len(g) <= 2 for g in rows):
                code_grams = {}  # not 1- and 2-grams: score by the strings
            codes = {c: rows[g] for c, g in code_grams.items()}
            hit = _Subset(
                tuple(self.heads[i] for i in idx),
                rows,
                frozenset(rows),
                codes,
                code_grams,
                frozenset(codes),
            )
            self._subsets[names] = hit
        return hit

    def score(self, text: str, heads: tuple[str, ...] | None = None) -> Scored:
        """Score a normalised text on every head, or only on ``heads``.

        The severity asks for three heads only: fewer n-grams to look up (only
        those with a weight on them) and fewer sums.
        """
        subset = self._subset(heads if heads is not None else self.names)
        if subset.code_grams:
            hits = subset.code_set & _text_codes(text)
            grams = frozenset(map(subset.code_grams.__getitem__, hits))
            rows = list(map(subset.codes.__getitem__, hits))
        else:
            grams = subset.grams & ngrams(text)
            rows = list(map(subset.rows.__getitem__, grams))
        # One row per n-gram, turned into one column per head.
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(subset.heads)
        scores: dict[str, float] = {}
        fired: set[str] = set()
        for head, column in zip(subset.heads, columns, strict=True):
            # fsum: exact, so the order of the set does not change the last digit.
            total = math.fsum(column)
            scores[head.name] = head.bias + total
            # A head fires on evidence: its threshold reached and the words
            # themselves pushing towards it (the prior alone never raises a level).
            if head.bias + total >= head.threshold and total > 0:
                fired.add(head.name)
        return Scored(scores, frozenset(fired), grams, self.weights, self.names)

    def to_json(self) -> str:
        """The weights file's text: stable order, one n-gram a line."""
        lines = ["{"]
        lines.append(f'  "meta": {json.dumps(self.meta, ensure_ascii=False, sort_keys=True)},')
        heads = [
            {"name": h.name, "bias": round(h.bias, 4), "threshold": round(h.threshold, 4)}
            for h in self.heads
        ]
        lines.append(f'  "heads": {json.dumps(heads, ensure_ascii=False)},')
        lines.append('  "weights": {')
        items = sorted(self.weights.items())
        for k, (gram, w) in enumerate(items):
            sep = "," if k < len(items) - 1 else ""
            row = json.dumps([round(v, 3) for v in w])
            lines.append(f"    {json.dumps(gram, ensure_ascii=False)}: {row}{sep}")
        lines.append("  }")
        lines.append("}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_json(cls, text: str) -> DangerModel:
        """Parse the weights file."""
        raw = json.loads(text)
        heads = [Head(h["name"], float(h["bias"]), float(h["threshold"])) for h in raw["heads"]]
        weights = {g: [float(v) for v in w] for g, w in raw["weights"].items()}
        return cls(heads, weights, raw.get("meta", {}))


def load_model(path: Path | str) -> DangerModel:
    """Load a weights file."""
    return DangerModel.from_json(Path(path).read_text(encoding="utf-8"))


_DEFAULT: DangerModel | None = None
_LOCK = threading.Lock()


def default_model() -> DangerModel | None:
    """The packaged model, loaded once; ``None`` if the file is absent."""
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                if not MODEL_PATH.exists():
                    return None
                _DEFAULT = load_model(MODEL_PATH)
    return _DEFAULT
