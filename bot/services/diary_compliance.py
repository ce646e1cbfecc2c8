"""Diary compliance: each leader's entries in a month against the monthly minimum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.services.diary_rules import (
    DISTRICT_TZ,
    MIN_ENTRIES_PER_MONTH,
    DiaryError,
    month_of,
    parse_month,
)
from storage import diary as store
from storage.db import Database
from storage.models import Person


@dataclass(frozen=True)
class LeaderCompliance:
    """One leader's diary in one month."""

    person_id: int
    name: str
    leader_rank: str
    unit_id: str | None
    unit_name: str
    entries: int

    @property
    def met(self) -> bool:
        """Whether the leader wrote at least the monthly minimum."""
        return self.entries >= MIN_ENTRIES_PER_MONTH


@dataclass(frozen=True)
class DiaryCompliance:
    """Diary compliance of the leaders of a month (and of a part of the tree)."""

    month: str
    unit_id: str | None
    leaders: list[LeaderCompliance]

    @property
    def leader_count(self) -> int:
        """How many leaders are assessed."""
        return len(self.leaders)

    @property
    def met_count(self) -> int:
        """How many of them met the rule."""
        return sum(1 for leader in self.leaders if leader.met)

    @property
    def missing(self) -> list[LeaderCompliance]:
        """The leaders who did not."""
        return [leader for leader in self.leaders if not leader.met]

    @property
    def total_entries(self) -> int:
        """Entries by the assessed leaders that month."""
        return sum(leader.entries for leader in self.leaders)

    @property
    def rate(self) -> float | None:
        """Share of leaders who met the rule; None when there is no leader to assess."""
        return self.met_count / len(self.leaders) if self.leaders else None


def _subtree(parents: dict[str, tuple[str | None, str]], root: str) -> set[str]:
    children: dict[str | None, list[str]] = {}
    for unit_id, (parent_id, _name) in parents.items():
        children.setdefault(parent_id, []).append(unit_id)
    found: set[str] = set()
    stack = [root]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


async def compliance(
    db: Database,
    month: str,
    unit_id: str | None = None,
    *,
    tz: ZoneInfo = DISTRICT_TZ,
) -> DiaryCompliance:
    """Each leader's entry count in ``month`` and whether they met the ≥1 rule.

    Args:
        db: The database.
        month: ``YYYY-MM``.
        unit_id: Only leaders of this unit and the units below it (None: all).
        tz: The district's time zone (decides when the month ended).

    Raises:
        DiaryError: ``bad_month`` or ``unknown_unit``.
    """
    start, end = parse_month(month)
    month_end = datetime.combine(end, time(0), tzinfo=tz).astimezone(UTC)
    async with db.session() as session:
        parents = await store.unit_parents(session)
        unit_ids: set[str] | None = None
        if unit_id is not None:
            if unit_id not in parents:
                raise DiaryError("unknown_unit", f"没有编号为 {unit_id} 的单位。")
            unit_ids = _subtree(parents, unit_id)
        leaders = await store.list_leaders(session, unit_ids=unit_ids, created_before=month_end)
        counts = await store.count_entries_by_author(
            session, start, end, author_ids=[p.id for p in leaders]
        )
    return DiaryCompliance(
        month=month_of(start),
        unit_id=unit_id,
        leaders=[_leader_row(p, counts.get(p.id, 0), parents) for p in leaders],
    )


def _leader_row(
    person: Person, entries: int, parents: dict[str, tuple[str | None, str]]
) -> LeaderCompliance:
    unit_name = parents[person.unit_id][1] if person.unit_id in parents else ""
    return LeaderCompliance(
        person_id=person.id,
        name=person.name,
        leader_rank=person.leader_rank or "",
        unit_id=person.unit_id,
        unit_name=unit_name,
        entries=entries,
    )


async def leaders_missing_entry(
    db: Database, month: str, unit_id: str | None = None, *, tz: ZoneInfo = DISTRICT_TZ
) -> list[LeaderCompliance]:
    """The leaders with no entry in ``month`` (see :func:`compliance`)."""
    return (await compliance(db, month, unit_id, tz=tz)).missing
