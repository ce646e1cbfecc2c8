"""Route a message to a service room and bureau with the keyword lexicon.

The model is a linear keyword model that a district can read and edit in
``config/lexicon.toml``:

* every word of the message (jieba search-mode tokens, so both 拖欠工资 and
  工资 count) is looked up once in a dictionary built from the lexicon;
* mined terms add ``weight × v / √n`` to a target's score, where ``v`` is 1
  (or ``title_weight`` for words of a short first line) and ``n`` the sum of
  ``v²`` over the distinct words of the message — long messages do not get
  more confident just by being long;
* hand-written room cues and bureau keywords add their weight as it stands,
  and ``[[rules]]`` add weight when words co-occur;
* a softmax over the scores divided by the calibrated temperature gives the
  probabilities; a room's confidence is the sum over its targets.

The answer is ``unknown`` (the district dispatcher desk) when the message
carries too little keyword evidence. Callers should treat answers whose
confidence is below :data:`UNSURE_BELOW` as unsure and offer the
alternatives.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

from nlp.lexicon import BUREAUS, ROOMS, Lexicon, default_lexicon
from nlp.normalize import normalize
from nlp.segment import add_words, tokenizer
from nlp.severity import Severity, assess_tokens

__all__ = [
    "UNKNOWN",
    "UNSURE_BELOW",
    "Alternative",
    "Classification",
    "EmptyTextError",
    "classify",
    "message_features",
    "prepare_text",
]

UNKNOWN = "unknown"
"""Room and bureau id used when nothing meaningful matched."""

UNSURE_BELOW = 0.6
"""Confidence below which an answer should be treated as unsure.

Confidence is calibrated (of answers given with confidence ≈ 0.9 about 90 %
are right), so below 0.6 the classifier is wrong about as often as one time
in two or three: the bot should then offer the alternatives instead of
routing silently, and a warning should go to a human dispatcher.
"""

_TITLE_MAX = 60
_KEYWORDS_SHOWN = 8


class EmptyTextError(ValueError):
    """The text to classify is empty or only whitespace."""


@dataclass(frozen=True, slots=True)
class Alternative:
    """One candidate room with its best bureau and calibrated confidence."""

    room: str
    bureau: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"room": self.room, "bureau": self.bureau, "confidence": round(self.confidence, 4)}


@dataclass(frozen=True, slots=True)
class Classification:
    """The classifier's answer.

    Attributes:
        room: Room id, or ``"unknown"``.
        bureau: Bureau id, or ``"unknown"``.
        confidence: Calibrated probability (0..1) that ``room`` is right;
            0 for ``unknown``.
        keywords: The matched keywords that decided it, most important first.
        alternatives: The top three rooms, each with bureau and confidence.
        truncated: True if the text was cut to the lexicon's ``max_chars``.
        severity: ``low``, ``medium``, ``high`` or ``critical``.
        severity_detail: The full severity assessment (cues, head count).
    """

    room: str
    bureau: str
    confidence: float
    keywords: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    truncated: bool
    severity: str
    severity_detail: Severity | None = field(default=None, compare=False)

    @property
    def unsure(self) -> bool:
        """True when the answer should be confirmed by a person."""
        return self.room == UNKNOWN or self.confidence < UNSURE_BELOW

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (room, bureau, confidence, keywords, ...)."""
        detail = self.severity_detail
        return {
            "room": self.room,
            "bureau": self.bureau,
            "confidence": round(self.confidence, 4),
            "unsure": self.unsure,
            "keywords": list(self.keywords),
            "severity": self.severity,
            "severity_cues": list(detail.cues) if detail else [],
            "head_count": detail.head_count if detail else None,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "truncated": self.truncated,
        }


# ------------------------------------------------------------------ features


def prepare_text(text: str, max_chars: int) -> tuple[str, bool]:
    """Normalise and truncate a message.

    Args:
        text: The raw message.
        max_chars: Maximum length kept after normalisation.

    Returns:
        The normalised text and whether it was truncated.
    """
    truncated = False
    # Bound the work of normalisation first: noise removal can only shrink
    # the text, so a generous raw cut never changes the kept prefix much.
    raw_cap = max_chars * 4
    if len(text) > raw_cap:
        text = text[:raw_cap]
        truncated = True
    norm = normalize(text)
    if len(norm) > max_chars:
        norm = norm[:max_chars]
        truncated = True
    return norm, truncated


def _is_word(token: str) -> bool:
    return not token.isascii() and "\u3400" <= token[0] <= "\u9fff"


def message_features(norm_text: str, title_weight: float) -> dict[str, float]:
    """Turn normalised text into distinct words with their weights.

    A first line of at most 60 characters followed by more text is a title:
    its words weigh ``title_weight``; every other word weighs 1.

    Args:
        norm_text: Normalised text (see :func:`prepare_text`).
        title_weight: Weight of title words.

    Returns:
        Word → weight, Chinese words only.
    """
    cut = tokenizer().cut_for_search
    title = ""
    body = norm_text
    head, sep, rest = norm_text.partition("\n")
    if sep and rest and len(head) <= _TITLE_MAX:
        title, body = head, rest
    feats: dict[str, float] = {}
    for tok in cut(body, HMM=False):
        if _is_word(tok):
            feats[tok] = 1.0
    if title:
        for tok in cut(title, HMM=False):
            if _is_word(tok):
                feats[tok] = title_weight
    return feats


# ------------------------------------------------------------------ compiled lexicon


@dataclass(slots=True)
class _Entry:
    mined: list[tuple[int, float]] = field(default_factory=list)
    spread: float = 0.0
    rooms: list[tuple[int, float]] = field(default_factory=list)
    bureaus: list[tuple[int, str, float]] = field(default_factory=list)
    rules: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Compiled:
    targets: list[str]
    target_room: list[int]
    target_bureau: list[str]
    room_targets: list[list[int]]
    bias: list[float]
    temperature: float
    index: dict[str, _Entry]
    rules: list[tuple[frozenset[str], frozenset[str], frozenset[str], list[tuple[int, str, float]]]]


_CACHE: dict[int, tuple[Lexicon, _Compiled]] = {}
_CACHE_MAX = 8
_COMPILE_LOCK = threading.Lock()


def _split_target(target: str) -> tuple[int, str]:
    room, _, bureau = target.partition("/")
    return ROOMS.index(room), bureau


def _compile(lex: Lexicon) -> _Compiled:
    mined = lex.raw.get("mined", {}) if isinstance(lex.raw, dict) else {}
    mined_bias: dict[str, float] = dict(mined.get("bias", {})) if isinstance(mined, dict) else {}
    temperature = float(mined.get("temperature", 1.0)) if isinstance(mined, dict) else 1.0
    targets: list[str] = []
    for target in mined_bias:
        if target not in targets:
            targets.append(target)
    for weights in lex.terms.values():
        for target in weights:
            if target not in targets:
                targets.append(target)
    for room in ROOMS:
        if not any(t.partition("/")[0] == room for t in targets):
            targets.append(room)
    targets.sort(key=lambda t: (ROOMS.index(t.partition("/")[0]), t))
    pos = {t: i for i, t in enumerate(targets)}
    target_room = [_split_target(t)[0] for t in targets]
    target_bureau = [_split_target(t)[1] for t in targets]
    room_targets = [[i for i, r in enumerate(target_room) if r == ri] for ri in range(len(ROOMS))]
    bias = [lex.room_bias[ROOMS[target_room[i]]] + float(mined_bias.get(t, 0.0))
            for i, t in enumerate(targets)]

    index: dict[str, _Entry] = {}

    def entry(word: str) -> _Entry:
        e = index.get(word)
        if e is None:
            e = index[word] = _Entry()
        return e

    for term, weights in lex.terms.items():
        e = entry(term)
        e.mined = [(pos[t], w) for t, w in weights.items() if w]
        values = [w for _, w in e.mined] + ([0.0] if len(e.mined) < len(targets) else [])
        e.spread = max(values) - min(values) if values else 0.0
    for room, cues in lex.room_cues.items():
        for word, w in cues.items():
            entry(word).rooms.append((ROOMS.index(room), w))
    for (room, bureau), kws in lex.bureau_keywords.items():
        for word, w in kws.items():
            e = entry(word)
            e.rooms.append((ROOMS.index(room), w))
            e.bureaus.append((ROOMS.index(room), bureau, w))
    rules = []
    for i, rule in enumerate(lex.rules):
        adds = [(*_split_target(t), w) for t, w in rule.add]
        rules.append((frozenset(rule.when), frozenset(rule.with_any),
                      frozenset(rule.unless_any), adds))
        entry(rule.when[0]).rules.append(i)
    add_words(lex.keywords())
    return _Compiled(targets, target_room, target_bureau, room_targets, bias, temperature,
                     index, rules)


def _compiled(lex: Lexicon) -> _Compiled:
    hit = _CACHE.get(id(lex))
    if hit is not None and hit[0] is lex:
        return hit[1]
    with _COMPILE_LOCK:
        hit = _CACHE.get(id(lex))
        if hit is not None and hit[0] is lex:
            return hit[1]
        comp = _compile(lex)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(lex)] = (lex, comp)
        return comp


# ------------------------------------------------------------------ scoring


def _softmax(logits: list[float], temperature: float) -> list[float]:
    top = max(logits)
    exps = [math.exp((x - top) / temperature) for x in logits]
    total = sum(exps)
    return [x / total for x in exps]


def score_features(
    feats: dict[str, float], lex: Lexicon
) -> tuple[list[float], list[float], dict[tuple[int, str], float], list[tuple[str, float, _Entry]],
           float, list[str]]:
    """Score word features against a lexicon (used by classify and mining).

    Args:
        feats: Word → weight, from :func:`message_features`.
        lex: The lexicon.

    Returns:
        Per-target logits, per-target probabilities, curated bureau scores,
        matched words, the keyword evidence and the target names.
    """
    comp = _compiled(lex)
    logits = list(comp.bias)
    n = math.sqrt(sum(v * v for v in feats.values())) or 1.0
    index = comp.index
    matched: list[tuple[str, float, _Entry]] = []
    room_add = [0.0] * len(ROOMS)
    bureau_score: dict[tuple[int, str], float] = {}
    evidence = 0.0
    fired_rules: list[int] = []
    for tok, v in feats.items():
        e = index.get(tok)
        if e is None:
            continue
        matched.append((tok, v, e))
        if e.mined:
            scale = v / n
            for ti, w in e.mined:
                logits[ti] += w * scale
            evidence += e.spread * scale
        for ri, w in e.rooms:
            room_add[ri] += w
            evidence += abs(w)
        for ri, b, w in e.bureaus:
            bureau_score[(ri, b)] = bureau_score.get((ri, b), 0.0) + w
        if e.rules:
            fired_rules.extend(e.rules)
    for ri in fired_rules:
        when, with_any, unless_any, adds = comp.rules[ri]
        if not all(w in feats for w in when):
            continue
        if with_any and not any(w in feats for w in with_any):
            continue
        if unless_any and any(w in feats for w in unless_any):
            continue
        for room_i, bureau, w in adds:
            exact: list[int] = []
            if bureau:
                bureau_score[(room_i, bureau)] = bureau_score.get((room_i, bureau), 0.0) + w
                exact = [t for t in comp.room_targets[room_i] if comp.target_bureau[t] == bureau]
            if exact:
                for t in exact:
                    logits[t] += w
            else:
                room_add[room_i] += w
    for ri, add in enumerate(room_add):
        if add:
            for t in comp.room_targets[ri]:
                logits[t] += add
    probs = _softmax(logits, comp.temperature)
    return logits, probs, bureau_score, matched, evidence, comp.targets


def _best_bureau(
    ri: int, comp: _Compiled, probs: list[float], bureau_score: dict[tuple[int, str], float],
    lex: Lexicon,
) -> str:
    room = ROOMS[ri]
    room_prob = sum(probs[t] for t in comp.room_targets[ri]) or 1.0
    scores: dict[str, float] = {}
    for t in comp.room_targets[ri]:
        b = comp.target_bureau[t] or lex.default_bureau[room]
        scores[b] = scores.get(b, 0.0) + 2.0 * probs[t] / room_prob
    for b in BUREAUS[room]:
        scores[b] = scores.get(b, 0.0) + bureau_score.get((ri, b), 0.0)
    scores[lex.default_bureau[room]] = scores.get(lex.default_bureau[room], 0.0) + 1e-6
    return max(BUREAUS[room], key=lambda b: scores.get(b, 0.0))


def classify(text: str, lexicon: Lexicon | None = None) -> Classification:
    """Classify a citizen's message or an officer's warning.

    Args:
        text: The message, in simplified or traditional Chinese.
        lexicon: The lexicon; ``None`` for the packaged one.

    Returns:
        The classification with explanation, alternatives and severity.

    Raises:
        EmptyTextError: If the text is empty or only whitespace.
    """
    if not text or text.isspace():
        raise EmptyTextError("nothing to classify: the text is empty")
    lex = lexicon if lexicon is not None else default_lexicon()
    norm, truncated = prepare_text(text, lex.settings.max_chars)
    feats = message_features(norm, lex.settings.title_weight)
    severity = assess_tokens(norm, feats, lex.severity)
    logits, probs, bureau_score, matched, evidence, _ = score_features(feats, lex)
    comp = _compiled(lex)
    room_probs = [sum(probs[t] for t in ts) for ts in comp.room_targets]
    order = sorted(range(len(ROOMS)), key=lambda i: -room_probs[i])
    alternatives = tuple(
        Alternative(ROOMS[i], _best_bureau(i, comp, probs, bureau_score, lex), room_probs[i])
        for i in order[:3]
    )
    if evidence < lex.settings.min_evidence:
        return Classification(UNKNOWN, UNKNOWN, 0.0, (), alternatives, truncated,
                              severity.level, severity)
    best = order[0]
    best_targets = set(comp.room_targets[best])
    contrib: list[tuple[float, str]] = []
    mean_div = len(comp.targets)
    n = math.sqrt(sum(v * v for v in feats.values())) or 1.0
    for tok, v, e in matched:
        c = 0.0
        if e.mined:
            ws = dict(e.mined)
            own = max(ws.get(t, 0.0) for t in best_targets)
            c += (own - sum(ws.values()) / mean_div) * v / n
        for ri, w in e.rooms:
            if ri == best:
                c += w
        if c > 0.02:
            contrib.append((c, tok))
    contrib.sort(key=lambda x: (-x[0], x[1]))
    keywords = tuple(tok for _, tok in contrib[:_KEYWORDS_SHOWN])
    return Classification(
        room=ROOMS[best],
        bureau=alternatives[0].bureau,
        confidence=room_probs[best],
        keywords=keywords,
        alternatives=alternatives,
        truncated=truncated,
        severity=severity.level,
        severity_detail=severity,
    )
