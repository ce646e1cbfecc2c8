"""The keyword lexicon: loading and validating ``config/lexicon.toml``.

The lexicon is a readable, hand-editable TOML file (see
``docs/classifier.md``). It has five parts:

``[settings]``
    Classifier settings: ``max_chars``, ``title_weight``, ``temperature``
    (calibration), ``min_evidence`` (below it the answer is ``unknown``).
``[rooms.<room>]``
    Per room: ``bias`` (a logit offset), ``default_bureau``, ``cues`` (room
    level keyword → weight) and ``[rooms.<room>.bureaus.<bureau>]`` tables
    with ``keywords`` (keyword → weight; a keyword raises both the room and
    the bureau).
``[[rules]]``
    Disambiguation: ``when`` lists tokens that must all occur, ``with_any``
    tokens of which one must also occur (a rule needs at least one of the
    two lists), ``unless_any`` (optional) tokens of which none may occur,
    and ``add`` maps targets (``room`` or ``room/bureau``) to weights added
    when the rule fires.
``[mined]`` and ``[terms]``
    Produced by ``minqing lexicon build``. Each mined keyword reads
    ``term = { idf = specificity, target = weight, ... }`` where a target is a
    room id or ``room/bureau``; ``idf`` (default 1) is how rare the word was
    in the training messages and only sets the word's share of a message's
    length (see :mod:`nlp.classify`). ``[mined]`` holds the per-target
    ``bias``, the ``temperature`` and ``bureau_models``: targets that choose
    a bureau inside their room instead of competing with the rooms.
The severity rubric is not part of the lexicon: it lives in
``config/severity.toml`` (:mod:`nlp.rubric`).

All weights are logits: a message's score for a room is its bias plus the
sum of the weights of the keywords it contains; the scores become
probabilities through a softmax divided by ``temperature``.
"""

from __future__ import annotations

import math
import os
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from nlp import diskcache

__all__ = [
    "BUREAUS",
    "LEXICON_PATH",
    "ROOMS",
    "Lexicon",
    "LexiconError",
    "Rule",
    "Settings",
    "default_lexicon",
    "load_lexicon",
    "load_lexicon_with_overlay",
    "merge_overlay",
    "overlay_path",
    "parse_lexicon",
]

LEXICON_PATH = Path(__file__).resolve().parent.parent / "config" / "lexicon.toml"
"""The packaged lexicon."""

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


def read_toml_cached(file: Path, kind: str, what: str) -> dict[str, Any]:
    """The parsed TOML document in ``file``, from the disk cache when its bytes are known.

    Parsing TOML is most of a cold start's lexicon time (pure Python, about half a
    second for the mined terms): the parsed document is cached under ``kind``,
    keyed by the file's bytes. ``what`` names the file in the error.

    Raises:
        LexiconError: If the file is missing or not valid TOML.
    """
    try:
        raw = file.read_bytes()
    except FileNotFoundError as exc:
        raise LexiconError(f"{file}: {what} not found") from exc
    data = diskcache.load(kind, raw)
    if not isinstance(data, dict):
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise LexiconError(f"{file}: not valid TOML: not UTF-8 ({exc})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise LexiconError(f"{file}: not valid TOML: {exc}") from exc
        diskcache.store(kind, raw, data)
    return cast(dict[str, Any], data)


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """Load and validate a lexicon file.

    Args:
        path: The TOML file; ``None`` for the packaged ``config/lexicon.toml``.

    Returns:
        The lexicon.

    Raises:
        LexiconError: If the file is missing, not valid TOML or inconsistent.
    """
    file = Path(path) if path is not None else LEXICON_PATH
    data = read_toml_cached(file, "lexicon", "lexicon file")
    return parse_lexicon(data, str(file))


_DEFAULT: Lexicon | None = None
_DEFAULT_LOCK = threading.Lock()


def default_lexicon() -> Lexicon:
    """Return the packaged lexicon, loaded once per process (thread-safe)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                overlay = overlay_path()
                _DEFAULT = (
                    load_lexicon_with_overlay(LEXICON_PATH, overlay) if overlay else load_lexicon()
                )
    return _DEFAULT


# --- the district's overlay (issue 14: learnt from routing corrections) ---------------------

OVERLAY_ENV = "MINQING_LEXICON_OVERLAY"
"""Environment variable naming the overlay file; empty turns the overlay off."""

LOCAL_OVERLAY_PATH = LEXICON_PATH.with_name("lexicon.local.toml")
"""The overlay used when :data:`OVERLAY_ENV` is unset and this file exists."""


def overlay_path() -> Path | None:
    """The district's lexicon overlay file, if one is configured and exists."""
    configured = os.environ.get(OVERLAY_ENV)
    if configured is not None:
        return Path(configured) if configured and Path(configured).is_file() else None
    return LOCAL_OVERLAY_PATH if LOCAL_OVERLAY_PATH.is_file() else None


def merge_overlay(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """The packaged lexicon's data with an overlay on top.

    An overlay holds ``[[rules]]`` (appended to the packaged rules) and
    ``[rooms.<room>.bureaus.<bureau>] keywords`` (merged into that bureau's
    keywords, the overlay's weight winning). Nothing else may be in it.

    Raises:
        LexiconError: On any other key.
    """
    extra = set(overlay) - {"rules", "rooms"}
    if extra:
        raise LexiconError(f"overlay: unknown section(s) {', '.join(sorted(extra))}")
    merged = dict(base)
    merged["rules"] = [*base.get("rules", []), *overlay.get("rules", [])]
    rooms = {room: dict(table) for room, table in base.get("rooms", {}).items()}
    for room, table in overlay.get("rooms", {}).items():
        target = rooms.setdefault(room, {})
        bureaus = {b: dict(t) for b, t in target.get("bureaus", {}).items()}
        for bureau, btable in table.get("bureaus", {}).items():
            current = bureaus.setdefault(bureau, {})
            current["keywords"] = {**current.get("keywords", {}), **btable.get("keywords", {})}
        target["bureaus"] = bureaus
    merged["rooms"] = rooms
    return merged


def load_lexicon_with_overlay(path: Path | str | None, overlay: Path | str) -> Lexicon:
    """Load a lexicon (default: the packaged one) with an overlay file on top.

    Raises:
        LexiconError: If either file is missing or malformed.
    """
    file = Path(path) if path is not None else LEXICON_PATH
    base = load_lexicon(file)
    try:
        extra = tomllib.loads(Path(overlay).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{overlay}: unreadable overlay: {exc}") from exc
    data = dict(base.raw)
    data["terms"] = _raw_terms(base)
    return parse_lexicon(merge_overlay(data, extra), f"{file}+{overlay}")


def _raw_terms(lex: Lexicon) -> dict[str, dict[str, float]]:
    """The ``[terms]`` table of a loaded lexicon, as parsed (``raw`` leaves it out)."""
    out: dict[str, dict[str, float]] = {}
    for term, weights in lex.terms.items():
        row = dict(weights)
        if term in lex.term_idf:
            row["idf"] = lex.term_idf[term]
        out[term] = row
    return out
