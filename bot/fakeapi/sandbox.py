"""``minqing sandbox``: the real bot against the built-in fake Bot API.

One process serves the fake Telegram Bot API, runs the real bot (polling that
fake), the delivery worker and the scheduler over a fresh SQLite database with
the default district, and serves a page with three phones side by side: a
citizen, an information officer (already bound) and a station chief (one is
bound to every station; the phone follows the unit that owns the newest case).
No token, no network. A "fast forward" control moves the service's clock so
that a trainee can watch re-notification and escalation happen.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import func, select

from bot.fakeapi.server import FakeBotApi
from bot.services import clock_state
from bot.services.cases.digest import HOLD
from bot.services.clock import OffsetClock
from bot.services.diary_reminders import REMINDER_DAY, REMINDER_HOUR
from bot.services.diary_rules import DISTRICT_TZ
from bot.services.lifecycle import status_label
from config.district import GRASSROOTS_KINDS, STATION_KINDS, District, UnitKind, chief_title
from storage.db import Database
from storage.enums import Role
from storage.models import Case, Person, Timer

log = logging.getLogger(__name__)

SANDBOX_TOKEN = "100000001:sandbox-token-not-secret"
FAKE_API_PREFIX = "/fakeapi"
CITIZEN_USER_ID = 10001
OFFICER_USER_ID = 20001
OFFICER_UNIT = "dongcheng"
CHIEF_USER_ID_BASE = 30000
MAX_ADVANCE = timedelta(days=30)


@dataclass(frozen=True)
class Persona:
    """One sandbox user: who they are and which chat the page shows."""

    user_id: int
    name: str
    role: str
    unit_id: str | None
    unit_name: str | None

    def as_json(self) -> dict[str, Any]:
        """For the page."""
        return {
            "chat_id": self.user_id,
            "name": self.name,
            "role": self.role,
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
        }


_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"


def _person_name(i: int) -> str:
    """A surname for the ``i``-th sandbox chief (a person's name, not the unit's)."""
    return _SURNAMES[i % len(_SURNAMES)]


def chief_units(district: District) -> list[str]:
    """Units that get a sandbox chief: every station, work room, centre and the desk."""
    wanted = STATION_KINDS | GRASSROOTS_KINDS | {UnitKind.CENTRE, UnitKind.OFFICE}
    return [u.id for u in district.units.values() if u.kind in wanted]


def personas(district: District) -> tuple[Persona, Persona, list[Persona]]:
    """The citizen, the officer and the chiefs of the sandbox."""
    citizen = Persona(CITIZEN_USER_ID, "张大姐（群众）", Role.CITIZEN.value, None, None)
    officer_unit = district.units[OFFICER_UNIT]
    officer = Persona(
        OFFICER_USER_ID, "李信息员", Role.OFFICER.value, officer_unit.id, officer_unit.name
    )
    chiefs = [
        Persona(
            CHIEF_USER_ID_BASE + i,
            _person_name(i) + chief_title(district.units[unit_id].kind),
            Role.CHIEF.value,
            unit_id,
            district.units[unit_id].name,
        )
        for i, unit_id in enumerate(chief_units(district))
    ]
    return citizen, officer, chiefs


async def seed_people(db: Database, district: District) -> list[Persona]:
    """Bind the sandbox's officer and chiefs (idempotent); return every persona."""
    citizen, officer, chiefs = personas(district)
    async with db.session() as session:
        existing = set((await session.scalars(select(Person.telegram_user_id))).all())
        for p in [officer, *chiefs]:
            if p.user_id in existing:
                continue
            session.add(
                Person(
                    telegram_user_id=p.user_id,
                    chat_id=p.user_id,
                    name=p.name,
                    role=p.role,
                    unit_id=p.unit_id,
                    leader_rank="deputy_section" if p.role == Role.CHIEF.value else None,
                )
            )
    return [citizen, officer, *chiefs]


def register_fake_users(fake: FakeBotApi, everyone: list[Persona]) -> None:
    """Give each persona a Telegram profile in the fake."""
    for p in everyone:
        fake.user(p.user_id, p.name)


@dataclass
class SandboxState:
    """What the sandbox page's controls act on."""

    db: Database
    clock: OffsetClock
    everyone: list[Persona]
    #: ``async (fold=True, hold_until=None) -> int``: fire what is due now
    #: (:meth:`bot.runtime.scheduler.Scheduler.run_due`).
    run_timers: Any
    poke_delivery: Any  # () -> None
    #: The service's periodic chores at the clock's time (the 民情日 diary reminder
    #: among them, :func:`bot.runtime.housekeeping.run_housekeeping`); None: none.
    run_chores: Callable[[], Awaitable[object]] | None = None
    #: The diary reminder alone, run at each chore time a jump passes over (the purges
    #: of ``run_chores`` run once, at the jump's end: review 1, R9); None: none.
    run_reminders: Callable[[], Awaitable[object]] | None = None
    #: The district's time zone (when a month's chores fall due).
    tz: ZoneInfo = DISTRICT_TZ


SANDBOX_KEY: web.AppKey[SandboxState] = web.AppKey("minqing_sandbox", SandboxState)


def _static_text(name: str) -> str:
    """A packaged file of the page (``bot/fakeapi/static/``)."""
    return resources.files("bot.fakeapi").joinpath(f"static/{name}").read_text(encoding="utf-8")


async def handle_page(_request: web.Request) -> web.Response:
    """The three phones."""
    html = _static_text("sandbox.html")
    return web.Response(text=html, content_type="text/html", charset="utf-8")


async def handle_static(request: web.Request) -> web.Response:
    """The page's script and style (packaged files only)."""
    name = request.match_info["name"]
    if name not in {"sandbox.js", "sandbox.css"}:
        raise web.HTTPNotFound()
    body = _static_text(name)
    kind = "application/javascript" if name.endswith(".js") else "text/css"
    return web.Response(text=body, content_type=kind, charset="utf-8")


async def handle_state(request: web.Request) -> web.Response:
    """Personas, the newest case and the clock, for the page."""
    state = request.app[SANDBOX_KEY]
    async with state.db.session() as session:
        newest = await session.scalar(select(Case).order_by(Case.id.desc()).limit(1))
    latest = None
    if newest is not None:
        latest = {
            "number": newest.number,
            "kind": newest.kind,
            "status": newest.status,
            "status_label": status_label(newest.status),
            "owning_unit_id": newest.owning_unit_id,
            "escalated_to_unit_id": newest.escalated_to_unit_id,
        }
    return web.json_response(
        {
            "personas": [p.as_json() for p in state.everyone],
            "fake_api_prefix": FAKE_API_PREFIX,
            "latest_case": latest,
            "clock": {
                "now": state.clock.now().isoformat(timespec="seconds"),
                "offset_hours": round(state.clock.offset.total_seconds() / 3600, 2),
            },
        }
    )


async def save_clock(state: SandboxState) -> None:
    """Record the sandbox's current time and offset (after each fast forward)."""
    await clock_state.save_clock(state.db, state.clock)


#: At most this many clock stops in one jump (each stop fires what is due then).
MAX_STOPS = 500


async def _next_due(db: Database) -> datetime | None:
    """The due time of the soonest timer still waiting, if any."""
    async with db.session() as session:
        due = await session.scalar(
            select(func.min(Timer.due_at)).where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None)
            )
        )
    if due is not None and due.tzinfo is None:
        due = due.replace(tzinfo=UTC)
    return due


def chore_times(after: datetime, until: datetime, tz: ZoneInfo) -> list[datetime]:
    """The moments in (``after``, ``until``] at which a periodic chore falls due: each
    month's diary reminder (the 27th, :data:`~bot.services.diary_reminders.REMINDER_HOUR`
    o'clock district time), which the real service's hourly housekeeping would have sent
    then (trial 32 D28: a 快进 over the 27th sent no 民情日 reminder)."""
    out: list[datetime] = []
    local = after.astimezone(tz)
    year, month = local.year, local.month
    while True:
        due = datetime(year, month, REMINDER_DAY, REMINDER_HOUR, tzinfo=tz).astimezone(UTC)
        if due > until:
            return out
        if due > after:
            out.append(due)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


async def advance_and_fire(state: SandboxState, delta: timedelta) -> int:
    """Move the clock forward by ``delta``, stopping at every timer and every periodic
    chore that falls due on the way.

    A timer that fires may set the next one (a re-notification 30 minutes later,
    then the escalation): stopping at each due time fires the whole chain that
    the jump passes over, as the real scheduler would have, not one link per jump.
    The whole jump is one scheduler pass for the digests (trial 28 P4): the notices
    are held past its end and folded once, so each person gets one digest.
    The 民情日 diary reminder (``state.run_reminders``) runs at each moment one falls due
    within the jump (:func:`chore_times`), as the hourly housekeeping would have run it in
    the time skipped; the service's chores (``state.run_chores``: the reminder, purges)
    run once at its end. A chore that fails is logged and the jump goes on.

    The service's own scheduler loop runs beside the jump and may fire a link first (its
    pass wakes on the moved clock): the walk stops only when the soonest timer stays the
    same after a pass fired nothing (a timer due but not fireable), never merely because
    the loop took a link, or the rest of the chain would be left behind the jump (CI saw a
    jump over a chain of three report two).

    Returns:
        How many timers fired during the jump, whoever fired them.
    """
    target = state.clock.now() + delta
    hold_until = target + HOLD
    before = await _fired_count(state.db)
    chores = chore_times(state.clock.now(), target, state.tz) if state.run_reminders else []
    try:
        for _ in range(MAX_STOPS):
            due = await _next_due(state.db)
            if chores and (due is None or chores[0] <= due):
                await _advance_to(state, chores.pop(0))
                await _chore(state.run_reminders)
                continue
            if due is None or due > target:
                break
            await _advance_to(state, due)
            count = int(await state.run_timers(fold=False, hold_until=hold_until))
            if count == 0 and await _next_due(state.db) == due:
                break  # due but not fireable now: do not spin
        for when in chores:  # left by a timer not fireable: still run at their times
            await _advance_to(state, when)
            await _chore(state.run_reminders)
        await _advance_to(state, target)
        await _chore(state.run_chores)
    finally:  # the last pass folds the jump's notices, whatever happened on the way
        await state.run_timers(hold_until=hold_until)
    return await _fired_count(state.db) - before


async def _advance_to(state: SandboxState, when: datetime) -> None:
    step = when - state.clock.now()
    if step > timedelta(0):
        state.clock.advance(step)


async def _chore(run: Callable[[], Awaitable[object]] | None) -> None:
    """Run a chore; a failure (a database hiccup) is logged and the jump goes on, as
    :func:`bot.runtime.housekeeping.housekeeping_forever` carries on."""
    if run is None:
        return
    try:
        await run()
    except Exception as exc:  # only its type: a database error may quote a complaint
        log.error(
            "sandbox: a chore failed during the fast-forward (%s); going on", type(exc).__name__
        )


async def _fired_count(db: Database) -> int:
    """How many timers have fired so far (stale ones included, as the scheduler counts)."""
    async with db.session() as session:
        return int(
            await session.scalar(select(func.count()).where(Timer.fired_at.is_not(None))) or 0
        )


async def handle_advance(request: web.Request) -> web.Response:
    """Move the service's clock forward and fire the timers that fall due."""
    state = request.app[SANDBOX_KEY]
    try:
        body = await request.json()
        hours = float(body.get("hours", 1))
    except (ValueError, TypeError, AttributeError):
        return web.json_response({"error": "hours must be a number"}, status=400)
    # NaN and infinity ("NaN", 1e400) are floats that no timedelta holds: bounded first.
    if not 0 < hours <= MAX_ADVANCE / timedelta(hours=1):
        return web.json_response({"error": "hours must be between 0 and 720"}, status=400)
    delta = timedelta(hours=hours)
    if not timedelta(0) < delta <= MAX_ADVANCE:
        return web.json_response({"error": "hours must be between 0 and 720"}, status=400)
    fired = await advance_and_fire(state, delta)
    await save_clock(state)
    state.poke_delivery()
    return web.json_response(
        {"fired": fired, "offset_hours": round(state.clock.offset.total_seconds() / 3600, 2)}
    )


def add_sandbox_routes(app: web.Application, state: SandboxState) -> None:
    """Mount the page and its controls."""
    app[SANDBOX_KEY] = state
    app.router.add_get("/", handle_page)
    app.router.add_get("/sandbox/static/{name}", handle_static)
    app.router.add_get("/sandbox/state", handle_state)
    app.router.add_post("/sandbox/advance", handle_advance)
