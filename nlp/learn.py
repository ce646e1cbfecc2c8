"""Learning from routing corrections: a reviewable lexicon overlay (issue 14).

Pure: corrections in, a proposal out; nothing here reads a database or writes a
file. ``minqing lexicon learn`` (``bot/cli/learn.py``) feeds it the district's
corrections and prints the proposal.

How a proposal is made:

1. The corrections the current lexicon (packaged + overlay) still routes wrong
   are grouped by where they belonged (``room/bureau``, or the room alone when
   only the room was corrected).
2. For each group, the jieba words of its texts are ranked by how many of the
   group's texts contain them. A word is a candidate only if it is a Chinese
   word of two characters or more, occurs in no correction that belonged
   elsewhere, in at most :data:`MAX_BACKGROUND_SHARE` of the background texts
   (the fixed evaluation sets: words every message has say nothing), and is not
   already a keyword or rule word of the lexicon, nor a generic word
   (:data:`GENERIC_WORDS`: 电话, 一直, 里面, and the fragments the masking of phone
   and identity numbers leaves). A word must be in at least :data:`MIN_SUPPORT`
   corrections of the group from at least :data:`MIN_SUPPORT` distinct reporters:
   one case (or one person writing again and again) teaches nothing. The best
   ``max_per_target`` words become rules ``when = [word]`` adding weight to the
   group's target.
3. One weight for all new rules is taken from :data:`WEIGHT_LADDER`: the
   smallest with the best score: the wrong corrections it routes right minus
   :data:`GUARD_COST` times the guard texts (the fixed evaluation sets,
   labelled) it turns wrong.

The proposal is the new overlay's TOML and its unified diff against the
current overlay, with before/after counts on the corrections. One correction in
:data:`HOLD_OUT_EVERY` (by a stable hash of its text) is held out: nothing is
learnt from it, and the held-out figures are the honest check of the proposal.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nlp.classify import UNKNOWN, classify, message_features, prepare_text
from nlp.lexicon import Lexicon, merge_overlay, parse_lexicon

__all__ = [
    "GENERIC_WORDS",
    "GUARD_COST",
    "HOLD_OUT_EVERY",
    "MAX_BACKGROUND_SHARE",
    "MIN_SUPPORT",
    "WEIGHT_LADDER",
    "Correction",
    "LearntRule",
    "Proposal",
    "propose",
    "render_overlay",
    "routes_right",
    "words_of",
]

WEIGHT_LADDER: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
"""Weights tried for the new rules, smallest first."""

GUARD_COST = 2
"""A guard text turned wrong costs as much as this many corrections routed right."""

MAX_BACKGROUND_SHARE = 0.05
"""A word in more than this share of the background texts is too common to learn."""


MIN_SUPPORT = 3
"""Corrections, and distinct reporters among them, a word needs to be learnt."""

HOLD_OUT_EVERY = 4
"""One correction in this many is held out (never learnt from) to measure a proposal."""

_GENERIC = (
    # Contact and identity details, and what masking them leaves (身份证号 138****).
    "电话 手机 号码 电话号码 手机号 联系 联系方式 身份 证号 身份证 身份证号 号是 微信 "
    # Words of any complaint: time, place, degree, asking.
    "一直 里面 外面 现在 已经 还是 但是 因为 所以 没有 我们 他们 你们 自己 这个 那个 "
    "什么 怎么 为什么 问题 反映 希望 帮忙 帮助 请求 处理 解决 情况 时候 今天 昨天 每天 "
    "晚上 一个 多次 好几 非常 特别 很多 一下 部门 相关 有关 工作 人员 这里 那里 附近 "
    "旁边 谢谢"
)
GENERIC_WORDS = frozenset(_GENERIC.split(" "))
"""Words of any message: never learnt, however often a group's texts have them."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One corrected routing: the text and where it belonged.

    ``final_bureau`` is ``unknown`` when only the room was corrected.
    ``reporter`` names who wrote the text ("" when unknown: each such
    correction counts as its own reporter).
    """

    text: str
    classified_room: str
    classified_bureau: str
    final_room: str
    final_bureau: str
    reporter: str = ""

    @property
    def target(self) -> str:
        """``room/bureau``, or ``room`` when the bureau is not known."""
        if self.final_bureau and self.final_bureau != UNKNOWN:
            return f"{self.final_room}/{self.final_bureau}"
        return self.final_room

    @property
    def agrees(self) -> bool:
        """True when the classifier had already said where the case belonged."""
        if self.final_bureau and self.final_bureau != UNKNOWN:
            return self.classified_bureau == self.final_bureau
        return self.classified_room == self.final_room


@dataclass(frozen=True, slots=True)
class LearntRule:
    """A word that, from now on, adds ``weight`` to ``target``."""

    word: str
    target: str
    weight: float
    support: int
    """How many corrected texts of the target contain the word."""


@dataclass(slots=True)
class Proposal:
    """What ``lexicon learn`` proposes, and what it would change on the corrections.

    ``total``/``right_*`` count the corrections learnt from; ``held_out``/
    ``held_right_*`` the held-out ones (the honest figure).
    """

    rules: list[LearntRule]
    total: int
    right_before: int
    right_after: int
    overlay_before: str
    overlay_after: str
    confusions: dict[tuple[str, str], int] = field(default_factory=dict)
    held_out: int = 0
    held_right_before: int = 0
    held_right_after: int = 0

    @property
    def changed(self) -> bool:
        """True when the proposal adds anything."""
        return bool(self.rules)

    def diff(self, name: str = "lexicon.local.toml") -> str:
        """The unified diff from the current overlay to the proposed one."""
        return "".join(
            difflib.unified_diff(
                self.overlay_before.splitlines(keepends=True),
                self.overlay_after.splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        )


def routes_right(correction: Correction, lexicon: Lexicon) -> bool:
    """Whether ``lexicon`` sends the correction's text where it belonged."""
    c = classify(correction.text, lexicon)
    if correction.final_bureau and correction.final_bureau != UNKNOWN:
        return c.room == correction.final_room and c.bureau == correction.final_bureau
    return c.room == correction.final_room


def words_of(text: str, lexicon: Lexicon) -> set[str]:
    """The distinct Chinese jieba words (two characters or more) the classifier sees."""
    norm, _ = prepare_text(text, lexicon.settings.max_chars)
    feats = message_features(norm, lexicon.settings.title_weight, lexicon.settings.lead_chars)
    return {w for w in feats if len(w) >= 2 and all("\u3400" <= ch <= "\u9fff" for ch in w)}


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_overlay(rules: Sequence[Mapping[str, Any]], header: str = "") -> str:
    """An overlay file holding ``rules`` (each ``when``, ``add``, optional ``note``)."""
    lines = [
        "# minqing lexicon overlay: rules learnt from the district's routing corrections",
        "# (`minqing lexicon learn`). Loaded on top of config/lexicon.toml; review before use.",
    ]
    if header:
        lines.append(f"# {header}")
    for rule in rules:
        lines.append("")
        lines.append("[[rules]]")
        when = ", ".join(_toml_string(w) for w in rule.get("when", ()))
        lines.append(f"when = [{when}]")
        add = ", ".join(f"{_toml_string(t)} = {float(w):g}" for t, w in rule["add"].items())
        lines.append(f"add = {{ {add} }}")
        if rule.get("note"):
            lines.append(f"note = {_toml_string(str(rule['note']))}")
    return "\n".join(lines) + "\n"


def _with_rules(
    base: Mapping[str, Any], overlay_rules: list[dict[str, Any]], new: Iterable[LearntRule]
) -> Lexicon:
    rules = [*overlay_rules, *({"when": [r.word], "add": {r.target: r.weight}} for r in new)]
    return parse_lexicon(merge_overlay(base, {"rules": rules}), "<learn>")


def held_out(correction: Correction) -> bool:
    """Whether ``correction`` is held out (a stable hash of its text)."""
    digest = hashlib.sha256(correction.text.encode("utf-8")).digest()
    return digest[0] % HOLD_OUT_EVERY == 0


def _known_words(lexicon: Lexicon) -> set[str]:
    return lexicon.keywords()


def _pull(lexicon: Lexicon, word: str, c: Correction) -> float:
    """How far a mined word pulled the text towards the classifier's wrong answer."""
    weights = lexicon.terms.get(word, {})
    wrong = weights.get(c.classified_room, 0.0)
    wrong += weights.get(f"{c.classified_room}/{c.classified_bureau}", 0.0)
    return max(0.0, wrong)


def propose(
    corrections: Sequence[Correction],
    base: Mapping[str, Any],
    overlay_text: str = "",
    background: Sequence[str] = (),
    *,
    max_per_target: int = 5,
    note: str = "",
    guard: Sequence[Correction] = (),
) -> Proposal:
    """Propose overlay rules that route the still-wrong corrections right.

    Args:
        corrections: the district's corrections (the latest per case).
        base: the packaged lexicon's data (with ``terms``).
        overlay_text: the current overlay file's text ("" when none).
        background: texts whose common words must not be learnt.
        max_per_target: at most this many new words per target.
        note: written into each new rule's ``note`` (e.g. the date).
        guard: labelled texts (the fixed evaluation sets) the weight must not
            break: a weight scores the corrections it fixes minus the guard
            texts it turns wrong.

    Returns:
        The proposal; ``rules`` is empty when nothing is to be learnt.
    """
    overlay = tomllib.loads(overlay_text) if overlay_text.strip() else {}
    overlay_rules: list[dict[str, Any]] = list(overlay.get("rules", []))
    current = parse_lexicon(merge_overlay(base, overlay), "<current>")
    confusions: dict[tuple[str, str], int] = {}
    for c in corrections:
        if not c.agrees:
            key = (c.classified_bureau or UNKNOWN, c.final_bureau or UNKNOWN)
            confusions[key] = confusions.get(key, 0) + 1
    held = [c for c in corrections if held_out(c)]
    corrections = [c for c in corrections if not held_out(c)]
    held_before = sum(1 for c in held if routes_right(c, current))
    wrong = [c for c in corrections if not routes_right(c, current)]
    right_before = len(corrections) - len(wrong)
    words = {id(c): words_of(c.text, current) for c in corrections}
    bg_docs = [words_of(t, current) for t in background]
    bg_limit = MAX_BACKGROUND_SHARE * max(len(bg_docs), 1)
    known = _known_words(current)
    targets = sorted({c.target for c in wrong})
    candidates: list[LearntRule] = []
    for target in targets:
        own = [c for c in wrong if c.target == target]
        others: set[str] = set()
        for c in corrections:
            if c.target != target:
                others |= words[id(c)]
        support: dict[str, int] = {}
        reporters: dict[str, set[str]] = {}
        for c in own:
            for w in words[id(c)]:
                support[w] = support.get(w, 0) + 1
                reporters.setdefault(w, set()).add(c.reporter or f"#{id(c)}")
        ranked = []
        for w, n in support.items():
            if n < MIN_SUPPORT or len(reporters[w]) < MIN_SUPPORT:
                continue
            if w in others or w in known or w in GENERIC_WORDS:
                continue
            bg = sum(1 for d in bg_docs if w in d)
            if bg > bg_limit:
                continue
            misled = sum(_pull(current, w, c) for c in own if w in words[id(c)])
            ranked.append((-n, -misled, bg, -len(w), w))
        ranked.sort()
        for neg_n, _, _, _, w in ranked[:max_per_target]:
            candidates.append(LearntRule(w, target, 0.0, -neg_n))
    if not candidates:
        return Proposal(
            [],
            len(corrections),
            right_before,
            right_before,
            overlay_text,
            overlay_text,
            confusions,
            len(held),
            held_before,
            held_before,
        )
    guard_right = [g for g in guard if routes_right(g, current)]
    best: tuple[int, float] = (-GUARD_COST * len(guard_right) - 1, WEIGHT_LADDER[0])
    for weight in WEIGHT_LADDER:
        trial = [LearntRule(r.word, r.target, weight, r.support) for r in candidates]
        lex = _with_rules(base, overlay_rules, trial)
        fixed = sum(1 for c in wrong if routes_right(c, lex))
        broken = sum(1 for g in guard_right if not routes_right(g, lex))
        if fixed - GUARD_COST * broken > best[0]:
            best = (fixed - GUARD_COST * broken, weight)
        if fixed == len(wrong) and not broken:
            break
    chosen = [LearntRule(r.word, r.target, best[1], r.support) for r in candidates]
    after = _with_rules(base, overlay_rules, chosen)
    right_after = sum(1 for c in corrections if routes_right(c, after))
    new_rules = [
        {
            "when": [r.word],
            "add": {r.target: r.weight},
            "note": f"learnt{' ' + note if note else ''}: {r.support} correction(s) to {r.target}",
        }
        for r in chosen
    ]
    overlay_after = render_overlay([*overlay_rules, *new_rules])
    before_text = overlay_text if overlay_text.strip() else ""
    return Proposal(
        chosen,
        len(corrections),
        right_before,
        right_after,
        before_text,
        overlay_after,
        confusions,
        len(held),
        held_before,
        sum(1 for c in held if routes_right(c, after)),
    )
