"""The six sections of a residential file (居情档案), the file statuses and the service's error."""

from __future__ import annotations

from enum import StrEnum

from storage.enums import ResidentialSection

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


def status_of(filled: int) -> FileStatus:
    """The status of a file with ``filled`` sections that have content."""
    if filled >= len(SECTIONS):
        return FileStatus.COMPLETE
    return FileStatus.PARTIAL if filled else FileStatus.EMPTY


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
