"""Data access for the organisation: units and the people bound to them.

The mapped classes (:mod:`storage.models`, whose import declares the whole
schema) are imported by the functions that need them, not here: the coverage
report (``minqing units``) reads through :data:`UNITS` and :data:`PEOPLE`, two
light Core tables naming only the columns it reads, and so never declares the
schema (``tests/test_cli_lazy.py``). ``tests/test_storage.py`` checks that their
columns are the models' columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Boolean, Integer, String, Table, column, func, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import RAW_SQLITE, HotConnection, sqlite_time

if TYPE_CHECKING:
    from storage.models import Person, Unit

#: The columns of ``units`` the coverage report reads (a light table: no mapped class).
UNITS = table(
    "units",
    column("id", String),
    column("kind", String),
    column("name", String),
    column("parent_id", String),
    column("sample", Boolean),
    column("position", Integer),
    column("active", Boolean),
)
#: The columns of ``people`` the coverage report reads.
PEOPLE = table(
    "people", column("unit_id", String), column("role", String), column("active", Boolean)
)

#: Columns of a unit that the district config owns.
CONFIG_FIELDS = ("kind", "name", "parent_id", "sample", "address", "hours", "phone", "position")


@dataclass(frozen=True)
class UnitRow:
    """A unit as the config wants it stored."""

    id: str
    kind: str
    name: str
    parent_id: str | None
    sample: bool
    address: str
    hours: str
    phone: str
    position: int


@dataclass
class SyncReport:
    """What a sync of the organisation changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.added or self.updated or self.deactivated or self.reactivated)


async def sync_units(session: AsyncSession, rows: Sequence[UnitRow]) -> SyncReport:
    """Make the units table match ``rows``, changing only what differs.

    Units no longer in the config are deactivated, never deleted: cases and
    people still refer to them.
    """
    from storage.models import Unit

    report = SyncReport()
    existing = {u.id: u for u in (await session.scalars(select(Unit))).all()}
    wanted = {row.id for row in rows}
    # Parents first, so foreign keys hold at every flush.
    for row in _parents_first(rows):
        unit = existing.get(row.id)
        if unit is None:
            session.add(Unit(**{"id": row.id, **{f: getattr(row, f) for f in CONFIG_FIELDS}}))
            report.added.append(row.id)
            await session.flush()
            continue
        changed = False
        for f in CONFIG_FIELDS:
            if getattr(unit, f) != getattr(row, f):
                setattr(unit, f, getattr(row, f))
                # A unit that merely moved in the file is not reported as updated.
                changed = changed or f != "position"
        if not unit.active:
            unit.active = True
            report.reactivated.append(row.id)
        elif changed:
            report.updated.append(row.id)
    for unit_id, unit in existing.items():
        if unit_id not in wanted and unit.active:
            unit.active = False
            report.deactivated.append(unit_id)
    await session.flush()
    return report


def _parents_first(rows: Iterable[UnitRow]) -> list[UnitRow]:
    by_id = {r.id: r for r in rows}
    ordered: list[UnitRow] = []
    done: set[str] = set()

    def visit(row: UnitRow) -> None:
        if row.id in done:
            return
        if row.parent_id in by_id:
            visit(by_id[row.parent_id])
        done.add(row.id)
        ordered.append(row)

    for row in by_id.values():
        visit(row)
    return ordered


@dataclass(frozen=True)
class UnitListing:
    """A unit as the coverage report lists it."""

    id: str
    kind: str
    name: str
    parent_id: str | None
    sample: bool


async def list_units(session: AsyncSession, *, active_only: bool = True) -> list[UnitListing]:
    """All units in config order."""
    u = UNITS.c
    stmt = select(u.id, u.kind, u.name, u.parent_id, u.sample).order_by(u.position, u.id)
    if active_only:
        stmt = stmt.where(u.active.is_(True))
    return [
        UnitListing(uid, kind, name, parent_id, bool(sample))
        for uid, kind, name, parent_id, sample in await session.execute(stmt)
    ]


async def get_unit(session: AsyncSession, unit_id: str) -> Unit | None:
    """The unit with ``unit_id``, active or not."""
    from storage.models import Unit

    return await session.get(Unit, unit_id)


async def count_people_by_unit_and_role(session: AsyncSession) -> dict[tuple[str, str], int]:
    """Active people per (unit id, role)."""
    p = PEOPLE.c
    rows = await session.execute(
        select(p.unit_id, p.role, func.count())
        .where(p.active.is_(True), p.unit_id.is_not(None))
        .group_by(p.unit_id, p.role)
    )
    return {(unit_id, role): n for unit_id, role, n in rows if unit_id is not None}


async def people_of_unit(
    session: AsyncSession, unit_id: str, roles: Iterable[str] | None = None
) -> list[Person]:
    """Active people bound to ``unit_id`` (optionally only some roles)."""
    from storage.models import Person

    stmt = select(Person).where(Person.unit_id == unit_id, Person.active.is_(True))
    if roles is not None:
        stmt = stmt.where(Person.role.in_(list(roles)))
    return list((await session.scalars(stmt.order_by(Person.id))).all())


async def get_person_by_telegram_id(session: AsyncSession, telegram_user_id: int) -> Person | None:
    """The person with this Telegram user id, if known."""
    from storage.models import Person

    return await session.scalar(select(Person).where(Person.telegram_user_id == telegram_user_id))


async def get_person(session: AsyncSession, person_id: int) -> Person | None:
    """The person with this id."""
    from storage.models import Person

    return await session.get(Person, person_id)


async def ensure_citizen(
    session: AsyncSession, telegram_user_id: int, name: str, chat_id: int | None = None
) -> Person:
    """The person for a Telegram user, created as a citizen on first contact."""
    from storage.models import Person

    person = await get_person_by_telegram_id(session, telegram_user_id)
    if person is None:
        person = Person(
            telegram_user_id=telegram_user_id,
            chat_id=chat_id if chat_id is not None else telegram_user_id,
            name=name[:200],
            role="citizen",
        )
        session.add(person)
        await session.flush()
    elif name and person.name != name[:200]:
        person.name = name[:200]
    return person


# --- the per-update hot path (see storage.db.Database.hot) ---------------------------


@dataclass(frozen=True)
class PersonRow:
    """What the bot reads about the sender of every update (one ``people`` row)."""

    id: int
    telegram_user_id: int
    chat_id: int | None
    name: str
    role: str
    unit_id: str | None
    active: bool
    blocked: bool


_PERSON_COLUMNS = "id, telegram_user_id, chat_id, name, role, unit_id, active, blocked_at"


async def find_person_hot(conn: HotConnection, telegram_user_id: int) -> PersonRow | None:
    """The person with this Telegram user id, read without the ORM (it runs for every update)."""
    if isinstance(conn, RAW_SQLITE):
        rows = list(
            await conn.execute_fetchall(
                f"SELECT {_PERSON_COLUMNS} FROM people WHERE telegram_user_id = ?",
                (telegram_user_id,),
            )
        )
        row: Any = rows[0] if rows else None
    else:
        from storage.models import Person

        t = cast(Table, Person.__table__).c
        row = (
            await conn.execute(
                select(
                    t.id,
                    t.telegram_user_id,
                    t.chat_id,
                    t.name,
                    t.role,
                    t.unit_id,
                    t.active,
                    t.blocked_at,
                ).where(t.telegram_user_id == telegram_user_id)
            )
        ).first()
    if row is None:
        return None
    pid, tid, chat_id, name, role, unit_id, active, blocked_at = row
    return PersonRow(
        pid, tid, chat_id, name or "", role, unit_id, bool(active), blocked_at is not None
    )


async def add_citizen_hot(
    conn: HotConnection, telegram_user_id: int, name: str, chat_id: int, now: datetime
) -> None:
    """Create a citizen on first contact (a no-op if the row exists: safe to repeat)."""
    name = name[:200].replace("\x00", "\ufffd")
    if isinstance(conn, RAW_SQLITE):
        await conn.execute(
            "INSERT INTO people (telegram_user_id, chat_id, name, role, active, created_at)"
            " VALUES (?, ?, ?, 'citizen', 1, ?) ON CONFLICT (telegram_user_id) DO NOTHING",
            (telegram_user_id, chat_id, name, sqlite_time(now)),
        )
        return
    from sqlalchemy.dialects import postgresql  # only here: see storage.state.apply_writes

    from storage.models import Person

    await conn.execute(
        postgresql.insert(cast(Table, Person.__table__))
        .values(
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            name=name,
            role="citizen",
            active=True,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["telegram_user_id"])
    )
