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
:mod:`nlp.emergency` match texts against it. The data model lives in
:mod:`nlp.rubric_model` and the validation in :mod:`nlp.rubric_parse`; both
are re-exported here. It imports nothing else from :mod:`nlp`.
"""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

from nlp.rubric_model import LEVELS, SERVICES, Family, LevelSpec, Rubric, RubricError
from nlp.rubric_parse import parse_rubric

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
