"""Which Open311 key filed a case (``open311_filings``, trial 33 D15).

A partner's key reads back the requests it filed and no other: the link is written
when the request is filed (:func:`remember`) and every read of ``GET requests``
selects on it (:func:`filed_by`).
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import Open311Filing


async def remember(db: Database, case_id: int, api_key_id: int) -> None:
    """Record that ``api_key_id`` filed ``case_id`` (a replayed filing: kept as it is)."""
    async with db.session() as s:
        await remember_tx(s, case_id, api_key_id)


async def remember_tx(s: AsyncSession, case_id: int, api_key_id: int) -> None:
    """:func:`remember` inside the caller's transaction."""
    if await s.get(Open311Filing, case_id) is None:
        s.add(Open311Filing(case_id=case_id, api_key_id=api_key_id))
        await s.flush()


def filed_by(api_key_id: int) -> Select[int]:
    """The ids of the cases ``api_key_id`` filed (a subquery for ``Case.id.in_``)."""
    return select(Open311Filing.case_id).where(Open311Filing.api_key_id == api_key_id)
