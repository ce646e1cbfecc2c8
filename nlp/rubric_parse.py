"""Validating parsed ``config/severity.toml`` data into a :class:`~nlp.rubric_model.Rubric`.

Split from :mod:`nlp.rubric` (which re-exports :func:`parse_rubric`); every
error names the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nlp.rubric_model import LEVELS, SERVICES, Family, LevelSpec, LookAlikes, Rubric, RubricError

__all__ = ["parse_rubric"]


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
        "state_words",
        "span_combos",
        "span_window",
        "span_sentences",
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
    combos = _combos(table.get("combos", []), source, f"{key}.combos")
    span_combos = _combos(table.get("span_combos", []), source, f"{key}.span_combos")
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
        state_words=_words(table.get("state_words"), source, f"{key}.state_words"),
        span_combos=span_combos,
        span_window=_int(table.get("span_window", 40), source, f"{key}.span_window"),
        span_sentences=_int(table.get("span_sentences", 3), source, f"{key}.span_sentences"),
    )


def _combos(raw: Any, source: str, key: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """A family's ``combos`` or ``span_combos``: lists of at least two word groups."""
    if not isinstance(raw, list):
        raise _err(source, key, "must be a list of lists of word lists")
    combos: list[tuple[tuple[str, ...], ...]] = []
    for i, combo in enumerate(raw):
        if not isinstance(combo, list) or len(combo) < 2:
            raise _err(source, f"{key}[{i}]", "must list at least two word groups")
        combos.append(tuple(_words(g, source, f"{key}[{i}][{j}]") for j, g in enumerate(combo)))
    return tuple(combos)


def _look_alikes(raw: Any, source: str) -> LookAlikes:
    table = _table(raw, source, "look_alikes")
    lists = {f for f in LookAlikes.__slots__ if f != "figure_reach"}
    for field_name in table:
        if field_name not in lists | {"figure_reach"}:
            raise _err(source, f"look_alikes.{field_name}", "unknown key")
    words = {f: _words(table.get(f), source, f"look_alikes.{f}") for f in sorted(lists)}
    reach = _int(table.get("figure_reach", 4), source, "look_alikes.figure_reach")
    return LookAlikes(figure_reach=reach, **words)


def parse_rubric(data: Mapping[str, Any], source: str = "<string>") -> Rubric:
    """Build a :class:`Rubric` from parsed TOML data.

    Raises:
        RubricError: On a malformed or unknown key, naming file and key.
    """
    known = {"levels", "headcount", "collective", "modifiers", "letters", "families", "look_alikes"}
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
        received=_words(coll.get("received"), source, "collective.received"),
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
        letter_opening_claim=_words(letters.get("opening_claim"), source, "letters.opening_claim"),
        letter_lasted=_words(letters.get("lasted"), source, "letters.lasted"),
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
        end_reach=(
            _int(letters["end_reach"], source, "letters.end_reach") if "end_reach" in letters else 0
        ),
        end_scene=_words(letters.get("end_scene"), source, "letters.end_scene"),
        look_alikes=_look_alikes(data.get("look_alikes"), source),
    )
