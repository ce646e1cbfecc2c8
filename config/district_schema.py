"""The district's organisation as data: unit kinds, units, rooms, policies and lookups.

:class:`District` is what :func:`config.district_loader.load_district` builds from
the TOML file; its methods and :func:`chief_title` / :func:`place_name` are the
lookups the services ask of it. Import these names from :mod:`config.district`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from config.workdays import DEFAULT_CALENDAR, Span, WorkCalendar


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
    #: A supervising unit's 催办 by hand: at most once per case per this period.
    urge_interval: timedelta = timedelta(hours=24)
    #: ``renotify_count`` for a deadline class (``critical``, ``high`` ...) that
    #: differs from the default: 0 for a critical case, whose missed 签收 goes to
    #: the level above at once (trial 26 T5).
    renotify_counts: Mapping[str, int] = field(default_factory=dict)

    def renotify_count_for(self, priority: str) -> int:
        """How many 催签收 the owner gets before a case of ``priority`` escalates."""
        return self.renotify_counts.get(priority, self.renotify_count)


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
    #: The mental-health crisis line told to a citizen who writes of self-harm
    #: (12356: the national 心理援助热线 since 2025).
    crisis_hotline: str = "12356"

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
