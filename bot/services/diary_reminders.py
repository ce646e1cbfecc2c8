"""Diary reminders: from the 27th, leaders without an entry this month are reminded once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.diary_rules import (
    DIARY_DAY,
    DISTRICT_TZ,
    MIN_ENTRIES_PER_MONTH,
    local_today,
    month_of,
    parse_month,
)
from storage import diary as store
from storage.db import Database
from storage.outbox import enqueue
from storage.state import get_state, put_state

#: Leaders are reminded from this day of the month ...
REMINDER_DAY = 27
#: ... at this hour, district time.
REMINDER_HOUR = 9
#: ``bot_state`` kind that records sent reminders (name = month, key = person id).
REMINDER_STATE_KIND = "diary_reminder"


def reminder_due(now: datetime, tz: ZoneInfo = DISTRICT_TZ) -> str | None:
    """The month whose diary reminder is due at ``now``, or None.

    Due from the 27th at :data:`REMINDER_HOUR` o'clock (district time) to the
    end of the month, so that a scheduler that was down on the 27th still
    reminds on the 28th; :func:`queue_diary_reminders` sends each leader one
    reminder a month at most.
    """
    local = now.astimezone(tz)
    if local.day > REMINDER_DAY or (local.day == REMINDER_DAY and local.hour >= REMINDER_HOUR):
        return month_of(local.date())
    return None


def reminder_text(name: str, today: date) -> str:
    """The reminder a leader without an entry this month receives (Chinese)."""
    greeting = f"{name}同志，您好！" if name.strip() else "您好！"
    m = today.month
    if today.day < DIARY_DAY:
        when = f"明天（{m}月{DIARY_DAY}日）是“民情日”。"
        ask = "请结合走访，"
    elif today.day == DIARY_DAY:
        when = f"今天（{m}月{DIARY_DAY}日）是“民情日”。"
        ask = "请结合今天的走访，"
    else:
        when = f"本月{DIARY_DAY}日“民情日”已过。"
        ask = "请在月底前补记，"
    return (
        f"【民情日记提醒】{greeting}{when}"
        f"您{m}月份的民情日记还没有记录。"
        f"按照规定，副科级以上领导干部每月“民情日记”不少于{MIN_ENTRIES_PER_MONTH}篇。"
        f"{ask}把了解到的群众所想、所需、所盼和解决问题的方案记录下来。"
        "可在机器人中或网页工作台填写。"
    )


@dataclass(frozen=True)
class DiaryReminder:
    """One reminder to send."""

    person_id: int
    chat_id: int
    name: str
    month: str
    text: str


async def pending_reminders(
    db: Database, now: datetime, *, tz: ZoneInfo = DISTRICT_TZ
) -> list[DiaryReminder]:
    """Who would be reminded at ``now`` (nothing is written).

    Empty when no reminder is due. Leaders without a chat, or who blocked the
    bot, are left out; so are those already reminded this month.
    """
    async with db.session() as session:
        return await _collect(session, now, tz, record=False)


async def queue_diary_reminders(
    db: Database, now: datetime, *, tz: ZoneInfo = DISTRICT_TZ
) -> list[DiaryReminder]:
    """Queue this month's diary reminders, once per leader and month.

    In one transaction: find the leaders who are due a reminder, record each
    in ``bot_state`` and add an outbox message for each. Safe to call as often
    as the scheduler likes. On PostgreSQL, two instances racing may make one
    of them fail with an ``IntegrityError`` and roll back; nothing is sent
    twice.

    Returns:
        The reminders queued now (empty when none is due or all were sent).
    """
    async with db.session() as session:
        return await _collect(session, now, tz, record=True)


async def _collect(
    session: AsyncSession, now: datetime, tz: ZoneInfo, *, record: bool
) -> list[DiaryReminder]:
    month = reminder_due(now, tz)
    if month is None:
        return []
    start, end = parse_month(month)
    leaders = await store.list_leaders(session, created_before=now)
    counts = await store.count_entries_by_author(
        session, start, end, author_ids=[p.id for p in leaders]
    )
    today = local_today(now, tz)
    out: list[DiaryReminder] = []
    for person in leaders:
        if counts.get(person.id, 0) >= MIN_ENTRIES_PER_MONTH:
            continue
        if person.chat_id is None or person.blocked_at is not None:
            continue
        key = str(person.id)
        if await get_state(session, REMINDER_STATE_KIND, month, key) is not None:
            continue
        reminder = DiaryReminder(
            person_id=person.id,
            chat_id=person.chat_id,
            name=person.name,
            month=month,
            text=reminder_text(person.name, today),
        )
        if record:
            await put_state(session, REMINDER_STATE_KIND, month, key, {"sent_at": now.isoformat()})
            await enqueue(
                session, chat_id=person.chat_id, text=reminder.text, person_id=person.id, now=now
            )
        out.append(reminder)
    return out
