"""The organisation as a service: loading it from config, and its coverage.

Coverage follows the seed's targets: every street, park and district
department has a work station and every community and residential area a work
room (设置率); stations have ≥ 5 staff, work rooms ≥ 3; information officers
are ≥ 3 per street, park, community, residential area and school and ≥ 1 per
district department (配备率).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from config.district import STATION_KINDS, District, UnitKind
from storage.db import Database
from storage.enums import Role
from storage.org import SyncReport, UnitRow, count_people_by_unit_and_role, list_units, sync_units

#: Kinds whose set-up the seed measures (设置率).
SETUP_KINDS = frozenset(STATION_KINDS | {UnitKind.COMMUNITY_ROOM, UnitKind.RESIDENTIAL_ROOM})
#: Roles that count as a unit's staff (专兼职工作人员).
STAFF_ROLES = (Role.CHIEF, Role.STAFF)


def unit_rows(district: District) -> list[UnitRow]:
    """The units of ``district`` as rows to store, in config order."""
    return [
        UnitRow(
            id=u.id,
            kind=u.kind.value,
            name=u.name,
            parent_id=u.parent_id,
            sample=u.sample,
            address=u.address,
            hours=u.hours,
            phone=u.phone,
            position=i,
        )
        for i, u in enumerate(district.units.values())
    ]


async def sync_organisation(db: Database, district: District) -> SyncReport:
    """Load or update the organisation from ``district`` in one transaction."""
    async with db.session() as session:
        return await sync_units(session, unit_rows(district))


@dataclass(frozen=True)
class UnitCoverage:
    """One unit's staffing against the seed's targets."""

    id: str
    name: str
    kind: UnitKind
    depth: int
    sample: bool
    chiefs: int
    staff: int
    officers: int
    staff_target: int | None
    officer_target: int | None

    @property
    def set_up(self) -> bool:
        """A station or work room counts as set up once it has a chief (站长/主任)."""
        return self.chiefs > 0

    @property
    def staff_ok(self) -> bool | None:
        """Whether staff (chief included) meet the target; None where none is set."""
        return None if self.staff_target is None else self.staff >= self.staff_target

    @property
    def officers_ok(self) -> bool | None:
        """Whether information officers meet the target; None where none is set."""
        return None if self.officer_target is None else self.officers >= self.officer_target


@dataclass(frozen=True)
class Coverage:
    """The network's coverage: per unit, and the district's rates."""

    units: list[UnitCoverage]

    def _rate(self, flags: list[bool]) -> float:
        return sum(flags) / len(flags) if flags else 1.0

    @property
    def setup_rate(self) -> float:
        """设置率: share of stations and work rooms that are set up."""
        return self._rate([u.set_up for u in self.units if u.kind in SETUP_KINDS])

    @property
    def staff_rate(self) -> float:
        """Share of units with a staff target that meet it."""
        return self._rate([bool(u.staff_ok) for u in self.units if u.staff_ok is not None])

    @property
    def officer_rate(self) -> float:
        """配备率: share of units with an officer target that meet it."""
        return self._rate([bool(u.officers_ok) for u in self.units if u.officers_ok is not None])


async def coverage(db: Database, district: District) -> Coverage:
    """Compute the network's coverage from the people bound to each unit."""
    async with db.read() as session:
        units = await list_units(session)
        counts = await count_people_by_unit_and_role(session)
    rows: list[UnitCoverage] = []
    for unit in units:
        kind = UnitKind(unit.kind)
        chiefs = counts.get((unit.id, Role.CHIEF), 0)
        rows.append(
            UnitCoverage(
                id=unit.id,
                name=unit.name,
                kind=kind,
                depth=0,
                sample=unit.sample,
                chiefs=chiefs,
                staff=chiefs + counts.get((unit.id, Role.STAFF), 0),
                officers=counts.get((unit.id, Role.OFFICER), 0),
                staff_target=district.staff_targets.get(kind),
                officer_target=district.officer_targets.get(kind),
            )
        )
    return Coverage(units=_tree_order(rows, units_parent={u.id: u.parent_id for u in units}))


def _tree_order(
    rows: list[UnitCoverage], units_parent: dict[str, str | None]
) -> list[UnitCoverage]:
    by_parent: dict[str | None, list[UnitCoverage]] = {}
    for row in rows:
        by_parent.setdefault(units_parent[row.id], []).append(row)
    ordered: list[UnitCoverage] = []

    def walk(parent: str | None, depth: int) -> None:
        for row in by_parent.get(parent, []):
            ordered.append(replace(row, depth=depth))
            walk(row.id, depth + 1)

    walk(None, 0)
    return ordered
