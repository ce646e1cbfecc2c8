"""CLI commands for the web side: ``apikey`` (Open311 keys) and ``diary`` (民情日记)."""

from __future__ import annotations

import argparse
from datetime import date

from bot.cli.common import db_clock, fail, pad, with_db
from bot.services.diary import (
    NOT_COUNTED,
    DiaryError,
    add_entry,
    compliance,
    local_today,
    month_of,
)
from bot.web.api_keys import (
    ApiKeyError,
    create_api_key,
    list_api_keys,
    revoke_api_key,
    verify_api_key,
)
from config.district import District
from config.settings import Settings
from storage.db import Database
from storage.enums import Channel
from storage.org import get_person_by_telegram_id


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``apikey`` and ``diary`` commands."""
    p = subparsers.add_parser("apikey", help="create, list and revoke Open311 API keys")
    actions = p.add_subparsers(dest="apikey_action", metavar="ACTION", required=True)
    a = actions.add_parser("create", help="create a key; it is printed once, on the last line")
    a.add_argument("name", help="who the key is for, e.g. '12345 hotline'")
    a.set_defaults(func=cmd_apikey_create)
    a = actions.add_parser("list", help="list keys (never the keys themselves)")
    a.set_defaults(func=cmd_apikey_list)
    a = actions.add_parser("revoke", help="revoke a key by its id")
    a.add_argument("id", type=int, help="the key's id (see `minqing apikey list`)")
    a.set_defaults(func=cmd_apikey_revoke)

    p = subparsers.add_parser("diary", help="the public-sentiment diary (民情日记)")
    actions = p.add_subparsers(dest="diary_action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="file a diary entry for a person")
    a.add_argument("--person", required=True, type=int, metavar="TELEGRAM_ID")
    a.add_argument("--date", help="visiting day YYYY-MM-DD (default: today, district time)")
    a.add_argument("text", nargs="+", help="the entry")
    a.set_defaults(func=cmd_diary_add)
    a = actions.add_parser("compliance", help="each leader's entries in a month (≥1 required)")
    a.add_argument("--month", help="YYYY-MM (default: this month, district time)")
    a.add_argument("--unit", help="only this unit and the units below it")
    a.set_defaults(func=cmd_diary_compliance)


def cmd_apikey_create(args: argparse.Namespace) -> int:
    """Create an API key; the key is the last line printed."""

    async def work(_settings: Settings, _district: District, db: Database) -> int:
        try:
            key = await create_api_key(db, args.name)
        except ApiKeyError as exc:
            return fail(f"NAME: {exc.message}")
        row = await verify_api_key(db, key)
        assert row is not None
        print(f"API key {row.id} for {row.name!r} created.")
        print("It is shown only this once; send it as the api_key parameter of Open311 requests.")
        print(key)
        return 0

    return with_db(work)


def cmd_apikey_list(_args: argparse.Namespace) -> int:
    """Print every API key's id, state, creation time and name."""

    async def work(_settings: Settings, _district: District, db: Database) -> int:
        keys = await list_api_keys(db)
        if not keys:
            print("no API keys; create one with `minqing apikey create NAME`")
            return 0
        print(f"{'id':>4}  {'state':<25}  {'created':<16}  name")
        for k in keys:
            state = (
                "active"
                if k.revoked_at is None
                else f"revoked {k.revoked_at.isoformat(timespec='minutes')[:16]}"
            )
            created = k.created_at.isoformat(timespec="minutes")[:16]
            print(f"{k.id:>4}  {state:<25}  {created:<16}  {k.name}")
        return 0

    return with_db(work)


def cmd_apikey_revoke(args: argparse.Namespace) -> int:
    """Revoke an API key by id (revoking twice is not an error)."""

    async def work(_settings: Settings, _district: District, db: Database) -> int:
        try:
            row = await revoke_api_key(db, args.id)
        except ApiKeyError:
            return fail(f"unknown API key id {args.id} (see `minqing apikey list`)")
        when = row.revoked_at.isoformat(timespec="minutes") if row.revoked_at else "?"
        print(f"API key {row.id} ({row.name}) revoked at {when}")
        return 0

    return with_db(work)


def cmd_diary_add(args: argparse.Namespace) -> int:
    """File a diary entry on behalf of a person, identified by Telegram id."""
    visited: date | None = None
    if args.date is not None:
        try:
            visited = date.fromisoformat(args.date)
        except ValueError:
            return fail(f"--date: not a date like 2024-05-28: {args.date!r}")

    async def work(settings: Settings, _district: District, db: Database) -> int:
        async with db.session() as session:
            person = await get_person_by_telegram_id(session, args.person)
        if person is None:
            return fail(f"--person: nobody with Telegram id {args.person}")
        now = (await db_clock(settings, db)).now()
        day = visited or local_today(now, settings.timezone)
        try:
            entry = await add_entry(
                db,
                author_id=person.id,
                now=now,
                visited_on=day,
                content=" ".join(args.text),
                channel=Channel.CLI,
                tz=settings.timezone,
            )
        except DiaryError as exc:
            return fail(exc.message)
        print(f"diary entry {entry.id} by {person.name or person.id} for {entry.visited_on}")
        if not person.leader_rank:
            print(f"note: {NOT_COUNTED}")
        return 0

    return with_db(work)


def cmd_diary_compliance(args: argparse.Namespace) -> int:
    """Print each leader's entry count in a month and the compliance rate."""

    async def work(settings: Settings, _district: District, db: Database) -> int:
        today = local_today((await db_clock(settings, db)).now(), settings.timezone)
        month = args.month or month_of(today)
        try:
            report = await compliance(db, month, args.unit, tz=settings.timezone)
        except DiaryError as exc:
            return fail(exc.message)
        print(f"民情日记 {report.month}" + (f" ({report.unit_id})" if report.unit_id else ""))
        for row in report.leaders:
            label = f"{row.name or row.person_id} [{row.unit_name or row.unit_id or '-'}]"
            print(f"{pad(label, 50)} {row.entries:>3} {'✓' if row.met else '✗'}")
        rate = "-" if report.rate is None else f"{report.rate:.1%}"
        print(f"leaders with ≥1 entry: {report.met_count}/{report.leader_count} ({rate})")
        return 0

    return with_db(work)
