"""CLI commands for the organisation: ``init``, ``invite``, ``units``."""

from __future__ import annotations

import argparse

from bot.cli.common import db_clock, fail, pad, strict, with_db
from bot.services.organisation import Coverage, coverage, sync_organisation
from config.district import District, parse_duration
from config.settings import Settings
from storage.db import Database
from storage.enums import UNIT_ROLES, Role


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the organisation commands."""
    p = subparsers.add_parser(
        "init",
        help="create or migrate the database and load the organisation from the config",
    )
    strict(p).set_defaults(func=cmd_init)

    p = subparsers.add_parser("invite", help="create a one-time code that binds a person to a unit")
    p.add_argument("--unit", required=True, help="unit id, e.g. dongcheng or labor")
    p.add_argument("--role", required=True, choices=[r.value for r in UNIT_ROLES])
    p.add_argument("--expires", default="7d", help="lifetime such as 7d, 24h or 30m (default 7d)")
    p.add_argument("--leader-rank", help="e.g. deputy_section: the person owes a monthly diary")
    strict(p).set_defaults(func=cmd_invite)

    p = subparsers.add_parser(
        "units", help="print the organisation as a tree with staffing against the seed's targets"
    )
    strict(p).set_defaults(func=cmd_units)


def cmd_init(_args: argparse.Namespace) -> int:
    """Migrate and load or update the organisation."""

    async def work(settings: Settings, district: District, db: Database) -> int:
        await db.migrate()
        report = await sync_organisation(db, district)
        print(f"database: {_safe_url(settings.database_url)} (schema up to date)")
        print(f"district: {district.name} from {district.source}")
        if not report.changed:
            print(f"organisation unchanged ({len(district.units)} units)")
        for label, ids in (
            ("added", report.added),
            ("updated", report.updated),
            ("reactivated", report.reactivated),
            ("deactivated", report.deactivated),
        ):
            if ids:
                print(f"{label}: {len(ids)} unit(s): {', '.join(ids)}")
        return 0

    return with_db(work, needs_schema=False)


def cmd_invite(args: argparse.Namespace) -> int:
    """Create an invite; the code is the last line printed."""
    from bot.services.invites import InviteError, create_invite

    try:
        ttl = parse_duration(args.expires)
    except ValueError as exc:
        return fail(f"--expires: {exc}")

    async def work(settings: Settings, _district: District, db: Database) -> int:
        try:
            issued = await create_invite(
                db,
                unit_id=args.unit,
                role=Role(args.role),
                ttl=ttl,
                leader_rank=args.leader_rank,
                now=(await db_clock(settings, db)).now(),
            )
        except InviteError as exc:
            if exc.reason == "unknown_unit":
                return fail(
                    f"unknown unit {args.unit!r} (see `minqing units`; run `minqing init` first)"
                )
            return fail(exc.message)
        print(f"invite for {issued.role.value} of unit {issued.unit_id}")
        print(f"expires {issued.expires_at.isoformat(timespec='minutes')}")
        print("send it in the bot: /bind CODE  (or open t.me/<bot>?start=CODE)")
        print(issued.code)
        return 0

    return with_db(work)


def cmd_units(_args: argparse.Namespace) -> int:
    """Print the organisation tree with coverage."""

    async def work(_settings: Settings, district: District, db: Database) -> int:
        report = await coverage(db, district)
        if not report.units:
            return fail("no units in the database; run `minqing init` first", code=1)
        print(render_coverage(report))
        return 0

    return with_db(work)


def render_coverage(report: Coverage) -> str:
    """The coverage report as plain text: a tree, then the district's rates."""
    lines = [f"{'unit':<60} {'staff':>9} {'officers':>9}"]
    for u in report.units:
        label = f"{'  ' * u.depth}{u.name} [{u.id}]{' (sample)' if u.sample else ''}"
        staff = _against(u.staff, u.staff_target, u.staff_ok)
        officers = _against(u.officers, u.officer_target, u.officers_ok)
        lines.append(f"{pad(label, 60)} {staff:>9} {officers:>9}")
    lines.append("")
    lines.append(f"设置率 (stations and work rooms set up):   {report.setup_rate:6.1%}")
    lines.append(f"staff target met (≥5 stations, ≥3 rooms):  {report.staff_rate:6.1%}")
    lines.append(f"配备率 (information officers staffed):     {report.officer_rate:6.1%}")
    return "\n".join(lines)


def _against(count: int, target: int | None, ok: bool | None) -> str:
    if target is None:
        return str(count) if count else "-"
    return f"{count}/{target} {'✓' if ok else '✗'}"


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
