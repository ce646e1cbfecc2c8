"""Validating a parsed lexicon document into a :class:`~nlp.lexicon_model.Lexicon`.

Split from :mod:`nlp.lexicon` (which re-exports :func:`parse_lexicon`); every
error names the file and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nlp.lexicon_model import BUREAUS, ROOMS, Lexicon, LexiconError, Rule, Settings

__all__ = ["parse_lexicon"]


def _err(source: str, key: str, message: str) -> LexiconError:
    return LexiconError(f"{source}: [{key}] {message}")


def _table(value: Any, source: str, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _err(source, key, f"must be a table, got {type(value).__name__}")
    return value


def _weights(value: Any, source: str, key: str) -> dict[str, float]:
    table = _table(value, source, key)
    out: dict[str, float] = {}
    for word, weight in table.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise _err(source, f"{key}.{word}", f"weight must be a number, got {weight!r}")
        if not math.isfinite(float(weight)):
            raise _err(source, f"{key}.{word}", "weight must be finite")
        if not word.strip():
            raise _err(source, key, "empty keyword")
        out[word.strip()] = float(weight)
    return out


def _words(value: Any, source: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise _err(source, key, f"must be a list of non-empty strings, got {value!r}")
    return tuple(w.strip() for w in value)


def _check_target(target: str, source: str, key: str) -> None:
    room, _, bureau = target.partition("/")
    if room not in BUREAUS:
        raise _err(source, key, f"unknown room {room!r} (expected one of {', '.join(ROOMS)})")
    if bureau and bureau not in BUREAUS[room]:
        raise _err(
            source,
            key,
            f"unknown bureau {bureau!r} in room {room!r} "
            f"(expected one of {', '.join(BUREAUS[room])})",
        )


def _number(table: Mapping[str, Any], name: str, default: float, source: str, key: str) -> float:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _err(source, f"{key}.{name}", f"must be a number, got {value!r}")
    return float(value)


def parse_lexicon(data: Mapping[str, Any], source: str = "<string>") -> Lexicon:
    """Build a :class:`Lexicon` from parsed TOML data.

    Args:
        data: The parsed TOML document.
        source: Name used in error messages.

    Returns:
        The validated lexicon.

    Raises:
        LexiconError: On any malformed or unknown key, naming file and key.
    """
    known = {"settings", "rooms", "rules", "terms", "mined"}
    for key in data:
        if key == "severity":
            raise _err(source, key, "moved: severity is the rubric in config/severity.toml")
        if key not in known:
            raise _err(source, key, f"unknown section (expected one of {', '.join(sorted(known))})")
    st = _table(data.get("settings"), source, "settings")
    settings = Settings(
        max_chars=int(_number(st, "max_chars", 3000, source, "settings")),
        title_weight=_number(st, "title_weight", 2.0, source, "settings"),
        temperature=_number(st, "temperature", 1.0, source, "settings"),
        min_evidence=_number(st, "min_evidence", 0.6, source, "settings"),
        lead_chars=int(_number(st, "lead_chars", 0, source, "settings")),
        short_words=_number(st, "short_words", 20.0, source, "settings"),
        title_hand=_number(st, "title_hand", 0.0, source, "settings"),
        mined_temperature=_number(st, "mined_temperature", 1.0, source, "settings"),
        long_temperature=_number(st, "long_temperature", 1.0, source, "settings"),
        norm_floor=_number(st, "norm_floor", 40.0, source, "settings"),
        keyword_freq=int(_number(st, "keyword_freq", 0, source, "settings")),
        bureau_weights=_text(st, "bureau_weights", source),
        segment_total=int(_number(st, "segment_total", 0, source, "settings")),
    )
    if settings.max_chars < 50:
        raise _err(source, "settings.max_chars", "must be at least 50")
    if settings.temperature <= 0:
        raise _err(source, "settings.temperature", "must be positive")
    if settings.long_temperature <= 0:
        raise _err(source, "settings.long_temperature", "must be positive")
    if settings.mined_temperature <= 0:
        raise _err(source, "settings.mined_temperature", "must be positive")
    if settings.short_words <= 0:
        raise _err(source, "settings.short_words", "must be positive")
    if settings.keyword_freq < 0:
        raise _err(source, "settings.keyword_freq", "must not be negative")
    if settings.segment_total < 0:
        raise _err(source, "settings.segment_total", "must not be negative")

    rooms = _table(data.get("rooms"), source, "rooms")
    room_bias: dict[str, float] = {}
    room_prior: dict[str, float] = {}
    default_bureau: dict[str, str] = {}
    room_cues: dict[str, dict[str, float]] = {}
    bureau_keywords: dict[tuple[str, str], dict[str, float]] = {}
    for room in ROOMS:
        rt = _table(rooms.get(room), source, f"rooms.{room}")
        room_bias[room] = _number(rt, "bias", 0.0, source, f"rooms.{room}")
        room_prior[room] = _number(rt, "prior", 0.0, source, f"rooms.{room}")
        default = str(rt.get("default_bureau", BUREAUS[room][0]))
        if default not in BUREAUS[room]:
            raise _err(source, f"rooms.{room}.default_bureau", f"unknown bureau {default!r}")
        default_bureau[room] = default
        room_cues[room] = _weights(rt.get("cues"), source, f"rooms.{room}.cues")
        bureaus = _table(rt.get("bureaus"), source, f"rooms.{room}.bureaus")
        for bureau, bt in bureaus.items():
            _check_target(f"{room}/{bureau}", source, f"rooms.{room}.bureaus.{bureau}")
            btab = _table(bt, source, f"rooms.{room}.bureaus.{bureau}")
            bureau_keywords[(room, bureau)] = _weights(
                btab.get("keywords"), source, f"rooms.{room}.bureaus.{bureau}.keywords"
            )
        extra = set(rt) - {"bias", "prior", "default_bureau", "cues", "bureaus", "name"}
        if extra:
            raise _err(source, f"rooms.{room}", f"unknown key(s) {', '.join(sorted(extra))}")
    for room in rooms:
        if room not in BUREAUS:
            raise _err(
                source, f"rooms.{room}", f"unknown room (expected one of {', '.join(ROOMS)})"
            )

    rules: list[Rule] = []
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise _err(source, "rules", "must be an array of tables ([[rules]])")
    for i, rt in enumerate(raw_rules):
        key = f"rules[{i}]"
        rt = _table(rt, source, key)
        when = _words(rt.get("when"), source, f"{key}.when")
        with_any = _words(rt.get("with_any"), source, f"{key}.with_any")
        if not when and not with_any:
            raise _err(source, f"{key}.when", "a rule needs `when` or `with_any` tokens")
        add = _weights(rt.get("add"), source, f"{key}.add")
        if not add:
            raise _err(source, f"{key}.add", "a rule must add weight to some target")
        for target in add:
            _check_target(target, source, f"{key}.add.{target}")
        rules.append(
            Rule(
                when=when,
                with_any=with_any,
                unless_any=_words(rt.get("unless_any"), source, f"{key}.unless_any"),
                add=tuple(add.items()),
                note=str(rt.get("note", "")),
            )
        )

    terms: dict[str, dict[str, float]] = {}
    term_idf: dict[str, float] = {}
    for term, weights in _table(data.get("terms"), source, "terms").items():
        ws = _weights(weights, source, f"terms.{term}")
        if "idf" in ws:
            idf = ws.pop("idf")
            if idf <= 0:
                raise _err(source, f"terms.{term}.idf", "must be positive")
            term_idf[term] = idf
        for target in ws:
            _check_target(target, source, f"terms.{term}.{target}")
        terms[term] = ws
    mined = _table(data.get("mined"), source, "mined")
    for i, target in enumerate(_words(mined.get("bureau_models"), source, "mined.bureau_models")):
        _check_target(target, source, f"mined.bureau_models[{i}]")
        if "/" not in target:
            raise _err(source, f"mined.bureau_models[{i}]", f"{target!r} names no bureau")

    return Lexicon(
        source=source,
        settings=settings,
        room_bias=room_bias,
        default_bureau=default_bureau,
        room_cues=room_cues,
        bureau_keywords=bureau_keywords,
        rules=tuple(rules),
        terms=terms,
        term_idf=term_idf,
        raw={k: v for k, v in data.items() if k != "terms"},
        room_prior=room_prior,
    )


def _text(table: Mapping[str, Any], key: str, source: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise _err(source, f"settings.{key}", "must be a string (a file name)")
    return value
