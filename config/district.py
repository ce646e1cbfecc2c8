"""The district's organisation, loaded from TOML and validated.

A real district edits names, streets, communities, staff targets, routing and
deadlines in its own TOML file without touching Python. Any problem is reported
as a :class:`ConfigError` naming the file, the key and what is wrong.

This module is the import path for all of it; the code lives in
:mod:`config.district_schema` (the unit kinds, the dataclasses and the lookups on
them), :mod:`config.district_toml` (typed reading of TOML values, durations and
:class:`ConfigError`) and :mod:`config.district_loader` (:func:`load_district`:
the file's sections, checked and built into a :class:`District`).
"""

from __future__ import annotations

from config.district_loader import load_district
from config.district_schema import (
    DEADLINE_KINDS,
    GRASSROOTS_KINDS,
    PRIORITIES,
    RESIDENTIAL_FILE_KINDS,
    SEVERITIES,
    STATION_KINDS,
    WORK_ROOM_SUFFIX,
    AssessmentPolicy,
    Bureau,
    Deadlines,
    District,
    EscalationPolicy,
    Room,
    UnitKind,
    UnitSpec,
    chief_title,
    place_name,
)
from config.district_toml import ConfigError, parse_duration

__all__ = [
    "DEADLINE_KINDS",
    "GRASSROOTS_KINDS",
    "PRIORITIES",
    "RESIDENTIAL_FILE_KINDS",
    "SEVERITIES",
    "STATION_KINDS",
    "WORK_ROOM_SUFFIX",
    "AssessmentPolicy",
    "Bureau",
    "ConfigError",
    "Deadlines",
    "District",
    "EscalationPolicy",
    "Room",
    "UnitKind",
    "UnitSpec",
    "chief_title",
    "load_district",
    "parse_duration",
    "place_name",
]
