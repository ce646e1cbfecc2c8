"""Loading and validating the district TOML file into a :class:`District`."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, TypedDict

from config.district_schema import (
    PRIORITIES,
    SEVERITIES,
    AssessmentPolicy,
    Bureau,
    Deadlines,
    District,
    EscalationPolicy,
    Room,
    UnitKind,
    UnitSpec,
)
from config.district_toml import ConfigError, TomlReader, join_key
from config.settings import DEFAULT_DISTRICT_PATH
from config.workdays import WorkCalendar, parse_overrides

#: Adds a unit to the table being built, refusing a duplicate id (names the key).
_AddUnit = Callable[[UnitSpec, str], None]


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
    return _build(raw, TomlReader(source))


def _build(raw: Mapping[str, Any], r: TomlReader) -> District:
    head = r.table(raw, "district", "")
    units: dict[str, UnitSpec] = {}

    def add(unit: UnitSpec, key: str) -> None:
        if unit.id in units:
            raise r.fail(key, f"duplicate unit id {unit.id!r}")
        units[unit.id] = unit

    _read_units(raw, r, add)
    rooms, bureaus = _read_rooms(raw, r, add)
    _check_tree(raw, r, units)

    def unit_ref(data: Mapping[str, Any], key: str, where: str) -> str:
        value = r.string(data, key, where)
        if value not in units:
            raise r.fail(join_key(where, key), f"unknown unit {value!r}")
        return value

    raw_centres = head.get("warning_centres", [])
    if not isinstance(raw_centres, list) or not all(isinstance(c, str) for c in raw_centres):
        raise r.fail("district.warning_centres", "must be a list of unit ids")
    for c in raw_centres:
        if c not in units:
            raise r.fail("district.warning_centres", f"unknown unit {c!r}")

    calendar = _read_calendar(raw, r)
    deadlines = _read_deadlines(raw, r, calendar)
    severity_priority = _read_severity_priority(raw, r)
    escalation = _read_escalation(raw, r, units, frozenset(deadlines))
    fu_raw = r.table(raw, "follow_up", "")
    satisfaction, weights, policy = _read_assessment(raw, r)
    targets = r.table(raw, "targets", "")

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
        staff_targets=_kind_counts(targets, "staff", r),
        officer_targets=_kind_counts(targets, "officers", r),
        crisis_hotline=r.string(head, "crisis_hotline", "district", "12356"),
    )


def _read_units(raw: Mapping[str, Any], r: TomlReader, add: _AddUnit) -> None:
    """The ``[[units]]`` list: offices, centres, stations, work rooms and schools."""
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
                **_contact(item, where, r),
            ),
            f"{where}.id",
        )


class _Contact(TypedDict):
    """Where and when citizens find a unit (each optional, empty when not given)."""

    address: str
    hours: str
    phone: str


def _contact(item: Mapping[str, Any], where: str, r: TomlReader) -> _Contact:
    return _Contact(
        address=r.string(item, "address", where, default=""),
        hours=r.string(item, "hours", where, default=""),
        phone=r.string(item, "phone", where, default=""),
    )


def _read_rooms(
    raw: Mapping[str, Any], r: TomlReader, add: _AddUnit
) -> tuple[dict[str, Room], dict[str, Bureau]]:
    """The ``[[rooms]]`` list: service rooms, their bureaus and the bureaus' stations."""
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
        room_parent = r.string(item, "parent", where)
        contact = _contact(item, where, r)
        add(
            UnitSpec(
                id=room_id,
                kind=UnitKind.SERVICE_ROOM,
                name=room_name,
                parent_id=room_parent,
                **contact,
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
            bureaus=room_bureaus,
            **contact,
        )
    return rooms, bureaus


def _check_tree(raw: Mapping[str, Any], r: TomlReader, units: Mapping[str, UnitSpec]) -> None:
    """Every parent exists, exactly the roots have no parent, and there is no cycle."""
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


def _read_calendar(raw: Mapping[str, Any], r: TomlReader) -> WorkCalendar:
    """The ``[workdays]`` table: holidays and make-up working days."""
    wd_raw = r.table(raw, "workdays", "") if "workdays" in raw else {}
    try:
        return WorkCalendar(
            holidays=parse_overrides(wd_raw, "holidays"),
            workdays=parse_overrides(wd_raw, "workdays"),
        )
    except ValueError as exc:
        raise r.fail("workdays", str(exc)) from exc


def _read_deadlines(
    raw: Mapping[str, Any], r: TomlReader, calendar: WorkCalendar
) -> dict[str, Deadlines]:
    """The ``[deadlines]`` table: one per priority."""
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
    return deadlines


def _read_severity_priority(raw: Mapping[str, Any], r: TomlReader) -> dict[str, str]:
    """The ``[severity_priority]`` table: the priority of a warning of each severity."""
    sp_raw = r.table(raw, "severity_priority", "")
    severity_priority: dict[str, str] = {}
    for severity in SEVERITIES:
        value = r.string(sp_raw, severity, "severity_priority")
        if value not in PRIORITIES:
            raise r.fail(f"severity_priority.{severity}", f"unknown priority {value!r}")
        severity_priority[severity] = value
    return severity_priority


def _read_escalation(
    raw: Mapping[str, Any],
    r: TomlReader,
    units: Mapping[str, UnitSpec],
    deadline_classes: frozenset[str],
) -> EscalationPolicy:
    """The ``[escalation]`` table: re-notification, reminders and overrides."""
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
    by_priority = esc_raw.get("renotify_count_by_priority", {})
    if not isinstance(by_priority, Mapping):
        raise r.fail("escalation.renotify_count_by_priority", "must be a table of class = count")
    counts: dict[str, int] = {}
    for priority in by_priority:
        if priority not in deadline_classes:
            raise r.fail(
                f"escalation.renotify_count_by_priority.{priority}",
                f"unknown deadline class {priority!r}",
            )
        counts[priority] = r.count(by_priority, priority, "escalation.renotify_count_by_priority")
    return EscalationPolicy(
        renotify_count=r.count(esc_raw, "renotify_count", "escalation"),
        renotify_interval=r.duration(esc_raw, "renotify_interval", "escalation"),
        overrides=overrides,
        remind_interval=(
            r.duration(esc_raw, "remind_interval", "escalation")
            if "remind_interval" in esc_raw
            else timedelta(days=1)
        ),
        urge_interval=(
            r.duration(esc_raw, "urge_interval", "escalation")
            if "urge_interval" in esc_raw
            else timedelta(hours=24)
        ),
        renotify_counts=counts,
    )


def _read_assessment(
    raw: Mapping[str, Any], r: TomlReader
) -> tuple[dict[str, float], dict[str, float], AssessmentPolicy]:
    """The ``[assessment]`` table: satisfaction scores, weights and the ranking policy."""
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
    return satisfaction, weights, policy


def _kind_counts(targets: Mapping[str, Any], name: str, r: TomlReader) -> dict[UnitKind, int]:
    """A ``[targets.<name>]`` table: a count per unit kind."""
    t = r.table(targets, name, "targets")
    out: dict[UnitKind, int] = {}
    for k in t:
        try:
            kind = UnitKind(k)
        except ValueError:
            raise r.fail(f"targets.{name}.{k}", "unknown unit kind") from None
        out[kind] = r.count(t, k, f"targets.{name}")
    return out


def _unit_key(raw: Mapping[str, Any], unit_id: str, fallback: int) -> str:
    """The config key of the unit with ``unit_id`` (a [[units]] or a room/bureau)."""
    for i, item in enumerate(raw.get("units", [])):
        if isinstance(item, Mapping) and item.get("id") == unit_id:
            return f"units[{i}].parent"
    for i, item in enumerate(raw.get("rooms", [])):
        if isinstance(item, Mapping) and item.get("id") == unit_id:
            return f"rooms[{i}].parent"
    return f"units[{fallback}].parent"
