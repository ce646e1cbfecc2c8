"""The public-sentiment diary (民情日记) as a service.

The seed (section 11) asks every leader of deputy-section rank or above to keep
a diary of what they learn visiting people, at least one entry a month, tied to
the visiting day on the 28th of each month (民情日).

Rules this module applies:

* **Who may write.** Anyone bound to a unit (an officer, staff member, chief or
  admin; not a citizen) may file entries, from the bot, the dashboard or the
  CLI; the channel is recorded. Only people with ``leader_rank`` set *owe*
  entries, so only they appear in :func:`compliance`.
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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import DEFAULT_TIMEZONE
from storage import diary as store
from storage.db import Database
from storage.enums import Channel, Role
from storage.models import DiaryEntry, Person, utcnow
from storage.org import get_person
from storage.outbox import enqueue
from storage.state import get_state, put_state

#: The district's time zone unless a caller passes ``Settings.timezone``.
DISTRICT_TZ = ZoneInfo(DEFAULT_TIMEZONE)
#: Longest entry accepted, in characters.
MAX_CONTENT_CHARS = 5000
#: How many days back a visiting day may lie.
MAX_BACKDATE_DAYS = 31
#: Entries a leader owes each month (seed: 每月“民情日记”不少于1篇).
MIN_ENTRIES_PER_MONTH = 1
#: The monthly visiting day (民情日).
DIARY_DAY = 28
#: Leaders are reminded from this day of the month ...
REMINDER_DAY = 27
#: ... at this hour, district time.
REMINDER_HOUR = 9
#: ``bot_state`` kind that records sent reminders (name = month, key = person id).
REMINDER_STATE_KIND = "diary_reminder"

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class DiaryError(Exception):
    """A diary request cannot be carried out.

    Attributes:
        reason: A stable machine-readable reason (``empty``, ``too_long``,
            ``future_date``, ``too_old``, ``unknown_person``, ``not_bound``,
            ``bad_month``, ``unknown_unit``).
        message: What to tell the user, in Chinese.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}")


def parse_month(month: str) -> tuple[date, date]:
    """The first day of ``month`` (``YYYY-MM``) and the first day of the next.

    Raises:
        DiaryError: ``bad_month`` when the text is not a month.
    """
    match = _MONTH_RE.match(month.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise DiaryError("bad_month", f"月份格式应为 YYYY-MM，例如 2024-05，而不是 {month!r}。")
    start = date(int(match.group(1)), int(match.group(2)), 1)
    return start, _next_month(start)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_of(when: date) -> str:
    """The ``YYYY-MM`` month a date falls in."""
    return f"{when.year:04d}-{when.month:02d}"


def local_today(now: datetime, tz: ZoneInfo = DISTRICT_TZ) -> date:
    """The calendar date in the district at ``now``."""
    return now.astimezone(tz).date()


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
    return text


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
    text = validate_entry(content, visited_on, today=local_today(now, tz))
    async with db.session() as session:
        person = await get_person(session, author_id)
        if person is None or not person.active:
            raise DiaryError("unknown_person", "找不到您的账号，请联系管理员。")
        if person.unit_id is None or person.role == Role.CITIZEN:
            raise DiaryError("not_bound", "只有已绑定单位的干部和工作人员才能填写民情日记。")
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


@dataclass(frozen=True)
class LeaderCompliance:
    """One leader's diary in one month."""

    person_id: int
    name: str
    leader_rank: str
    unit_id: str | None
    unit_name: str
    entries: int

    @property
    def met(self) -> bool:
        """Whether the leader wrote at least the monthly minimum."""
        return self.entries >= MIN_ENTRIES_PER_MONTH


@dataclass(frozen=True)
class DiaryCompliance:
    """Diary compliance of the leaders of a month (and of a part of the tree)."""

    month: str
    unit_id: str | None
    leaders: list[LeaderCompliance]

    @property
    def leader_count(self) -> int:
        """How many leaders are assessed."""
        return len(self.leaders)

    @property
    def met_count(self) -> int:
        """How many of them met the rule."""
        return sum(1 for leader in self.leaders if leader.met)

    @property
    def missing(self) -> list[LeaderCompliance]:
        """The leaders who did not."""
        return [leader for leader in self.leaders if not leader.met]

    @property
    def total_entries(self) -> int:
        """Entries by the assessed leaders that month."""
        return sum(leader.entries for leader in self.leaders)

    @property
    def rate(self) -> float | None:
        """Share of leaders who met the rule; None when there is no leader to assess."""
        return self.met_count / len(self.leaders) if self.leaders else None


def _subtree(parents: dict[str, tuple[str | None, str]], root: str) -> set[str]:
    children: dict[str | None, list[str]] = {}
    for unit_id, (parent_id, _name) in parents.items():
        children.setdefault(parent_id, []).append(unit_id)
    found: set[str] = set()
    stack = [root]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


async def compliance(
    db: Database,
    month: str,
    unit_id: str | None = None,
    *,
    tz: ZoneInfo = DISTRICT_TZ,
) -> DiaryCompliance:
    """Each leader's entry count in ``month`` and whether they met the ≥1 rule.

    Args:
        db: The database.
        month: ``YYYY-MM``.
        unit_id: Only leaders of this unit and the units below it (None: all).
        tz: The district's time zone (decides when the month ended).

    Raises:
        DiaryError: ``bad_month`` or ``unknown_unit``.
    """
    start, end = parse_month(month)
    month_end = datetime.combine(end, time(0), tzinfo=tz).astimezone(UTC)
    async with db.session() as session:
        parents = await store.unit_parents(session)
        unit_ids: set[str] | None = None
        if unit_id is not None:
            if unit_id not in parents:
                raise DiaryError("unknown_unit", f"没有编号为 {unit_id} 的单位。")
            unit_ids = _subtree(parents, unit_id)
        leaders = await store.list_leaders(session, unit_ids=unit_ids, created_before=month_end)
        counts = await store.count_entries_by_author(
            session, start, end, author_ids=[p.id for p in leaders]
        )
    return DiaryCompliance(
        month=month_of(start),
        unit_id=unit_id,
        leaders=[_leader_row(p, counts.get(p.id, 0), parents) for p in leaders],
    )


def _leader_row(
    person: Person, entries: int, parents: dict[str, tuple[str | None, str]]
) -> LeaderCompliance:
    unit_name = parents[person.unit_id][1] if person.unit_id in parents else ""
    return LeaderCompliance(
        person_id=person.id,
        name=person.name,
        leader_rank=person.leader_rank or "",
        unit_id=person.unit_id,
        unit_name=unit_name,
        entries=entries,
    )


async def leaders_missing_entry(
    db: Database, month: str, unit_id: str | None = None, *, tz: ZoneInfo = DISTRICT_TZ
) -> list[LeaderCompliance]:
    """The leaders with no entry in ``month`` (see :func:`compliance`)."""
    return (await compliance(db, month, unit_id, tz=tz)).missing


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
