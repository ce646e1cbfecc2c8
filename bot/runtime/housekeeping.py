"""Periodic chores of a running service that no single request triggers.

* the monthly public-sentiment diary reminder (from the 27th, once per leader);
* forgetting used or expired dashboard login tokens;
* forgetting handled updates old enough that Telegram will not retry them, and the
  intake keys of cases filed long enough ago that no replay can come (an operator's
  requeued dead letter included).

Each chore is idempotent and safe with several instances running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.runtime.assembly import Runtime
from bot.services.diary import queue_diary_reminders
from bot.web.auth import purge_login_tokens
from storage import intake_keys
from storage.inbox import purge_handled

log = logging.getLogger(__name__)

#: Telegram retries an unanswered webhook update for a while, never for days.
KEEP_UPDATE_IDS = timedelta(days=2)
#: An update is replayed within minutes; a dead letter may be requeued by hand days later.
KEEP_INTAKE_KEYS = timedelta(days=30)


@dataclass(frozen=True)
class Chores:
    """What one round of housekeeping did."""

    diary_reminders: int
    login_tokens_purged: int
    update_ids_purged: int


async def run_diary_reminders(runtime: Runtime) -> int:
    """The diary reminder chore alone (the sandbox's 快进 runs it at the times it passes
    over; the purges wait for the clock's end, review 1, R9); how many were queued."""
    reminders = await queue_diary_reminders(
        runtime.db, runtime.clock.now(), tz=runtime.settings.timezone
    )
    if reminders:
        runtime.outbox_written()
    return len(reminders)


async def run_housekeeping(runtime: Runtime) -> Chores:
    """Do every chore once."""
    now = runtime.clock.now()
    reminders = await run_diary_reminders(runtime)
    tokens = await purge_login_tokens(runtime.db, now)
    async with runtime.db.session() as session:
        updates = await purge_handled(session, now - KEEP_UPDATE_IDS)
        await intake_keys.purge(session, now - KEEP_INTAKE_KEYS)
    return Chores(reminders, tokens, updates)


async def housekeeping_forever(runtime: Runtime, stop: asyncio.Event, interval: float) -> None:
    """Run the chores every ``interval`` seconds until ``stop`` is set; a failure is logged."""
    while not stop.is_set():
        try:
            chores = await run_housekeeping(runtime)
            if chores.diary_reminders:
                log.info("housekeeping: %d diary reminder(s) queued", chores.diary_reminders)
        except Exception:
            log.exception("housekeeping failed; trying again in %.0fs", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
