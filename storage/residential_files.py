"""Data access for residential files (居情档案, ``residential_file_revisions``).

Revisions are append-only; a section's current content is its newest revision
(highest id).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import add_flushed, fetch_all
from storage.models import Person, ResidentialFileRevision


async def add_revision(
    session: AsyncSession,
    *,
    unit_id: str,
    section: str,
    content: str,
    editor_id: int | None,
    created_at: datetime,
) -> ResidentialFileRevision:
    """Append one revision of one section.

    Returns:
        The new row, flushed so that it has an id.
    """
    return await add_flushed(
        session,
        ResidentialFileRevision(
            unit_id=unit_id,
            section=section,
            content=content,
            editor_id=editor_id,
            created_at=created_at,
        ),
    )


async def latest_revisions(
    session: AsyncSession, unit_ids: Collection[str] | None = None
) -> list[ResidentialFileRevision]:
    """The newest revision of every (unit, section) that has one.

    Args:
        session: The transaction to read in.
        unit_ids: Only these units (None: every unit).
    """
    newest = select(func.max(ResidentialFileRevision.id)).group_by(
        ResidentialFileRevision.unit_id, ResidentialFileRevision.section
    )
    if unit_ids is not None:
        newest = newest.where(ResidentialFileRevision.unit_id.in_(list(unit_ids)))
    stmt = (
        select(ResidentialFileRevision)
        .where(ResidentialFileRevision.id.in_(newest.scalar_subquery()))
        .order_by(ResidentialFileRevision.unit_id, ResidentialFileRevision.id)
    )
    return await fetch_all(session, stmt)


async def section_history(
    session: AsyncSession, unit_id: str, section: str, *, limit: int | None = None
) -> list[ResidentialFileRevision]:
    """Every revision of one section, newest first."""
    stmt = (
        select(ResidentialFileRevision)
        .where(
            ResidentialFileRevision.unit_id == unit_id,
            ResidentialFileRevision.section == section,
        )
        .order_by(ResidentialFileRevision.id.desc())
    )
    return await fetch_all(session, stmt, limit)


async def person_names(session: AsyncSession, person_ids: Collection[int]) -> dict[int, str]:
    """Names of the given people (for showing who edited what)."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.name).where(Person.id.in_(list(person_ids)))
    )
    return {person_id: name for person_id, name in rows}
