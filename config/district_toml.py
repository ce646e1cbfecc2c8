"""Typed reading of raw TOML values, with errors that name the file and the key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from config.workdays import Span, WorkCalendar, parse_span


class ConfigError(ValueError):
    """The district configuration is unusable.

    Attributes:
        path: the file that was read.
        key: the dotted key that is wrong (e.g. ``units[3].parent``).
        problem: what is wrong, in plain words.
    """

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(f"{self.path}: {key}: {problem}")


_DURATION_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def parse_duration(text: str) -> timedelta:
    """Parse ``"1d12h"``, ``"30m"``, ``"90s"`` into a timedelta.

    Raises:
        ValueError: the text is not a positive duration.
    """
    match = _DURATION_RE.match(text.strip())
    if not text.strip() or match is None or not any(match.groups()):
        raise ValueError(f"not a duration like '24h', '7d' or '30m': {text!r}")
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    value = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if value <= timedelta(0):
        raise ValueError(f"duration must be positive: {text!r}")
    return value


class TomlReader:
    """Typed access to raw TOML values with errors that name file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

    def table(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            raise self.fail(
                join_key(where, key), "missing table" if value is None else "not a table"
            )
        return value

    def string(
        self, data: Mapping[str, Any], key: str, where: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if value is None:
            raise self.fail(join_key(where, key), "missing key")
        if not isinstance(value, str):
            raise self.fail(join_key(where, key), f"must be a string, got {type(value).__name__}")
        if not value.strip() and default is None:
            raise self.fail(join_key(where, key), "must not be empty")
        return value.strip()

    def ident(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = self.string(data, key, where)
        if not _ID_RE.match(value):
            raise self.fail(
                join_key(where, key),
                f"{value!r} is not an id (lowercase letters, digits and _, starting with a letter)",
            )
        return value

    def duration(self, data: Mapping[str, Any], key: str, where: str) -> timedelta:
        text = self.string(data, key, where)
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise self.fail(join_key(where, key), str(exc)) from None

    def span(self, data: Mapping[str, Any], key: str, where: str, calendar: WorkCalendar) -> Span:
        value = self.string(data, key, where)
        try:
            return parse_span(value, calendar, parse_duration)
        except ValueError as exc:
            raise self.fail(join_key(where, key), str(exc)) from exc

    def number(self, data: Mapping[str, Any], key: str, where: str) -> float:
        value = data.get(key)
        if value is None:
            raise self.fail(join_key(where, key), "missing key")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(join_key(where, key), f"must be a number, got {type(value).__name__}")
        return float(value)

    def count(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(join_key(where, key), "must be a whole number ≥ 0")
        return value


def join_key(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
