"""The severity rubric's data model: levels, emergency numbers, families and :class:`Rubric`.

Split from :mod:`nlp.rubric` (which loads the file and re-exports every name
here); see that module for what the rubric holds. Imports nothing from
:mod:`nlp`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LEVELS", "SERVICES", "Family", "LevelSpec", "LookAlikes", "Rubric", "RubricError"]

LEVELS: tuple[str, ...] = ("low", "medium", "high", "critical")
"""Severity levels, lowest first."""

SERVICES: dict[str, str] = {"110": "报警", "119": "火警", "120": "急救", "122": "交通事故"}
"""Emergency numbers a family may name, with their Chinese name."""


class RubricError(ValueError):
    """The rubric file is missing, malformed or inconsistent (names file and key)."""


@dataclass(frozen=True, slots=True)
class LevelSpec:
    """One level's written definition."""

    label: str
    definition: str
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Family:
    """A family of expressions that sets a level.

    Attributes:
        name: The family id (``self_harm``, ``fire`` ...).
        label: Its Chinese name, shown to officers.
        level: The level a match sets.
        now_level: The level when the match happens now (a ``now`` word in
            its sentence, not a plan); ``None`` when the same as ``level``.
        services: Emergency numbers; non-empty makes the family a danger now.
        words: Expressions found anywhere in the text.
        combos: Word groups; one word of each group, in order, within
            ``window`` characters of one sentence.
        window: Largest gap, in characters, between two groups of a combo.
        exclude: Look-alikes; a match overlapping one does not count.
        present: The words say by themselves that it is happening (有人在撬门,
            翻东西的声音): a match is *now* unless a past or future marker is in
            its sentence, with no ``now`` word needed.
        bureau: The bureau that owns a danger now of this family (``police``
            for violence, fire, water ...), or ``None`` (see :mod:`nlp.danger_owner`).
        state_words: Words of a state of mind (想, 念头, 活着): a match with one in its
            clause told with a habit word (最近总, 老是, 天天) is a state lasting to now,
            not a habit of past events (我最近总想死, 老是想着死: ideation told as a state
            is a danger now, pf31; see :mod:`nlp.clause_time`).
        span_combos: Combos read across sentences (stop 32): one word of each group, in
            order, within ``span_window`` characters of each other and at most
            ``span_sentences`` sentences together (他把存折交给了邻居。晚上人就不见了。: farewell
            signs told in a report's separate sentences).
        span_window: Largest gap, in characters, between two groups of a span combo.
        span_sentences: The most sentences a span combo may run over.
    """

    name: str
    label: str
    level: str
    now_level: str | None
    services: tuple[str, ...]
    words: tuple[str, ...]
    combos: tuple[tuple[tuple[str, ...], ...], ...]
    window: int
    exclude: tuple[str, ...]
    present: bool = False
    bureau: str | None = None
    state_words: tuple[str, ...] = ()
    span_combos: tuple[tuple[tuple[str, ...], ...], ...] = ()
    span_window: int = 40
    span_sentences: int = 3


@dataclass(frozen=True, slots=True)
class LookAlikes:
    """Danger words used for something harmless (``[look_alikes]``, stop 29; see
    :mod:`nlp.look_alikes`): a game or a film, a device's beep, a figure of speech, a
    question about first aid, a word of harm as a degree (stop 32)."""

    screen: tuple[str, ...] = ()
    screen_acts: tuple[str, ...] = ()
    screen_real: tuple[str, ...] = ()
    screen_unreal: tuple[str, ...] = ()
    screen_refs: tuple[str, ...] = ()
    screen_sounds: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    device_sounds: tuple[str, ...] = ()
    figure_causes: tuple[str, ...] = ()
    figure_words: tuple[str, ...] = ()
    figure_reach: int = 4
    ingested: tuple[str, ...] = ()
    first_aid: tuple[str, ...] = ()
    first_aid_not: tuple[str, ...] = ()
    first_aid_asks: tuple[str, ...] = ()
    degree_words: tuple[str, ...] = ()
    degree_marks: tuple[str, ...] = ()
    degree_not: tuple[str, ...] = ()
    degree_hazards: tuple[str, ...] = ()
    body_parts: tuple[str, ...] = ()
    body_harms: tuple[str, ...] = ()
    named_things: tuple[str, ...] = ()
    named_links: tuple[str, ...] = ()
    body_causes: tuple[str, ...] = ()
    body_objects: tuple[str, ...] = ()
    body_vetoes: tuple[str, ...] = ()
    named_places: tuple[str, ...] = ()
    named_vetoes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rubric:
    """A loaded rubric (see the module docstring)."""

    source: str
    levels: dict[str, LevelSpec]
    headcount: tuple[tuple[int, str], ...]
    collective_min: int
    collective_level: str
    collective_words: tuple[str, ...]
    urgency: tuple[str, ...]
    urgency_bump_from: str
    urgency_bump_max: str
    planning: tuple[str, ...]
    now: tuple[str, ...]
    families: tuple[Family, ...]
    settled: tuple[str, ...] = ()
    settled_max: str = "medium"
    future: tuple[str, ...] = ()
    past: tuple[str, ...] = ()
    strong_now: tuple[str, ...] = ()
    aftermath: tuple[str, ...] = ()
    claim: tuple[str, ...] = ()
    claim_since: tuple[str, ...] = ()
    claim_harm: tuple[str, ...] = ()
    retracted: tuple[str, ...] = ()
    exclaimed: tuple[str, ...] = ()
    hearsay: tuple[str, ...] = ()
    nuisance: tuple[str, ...] = ()
    unserious: tuple[str, ...] = ()
    pastime: tuple[str, ...] = ()
    together: tuple[str, ...] = ()
    pastime_window: int = 12
    received: tuple[str, ...] = ()
    habit: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    civil: tuple[str, ...] = ()
    idle: tuple[str, ...] = ()
    risk: tuple[str, ...] = ()
    risk_spares: tuple[str, ...] = ()
    request: tuple[str, ...] = ()
    play: tuple[str, ...] = ()
    letter_chars: int = 1_000_000
    letter_many_signs: int = 1_000_000
    letter_households_min: int = 1_000_000
    letter_households: tuple[str, ...] = ()
    letter_many_of_us: tuple[str, ...] = ()
    letter_max: str = "medium"
    letter_action: tuple[str, ...] = ()
    letter_now: tuple[str, ...] = ()
    letter_today: tuple[str, ...] = ()
    letter_opening_claim: tuple[str, ...] = ()
    letter_lasted: tuple[str, ...] = ()
    letter_families: tuple[str, ...] = ()
    group_lead: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    group_window: int = 20
    crowd: tuple[str, ...] = ()
    crowd_plan: tuple[str, ...] = ()
    crowd_together: tuple[str, ...] = ()
    crowd_acts: tuple[str, ...] = ()
    crowd_window: int = 20
    animals: tuple[str, ...] = ()
    animal_families: tuple[str, ...] = ()
    hypothesis: tuple[str, ...] = ()
    category_of: tuple[str, ...] = ()
    category_kind: tuple[str, ...] = ()
    asked: tuple[str, ...] = ()
    no_incident: tuple[str, ...] = ()
    not_taken_back: tuple[str, ...] = ()
    panic: tuple[str, ...] = ()
    calmed: tuple[str, ...] = ()
    denied: tuple[str, ...] = ()
    doubted: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    lone: tuple[str, ...] = ()
    not_lone: tuple[str, ...] = ()
    lone_families: tuple[str, ...] = ()
    dating: tuple[str, ...] = ()
    near_miss: tuple[str, ...] = ()
    near_miss_families: tuple[str, ...] = ()
    end_now: tuple[str, ...] = ()
    end_reach: int = 0
    end_scene: tuple[str, ...] = ()
    look_alikes: LookAlikes = LookAlikes()

    def family(self, name: str) -> Family:
        """Return the family called ``name`` (KeyError if none)."""
        for fam in self.families:
            if fam.name == name:
                return fam
        raise KeyError(name)
