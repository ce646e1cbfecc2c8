"""Residential-file coverage (设置率): how many files are set up, district-wide and per station."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.residential_files_access import file_units, station_of
from bot.services.residential_files_sections import SECTIONS, FileStatus, status_of
from config.district import District
from storage import residential_files as store
from storage.db import Database
from storage.enums import ResidentialSection


@dataclass(frozen=True)
class UnitFileCoverage:
    """How far one unit's file is set up."""

    unit_id: str
    unit_name: str
    station_id: str | None
    filled: frozenset[ResidentialSection]

    @property
    def status(self) -> FileStatus:
        """Complete, partial or empty."""
        return status_of(len(self.filled))

    @property
    def missing(self) -> list[ResidentialSection]:
        """Sections without content, in order."""
        return [s for s in SECTIONS if s not in self.filled]


@dataclass(frozen=True)
class _Tally:
    units: list[UnitFileCoverage]

    @property
    def total(self) -> int:
        """Files expected."""
        return len(self.units)

    @property
    def complete(self) -> int:
        """Files with all six sections (set up)."""
        return sum(1 for u in self.units if u.status is FileStatus.COMPLETE)

    @property
    def partial(self) -> int:
        """Files with some sections."""
        return sum(1 for u in self.units if u.status is FileStatus.PARTIAL)

    @property
    def empty(self) -> int:
        """Files with no section at all."""
        return sum(1 for u in self.units if u.status is FileStatus.EMPTY)

    @property
    def rate(self) -> float | None:
        """设置率: share of files set up; None when no file is expected."""
        return self.complete / self.total if self.units else None


@dataclass(frozen=True)
class StationFileCoverage(_Tally):
    """The files of the communities and residential areas of one work station."""

    station_id: str
    station_name: str


@dataclass(frozen=True)
class ResidentialFileCoverage(_Tally):
    """Residential-file coverage of the whole district, and per station."""

    stations: list[StationFileCoverage]


async def file_coverage(db: Database, district: District) -> ResidentialFileCoverage:
    """How many residential files are set up, over the district and per station.

    Units with no work station above them count in the district's figures only.
    """
    unit_ids = file_units(district)
    async with db.session() as session:
        rows = await store.latest_revisions(session, unit_ids)
    filled: dict[str, set[ResidentialSection]] = {u: set() for u in unit_ids}
    for row in rows:
        if row.content.strip():
            filled[row.unit_id].add(ResidentialSection(row.section))
    units = [
        UnitFileCoverage(
            unit_id=u,
            unit_name=district.units[u].name,
            station_id=station_of(district, u),
            filled=frozenset(filled[u]),
        )
        for u in unit_ids
    ]
    by_station: dict[str, list[UnitFileCoverage]] = {}
    for unit in units:
        if unit.station_id is not None:
            by_station.setdefault(unit.station_id, []).append(unit)
    stations = [
        StationFileCoverage(units=members, station_id=sid, station_name=district.units[sid].name)
        for sid, members in by_station.items()
    ]
    return ResidentialFileCoverage(units=units, stations=stations)
