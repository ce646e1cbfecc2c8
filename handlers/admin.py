"""Administrators: invite codes and the network's coverage.

``/invite UNIT ROLE`` creates a one-time code (shown once, stored hashed) and a
deep link ``https://t.me/<bot>?start=CODE`` that binds whoever opens it;
``/units`` summarises coverage against the seed's targets.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot.services import notifications as nt
from bot.services.invites import InviteError, create_invite
from bot.services.organisation import coverage
from bot.services.people import PersonInfo
from handlers import texts
from handlers.base import PRIVATE, App, BotContext, reply, who

log = logging.getLogger(__name__)


async def _admin(update: Update, context: BotContext) -> PersonInfo | None:
    person = await who(update, context)
    if person is None:
        return None
    if not person.is_admin:
        log.warning("admin command refused for person %s (%s)", person.id, person.role.value)
        await reply(update, texts.ADMIN_ONLY)
        return None
    return person


def _find_unit(context: BotContext, word: str) -> str | None:
    """A unit id from an id or an exact unit name."""
    units = context.runtime.district.units
    if word in units:
        return word
    lowered = word.lower()
    if lowered in units:
        return lowered
    return next((u.id for u in units.values() if u.name == word), None)


async def invite(update: Update, context: BotContext) -> None:
    """/invite UNIT ROLE."""
    person = await _admin(update, context)
    if person is None:
        return
    args = context.args or []
    if len(args) != 2:
        await reply(update, texts.INVITE_USAGE)
        return
    unit_id = _find_unit(context, args[0])
    role = texts.ROLE_WORDS.get(args[1].lower()) or texts.ROLE_WORDS.get(args[1])
    if unit_id is None:
        await reply(update, f"没有找到单位“{args[0][:40]}”。\n\n{texts.INVITE_USAGE}")
        return
    if role is None:
        await reply(update, f"没有“{args[1][:20]}”这个角色。\n\n{texts.INVITE_USAGE}")
        return
    runtime = context.runtime
    try:
        issued = await create_invite(
            runtime.db,
            unit_id=unit_id,
            role=role,
            created_by_id=person.id,
            now=runtime.clock.now(),
        )
    except InviteError as exc:
        await reply(update, exc.message)
        return
    username = context.bot.username if context.bot.username else None
    link = f"https://t.me/{username}?start={issued.code}" if username else None
    log.info("invite for %s as %s created by person %s", unit_id, role.value, person.id)
    await reply(
        update,
        texts.invite_issued(
            issued.code,
            runtime.district.units[unit_id],
            role,
            nt.fmt_time(issued.expires_at, runtime.settings.timezone),
            link,
        ),
    )


async def units(update: Update, context: BotContext) -> None:
    """/units: coverage summary."""
    if await _admin(update, context) is None:
        return
    runtime = context.runtime
    cov = await coverage(runtime.db, runtime.district)
    await reply(update, texts.coverage_summary(cov, runtime.district))


def register(application: App) -> None:
    """Add /invite and /units."""
    application.add_handler(CommandHandler("invite", invite, filters=PRIVATE))
    application.add_handler(CommandHandler("units", units, filters=PRIVATE))
