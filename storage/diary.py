"""Data access for the public-sentiment diary (民情日记, ``diary_entries``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import add_flushed, fetch_all
from storage.models import DiaryEntry, Person, Unit


async def add_entry(
    session: AsyncSession,
    *,
    author_id: int,
    visited_on: date,
    content: str,
    channel: str,
    created_at: datetime,
) -> DiaryEntry:
    """Store one diary entry (already validated by the caller).

    Returns:
        The new row, flushed so that it has an id.
    """
    return await add_flushed(
        session,
        DiaryEntry(
            author_id=author_id,
            visited_on=visited_on,
            content=content,
            channel=channel,
            created_at=created_at,
        ),
    )


async def list_entries(
    session: AsyncSession,
    *,
    start: date | None = None,
    end: date | None = None,
    author_ids: Collection[int] | None = None,
    limit: int | None = None,
) -> list[DiaryEntry]:
    """Entries visited in ``[start, end)``, newest visit first.

    Args:
        session: The transaction to read in.
        start: First visiting day included (None: no lower bound).
        end: First visiting day excluded (None: no upper bound).
        author_ids: Only entries by these people (None: everybody).
        limit: At most this many rows.
    """
    stmt = select(DiaryEntry)
    if start is not None:
        stmt = stmt.where(DiaryEntry.visited_on >= start)
    if end is not None:
        stmt = stmt.where(DiaryEntry.visited_on < end)
    if author_ids is not None:
        stmt = stmt.where(DiaryEntry.author_id.in_(list(author_ids)))
    stmt = stmt.order_by(DiaryEntry.visited_on.desc(), DiaryEntry.id.desc())
    return await fetch_all(session, stmt, limit)


async def count_entries_by_author(
    session: AsyncSession, start: date, end: date, author_ids: Collection[int] | None = None
) -> dict[int, int]:
    """Number of entries per author whose visiting day is in ``[start, end)``."""
    stmt = (
        select(DiaryEntry.author_id, func.count())
        .where(DiaryEntry.visited_on >= start, DiaryEntry.visited_on < end)
        .group_by(DiaryEntry.author_id)
    )
    if author_ids is not None:
        stmt = stmt.where(DiaryEntry.author_id.in_(list(author_ids)))
    return {author_id: int(n) for author_id, n in await session.execute(stmt)}


async def list_leaders(
    session: AsyncSession,
    *,
    unit_ids: Collection[str] | None = None,
    created_before: datetime | None = None,
) -> list[Person]:
    """Active people with a leader rank, ordered by unit and id.

    Args:
        session: The transaction to read in.
        unit_ids: Only leaders bound to one of these units (None: all leaders).
        created_before: Only people whose row existed before this time.
    """
    stmt = select(Person).where(
        Person.active.is_(True),
        Person.leader_rank.is_not(None),
        Person.leader_rank != "",
    )
    if unit_ids is not None:
        stmt = stmt.where(Person.unit_id.in_(list(unit_ids)))
    if created_before is not None:
        stmt = stmt.where(Person.created_at < created_before)
    stmt = stmt.order_by(Person.unit_id, Person.id)
    return await fetch_all(session, stmt)


async def unit_parents(session: AsyncSession) -> dict[str, tuple[str | None, str]]:
    """Every unit (active or not) as ``id -> (parent id, name)``."""
    rows = await session.execute(select(Unit.id, Unit.parent_id, Unit.name))
    return {unit_id: (parent_id, name) for unit_id, parent_id, name in rows}
