"""Who may read and edit which residential file, and the units that keep one."""

from __future__ import annotations

from bot.services.people import PersonLike
from config.district import RESIDENTIAL_FILE_KINDS, STATION_KINDS, District, UnitKind
from storage.enums import Role

#: Roles that keep files (besides admins, who may edit any).
EDITOR_ROLES = frozenset({Role.CHIEF, Role.STAFF})
#: Units whose people may read every file: the mass-work office and its centres.
DISTRICT_KINDS = frozenset({UnitKind.OFFICE, UnitKind.CENTRE})


def station_of(district: District, unit_id: str) -> str | None:
    """The nearest work station above ``unit_id`` (not the unit itself), if any."""
    unit = district.units.get(unit_id)
    parent = unit.parent_id if unit is not None else None
    while parent is not None:
        spec = district.units[parent]
        if spec.kind in STATION_KINDS:
            return parent
        parent = spec.parent_id
    return None


def file_units(district: District) -> list[str]:
    """Every unit that keeps a residential file, in config order."""
    return [u.id for u in district.units.values() if u.kind in RESIDENTIAL_FILE_KINDS]


def can_edit_file(person: PersonLike, unit_id: str, district: District) -> bool:
    """Whether ``person`` may edit the residential file of ``unit_id``."""
    if not person.active or unit_id not in district.units:
        return False
    if person.role == Role.ADMIN:
        return True
    if person.role not in EDITOR_ROLES or person.unit_id is None:
        return False
    return person.unit_id in (unit_id, station_of(district, unit_id))


def can_read_file(person: PersonLike, unit_id: str, district: District) -> bool:
    """Whether ``person`` may read the residential file of ``unit_id``."""
    if can_edit_file(person, unit_id, district):
        return True
    if not person.active or person.unit_id is None or person.role == Role.CITIZEN:
        return False
    if unit_id not in district.units:
        return False
    if person.unit_id in (unit_id, station_of(district, unit_id)):
        return True  # the information officers of the unit or its station
    own = district.units.get(person.unit_id)
    return own is not None and own.kind in DISTRICT_KINDS


def readable_files(person: PersonLike, district: District) -> list[str]:
    """The units whose files ``person`` may read, in config order."""
    return [u for u in file_units(district) if can_read_file(person, u, district)]
