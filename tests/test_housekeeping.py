"""Housekeeping: diary reminders on the 27th, old login tokens and update ids forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.runtime.assembly import open_runtime
from bot.runtime.housekeeping import run_housekeeping
from bot.services.clock import FakeClock
from bot.web.auth import create_login_link
from config.district import District
from config.settings import load_settings
from storage.db import Database
from storage.models import InboundUpdate, LoginToken, OutboxMessage, Person


async def test_chores_remind_leaders_once_and_forget_old_tokens_and_updates(
    db: Database, district: District
) -> None:
    # 27 November 2026, 10:00 in Shanghai: reminder day for November's 民情日.
    clock = FakeClock(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
    runtime = await open_runtime(
        load_settings({"DATABASE_URL": db.url}), clock=clock, district=district, db=db
    )
    async with db.session() as s:
        leader = Person(
            telegram_user_id=71,
            chat_id=71,
            name="王书记",
            role="chief",
            unit_id="dongcheng",
            leader_rank="deputy_section",
            created_at=clock.now() - timedelta(days=30),
        )
        s.add(leader)
        s.add(
            InboundUpdate(
                update_id=1,
                received_at=clock.now() - timedelta(days=3),
                processed_at=clock.now() - timedelta(days=3),
            )
        )
        s.add(
            InboundUpdate(
                update_id=2,
                received_at=clock.now() - timedelta(hours=1),
                processed_at=clock.now() - timedelta(hours=1),
            )
        )
    await create_login_link(db, leader.id, "http://x", now=clock.now() - timedelta(days=3))

    first = await run_housekeeping(runtime)
    assert (first.diary_reminders, first.login_tokens_purged, first.update_ids_purged) == (1, 1, 1)
    second = await run_housekeeping(runtime)
    assert (second.diary_reminders, second.login_tokens_purged, second.update_ids_purged) == (
        0,
        0,
        0,
    )
    async with db.session() as s:
        reminders = (
            await s.scalars(select(OutboxMessage.text).where(OutboxMessage.chat_id == 71))
        ).all()
        assert len(reminders) == 1 and "民情日" in reminders[0]
        assert await s.scalar(select(func.count()).select_from(LoginToken)) == 0
        kept = (await s.scalars(select(InboundUpdate.update_id))).all()
        assert list(kept) == [2]
