"""Leaders' records: the sentiment diary and the communities' residential files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UserText, utcnow


class DiaryEntry(Base):
    """A leader's public-sentiment diary entry (民情日记)."""

    __tablename__ = "diary_entries"
    __table_args__ = (Index("ix_diary_author_date", "author_id", "visited_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(UserText)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResidentialFileRevision(Base):
    """One revision of one section of a community's residential file (居情档案).

    The file's current state is the newest revision per section; older ones are
    its history.
    """

    __tablename__ = "residential_file_revisions"
    __table_args__ = (Index("ix_resfile_unit_section", "unit_id", "section", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    section: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(UserText)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
