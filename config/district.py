"""The district's organisation, loaded from TOML and validated.

A real district edits names, streets, communities, staff targets, routing and
deadlines in its own TOML file without touching Python. Any problem is reported
as a :class:`ConfigError` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from config.settings import DEFAULT_DISTRICT_PATH
from config.workdays import DEFAULT_CALENDAR, Span, WorkCalendar, parse_overrides, parse_span


class UnitKind(StrEnum):
    """The kinds of unit in the mass-work network."""

    OFFICE = "office"
    CENTRE = "centre"
    SERVICE_ROOM = "service_room"
    SPECIAL_ROOM = "special_room"
    DEPARTMENT_STATION = "department_station"
    STREET_STATION = "street_station"
    PARK_STATION = "park_station"
    COMMUNITY_ROOM = "community_room"
    RESIDENTIAL_ROOM = "residential_room"
    SCHOOL = "school"


#: Kinds that are work stations (群众工作站).
STATION_KINDS = frozenset(
    {UnitKind.DEPARTMENT_STATION, UnitKind.STREET_STATION, UnitKind.PARK_STATION}
)
#: Kinds that are community-level work rooms (群众工作室) or schools.
GRASSROOTS_KINDS = frozenset({UnitKind.COMMUNITY_ROOM, UnitKind.RESIDENTIAL_ROOM, UnitKind.SCHOOL})
#: Kinds that keep a residential file (居情档案).
RESIDENTIAL_FILE_KINDS = frozenset({UnitKind.COMMUNITY_ROOM, UnitKind.RESIDENTIAL_ROOM})

PRIORITIES = ("critical", "high", "normal", "complex")
SEVERITIES = ("low", "medium", "high", "critical")
DEADLINE_KINDS = ("acknowledge", "first_contact", "resolve")


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


@dataclass(frozen=True)
class Bureau:
    """A bureau (局) staffed in a service room."""

    id: str
    name: str
    room_id: str
    station_id: str
    duties: str = ""


@dataclass(frozen=True)
class Room:
    """One of the five service rooms (服务室) of the mass service centre."""

    id: str
    name: str
    address: str
    hours: str
    phone: str
    bureaus: dict[str, Bureau]


def chief_title(kind: UnitKind | None) -> str:
    """What the head of a unit of ``kind`` is called: 站长 (station), 主任 (office, room)."""
    if kind in STATION_KINDS:
        return "站长"
    if kind is UnitKind.SCHOOL:
        return "负责人"
    return "主任"


#: The suffix of a community-level work room's name (和平社区群众工作室 → 和平社区).
WORK_ROOM_SUFFIX = "群众工作室"


def place_name(unit_name: str) -> str:
    """The community or residential area a work room serves, as a citizen calls it."""
    if unit_name.endswith(WORK_ROOM_SUFFIX) and len(unit_name) > len(WORK_ROOM_SUFFIX):
        return unit_name[: -len(WORK_ROOM_SUFFIX)]
    return unit_name


@dataclass(frozen=True)
class UnitSpec:
    """A unit of the organisation as the config describes it."""

    id: str
    kind: UnitKind
    name: str
    parent_id: str | None
    sample: bool = False
    address: str = ""
    hours: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Deadlines:
    """How long a case of one priority may wait for each step."""

    acknowledge: Span
    first_contact: Span
    resolve: Span


@dataclass(frozen=True)
class AssessmentPolicy:
    """How the monthly scores are ranked (see ``bot/services/scores.py``).

    Attributes:
        min_cases: a unit with fewer counted cases in the month is listed, not ranked.
        missing: ``zero`` (a weighted rate without data scores 0) or ``unranked``
            (a unit with a weighted rate without data is listed, not ranked).
    """

    min_cases: int
    missing: str


@dataclass(frozen=True)
class EscalationPolicy:
    """Re-notification and escalation rules."""

    renotify_count: int
    renotify_interval: timedelta
    overrides: dict[str, str]
    #: How often an overdue case is urged (催办) again after its resolution deadline;
    #: at most one 催办 per case per this period, whatever the resolution period.
    remind_interval: timedelta = timedelta(days=1)


@dataclass(frozen=True)
class District:
    """The whole organisation and its policies."""

    name: str
    source: Path
    units: dict[str, UnitSpec]
    rooms: dict[str, Room]
    dispatcher: str
    supervision: str
    warning_centres: tuple[str, ...]
    leadership: str
    min_routing_confidence: float
    deadlines: dict[str, Deadlines]
    severity_priority: dict[str, str]
    escalation: EscalationPolicy
    follow_up_no_response_after: timedelta
    satisfaction_scores: dict[str, float]
    score_weights: dict[str, float]
    assessment: AssessmentPolicy
    staff_targets: dict[UnitKind, int]
    officer_targets: dict[UnitKind, int]
    bureaus: dict[str, Bureau] = field(default_factory=dict)
    calendar: WorkCalendar = DEFAULT_CALENDAR

    def children(self, unit_id: str) -> list[UnitSpec]:
        """Direct children of a unit, in config order."""
        return [u for u in self.units.values() if u.parent_id == unit_id]

    def escalation_target(self, unit_id: str) -> str | None:
        """The unit one level up the escalation chain, or None at the top.

        Work rooms and schools escalate to their street/park station; stations,
        service rooms and centres escalate to the supervision centre; the
        supervision centre escalates to the leadership; the leadership is the top.
        """
        if unit_id in self.escalation.overrides:
            return self.escalation.overrides[unit_id]
        if unit_id == self.leadership:
            return None
        if unit_id == self.supervision:
            return self.leadership
        unit = self.units[unit_id]
        if unit.kind in GRASSROOTS_KINDS:
            parent = unit.parent_id
            while parent is not None:
                if self.units[parent].kind in STATION_KINDS:
                    return parent
                parent = self.units[parent].parent_id
        return self.supervision

    def deadlines_for_severity(self, severity: str) -> Deadlines:
        """Deadlines that apply to a warning of ``severity``."""
        return self.deadlines[self.severity_priority[severity]]


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


class _Reader:
    """Typed access to raw TOML values with errors that name file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

    def table(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            raise self.fail(_join(where, key), "missing table" if value is None else "not a table")
        return value

    def string(
        self, data: Mapping[str, Any], key: str, where: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if value is None:
            raise self.fail(_join(where, key), "missing key")
        if not isinstance(value, str):
            raise self.fail(_join(where, key), f"must be a string, got {type(value).__name__}")
        if not value.strip() and default is None:
            raise self.fail(_join(where, key), "must not be empty")
        return value.strip()

    def ident(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = self.string(data, key, where)
        if not _ID_RE.match(value):
            raise self.fail(
                _join(where, key),
                f"{value!r} is not an id (lowercase letters, digits and _, starting with a letter)",
            )
        return value

    def duration(self, data: Mapping[str, Any], key: str, where: str) -> timedelta:
        text = self.string(data, key, where)
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise self.fail(_join(where, key), str(exc)) from None

    def span(self, data: Mapping[str, Any], key: str, where: str, calendar: WorkCalendar) -> Span:
        value = self.string(data, key, where)
        try:
            return parse_span(value, calendar, parse_duration)
        except ValueError as exc:
            raise self.fail(_join(where, key), str(exc)) from exc

    def number(self, data: Mapping[str, Any], key: str, where: str) -> float:
        value = data.get(key)
        if value is None:
            raise self.fail(_join(where, key), "missing key")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(_join(where, key), f"must be a number, got {type(value).__name__}")
        return float(value)

    def count(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(_join(where, key), "must be a whole number ≥ 0")
        return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def load_district(path: Path | str | None = None) -> District:
    """Load and validate a district TOML file (default: the embedded district).

    Raises:
        ConfigError: the file is missing, not TOML, or inconsistent.
    """
    source = Path(path) if path is not None else DEFAULT_DISTRICT_PATH
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(source, "(file)", "file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(source, "(file)", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, "(file)", f"not valid TOML: {exc}") from None
    return _build(raw, _Reader(source))


def _build(raw: Mapping[str, Any], r: _Reader) -> District:
    head = r.table(raw, "district", "")
    units: dict[str, UnitSpec] = {}

    def add(unit: UnitSpec, key: str) -> None:
        if unit.id in units:
            raise r.fail(key, f"duplicate unit id {unit.id!r}")
        units[unit.id] = unit

    raw_units = raw.get("units")
    if not isinstance(raw_units, list) or not raw_units:
        raise r.fail("units", "missing or empty list of [[units]]")
    for i, item in enumerate(raw_units):
        where = f"units[{i}]"
        if not isinstance(item, Mapping):
            raise r.fail(where, "not a table")
        kind_text = r.string(item, "kind", where)
        try:
            kind = UnitKind(kind_text)
        except ValueError:
            raise r.fail(
                f"{where}.kind",
                f"unknown kind {kind_text!r}; one of {', '.join(k.value for k in UnitKind)}",
            ) from None
        parent = item.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise r.fail(f"{where}.parent", "must be a unit id")
        add(
            UnitSpec(
                id=r.ident(item, "id", where),
                kind=kind,
                name=r.string(item, "name", where),
                parent_id=parent,
                sample=bool(item.get("sample", False)),
                address=r.string(item, "address", where, default=""),
                hours=r.string(item, "hours", where, default=""),
                phone=r.string(item, "phone", where, default=""),
            ),
            f"{where}.id",
        )

    rooms: dict[str, Room] = {}
    bureaus: dict[str, Bureau] = {}
    raw_rooms = raw.get("rooms")
    if not isinstance(raw_rooms, list) or not raw_rooms:
        raise r.fail("rooms", "missing or empty list of [[rooms]]")
    for i, item in enumerate(raw_rooms):
        where = f"rooms[{i}]"
        if not isinstance(item, Mapping):
            raise r.fail(where, "not a table")
        room_id = r.ident(item, "id", where)
        room_bureaus: dict[str, Bureau] = {}
        raw_bureaus = item.get("bureaus")
        if not isinstance(raw_bureaus, list) or not raw_bureaus:
            raise r.fail(f"{where}.bureaus", "missing or empty list of bureaus")
        room_name = r.string(item, "name", where)
        add(
            UnitSpec(
                id=room_id,
                kind=UnitKind.SERVICE_ROOM,
                name=room_name,
                parent_id=r.string(item, "parent", where),
                address=r.string(item, "address", where, default=""),
                hours=r.string(item, "hours", where, default=""),
                phone=r.string(item, "phone", where, default=""),
            ),
            f"{where}.id",
        )
        for j, b in enumerate(raw_bureaus):
            bwhere = f"{where}.bureaus[{j}]"
            if not isinstance(b, Mapping):
                raise r.fail(bwhere, "not a table")
            bureau_id = r.ident(b, "id", bwhere)
            if bureau_id in bureaus:
                raise r.fail(f"{bwhere}.id", f"duplicate bureau id {bureau_id!r}")
            name = r.string(b, "name", bwhere)
            bureau = Bureau(
                id=bureau_id,
                name=name,
                room_id=room_id,
                station_id=bureau_id,
                duties=r.string(b, "duties", bwhere, default=""),
            )
            room_bureaus[bureau_id] = bureau
            bureaus[bureau_id] = bureau
            add(
                UnitSpec(
                    id=bureau_id,
                    kind=UnitKind.DEPARTMENT_STATION,
                    name=r.string(b, "station_name", bwhere, default=f"{name}群众工作站"),
                    parent_id=room_id,
                ),
                f"{bwhere}.id",
            )
        rooms[room_id] = Room(
            id=room_id,
            name=room_name,
            address=r.string(item, "address", where, default=""),
            hours=r.string(item, "hours", where, default=""),
            phone=r.string(item, "phone", where, default=""),
            bureaus=room_bureaus,
        )

    # The tree: every parent exists, exactly the roots have no parent, no cycles.
    for i, unit in enumerate(units.values()):
        if unit.parent_id is not None and unit.parent_id not in units:
            raise r.fail(
                _unit_key(raw, unit.id, i), f"unknown parent {unit.parent_id!r} of {unit.id!r}"
            )
    for unit in units.values():
        seen = {unit.id}
        parent = unit.parent_id
        while parent is not None:
            if parent in seen:
                raise r.fail("units", f"the parents of {unit.id!r} form a cycle")
            seen.add(parent)
            parent = units[parent].parent_id

    def unit_ref(data: Mapping[str, Any], key: str, where: str) -> str:
        value = r.string(data, key, where)
        if value not in units:
            raise r.fail(_join(where, key), f"unknown unit {value!r}")
        return value

    raw_centres = head.get("warning_centres", [])
    if not isinstance(raw_centres, list) or not all(isinstance(c, str) for c in raw_centres):
        raise r.fail("district.warning_centres", "must be a list of unit ids")
    for c in raw_centres:
        if c not in units:
            raise r.fail("district.warning_centres", f"unknown unit {c!r}")

    wd_raw = r.table(raw, "workdays", "") if "workdays" in raw else {}
    try:
        calendar = WorkCalendar(
            holidays=parse_overrides(wd_raw, "holidays"),
            workdays=parse_overrides(wd_raw, "workdays"),
        )
    except ValueError as exc:
        raise r.fail("workdays", str(exc)) from exc
    deadlines_raw = r.table(raw, "deadlines", "")
    deadlines: dict[str, Deadlines] = {}
    for priority in PRIORITIES:
        t = r.table(deadlines_raw, priority, "deadlines")
        where = f"deadlines.{priority}"
        deadlines[priority] = Deadlines(
            acknowledge=r.span(t, "acknowledge", where, calendar),
            first_contact=r.span(t, "first_contact", where, calendar),
            resolve=r.span(t, "resolve", where, calendar),
        )
    for extra in deadlines_raw:
        if extra not in PRIORITIES:
            raise r.fail(f"deadlines.{extra}", f"unknown priority; one of {', '.join(PRIORITIES)}")

    sp_raw = r.table(raw, "severity_priority", "")
    severity_priority: dict[str, str] = {}
    for severity in SEVERITIES:
        value = r.string(sp_raw, severity, "severity_priority")
        if value not in PRIORITIES:
            raise r.fail(f"severity_priority.{severity}", f"unknown priority {value!r}")
        severity_priority[severity] = value

    esc_raw = r.table(raw, "escalation", "")
    overrides_raw = esc_raw.get("overrides", {})
    if not isinstance(overrides_raw, Mapping):
        raise r.fail("escalation.overrides", "must be a table of unit id = unit id")
    overrides: dict[str, str] = {}
    for src, dst in overrides_raw.items():
        if src not in units:
            raise r.fail(f"escalation.overrides.{src}", f"unknown unit {src!r}")
        if not isinstance(dst, str) or dst not in units:
            raise r.fail(f"escalation.overrides.{src}", f"unknown unit {dst!r}")
        overrides[src] = dst
    escalation = EscalationPolicy(
        renotify_count=r.count(esc_raw, "renotify_count", "escalation"),
        renotify_interval=r.duration(esc_raw, "renotify_interval", "escalation"),
        overrides=overrides,
        remind_interval=(
            r.duration(esc_raw, "remind_interval", "escalation")
            if "remind_interval" in esc_raw
            else timedelta(days=1)
        ),
    )

    fu_raw = r.table(raw, "follow_up", "")
    assess = r.table(raw, "assessment", "")
    sat_raw = r.table(assess, "satisfaction_scores", "assessment")
    satisfaction = {
        k: r.number(sat_raw, k, "assessment.satisfaction_scores")
        for k in ("satisfied", "basically_satisfied", "unsatisfied")
    }
    for k, v in satisfaction.items():
        if not 0.0 <= v <= 1.0:
            raise r.fail(f"assessment.satisfaction_scores.{k}", "must be between 0 and 1")
    w_raw = r.table(assess, "weights", "assessment")
    weights = {
        k: r.number(w_raw, k, "assessment.weights")
        for k in ("response", "resolution", "satisfaction")
    }
    weights["on_time"] = (
        r.number(w_raw, "on_time", "assessment.weights") if "on_time" in w_raw else 0.0
    )
    if sum(weights.values()) <= 0:
        raise r.fail("assessment.weights", "weights must add up to more than 0")
    missing = str(assess.get("missing_data", "zero"))
    if missing not in ("zero", "unranked"):
        raise r.fail("assessment.missing_data", "one of zero, unranked")
    policy = AssessmentPolicy(
        min_cases=r.count(assess, "min_cases", "assessment") if "min_cases" in assess else 1,
        missing=missing,
    )

    targets = r.table(raw, "targets", "")

    def kind_counts(name: str) -> dict[UnitKind, int]:
        t = r.table(targets, name, "targets")
        out: dict[UnitKind, int] = {}
        for k in t:
            try:
                kind = UnitKind(k)
            except ValueError:
                raise r.fail(f"targets.{name}.{k}", "unknown unit kind") from None
            out[kind] = r.count(t, k, f"targets.{name}")
        return out

    confidence = r.number(head, "min_routing_confidence", "district")
    if not 0.0 <= confidence <= 1.0:
        raise r.fail("district.min_routing_confidence", "must be between 0 and 1")

    return District(
        name=r.string(head, "name", "district"),
        source=r.path,
        units=units,
        rooms=rooms,
        bureaus=bureaus,
        dispatcher=unit_ref(head, "dispatcher", "district"),
        supervision=unit_ref(head, "supervision", "district"),
        warning_centres=tuple(raw_centres),
        leadership=unit_ref(head, "leadership", "district"),
        min_routing_confidence=confidence,
        deadlines=deadlines,
        severity_priority=severity_priority,
        escalation=escalation,
        follow_up_no_response_after=r.duration(fu_raw, "no_response_after", "follow_up"),
        satisfaction_scores=satisfaction,
        score_weights=weights,
        assessment=policy,
        calendar=calendar,
        staff_targets=kind_counts("staff"),
        officer_targets=kind_counts("officers"),
    )


def _unit_key(raw: Mapping[str, Any], unit_id: str, fallback: int) -> str:
    """The config key of the unit with ``unit_id`` (a [[units]] or a room/bureau)."""
    for i, item in enumerate(raw.get("units", [])):
        if isinstance(item, Mapping) and item.get("id") == unit_id:
            return f"units[{i}].parent"
    for i, item in enumerate(raw.get("rooms", [])):
        if isinstance(item, Mapping) and item.get("id") == unit_id:
            return f"rooms[{i}].parent"
    return f"units[{fallback}].parent"
