"""The bureau inside a room, and the words that explain an answer."""

from __future__ import annotations

from nlp.lexicon import BUREAUS, ROOMS, Lexicon
from nlp.scoring import Scores, _Compiled

__all__: list[str] = []

_KEYWORDS_SHOWN = 8


def best_bureau(ri: int, comp: _Compiled, sc: Scores, lex: Lexicon) -> tuple[str, dict[str, float]]:
    """The room's best bureau and every bureau's score (:func:`bureau_scores`)."""
    scores = bureau_scores(ri, comp, sc, lex)
    # Every bureau of the room has a score; the first of equals wins, as before.
    return max(BUREAUS[ROOMS[ri]], key=scores.__getitem__), scores


def bureau_scores(ri: int, comp: _Compiled, sc: Scores, lex: Lexicon) -> dict[str, float]:
    """The logit-scale score of every bureau of room ``ri`` (and of a target's bureau)."""
    room = ROOMS[ri]
    probs = sc.probs
    room_prob = sum(probs[t] for t in comp.room_targets[ri]) or 1.0
    scores: dict[str, float] = {}
    bureau_probs = sc.bureau_probs
    models = [(key[1], bureau_probs[key]) for key in comp.room_models[ri]]
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
    return scores


def _own_weights(comp: _Compiled, room: int) -> dict[str, tuple[float, float]]:
    """Terms with a positive mined weight for a room: (that weight, its excess over the mean).

    Built once per room and compiled lexicon, so that explaining an answer is
    one set intersection instead of a lookup per word of the message.
    """
    cached = comp.own_weights.get(room)
    if cached is not None:
        return cached
    k = len(comp.mined_targets)
    own = [j for j, t in enumerate(comp.mined_targets) if comp.target_room[t] == room]
    table: dict[str, tuple[float, float]] = {}
    if own:
        for term, vec in comp.vectors.items():
            best_w = max(vec[j] for j in own)
            if best_w > 0:
                table[term] = (best_w, best_w - sum(vec[:k]) / k)
    comp.own_weights[room] = table
    return table


def explain(feats: dict[str, float], best: int, comp: _Compiled, sc: Scores) -> tuple[str, ...]:
    """The words that pushed the winning room most, strongest first."""
    candidates = comp.hand_words.intersection(feats)
    own = _own_weights(comp, best)
    if own:
        # The strongest 3 × shown of the room's own words (a sort in C beats
        # heapq.nlargest's Python loop on a hundred words; the order is total).
        own_get = own.get
        ranked = sorted(
            [(e[0] * v, tok) for tok, v in feats.items() if (e := own_get(tok)) is not None]
        )
        candidates = candidates.union([tok for _, tok in ranked[-3 * _KEYWORDS_SHOWN :]])
    contrib: list[tuple[float, str]] = []
    norm = sc.norm
    hand = sc.hand
    hand_rooms = comp.hand_rooms
    for tok in candidates:
        if len(tok) < 2:
            continue
        c = 0.0
        entry = own.get(tok)
        if entry is not None:
            c = entry[1] * feats[tok] / norm
        for ri, w in hand_rooms.get(tok, ()):
            if ri == best:
                c += w * hand
        if c > 0.02:
            contrib.append((c, tok))
    contrib.sort(key=lambda x: (-x[0], x[1]))
    return tuple(tok for _, tok in contrib[:_KEYWORDS_SHOWN])
