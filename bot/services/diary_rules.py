"""The public-sentiment diary's ground rules: limits, the visiting day, months, errors.

Shared by :mod:`bot.services.diary` (entries), :mod:`bot.services.diary_compliance` and
:mod:`bot.services.diary_reminders`; import these names from :mod:`bot.services.diary`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from config.settings import DEFAULT_TIMEZONE

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
