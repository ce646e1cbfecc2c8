"""Route a message to a service room and bureau with the keyword lexicon.

The model is a linear keyword model that a district can read and edit in
``config/lexicon.toml``:

* every word of the message (jieba search-mode tokens, so both 拖欠工资 and
  工资 count) is looked up once in a dictionary built from the lexicon;
* mined terms add ``weight × v / √n`` to a target's score, where ``v`` is 1
  (or ``title_weight`` for words of a short first line) and ``n`` the sum of
  ``(v × idf)²`` over the distinct mined words of the message: a message is
  a unit-length tf-idf vector, so long messages do not get more confident
  just by being long, and common words take a small share of it;
* hand-written room cues and bureau keywords add their weight as it stands,
  and ``[[rules]]`` add weight when words co-occur;
* a softmax over the scores divided by the calibrated temperature gives the
  probabilities; a room's confidence is the sum over its targets;
* mined bureau models (``[mined] bureau_models``) do not compete with the
  rooms: their score only chooses the bureau inside their room.

The answer is ``unknown`` (the district dispatcher desk) when the message
carries too little keyword evidence. Callers should treat answers whose
confidence is below :data:`UNSURE_BELOW` as unsure and offer the
alternatives.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
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


def _words(text: str) -> dict[str, None]:
    """Distinct jieba search-mode words of a text (words plus their known 2/3-grams).

    Same tokens as ``Tokenizer.cut_for_search(text, HMM=False)``, without its
    generator overhead.
    """
    tok = tokenizer()
    freq = tok.FREQ
    words = dict.fromkeys(tok.lcut(text, HMM=False))
    extra: list[str] = []
    for w in words:
        size = len(w)
        if size > 2:
            for i in range(size - 1):
                gram = w[i : i + 2]
                if freq.get(gram):
                    extra.append(gram)
            if size > 3:
                for i in range(size - 2):
                    gram = w[i : i + 3]
                    if freq.get(gram):
                        extra.append(gram)
    if extra:
        words.update(dict.fromkeys(extra))
    return words


def message_features(norm_text: str, title_weight: float, lead_chars: int = 0) -> dict[str, float]:
    """Turn normalised text into distinct words with their weights.

    A first line of at most 60 characters followed by more text is a title:
    its words weigh ``title_weight``; every other word weighs 1. Without
    such a title line, the words of the first ``lead_chars`` characters (the
    lead, which usually names the matter) weigh ``title_weight``.

    Args:
        norm_text: Normalised text (see :func:`prepare_text`).
        title_weight: Weight of title words.
        lead_chars: Length of the lead used when there is no title line.

    Returns:
        Word → weight, Chinese words only.
    """
    title = ""
    body = norm_text
    head, sep, rest = norm_text.partition("\n")
    if sep and rest and len(head) <= _TITLE_MAX:
        title, body = head, rest
    elif lead_chars > 0 and len(norm_text) > 2 * lead_chars:
        title, body = norm_text[:lead_chars], norm_text[lead_chars:]
    feats: dict[str, float] = {
        t: 1.0 for t in _words(body) if not t.isascii() and "\u3400" <= t[0] <= "\u9fff"
    }
    if title:
        for t in _words(title):
            if not t.isascii() and "\u3400" <= t[0] <= "\u9fff":
                feats[t] = title_weight
    return feats


# ------------------------------------------------------------------ compiled lexicon


@dataclass(slots=True)
class _Compiled:
    targets: list[str]
    target_room: list[int]
    target_bureau: list[str]
    room_targets: list[list[int]]
    bias: list[float]
    mined_bias: list[float]
    mined_targets: list[int]
    unmined_targets: list[int]
    temperature: float
    # term → (weight per mined target, weight per bureau model, spread, idf²);
    # one lookup per word, columns summed in C by zip.
    vectors: dict[str, tuple[float, ...]]
    unknown: tuple[float, ...]
    bureau_models: list[tuple[int, str, float]]
    hand_rooms: dict[str, tuple[tuple[int, float], ...]]
    hand_bureaus: dict[str, tuple[tuple[int, str, float], ...]]
    rule_index: dict[str, tuple[int, ...]]
    hand_words: frozenset[str]
    rules: list[tuple[frozenset[str], frozenset[str], frozenset[str], list[tuple[int, str, float]]]]
    # Rooms whose mined targets all name a bureau: (room, those targets, their bureaus).
    bureau_mined_rooms: list[tuple[int, list[int], frozenset[str]]]


_CACHE: dict[int, tuple[Lexicon, _Compiled]] = {}
_CACHE_MAX = 8
_COMPILE_LOCK = threading.Lock()


def _split_target(target: str) -> tuple[int, str]:
    room, _, bureau = target.partition("/")
    return ROOMS.index(room), bureau


def _compile(lex: Lexicon) -> _Compiled:
    mined = lex.raw.get("mined", {})
    mined = mined if isinstance(mined, dict) else {}
    mined_bias: dict[str, float] = {str(k): float(v) for k, v in mined.get("bias", {}).items()}
    temperature = float(mined.get("temperature", 1.0))
    model_names = [str(t) for t in mined.get("bureau_models", ())]
    names: set[str] = set(mined_bias)
    for ws in lex.terms.values():
        names.update(ws)
    names.difference_update(model_names)
    mined_set = set(names)
    for room in ROOMS:
        if not any(t.partition("/")[0] == room for t in names):
            names.add(room)
    targets = sorted(names, key=lambda t: (ROOMS.index(t.partition("/")[0]), t))
    target_room = [_split_target(t)[0] for t in targets]
    target_bureau = [_split_target(t)[1] for t in targets]
    room_targets = [[i for i, r in enumerate(target_room) if r == ri] for ri in range(len(ROOMS))]
    bias = [lex.room_bias[ROOMS[target_room[i]]] for i in range(len(targets))]
    mined_targets = [i for i, t in enumerate(targets) if t in mined_set]
    unmined_targets = [i for i, t in enumerate(targets) if t not in mined_set]
    mbias = [mined_bias.get(t, 0.0) for t in targets]
    columns = {t: i for i, t in enumerate([targets[i] for i in mined_targets] + model_names)}
    width = len(columns)
    vectors: dict[str, tuple[float, ...]] = {}
    k = len(mined_targets)
    for term, ws in lex.terms.items():
        row = [0.0] * width
        values: list[float] = []
        for t, w in ws.items():
            row[columns[t]] = w
            if t not in model_names:
                values.append(w)
        if len(values) < k:
            values.append(0.0)
        spread = max(values) - min(values) if values else 0.0
        idf = lex.term_idf.get(term, 1.0)
        vectors[term] = (*row, spread, idf * idf)
    unknown_idf = float(mined.get("unknown_idf", 0.0))
    unknown = (*([0.0] * width), 0.0, unknown_idf * unknown_idf)
    bureau_models = [(*_split_target(t), mined_bias.get(t, 0.0)) for t in model_names]
    rooms_acc: dict[str, list[tuple[int, float]]] = {}
    bureaus_acc: dict[str, list[tuple[int, str, float]]] = {}
    for room, cues in lex.room_cues.items():
        for word, w in cues.items():
            rooms_acc.setdefault(word, []).append((ROOMS.index(room), w))
    for (room, bureau), kws in lex.bureau_keywords.items():
        for word, w in kws.items():
            rooms_acc.setdefault(word, []).append((ROOMS.index(room), w))
            bureaus_acc.setdefault(word, []).append((ROOMS.index(room), bureau, w))
    rules = []
    rule_acc: dict[str, list[int]] = {}
    for i, rule in enumerate(lex.rules):
        adds = [(*_split_target(t), w) for t, w in rule.add]
        rules.append(
            (frozenset(rule.when), frozenset(rule.with_any), frozenset(rule.unless_any), adds)
        )
        # A rule is looked at when its first `when` token occurs, or, without
        # `when`, any of its `with_any` tokens.
        for head in rule.when[:1] or rule.with_any:
            rule_acc.setdefault(head, []).append(i)
    bureau_mined_rooms = []
    for ri, members in enumerate(room_targets):
        room_mined = [t for t in members if t in mined_targets]
        if room_mined and all(target_bureau[t] for t in room_mined):
            covered = frozenset(target_bureau[t] for t in room_mined)
            bureau_mined_rooms.append((ri, room_mined, covered))
    add_words(lex.keywords(), min_freq=lex.settings.keyword_freq)
    return _Compiled(
        targets,
        target_room,
        target_bureau,
        room_targets,
        bias,
        mbias,
        mined_targets,
        unmined_targets,
        temperature,
        vectors,
        unknown,
        bureau_models,
        {w: tuple(v) for w, v in rooms_acc.items()},
        {w: tuple(v) for w, v in bureaus_acc.items()},
        {w: tuple(v) for w, v in rule_acc.items()},
        frozenset(rooms_acc) | frozenset(bureaus_acc) | frozenset(rule_acc),
        rules,
        bureau_mined_rooms,
    )


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


@dataclass(slots=True)
class Scores:
    """Intermediate scores of one message (used by classify and by mining).

    Attributes:
        targets: Target names (``room`` or ``room/bureau``).
        logits: Per-target score.
        probs: Per-target calibrated probability.
        bureau_score: Hand-written bureau evidence per ``(room index, bureau)``.
        bureau_probs: Probability of each mined bureau model's bureau inside
            its room, per ``(room index, bureau)``.
        evidence: Total keyword evidence (compared with ``min_evidence``).
        norm: The √n divisor of the mined weights.
        hand: The multiplier of the hand-written weights.
    """

    targets: list[str]
    logits: list[float]
    probs: list[float]
    bureau_score: dict[tuple[int, str], float]
    bureau_probs: dict[tuple[int, str], float]
    evidence: float
    norm: float
    hand: float


def score_features(feats: dict[str, float], lex: Lexicon) -> Scores:
    """Score word features against a lexicon.

    Every lookup is a dictionary access done in C (``map(dict.get, ...)``),
    so scoring adds little to segmentation.

    Args:
        feats: Word → weight, from :func:`message_features`.
        lex: The lexicon.

    Returns:
        The scores.
    """
    comp = _compiled(lex)
    settings = lex.settings
    # Hand-written weights count fully in a short message and shrink with
    # short_words / distinct words in a long one, where the mined weights lead.
    hand = min(1.0, settings.short_words / max(len(feats), 1))
    groups: dict[float, list[str]] = {}
    for tok, v in feats.items():
        groups.setdefault(v, []).append(tok)
    # Column sums per word weight v: mined targets, bureau models, spread, idf².
    width = len(comp.unknown)
    sums: list[tuple[float, list[float]]] = []
    length = 0.0
    for v, toks in groups.items():
        col = [sum(c) for c in zip(*map(comp.vectors.get, toks, repeat(comp.unknown)), strict=True)]
        sums.append((v, col))
        length += v * v * col[-1]
    n = math.sqrt(max(length, settings.norm_floor))
    mined_part = list(comp.mined_bias)
    model_logits = [bias for _, _, bias in comp.bureau_models]
    k = len(comp.mined_targets)
    evidence = 0.0
    for v, col in sums:
        scale = v / n
        for j, ti in enumerate(comp.mined_targets):
            mined_part[ti] += scale * col[j]
        for mi in range(len(model_logits)):
            model_logits[mi] += scale * col[k + mi]
        evidence += scale * col[width - 2]
    bureau_probs = {
        (ri, bureau): 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z / comp.temperature))))
        for (ri, bureau, _), z in zip(comp.bureau_models, model_logits, strict=True)
    }
    # Rooms without mined weights (no training data) start from the mean of
    # the mined rooms, so only their own keywords and bias move them.
    mean = 0.0
    if comp.mined_targets:
        mean = sum(mined_part[t] for t in comp.mined_targets) / len(comp.mined_targets)
        for t in comp.unmined_targets:
            mined_part[t] = mean
    logits = [b + m for b, m in zip(comp.bias, mined_part, strict=True)]
    room_add = [0.0] * len(ROOMS)
    bureau_score: dict[tuple[int, str], float] = {}
    fired_rules: set[int] = set()
    # A keyword of the title (or lead) names the matter: it counts at least
    # title_hand however long the story below it is.
    title_hand = max(hand, settings.title_hand)
    for tok in comp.hand_words.intersection(feats):
        m = title_hand if feats[tok] > 1.0 else hand
        for ri, w in comp.hand_rooms.get(tok, ()):
            room_add[ri] += w * m
            evidence += abs(w) * m
        for ri, b, w in comp.hand_bureaus.get(tok, ()):
            bureau_score[(ri, b)] = bureau_score.get((ri, b), 0.0) + w
        fired_rules.update(comp.rule_index.get(tok, ()))
    for ri in sorted(fired_rules):
        when, with_any, unless_any, adds = comp.rules[ri]
        if not when.issubset(feats):
            continue
        if with_any and with_any.isdisjoint(feats):
            continue
        if unless_any and not unless_any.isdisjoint(feats):
            continue
        for room_i, bureau, w in adds:
            exact: list[int] = []
            if bureau:
                bureau_score[(room_i, bureau)] = bureau_score.get((room_i, bureau), 0.0) + w
                exact = [t for t in comp.room_targets[room_i] if comp.target_bureau[t] == bureau]
            if exact:
                for t in exact:
                    logits[t] += w * hand
            else:
                room_add[room_i] += w * hand
    # A mined target that names a bureau (teddy's 环境保护 = legal/environment)
    # is evidence for that bureau, not for its room's other bureaus. When the
    # hand-written evidence in such a room names another bureau (开庭 → 法院),
    # the room is not held below the mean of the mined rooms, as a room
    # without training data would not be.
    for ri, room_mined, covered in comp.bureau_mined_rooms:
        best_other = max(
            (w for (r, b), w in bureau_score.items() if r == ri and b not in covered), default=0.0
        )
        best_covered = max(
            (w for (r, b), w in bureau_score.items() if r == ri and b in covered), default=0.0
        )
        if best_other > max(best_covered, 0.0):
            for t in room_mined:
                logits[t] += max(0.0, mean - mined_part[t])
    for ri, add in enumerate(room_add):
        if add:
            for t in comp.room_targets[ri]:
                logits[t] += add
    probs = _softmax(logits, comp.temperature)
    return Scores(comp.targets, logits, probs, bureau_score, bureau_probs, evidence, n, hand)


def _best_bureau(ri: int, comp: _Compiled, sc: Scores, lex: Lexicon) -> str:
    room = ROOMS[ri]
    probs = sc.probs
    room_prob = sum(probs[t] for t in comp.room_targets[ri]) or 1.0
    scores: dict[str, float] = {}
    models = [(b, p) for (r, b), p in sc.bureau_probs.items() if r == ri]
    # Mined evidence for a bureau: targets that name one, and the bureau
    # models, which split the room's share between their bureau and the rest
    # (the rest goes to the default bureau, what the models were trained
    # against). Without a bureau model a plain room target says nothing about
    # the bureau and gives none: it would outweigh every hand-written keyword
    # weaker than itself (规划 → 规划分局 lost to the default 建设局).
    for t in comp.room_targets[ri]:
        b = comp.target_bureau[t] or (lex.default_bureau[room] if models else None)
        if b:
            scores[b] = scores.get(b, 0.0) + 2.0 * probs[t] / room_prob
    if models:
        rest = 1.0 - min(1.0, sum(p for _, p in models))
        scores = {b: s * rest for b, s in scores.items()}
        for b, p in models:
            scores[b] = scores.get(b, 0.0) + 2.0 * p
    for b in BUREAUS[room]:
        scores[b] = scores.get(b, 0.0) + sc.bureau_score.get((ri, b), 0.0)
    scores[lex.default_bureau[room]] = scores.get(lex.default_bureau[room], 0.0) + 1e-6
    return max(BUREAUS[room], key=lambda b: scores.get(b, 0.0))


def _explain(feats: dict[str, float], best: int, comp: _Compiled, sc: Scores) -> tuple[str, ...]:
    """The words that pushed the winning room most, strongest first."""
    k = len(comp.mined_targets)
    own = [j for j, t in enumerate(comp.mined_targets) if comp.target_room[t] == best]
    toks = list(feats)
    candidates: set[str] = set(comp.hand_words.intersection(feats))
    if own:
        rows = map(comp.vectors.get, toks, repeat(comp.unknown))
        own_w = (
            map(itemgetter(own[0]), rows)
            if len(own) == 1
            else map(max, map(itemgetter(*own), rows))
        )
        ranked = sorted(
            ((w * feats[tok], tok) for w, tok in zip(own_w, toks, strict=True) if w > 0),
            reverse=True,
        )
        candidates.update(tok for _, tok in ranked[: 3 * _KEYWORDS_SHOWN])
    contrib: list[tuple[float, str]] = []
    for tok in candidates:
        if len(tok) < 2:
            continue
        v = feats[tok]
        c = 0.0
        vec = comp.vectors.get(tok)
        if own and vec is not None:
            best_w = max(vec[j] for j in own)
            if best_w > 0:
                c = (best_w - sum(vec[:k]) / k) * v / sc.norm
        for ri, w in comp.hand_rooms.get(tok, ()):
            if ri == best:
                c += w * sc.hand
        if c > 0.02:
            contrib.append((c, tok))
    contrib.sort(key=lambda x: (-x[0], x[1]))
    return tuple(tok for _, tok in contrib[:_KEYWORDS_SHOWN])


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
    comp = _compiled(lex)  # first: puts the lexicon's phrases into the segmenter
    norm, truncated = prepare_text(text, lex.settings.max_chars)
    feats = message_features(norm, lex.settings.title_weight, lex.settings.lead_chars)
    severity = assess_tokens(norm, feats, lex.severity)
    sc = score_features(feats, lex)
    probs = sc.probs
    room_probs = [sum(probs[t] for t in ts) for ts in comp.room_targets]
    order = sorted(range(len(ROOMS)), key=lambda i: -room_probs[i])
    alternatives = tuple(
        Alternative(ROOMS[i], _best_bureau(i, comp, sc, lex), room_probs[i]) for i in order[:3]
    )
    if sc.evidence < lex.settings.min_evidence:
        return Classification(
            UNKNOWN, UNKNOWN, 0.0, (), alternatives, truncated, severity.level, severity
        )
    best = order[0]
    keywords = _explain(feats, best, comp, sc)
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
