"""The severity rubric: loading and validating ``config/severity.toml``.

The rubric is the district's written definition of the four severity levels
(see ``docs/severity.md``): level definitions, head-count thresholds, the
collective-visit size, urgency and planning words, and **families of
expressions** (self-harm, violence, fire, water, collapse, health, blocking,
collective action, escalation, threats, online campaigns ...). Each family
has a level, optional emergency numbers, plain ``words`` and ``combos`` (word
groups that must occur in order within a window of one sentence), and
``exclude``: harmless look-alikes (上吊顶, 落水管, 着火点) that cancel any
match they overlap.

This module only reads configuration; :mod:`nlp.severity` and
:mod:`nlp.emergency` match texts against it. It imports nothing else from
:mod:`nlp`.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "LEVELS",
    "RUBRIC_PATH",
    "SERVICES",
    "Family",
    "LevelSpec",
    "Rubric",
    "RubricError",
    "default_rubric",
    "load_rubric",
    "parse_rubric",
]

RUBRIC_PATH = Path(__file__).resolve().parent.parent / "config" / "severity.toml"
"""The packaged rubric."""

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

    def family(self, name: str) -> Family:
        """Return the family called ``name`` (KeyError if none)."""
        for fam in self.families:
            if fam.name == name:
                return fam
        raise KeyError(name)


def _err(source: str, key: str, message: str) -> RubricError:
    return RubricError(f"{source}: [{key}] {message}")


def _table(value: Any, source: str, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _err(source, key, f"must be a table, got {type(value).__name__}")
    return value


def _bool(value: Any, source: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise _err(source, key, f"must be true or false, got {value!r}")
    return value


def _words(value: Any, source: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise _err(source, key, f"must be a list of non-empty strings, got {value!r}")
    return tuple(w.strip() for w in value)


def _level(value: Any, source: str, key: str) -> str:
    if value not in LEVELS:
        raise _err(source, key, f"unknown level {value!r} (use {', '.join(LEVELS)})")
    return str(value)


def _int(value: Any, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _err(source, key, f"must be a positive integer, got {value!r}")
    return value


def _bureau(value: Any, source: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _err(source, key, f'must be a bureau id such as "police", got {value!r}')
    return value.strip()


def _family(name: str, raw: Any, source: str) -> Family:
    key = f"families.{name}"
    table = _table(raw, source, key)
    known = {
        "label",
        "level",
        "now_level",
        "services",
        "words",
        "combos",
        "window",
        "exclude",
        "present",
        "bureau",
    }
    for field_name in table:
        if field_name not in known:
            raise _err(source, f"{key}.{field_name}", "unknown key")
    level = _level(table.get("level"), source, f"{key}.level")
    now_raw = table.get("now_level")
    now_level = None if now_raw is None else _level(now_raw, source, f"{key}.now_level")
    services = _words(table.get("services"), source, f"{key}.services")
    for number in services:
        if number not in SERVICES:
            raise _err(source, f"{key}.services", f"unknown number {number!r}")
    combos_raw = table.get("combos", [])
    if not isinstance(combos_raw, list):
        raise _err(source, f"{key}.combos", "must be a list of lists of word lists")
    combos: list[tuple[tuple[str, ...], ...]] = []
    for i, combo in enumerate(combos_raw):
        if not isinstance(combo, list) or len(combo) < 2:
            raise _err(source, f"{key}.combos[{i}]", "must list at least two word groups")
        combos.append(
            tuple(_words(g, source, f"{key}.combos[{i}][{j}]") for j, g in enumerate(combo))
        )
    words = _words(table.get("words"), source, f"{key}.words")
    if not words and not combos:
        raise _err(source, key, "needs words or combos")
    return Family(
        name=name,
        label=str(table.get("label", name)),
        level=level,
        now_level=now_level,
        services=services,
        words=words,
        combos=tuple(combos),
        window=_int(table.get("window", 12), source, f"{key}.window"),
        exclude=_words(table.get("exclude"), source, f"{key}.exclude"),
        present=_bool(table.get("present", False), source, f"{key}.present"),
        bureau=_bureau(table.get("bureau"), source, f"{key}.bureau"),
    )


def parse_rubric(data: Mapping[str, Any], source: str = "<string>") -> Rubric:
    """Build a :class:`Rubric` from parsed TOML data.

    Raises:
        RubricError: On a malformed or unknown key, naming file and key.
    """
    known = {"levels", "headcount", "collective", "modifiers", "letters", "families"}
    for key in data:
        if key not in known:
            raise _err(source, key, f"unknown section (expected one of {', '.join(sorted(known))})")
    levels: dict[str, LevelSpec] = {}
    for name, raw in _table(data.get("levels"), source, "levels").items():
        _level(name, source, f"levels.{name}")
        spec = _table(raw, source, f"levels.{name}")
        levels[name] = LevelSpec(
            str(spec.get("label", name)),
            str(spec.get("definition", "")),
            _words(spec.get("examples"), source, f"levels.{name}.examples"),
        )
    thresholds = sorted(
        (
            (_int(count, source, f"headcount.{lvl}"), _level(lvl, source, f"headcount.{lvl}"))
            for lvl, count in _table(data.get("headcount"), source, "headcount").items()
        ),
        reverse=True,
    )
    coll = _table(data.get("collective"), source, "collective")
    mods = _table(data.get("modifiers"), source, "modifiers")
    letters = _table(data.get("letters"), source, "letters")
    families = tuple(
        _family(name, raw, source)
        for name, raw in _table(data.get("families"), source, "families").items()
    )
    return Rubric(
        source=source,
        levels=levels,
        headcount=tuple(thresholds),
        collective_min=_int(coll.get("min_people", 5), source, "collective.min_people"),
        collective_level=_level(coll.get("level", "high"), source, "collective.level"),
        collective_words=_words(coll.get("words"), source, "collective.words"),
        urgency=_words(mods.get("urgency"), source, "modifiers.urgency"),
        urgency_bump_from=_level(
            mods.get("urgency_bump_from", "medium"), source, "modifiers.urgency_bump_from"
        ),
        urgency_bump_max=_level(
            mods.get("urgency_bump_max", "high"), source, "modifiers.urgency_bump_max"
        ),
        planning=_words(mods.get("planning"), source, "modifiers.planning"),
        now=_words(mods.get("now"), source, "modifiers.now"),
        families=families,
        settled=_words(mods.get("settled"), source, "modifiers.settled"),
        settled_max=_level(mods.get("settled_max", "medium"), source, "modifiers.settled_max"),
        future=_words(mods.get("future"), source, "modifiers.future"),
        past=_words(mods.get("past"), source, "modifiers.past"),
        strong_now=_words(mods.get("strong_now"), source, "modifiers.strong_now"),
        aftermath=_words(mods.get("aftermath"), source, "modifiers.aftermath"),
        claim=_words(mods.get("claim"), source, "modifiers.claim"),
        claim_since=_words(mods.get("claim_since"), source, "modifiers.claim_since"),
        claim_harm=_words(mods.get("claim_harm"), source, "modifiers.claim_harm"),
        retracted=_words(mods.get("retracted"), source, "modifiers.retracted"),
        exclaimed=_words(mods.get("exclaimed"), source, "modifiers.exclaimed"),
        hearsay=_words(mods.get("hearsay"), source, "modifiers.hearsay"),
        nuisance=_words(mods.get("nuisance"), source, "modifiers.nuisance"),
        unserious=_words(mods.get("unserious"), source, "modifiers.unserious"),
        pastime=_words(coll.get("pastime"), source, "collective.pastime"),
        together=_words(coll.get("together"), source, "collective.together"),
        pastime_window=_int(coll.get("pastime_window", 12), source, "collective.pastime_window"),
        habit=_words(mods.get("habit"), source, "modifiers.habit"),
        present=_words(mods.get("present"), source, "modifiers.present"),
        civil=_words(mods.get("civil"), source, "modifiers.civil"),
        idle=_words(mods.get("idle"), source, "modifiers.idle"),
        risk=_words(mods.get("risk"), source, "modifiers.risk"),
        risk_spares=_words(mods.get("risk_spares"), source, "modifiers.risk_spares"),
        request=_words(mods.get("request"), source, "modifiers.request"),
        play=_words(mods.get("play"), source, "modifiers.play"),
        letter_chars=_int(letters.get("min_chars", 1_000_000), source, "letters.min_chars"),
        letter_households_min=_int(
            letters.get("households_min", 1_000_000), source, "letters.households_min"
        ),
        letter_households=_words(letters.get("households"), source, "letters.households"),
        letter_many_of_us=_words(letters.get("many_of_us"), source, "letters.many_of_us"),
        letter_many_signs=_int(letters.get("many_signs", 1_000_000), source, "letters.many_signs"),
        letter_max=_level(
            letters.get("background_max", "medium"), source, "letters.background_max"
        ),
        letter_action=_words(letters.get("action"), source, "letters.action"),
        letter_now=_words(letters.get("now"), source, "letters.now"),
        letter_today=_words(letters.get("today"), source, "letters.today"),
        letter_families=_words(letters.get("families"), source, "letters.families"),
        group_lead=_words(letters.get("group_lead"), source, "letters.group_lead"),
        group=_words(letters.get("group"), source, "letters.group"),
        group_window=_int(letters.get("group_window", 20), source, "letters.group_window"),
        crowd=_words(letters.get("crowd"), source, "letters.crowd"),
        crowd_plan=_words(letters.get("crowd_plan"), source, "letters.crowd_plan"),
        crowd_together=_words(letters.get("crowd_together"), source, "letters.crowd_together"),
        crowd_acts=_words(letters.get("crowd_acts"), source, "letters.crowd_acts"),
        crowd_window=_int(letters.get("crowd_window", 20), source, "letters.crowd_window"),
        animals=_words(mods.get("animals"), source, "modifiers.animals"),
        animal_families=_words(mods.get("animal_families"), source, "modifiers.animal_families"),
        hypothesis=_words(mods.get("hypothesis"), source, "modifiers.hypothesis"),
        category_of=_words(mods.get("category_of"), source, "modifiers.category_of"),
        category_kind=_words(mods.get("category_kind"), source, "modifiers.category_kind"),
        asked=_words(mods.get("asked"), source, "modifiers.asked"),
        no_incident=_words(mods.get("no_incident"), source, "modifiers.no_incident"),
        not_taken_back=_words(mods.get("not_taken_back"), source, "modifiers.not_taken_back"),
        panic=_words(mods.get("panic"), source, "modifiers.panic"),
        calmed=_words(mods.get("calmed"), source, "modifiers.calmed"),
        denied=_words(mods.get("denied"), source, "modifiers.denied"),
        doubted=_words(mods.get("doubted"), source, "modifiers.doubted"),
        media=_words(mods.get("media"), source, "modifiers.media"),
        named=_words(mods.get("named"), source, "modifiers.named"),
        lone=_words(mods.get("lone"), source, "modifiers.lone"),
        not_lone=_words(mods.get("not_lone"), source, "modifiers.not_lone"),
        lone_families=_words(mods.get("lone_families"), source, "modifiers.lone_families"),
        dating=_words(mods.get("dating"), source, "modifiers.dating"),
        near_miss=_words(mods.get("near_miss"), source, "modifiers.near_miss"),
        near_miss_families=_words(
            mods.get("near_miss_families"), source, "modifiers.near_miss_families"
        ),
        end_now=_words(letters.get("end_now"), source, "letters.end_now"),
        end_reach=_int(letters.get("end_reach", 0), source, "letters.end_reach"),
    )


def load_rubric(path: Path | str | None = None) -> Rubric:
    """Load and validate a rubric file (``None``: the packaged one).

    Raises:
        RubricError: If the file is missing, not valid TOML or inconsistent.
    """
    file = Path(path) if path is not None else RUBRIC_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RubricError(f"{file}: rubric file not found") from exc
    except UnicodeDecodeError as exc:
        raise RubricError(f"{file}: not valid TOML: not UTF-8 ({exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{file}: not valid TOML: {exc}") from exc
    return parse_rubric(data, str(file))


_DEFAULT: Rubric | None = None
_LOCK = threading.Lock()


def default_rubric() -> Rubric:
    """Return the packaged rubric, loaded once per process (thread-safe)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                _DEFAULT = load_rubric()
    return _DEFAULT
