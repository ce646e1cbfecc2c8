"""Residential files (居情档案) as a service.

The seed (section 10) asks every street and park work station to keep a file
for each community and residential area in its area, covering party affairs,
major affairs, finances, land transfer, family planning and hardship aid, and
sets a target of 100% of files set up.

Rules this module applies:

* One file per unit of a kind in ``RESIDENTIAL_FILE_KINDS``, with the six
  sections of :class:`~storage.enums.ResidentialSection`.
* Editing a section appends a revision (editor, time); the current file is the
  newest revision of each section, the older ones are its history. Saving the
  same text again adds nothing. A section cannot be emptied.
* A file counts as **set up** when all six sections have content; a file with
  some sections is **partial**.
* **Who may edit:** admins; chiefs and staff of the unit itself or of the work
  station above it. **Who may read:** those, the information officers of the
  unit or its station, and anyone bound to the mass-work office or one of its
  centres. Citizens may do neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.services.people import PersonLike
from config.district import RESIDENTIAL_FILE_KINDS, STATION_KINDS, District, UnitKind
from storage import residential_files as store
from storage.db import Database
from storage.enums import ResidentialSection, Role
from storage.models import ResidentialFileRevision, utcnow
from storage.org import get_person

#: The sections in the seed's order, with their Chinese labels.
SECTION_LABELS: dict[ResidentialSection, str] = {
    ResidentialSection.PARTY_AFFAIRS: "党务工作",
    ResidentialSection.MAJOR_AFFAIRS: "重大事务",
    ResidentialSection.FINANCES: "财务收支",
    ResidentialSection.LAND_TRANSFER: "土地流转",
    ResidentialSection.FAMILY_PLANNING: "计划生育",
    ResidentialSection.HARDSHIP_AID: "困难救助",
}
SECTIONS: tuple[ResidentialSection, ...] = tuple(SECTION_LABELS)
#: Longest section text accepted, in characters.
MAX_SECTION_CHARS = 20_000
#: Roles that keep files (besides admins, who may edit any).
EDITOR_ROLES = frozenset({Role.CHIEF, Role.STAFF})
#: Units whose people may read every file: the mass-work office and its centres.
DISTRICT_KINDS = frozenset({UnitKind.OFFICE, UnitKind.CENTRE})


class FileStatus(StrEnum):
    """How far a residential file is set up."""

    COMPLETE = "complete"  # all six sections have content: counts as set up
    PARTIAL = "partial"
    EMPTY = "empty"


#: Chinese labels of the statuses.
STATUS_LABELS: dict[FileStatus, str] = {
    FileStatus.COMPLETE: "已建档",
    FileStatus.PARTIAL: "部分建档",
    FileStatus.EMPTY: "未建档",
}


class ResidentialFileError(Exception):
    """A residential-file request cannot be carried out.

    Attributes:
        reason: ``unknown_unit``, ``not_a_file_unit``, ``unknown_section``,
            ``empty``, ``too_long``, ``unknown_person``, ``forbidden`` or
            ``conflict``.
        message: What to tell the user, in Chinese.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


def section_label(section: ResidentialSection | str) -> str:
    """The Chinese label of a section."""
    return SECTION_LABELS[ResidentialSection(section)]


def parse_section(value: ResidentialSection | str) -> ResidentialSection:
    """A section from its id or its Chinese label.

    Raises:
        ResidentialFileError: ``unknown_section``.
    """
    if isinstance(value, ResidentialSection):
        return value
    text = value.strip()
    for section, label in SECTION_LABELS.items():
        if text in (section.value, label):
            return section
    names = "、".join(SECTION_LABELS.values())
    raise ResidentialFileError("unknown_section", f"没有“{text}”这一栏目；栏目有：{names}。")


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


def _check_file_unit(district: District, unit_id: str) -> None:
    unit = district.units.get(unit_id)
    if unit is None:
        raise ResidentialFileError("unknown_unit", f"没有编号为 {unit_id} 的单位。")
    if unit.kind not in RESIDENTIAL_FILE_KINDS:
        raise ResidentialFileError(
            "not_a_file_unit", f"{unit.name}不是社区或居民区，没有居情档案。"
        )


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


@dataclass(frozen=True)
class SectionRevision:
    """One revision of one section."""

    id: int
    unit_id: str
    section: ResidentialSection
    content: str
    editor_id: int | None
    editor_name: str
    created_at: datetime

    @property
    def label(self) -> str:
        """The section's Chinese label."""
        return SECTION_LABELS[self.section]


@dataclass(frozen=True)
class ResidentialFile:
    """A residential file as it stands: the newest revision of each section."""

    unit_id: str
    unit_name: str
    station_id: str | None
    sections: dict[ResidentialSection, SectionRevision | None]

    @property
    def filled(self) -> list[ResidentialSection]:
        """Sections with content, in order."""
        return [s for s in SECTIONS if self.sections.get(s) is not None]

    @property
    def missing(self) -> list[ResidentialSection]:
        """Sections without content, in order."""
        return [s for s in SECTIONS if self.sections.get(s) is None]

    @property
    def status(self) -> FileStatus:
        """Complete, partial or empty."""
        return _status(len(self.filled))

    @property
    def updated_at(self) -> datetime | None:
        """When any section last changed."""
        times = [r.created_at for r in self.sections.values() if r is not None]
        return max(times) if times else None


def _status(filled: int) -> FileStatus:
    if filled >= len(SECTIONS):
        return FileStatus.COMPLETE
    return FileStatus.PARTIAL if filled else FileStatus.EMPTY


def _view(row: ResidentialFileRevision, names: dict[int, str]) -> SectionRevision:
    return SectionRevision(
        id=row.id,
        unit_id=row.unit_id,
        section=ResidentialSection(row.section),
        content=row.content,
        editor_id=row.editor_id,
        editor_name=names.get(row.editor_id, "") if row.editor_id is not None else "",
        created_at=row.created_at,
    )


async def _viewer(db: Database, viewer_id: int) -> PersonLike:
    async with db.session() as session:
        person = await get_person(session, viewer_id)
    if person is None or not person.active:
        raise ResidentialFileError("unknown_person", "找不到您的账号，请联系管理员。")
    return person


async def edit_section(
    db: Database,
    district: District,
    *,
    editor_id: int,
    unit_id: str,
    section: ResidentialSection | str,
    content: str,
    base_revision_id: int | None = None,
    now: datetime | None = None,
) -> SectionRevision:
    """Save a section of a unit's file as a new revision.

    Args:
        db: The database.
        district: The organisation (decides who may edit).
        editor_id: The person saving.
        unit_id: A community or residential area.
        section: The section, by id or Chinese label.
        content: The new text (stripped; not empty).
        base_revision_id: The revision the editor started from, to refuse an
            edit that would silently overwrite someone else's (0: the editor
            saw an empty section; None: no check).
        now: The current time (default: the system clock).

    Returns:
        The new revision, or the current one when the text is unchanged.

    Raises:
        ResidentialFileError: unknown unit or section, not a file unit, empty
            or too long text, unknown editor, no permission, or a conflict.
    """
    now = now or utcnow()
    _check_file_unit(district, unit_id)
    chosen = parse_section(section)
    text = content.strip()
    if not text:
        raise ResidentialFileError("empty", f"“{SECTION_LABELS[chosen]}”的内容不能为空。")
    if len(text) > MAX_SECTION_CHARS:
        raise ResidentialFileError(
            "too_long", f"内容过长（{len(text)} 字），每个栏目请控制在 {MAX_SECTION_CHARS} 字以内。"
        )
    async with db.session() as session:
        editor = await get_person(session, editor_id)
        if editor is None or not editor.active:
            raise ResidentialFileError("unknown_person", "找不到您的账号，请联系管理员。")
        if not can_edit_file(editor, unit_id, district):
            raise ResidentialFileError("forbidden", "您无权编辑该单位的居情档案。")
        current = await store.section_history(session, unit_id, chosen.value, limit=1)
        head = current[0] if current else None
        if base_revision_id is not None and (head.id if head else 0) != base_revision_id:
            raise ResidentialFileError(
                "conflict", f"“{SECTION_LABELS[chosen]}”已被他人修改，请刷新后再编辑。"
            )
        if head is not None and head.content == text:
            names = await store.person_names(session, [head.editor_id] if head.editor_id else [])
            return _view(head, names)
        row = await store.add_revision(
            session,
            unit_id=unit_id,
            section=chosen.value,
            content=text,
            editor_id=editor.id,
            created_at=now,
        )
        return _view(row, {editor.id: editor.name})


async def get_file(
    db: Database, district: District, unit_id: str, *, viewer_id: int
) -> ResidentialFile:
    """The current file of ``unit_id`` as ``viewer_id`` may see it.

    Raises:
        ResidentialFileError: unknown or non-file unit, unknown viewer, or
            ``forbidden``.
    """
    _check_file_unit(district, unit_id)
    viewer = await _viewer(db, viewer_id)
    if not can_read_file(viewer, unit_id, district):
        raise ResidentialFileError("forbidden", "您无权查看该单位的居情档案。")
    async with db.session() as session:
        rows = await store.latest_revisions(session, [unit_id])
        names = await store.person_names(session, _editors(rows))
    sections: dict[ResidentialSection, SectionRevision | None] = dict.fromkeys(SECTIONS)
    for row in rows:
        view = _view(row, names)
        sections[view.section] = view
    return ResidentialFile(
        unit_id=unit_id,
        unit_name=district.units[unit_id].name,
        station_id=station_of(district, unit_id),
        sections=sections,
    )


async def section_history(
    db: Database,
    district: District,
    unit_id: str,
    section: ResidentialSection | str,
    *,
    viewer_id: int,
    limit: int = 50,
) -> list[SectionRevision]:
    """The revisions of one section, newest first.

    Raises:
        ResidentialFileError: as :func:`get_file`, or ``unknown_section``.
    """
    _check_file_unit(district, unit_id)
    chosen = parse_section(section)
    viewer = await _viewer(db, viewer_id)
    if not can_read_file(viewer, unit_id, district):
        raise ResidentialFileError("forbidden", "您无权查看该单位的居情档案。")
    async with db.session() as session:
        rows = await store.section_history(session, unit_id, chosen.value, limit=limit)
        names = await store.person_names(session, _editors(rows))
    return [_view(row, names) for row in rows]


def _editors(rows: Iterable[ResidentialFileRevision]) -> set[int]:
    return {r.editor_id for r in rows if r.editor_id is not None}


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
        return _status(len(self.filled))

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
