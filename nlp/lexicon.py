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

import os
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from nlp import diskcache
from nlp.lexicon_model import BUREAUS, ROOMS, Lexicon, LexiconError, Rule, Settings
from nlp.lexicon_parse import parse_lexicon

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
    "read_toml_cached",
]

LEXICON_PATH = Path(__file__).resolve().parent.parent / "config" / "lexicon.toml"
"""The packaged lexicon."""


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
