"""The public-sentiment diary (民情日记) as a service.

The seed (section 11) asks every leader of deputy-section rank or above to keep
a diary of what they learn visiting people, at least one entry a month, tied to
the visiting day on the 28th of each month (民情日).

Rules these modules apply:

* **Who may write.** Staff members, chiefs and admins bound to a unit may file
  entries, from the bot, the dashboard or the CLI; the channel is recorded. Only
  people with ``leader_rank`` set *owe* entries, so only they appear in
  :func:`compliance`. An information officer (信息员) is no leader: unless given a
  leader rank they are told kindly that the diary is not theirs and pointed to
  /warn, instead of an entry that counts nowhere (trial 32 D18).
* **What an entry is.** What the visit found, in at least
  :data:`MIN_CONTENT_CHARS` meaningful characters: 「走访」 alone is no 民情日记.
* **Which month an entry counts for.** Its visiting day (``visited_on``), a
  calendar date in the district's time zone. The visiting day may not be in
  the future, nor more than :data:`MAX_BACKDATE_DAYS` days back (a late entry
  for last month's 民情日 is fine, rewriting last year's record is not).
* **Who is assessed for a month.** Active leaders whose person record existed
  before the month ended.
* **The reminder.** From the 27th at :data:`REMINDER_HOUR` o'clock (district
  time) until the month ends, leaders without an entry that month are reminded
  once — at most one reminder per leader and month, recorded in ``bot_state``
  (kind ``diary_reminder``) in the same transaction as the outbox message.

The ground rules (limits, months, :class:`DiaryError`) are in
:mod:`bot.services.diary_rules`, compliance in :mod:`bot.services.diary_compliance`,
the reminder in :mod:`bot.services.diary_reminders`; this module files and lists
entries and re-exports the rest, so callers import everything from here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.diary_compliance import (
    DiaryCompliance,
    LeaderCompliance,
    compliance,
    leaders_missing_entry,
)
from bot.services.diary_reminders import (
    REMINDER_DAY,
    REMINDER_HOUR,
    REMINDER_STATE_KIND,
    DiaryReminder,
    pending_reminders,
    queue_diary_reminders,
    reminder_due,
    reminder_text,
)
from bot.services.diary_rules import (
    DIARY_DAY,
    DISTRICT_TZ,
    MAX_BACKDATE_DAYS,
    MAX_CONTENT_CHARS,
    MIN_CONTENT_CHARS,
    MIN_ENTRIES_PER_MONTH,
    NOT_COUNTED,
    NOT_FOR_OFFICERS,
    TOO_SHORT,
    DiaryError,
    local_today,
    month_of,
    parse_month,
)
from bot.services.lifecycle_rules import meaningful_length
from storage import diary as store
from storage.db import Database
from storage.enums import Channel, Role
from storage.models import DiaryEntry, Person, utcnow
from storage.org import get_person

__all__ = [
    "DIARY_DAY",
    "DISTRICT_TZ",
    "MAX_BACKDATE_DAYS",
    "MAX_CONTENT_CHARS",
    "MIN_CONTENT_CHARS",
    "MIN_ENTRIES_PER_MONTH",
    "NOT_COUNTED",
    "NOT_FOR_OFFICERS",
    "REMINDER_DAY",
    "REMINDER_HOUR",
    "REMINDER_STATE_KIND",
    "TOO_SHORT",
    "DiaryCompliance",
    "DiaryError",
    "DiaryReminder",
    "LeaderCompliance",
    "add_entry",
    "compliance",
    "counts_toward_quota",
    "keeps_diary",
    "leaders_missing_entry",
    "list_entries",
    "local_today",
    "may_keep_diary",
    "month_of",
    "parse_month",
    "pending_reminders",
    "queue_diary_reminders",
    "reminder_due",
    "reminder_text",
    "validate_entry",
]


def validate_entry(content: str, visited_on: date, *, today: date) -> str:
    """Check an entry's text and visiting day; return the text stripped.

    Raises:
        DiaryError: ``empty``, ``too_long``, ``future_date`` or ``too_old``.
    """
    text = content.strip()
    if not text:
        raise DiaryError("empty", "日记内容不能为空，请写下走访了解到的情况。")
    if len(text) > MAX_CONTENT_CHARS:
        raise DiaryError(
            "too_long",
            f"日记内容过长（{len(text)} 字），请控制在 {MAX_CONTENT_CHARS} 字以内。",
        )
    if visited_on > today:
        raise DiaryError("future_date", "走访日期不能晚于今天。")
    if visited_on < today - timedelta(days=MAX_BACKDATE_DAYS):
        raise DiaryError(
            "too_old", f"走访日期不能早于 {MAX_BACKDATE_DAYS} 天前，请填写最近一次走访的日期。"
        )
    if meaningful_length(text) < MIN_CONTENT_CHARS:
        raise DiaryError("too_short", TOO_SHORT)
    return text


def keeps_diary(person: Person) -> bool:
    """Whether ``person`` keeps a 民情日记: staff, chiefs and admins; an information
    officer only with a leader rank (the seed: 副科级以上领导干部)."""
    return person.role != Role.OFFICER or bool(person.leader_rank)


async def counts_toward_quota(db: Database, person_id: int) -> bool:
    """Whether ``person_id``'s entries count toward the monthly quota: only a leader's
    (``leader_rank`` set, the seed's 副科级以上领导干部), as :func:`compliance` counts.
    A writer for whom this is False is told :data:`NOT_COUNTED` (the entry is kept)."""
    async with db.session() as session:
        person = await get_person(session, person_id)
        return person is not None and bool(person.leader_rank)


async def may_keep_diary(db: Database, person_id: int) -> bool:
    """:func:`keeps_diary` of a stored person (False if unknown)."""
    async with db.session() as session:
        person = await get_person(session, person_id)
        return person is not None and keeps_diary(person)


async def add_entry(
    db: Database,
    *,
    author_id: int,
    visited_on: date,
    content: str,
    channel: Channel,
    now: datetime | None = None,
    tz: ZoneInfo = DISTRICT_TZ,
) -> DiaryEntry:
    """File a diary entry for ``author_id``.

    Args:
        db: The database.
        author_id: The person writing (must be bound to a unit).
        visited_on: The visiting day, district calendar.
        content: The entry's text (stripped; 1..MAX_CONTENT_CHARS characters).
        channel: Where it was written (bot, dashboard, CLI).
        now: The current time (default: the system clock).
        tz: The district's time zone, which decides what "today" is.

    Returns:
        The stored entry.

    Raises:
        DiaryError: invalid text or date, unknown author, or an author who is
            not bound to a unit.
    """
    now = now or utcnow()
    async with db.session() as session:
        person = await get_person(session, author_id)
        if person is None or not person.active:
            raise DiaryError("unknown_person", "找不到您的账号，请联系管理员。")
        if person.unit_id is None or person.role == Role.CITIZEN:
            raise DiaryError("not_bound", "只有已绑定单位的干部和工作人员才能填写民情日记。")
        if not keeps_diary(person):
            raise DiaryError("not_leader", NOT_FOR_OFFICERS)
        text = validate_entry(content, visited_on, today=local_today(now, tz))
        return await store.add_entry(
            session,
            author_id=author_id,
            visited_on=visited_on,
            content=text,
            channel=channel.value,
            created_at=now,
        )


async def list_entries(
    db: Database,
    *,
    author_id: int | None = None,
    month: str | None = None,
    limit: int = 100,
) -> list[DiaryEntry]:
    """Entries, newest visit first, optionally one author's and/or one month's.

    Raises:
        DiaryError: ``bad_month``.
    """
    start, end = parse_month(month) if month is not None else (None, None)
    async with db.session() as session:
        return await store.list_entries(
            session,
            start=start,
            end=end,
            author_ids=None if author_id is None else [author_id],
            limit=limit,
        )
