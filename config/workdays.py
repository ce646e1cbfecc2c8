"""Working days and deadline lengths (hours or working days).

A deadline in ``[deadlines]`` is either calendar time (``"24h"``, ``"7d"``,
``"1d12h"``) or working days (``"5wd"``).

* **Calendar time** runs round the clock, holidays included: the short
  deadlines (acknowledge a critical warning within 1 h) are about danger and
  must not wait for Monday. It is never carried.
* **Working days** follow the national holiday calendar including the 调休
  days (weekends that are working days), from the ``chinese-calendar``
  package, with the district's ``[workdays]`` table for years the package does
  not know yet (and for local corrections). ``N`` working days after a moment
  is the same wall-clock time (district time) on the N-th working day after
  that moment's day; a moment on a non-working day counts from the next
  working day. So a working-day deadline always falls on a working day: a
  deadline that would fall in a holiday is carried to the next working day.

A year that neither the package nor the override table knows is counted with
weekends only (Saturday and Sunday off) and logged once: a deadline is never
refused for want of a calendar.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger(__name__)

_WD_RE = re.compile(r"^(\d+)wd$")
_warned_years: set[int] = set()


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days.

    Attributes:
        holidays: days off that the package does not know (or gets wrong).
        workdays: working days that the package does not know (调休 weekends).
        tz: the district's time zone (days are counted in it).
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (override table first, then the package)."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            if day.year not in _warned_years:
                _warned_years.add(day.year)
                log.warning(
                    "no holiday calendar for %d: counting weekends only "
                    "(add the year to [workdays] in the district config)",
                    day.year,
                )
            return day.weekday() < 5

    def add_workdays(self, start: datetime, days: int) -> datetime:
        """The same district wall-clock time, ``days`` working days after ``start``'s day."""
        local = start.astimezone(self.tz)
        day = local.date()
        left = days
        while left > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        at: time = local.timetz().replace(tzinfo=None)
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(start.tzinfo)


DEFAULT_CALENDAR = WorkCalendar()


@dataclass(frozen=True)
class Span:
    """A deadline's length: calendar time or working days.

    ``moment + span`` is the deadline (``datetime + Span``).
    """

    delta: timedelta | None = None
    working_days: int = 0
    calendar: WorkCalendar = DEFAULT_CALENDAR

    def __post_init__(self) -> None:
        if (self.delta is None) == (self.working_days <= 0):
            raise ValueError("a span is either a positive delta or a positive number of days")

    def __radd__(self, start: datetime) -> datetime:
        if self.delta is not None:
            return start + self.delta
        return self.calendar.add_workdays(start, self.working_days)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, timedelta):
            return self.delta == other
        if isinstance(other, Span):
            return (self.delta, self.working_days) == (other.delta, other.working_days)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.delta, self.working_days))

    def _key(self, other: object) -> timedelta | None:
        if isinstance(other, Span):
            return other.nominal
        if isinstance(other, timedelta):
            return other
        return None

    # Ordering is by the nominal length (a working day counted as a day): which
    # deadline class is shorter, not the exact deadline of a given moment.
    def __lt__(self, other: object) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return self.nominal < key

    def __le__(self, other: object) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return self.nominal <= key

    def __gt__(self, other: object) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return self.nominal > key

    def __ge__(self, other: object) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return self.nominal >= key

    @property
    def nominal(self) -> timedelta:
        """A calendar length for display and ordering (a working day counted as a day)."""
        return self.delta if self.delta is not None else timedelta(days=self.working_days)

    def label(self) -> str:
        """``5个工作日`` for working days, else empty (callers format the delta)."""
        return f"{self.working_days}个工作日" if self.delta is None else ""


def parse_span(
    text: str, calendar: WorkCalendar, parse_duration: Callable[[str], timedelta]
) -> Span:
    """``"5wd"`` → working days; anything else through ``parse_duration``.

    Raises:
        ValueError: neither form.
    """
    match = _WD_RE.match(text.strip())
    if match is not None:
        days = int(match.group(1))
        if days <= 0:
            raise ValueError(f"working days must be positive: {text!r}")
        return Span(working_days=days, calendar=calendar)
    return Span(delta=parse_duration(text), calendar=calendar)


def parse_overrides(raw: Mapping[str, object], key: str) -> frozenset[date]:
    """A list of ``YYYY-MM-DD`` strings (or TOML dates) → dates.

    Raises:
        ValueError: an entry is not a date.
    """
    values = raw.get(key, [])
    if not isinstance(values, list):
        raise ValueError("must be a list of dates")
    out: set[date] = set()
    for v in values:
        if isinstance(v, date) and not isinstance(v, datetime):
            out.add(v)
        elif isinstance(v, str):
            out.add(date.fromisoformat(v))
        else:
            raise ValueError(f"not a date: {v!r}")
    return frozenset(out)
