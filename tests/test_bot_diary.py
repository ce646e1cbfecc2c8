"""/diary through the real bot: a leader writes the month's public-sentiment diary."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.services.diary import compliance
from config.district import District
from storage.enums import Role
from storage.models import DiaryEntry, Person
from tests.botkit import sqlite_bot


async def test_a_leader_writes_the_diary_and_compliance_counts_it(
    sqlite_url: str, district: District
) -> None:
    async with sqlite_bot(sqlite_url, district) as kit:
        # 28 November 2026, 民情日, 10:00 in Shanghai.
        kit.clock.set(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
        citizen = kit.user(8101, "群众")
        assert "绑定单位" in (await kit.say(citizen, "/diary 今天走访", "绑定")).content

        chief = kit.user(8102, "周站长")
        await kit.bind(chief, "dongcheng", Role.CHIEF)
        async with kit.db.session() as s:
            person = await s.scalar(select(Person).where(Person.telegram_user_id == 8102))
            assert person is not None
            person.leader_rank = "deputy_section"
            person.created_at = datetime(2026, 10, 1, tzinfo=UTC)

        empty = await kit.say(chief, "/diary", "本月")
        assert "0 篇" in empty.content and "/diary 2026-11-28" in empty.content
        done = await kit.say(chief, "/diary 走访和平社区3户困难家庭，反映楼道照明问题", "已记入")
        assert "2026年11月28日" in done.content and "1 篇" in done.content
        earlier = await kit.say(chief, "/diary 11-20 到阳光小区了解物业纠纷", "已记入")
        assert "2026年11月20日" in earlier.content and "2 篇" in earlier.content
        future = await kit.say(chief, "/diary 2026-12-05 还没去", "")
        bad_date = await kit.say(chief, "/diary 2026-02-30 不存在的日子", "日期")
        assert "已记入" not in future.content and "日期格式不对" in bad_date.content

        async with kit.db.session() as s:
            entries = (await s.scalars(select(DiaryEntry).order_by(DiaryEntry.visited_on))).all()
        assert [(e.visited_on.day, e.channel) for e in entries] == [
            (20, "telegram"),
            (28, "telegram"),
        ]
        report = await compliance(kit.db, "2026-11")
        [leader] = [row for row in report.leaders if row.name == "周站长"]
        assert leader.entries == 2 and leader.met
