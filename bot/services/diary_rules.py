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
#: Fewest meaningful characters of an entry (letters, digits, CJK; a repeat counts once):
#: what was found on the visit, not 「走访」 alone (trial 32 D18).
MIN_CONTENT_CHARS = 6
#: Why an entry that short is refused.
TOO_SHORT = (
    f"这几个字还算不上一篇民情日记。请写明走访了谁、了解到群众的什么想法或困难、"
    f"打算怎么解决（至少{MIN_CONTENT_CHARS}个字），例如：\n"
    "/diary 走访和平社区3户困难家庭，反映楼道照明不足，已联系物业本周内维修"
)
#: What an information officer who is no leader is told instead of filing an entry.
NOT_FOR_OFFICERS = (
    "感谢您的走访！“民情日记”是全区副科级以上领导干部每月记录走访情况的制度"
    "（每月28日“民情日”），信息员不需要填写，也不计入考核。\n"
    "走访中发现的矛盾纠纷、不稳定苗头，请用 /warn 报送预警，会第一时间送到站长手中。"
)
#: Told to a writer with no leader rank (station staff, a chief not registered as a
#: leader) after the entry is saved: it is kept but counts toward no quota (fix32c).
NOT_COUNTED = (
    "您尚未登记为副科级以上领导干部：本篇已保存，但只有副科级以上领导干部的民情日记"
    "计入每月考核篇数（每月不少于1篇）。如您是副科级以上领导干部，请联系管理员登记职级。"
)
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
