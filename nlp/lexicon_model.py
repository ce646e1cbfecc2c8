"""The lexicon's data model: rooms, bureaus, settings, rules and :class:`Lexicon`.

Split from :mod:`nlp.lexicon` (which re-exports every name here); see that
module for the file format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BUREAUS", "ROOMS", "Lexicon", "LexiconError", "Rule", "Settings"]

ROOMS: tuple[str, ...] = ("legal", "livelihood", "social", "urban", "general")
"""The five service rooms (stable ids, DESIGN.md)."""

BUREAUS: dict[str, tuple[str, ...]] = {
    "legal": ("court", "procuratorate", "justice", "environment"),
    "livelihood": ("labor", "civil_affairs", "personnel"),
    "social": ("education", "health", "family_planning"),
    "urban": ("construction", "planning"),
    "general": ("petition", "police", "land"),
}
"""The bureaus of each room (stable ids, DESIGN.md)."""


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or inconsistent.

    The message names the file and the offending key.
    """


@dataclass(frozen=True, slots=True)
class Settings:
    """Classifier settings from ``[settings]``."""

    max_chars: int = 3000
    title_weight: float = 2.0
    temperature: float = 1.0
    min_evidence: float = 0.6
    lead_chars: int = 0
    short_words: float = 20.0
    title_hand: float = 0.0
    mined_temperature: float = 1.0
    long_temperature: float = 1.0
    norm_floor: float = 40.0
    keyword_freq: int = 0
    bureau_weights: str = ""
    segment_total: int = 0


@dataclass(frozen=True, slots=True)
class Rule:
    """A co-occurrence rule from ``[[rules]]``."""

    when: tuple[str, ...]
    with_any: tuple[str, ...]
    unless_any: tuple[str, ...]
    add: tuple[tuple[str, float], ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A loaded lexicon.

    Attributes:
        source: Where it came from (file path or ``"<string>"``).
        settings: Classifier settings.
        room_bias: Logit offset per room.
        room_prior: A district's deliberate logit offset per room (``prior``):
            added like ``bias`` when classifying, but left out when mining
            fits the rooms' shifts, so that re-mining does not absorb it.
        default_bureau: Bureau chosen inside a room when no bureau keyword
            matched.
        room_cues: Room-level keyword weights.
        bureau_keywords: ``(room, bureau)`` → keyword → weight.
        rules: Disambiguation rules.
        terms: Mined term → target (``room`` or ``room/bureau``) → weight.
        term_idf: Mined term → specificity (inverse document frequency); a
            term without one counts 1.
    """

    source: str
    settings: Settings
    room_bias: dict[str, float]
    default_bureau: dict[str, str]
    room_cues: dict[str, dict[str, float]]
    bureau_keywords: dict[tuple[str, str], dict[str, float]]
    rules: tuple[Rule, ...]
    terms: dict[str, dict[str, float]]
    term_idf: dict[str, float] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    room_prior: dict[str, float] = field(default_factory=dict)

    def keywords(self) -> set[str]:
        """Return every hand-written keyword, cue and rule token."""
        words: set[str] = set()
        for cues in self.room_cues.values():
            words.update(cues)
        for kws in self.bureau_keywords.values():
            words.update(kws)
        for rule in self.rules:
            words.update(rule.when)
            words.update(rule.with_any)
            words.update(rule.unless_any)
        return words
