"""Routing corrections: recorded with the change that made them, read back for learning.

Every time a person overrides where the classifier sent a case, one
:class:`~storage.models.RoutingCorrection` row is written *in the same
transaction* as the change:

* ``returned``: a dispatcher's 派单 of a case a station returned (退单);
* ``desk``: a dispatcher's 派单 of a case the classifier left at the desk;
* ``redispatch``: the desk's or 群工办's 改派 of a case escalated while its unit never
  signed it (trial 32 D14; issue 14);
* ``citizen``: a citizen filed with another office than the classifier's (换一个部门);
* ``officer``: an officer filed a warning with another room (更改部门).

Desk dispatches are recorded even when they agree with the classifier (they
are the figures' denominator); a filing choice only when it differs.
The classifier's answer at filing time is kept in the ``registered`` event's
data (``classified_room``, ``classified_bureau``) by the intake service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.routing import UNKNOWN, Route
from storage.db import Database, rowcount
from storage.enums import CaseStatus
from storage.models import Case, CaseEvent, RoutingCorrection

__all__ = [
    "KINDS",
    "Classified",
    "classified_of",
    "latest_corrections",
    "mark_learnt",
    "record_choice_tx",
    "record_dispatch_tx",
    "record_tx",
    "was_returned",
]

KINDS: dict[str, str] = {
    "returned": "退单后改派",
    "desk": "分派台派单",
    "redispatch": "超时未签收改派",
    "citizen": "群众换部门",
    "officer": "信息员更改部门",
}
"""The kinds of correction and their labels."""


@dataclass(frozen=True, slots=True)
class Classified:
    """What the classifier said about a case when it was filed."""

    room: str
    bureau: str
    confidence: float
    keywords: tuple[str, ...]


async def classified_of(s: AsyncSession, case: Case) -> Classified:
    """The classifier's answer for ``case``, from its ``registered`` event.

    Cases filed before the answer was kept there fall back on the event's
    route when the classifier chose it (``auto``/``desk``), else ``unknown``.
    """
    data = await s.scalar(
        select(CaseEvent.data)
        .where(CaseEvent.case_id == case.id, CaseEvent.type == "registered")
        .order_by(CaseEvent.id)
        .limit(1)
    )
    data = data or {}
    if "classified_bureau" in data:
        room, bureau = str(data.get("classified_room")), str(data.get("classified_bureau"))
    elif data.get("how") in ("auto", "desk"):
        room, bureau = str(data.get("room", UNKNOWN)), str(data.get("bureau", UNKNOWN))
    else:
        room, bureau = UNKNOWN, UNKNOWN
    keywords = tuple(str(k) for k in (case.keywords or ()))
    return Classified(room, bureau, float(case.confidence or 0.0), keywords)


async def record_tx(
    s: AsyncSession,
    case: Case,
    *,
    kind: str,
    classified: Classified,
    final_room: str,
    final_bureau: str,
    final_unit_id: str | None,
    actor_id: int | None,
    now: datetime,
) -> RoutingCorrection:
    """Write one correction inside the change's transaction."""
    row = RoutingCorrection(
        case_id=case.id,
        kind=kind,
        text=case.original_text,
        classified_room=classified.room,
        classified_bureau=classified.bureau,
        confidence=classified.confidence,
        keywords=list(classified.keywords),
        final_room=final_room or UNKNOWN,
        final_bureau=final_bureau or UNKNOWN,
        final_unit_id=final_unit_id,
        actor_id=actor_id,
        created_at=now,
    )
    s.add(row)
    return row


async def record_dispatch_tx(
    s: AsyncSession,
    case: Case,
    *,
    returned: bool,
    final_unit_id: str,
    actor_id: int | None,
    now: datetime,
    redispatch: bool = False,
) -> RoutingCorrection:
    """Record a dispatcher's 派单, or a 改派 (``redispatch``), after the case's
    room/bureau were set."""
    return await record_tx(
        s,
        case,
        kind="redispatch" if redispatch else "returned" if returned else "desk",
        classified=await classified_of(s, case),
        final_room=case.room,
        final_bureau=case.bureau,
        final_unit_id=final_unit_id,
        actor_id=actor_id,
        now=now,
    )


async def record_choice_tx(
    s: AsyncSession,
    case: Case,
    classified: Classified,
    route: Route,
    kind: str,
    actor_id: int,
    now: datetime,
) -> bool:
    """Record a reporter's own office at filing when it differs from the classifier's.

    Only a bureau, or a room other than the classifier's, counts: a chosen room
    alone that agrees leaves the bureau to the desk (whose 派单 is recorded).

    Returns:
        Whether it differed (and was recorded).
    """
    if route.how not in ("chosen", "officer"):
        return False
    if route.bureau == UNKNOWN and route.room in (UNKNOWN, classified.room):
        return False
    if route.bureau != UNKNOWN and route.bureau == classified.bureau:
        return False
    await record_tx(
        s,
        case,
        kind=kind,
        classified=classified,
        final_room=route.room,
        final_bureau=route.bureau,
        final_unit_id=route.owning_unit_id,
        actor_id=actor_id,
        now=now,
    )
    return True


def was_returned(case: Case) -> bool:
    """True for a case waiting at the desk because a station returned it."""
    return case.status == CaseStatus.RETURNED.value


async def latest_corrections(
    db: Database, since: datetime | None = None, *, pending_only: bool = False
) -> list[RoutingCorrection]:
    """The latest correction of each case (where it finally belonged), oldest first.

    Args:
        db: the database.
        since: only corrections made at or after this time.
        pending_only: only corrections not yet learnt (``learnt_at`` unset).
    """
    async with db.session() as s:
        query = select(RoutingCorrection).order_by(RoutingCorrection.id)
        if since is not None:
            query = query.where(RoutingCorrection.created_at >= since)
        rows = list((await s.scalars(query)).all())
    latest: dict[int, RoutingCorrection] = {}
    for row in rows:
        latest[row.case_id] = row
    out = sorted(latest.values(), key=lambda r: r.id)
    if pending_only:
        out = [r for r in out if r.learnt_at is None]
    return out


async def mark_learnt(db: Database, ids: Sequence[int], now: datetime) -> int:
    """Mark corrections as learnt (after ``lexicon learn --apply``); the number marked."""
    if not ids:
        return 0
    async with db.session() as s:
        result = await s.execute(
            update(RoutingCorrection)
            .where(RoutingCorrection.id.in_(list(ids)), RoutingCorrection.learnt_at.is_(None))
            .values(learnt_at=now)
        )
        return rowcount(result)
