"""Residential files (居情档案) as a service.

The seed (section 10) asks every street and park work station to keep a file
for each community and residential area in its area, covering party affairs,
major affairs, finances, land transfer, family planning and hardship aid, and
sets a target of 100% of files set up.

Rules these modules apply:

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

The sections and statuses are in :mod:`bot.services.residential_files_sections`, who
may read and edit in :mod:`bot.services.residential_files_access`, coverage in
:mod:`bot.services.residential_files_coverage`; this module reads and writes files
and re-exports the rest, so callers import everything from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.services.people import PersonLike
from bot.services.residential_files_access import (
    DISTRICT_KINDS,
    EDITOR_ROLES,
    can_edit_file,
    can_read_file,
    file_units,
    readable_files,
    station_of,
)
from bot.services.residential_files_coverage import (
    ResidentialFileCoverage,
    StationFileCoverage,
    UnitFileCoverage,
    file_coverage,
)
from bot.services.residential_files_sections import (
    MAX_SECTION_CHARS,
    SECTION_LABELS,
    SECTIONS,
    STATUS_LABELS,
    FileStatus,
    ResidentialFileError,
    parse_section,
    section_label,
    status_of,
)
from config.district import RESIDENTIAL_FILE_KINDS, District
from storage import residential_files as store
from storage.db import Database
from storage.enums import ResidentialSection
from storage.models import ResidentialFileRevision, utcnow
from storage.org import get_person

__all__ = [
    "DISTRICT_KINDS",
    "EDITOR_ROLES",
    "MAX_SECTION_CHARS",
    "SECTIONS",
    "SECTION_LABELS",
    "STATUS_LABELS",
    "FileStatus",
    "ResidentialFile",
    "ResidentialFileCoverage",
    "ResidentialFileError",
    "SectionRevision",
    "StationFileCoverage",
    "UnitFileCoverage",
    "can_edit_file",
    "can_read_file",
    "edit_section",
    "file_coverage",
    "file_units",
    "get_file",
    "parse_section",
    "readable_files",
    "section_history",
    "section_label",
    "station_of",
]


def _check_file_unit(district: District, unit_id: str) -> None:
    unit = district.units.get(unit_id)
    if unit is None:
        raise ResidentialFileError("unknown_unit", f"没有编号为 {unit_id} 的单位。")
    if unit.kind not in RESIDENTIAL_FILE_KINDS:
        raise ResidentialFileError(
            "not_a_file_unit", f"{unit.name}不是社区或居民区，没有居情档案。"
        )


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
        return status_of(len(self.filled))

    @property
    def updated_at(self) -> datetime | None:
        """When any section last changed."""
        times = [r.created_at for r in self.sections.values() if r is not None]
        return max(times) if times else None


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
