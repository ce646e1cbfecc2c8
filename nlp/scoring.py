"""Scoring a message's words against the compiled lexicon (logits, probabilities).

The lexicon is compiled once into dictionaries (one lookup per word); see
:func:`score_features` and docs/classifier.md.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat

from nlp.features import add_latin_words
from nlp.lexicon import ROOMS, Lexicon
from nlp.segment import add_words, pin_total

__all__ = ["Scores", "score_features"]

# The built-in sum, typed for float columns (math.fsum would round differently).
_sum_floats: Callable[[Iterable[float]], float] = sum


_HandEntry = tuple[
    tuple[tuple[int, float], ...], tuple[tuple[int, str, float], ...], tuple[int, ...]
]


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
    # Per room: the (room, bureau) keys of its bureau models, in model order.
    room_models: list[tuple[tuple[int, str], ...]]
    # hand word → (its hand_rooms, its hand_bureaus, its rule_index): one lookup.
    hand: dict[
        str,
        tuple[tuple[tuple[int, float], ...], tuple[tuple[int, str, float], ...], tuple[int, ...]],
    ]
    # Per room: term → (positive mined weight, excess over the mean), filled
    # on first use by nlp.explain.
    own_weights: dict[int, dict[str, tuple[float, float]]] = field(default_factory=dict)


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
    bias = [lex.room_bias[ROOMS[r]] + lex.room_prior.get(ROOMS[r], 0.0) for r in target_room]
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
    model_keys = list(dict.fromkeys((ri, b) for ri, b, _ in bureau_models))
    room_models = [tuple(key for key in model_keys if key[0] == ri) for ri in range(len(ROOMS))]
    # Sorted: jieba chooses a new word's frequency from the dictionary as it stands, so the
    # order words are added in matters, and a set's order follows the hash seed (stop 30).
    add_words(sorted(lex.keywords()), min_freq=lex.settings.keyword_freq)
    pin_total(lex.settings.segment_total)
    add_latin_words(sorted(lex.keywords()))
    hand_rooms = {w: tuple(v) for w, v in rooms_acc.items()}
    hand_bureaus = {w: tuple(v) for w, v in bureaus_acc.items()}
    rule_index = {w: tuple(v) for w, v in rule_acc.items()}
    hand_words = frozenset(rooms_acc) | frozenset(bureaus_acc) | frozenset(rule_acc)
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
        hand_rooms,
        hand_bureaus,
        rule_index,
        hand_words,
        rules,
        bureau_mined_rooms,
        room_models,
        {
            w: (hand_rooms.get(w, ()), hand_bureaus.get(w, ()), rule_index.get(w, ()))
            for w in hand_words
        },
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
        rule_bureaus: Weight the fired ``[[rules]]`` add to a bureau (district
            decisions, which the learnt bureau weights must not outvote).
    """

    targets: list[str]
    logits: list[float]
    probs: list[float]
    bureau_score: dict[tuple[int, str], float]
    bureau_probs: dict[tuple[int, str], float]
    evidence: float
    norm: float
    hand: float
    rule_bureaus: dict[str, float] = field(default_factory=dict)


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
    # Column sums (mined targets, bureau models, spread, idf²) over all words
    # at weight 1, then the few words of the title again at their extra weight.
    width = len(comp.unknown)
    get = comp.vectors.get
    unknown = comp.unknown
    col: list[float] = list(map(_sum_floats, zip(*map(get, feats, repeat(unknown)), strict=True)))
    col = col or [0.0] * width
    heavy: dict[float, list[str]] = {}
    for tok, v in [item for item in feats.items() if item[1] != 1.0]:
        heavy.setdefault(v, []).append(tok)
    sums: list[tuple[float, list[float]]] = [(1.0, col)]
    length = col[-1]
    for v, toks in heavy.items():
        rows = map(get, toks, repeat(unknown))
        extra: list[float] = list(map(_sum_floats, zip(*rows, strict=True)))
        sums.append((v - 1.0, extra))
        length += (v * v - 1.0) * extra[-1]
    n = math.sqrt(max(length, settings.norm_floor))
    # The mined weights come from contest board posts; in a long real story
    # they are softened up to mined_temperature (fitted on real messages), so
    # that the words of its title are not outvoted by the story around them.
    n_soft = n * (1.0 + (settings.mined_temperature - 1.0) * (1.0 - hand))
    mined_part = list(comp.mined_bias)
    model_logits = [bias for _, _, bias in comp.bureau_models]
    k = len(comp.mined_targets)
    evidence = 0.0
    for v, col in sums:
        scale = v / n_soft
        for j, ti in enumerate(comp.mined_targets):
            mined_part[ti] += scale * col[j]
        for mi in range(len(model_logits)):
            model_logits[mi] += scale * col[k + mi]
        evidence += v / n * col[width - 2]
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
    rule_bureaus: dict[str, float] = {}
    # A keyword of the title (or lead) names the matter: it counts at least
    # title_hand however long the story below it is.
    title_hand = max(hand, settings.title_hand)
    hand_entries = comp.hand
    for tok in comp.hand_words.intersection(feats):
        m = title_hand if feats[tok] > 1.0 else hand
        rooms_w, bureaus_w, rules_i = hand_entries[tok]
        for ri, w in rooms_w:
            room_add[ri] += w * m
            evidence += abs(w) * m
        for ri, b, w in bureaus_w:
            bureau_score[(ri, b)] = bureau_score.get((ri, b), 0.0) + w
        if rules_i:
            fired_rules.update(rules_i)
    # The message's words as a set, once: a frozenset's issubset() of a dict
    # would copy the dict into a new set for every rule.
    present = set(feats) if fired_rules else set()
    for ri in sorted(fired_rules):
        when, with_any, unless_any, adds = comp.rules[ri]
        if not when.issubset(present):
            continue
        if with_any and with_any.isdisjoint(present):
            continue
        if unless_any and not unless_any.isdisjoint(present):
            continue
        for room_i, bureau, w in adds:
            exact: list[int] = []
            if bureau:
                bureau_score[(room_i, bureau)] = bureau_score.get((room_i, bureau), 0.0) + w
                rule_bureaus[bureau] = rule_bureaus.get(bureau, 0.0) + w
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
    # A long story (more than short_words distinct words) is softened up to
    # long_temperature: real board posts are further from the training data
    # than short messages, whose hand-written keywords are calibrated.
    temperature = comp.temperature * (1.0 + (settings.long_temperature - 1.0) * (1.0 - hand))
    probs = _softmax(logits, temperature)
    return Scores(
        comp.targets,
        logits,
        probs,
        bureau_score,
        bureau_probs,
        evidence,
        n_soft,
        hand,
        rule_bureaus,
    )
