"""The bureau inside a room, and the words that explain an answer."""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter

from nlp.lexicon import BUREAUS, ROOMS, Lexicon
from nlp.scoring import Scores, _Compiled

__all__: list[str] = []

_KEYWORDS_SHOWN = 8


def best_bureau(ri: int, comp: _Compiled, sc: Scores, lex: Lexicon) -> tuple[str, dict[str, float]]:
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
    return max(BUREAUS[room], key=lambda b: scores.get(b, 0.0)), scores


def explain(feats: dict[str, float], best: int, comp: _Compiled, sc: Scores) -> tuple[str, ...]:
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
