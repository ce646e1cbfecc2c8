"""Working-day deadlines across 国庆 and 春节 with their 调休 days, and the config's overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.services.notifications import fmt_duration
from config.district import ConfigError, load_district
from config.workdays import Span, WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
DEFAULT_TOML = Path(__file__).resolve().parents[1] / "config" / "district.toml"
CAL = WorkCalendar()


def sh(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def wd(n: int, calendar: WorkCalendar = CAL) -> Span:
    return Span(working_days=n, calendar=calendar)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # 国庆 2026: 10-01..10-07 off; Sun 09-20 and Sat 10-10 are 调休 working days.
        (sh(2026, 9, 18, 10), 1, sh(2026, 9, 20, 10)),  # Fri → the 调休 Sunday
        (sh(2026, 9, 30, 17), 1, sh(2026, 10, 8, 17)),  # carried over the whole holiday
        (sh(2026, 9, 30, 17), 3, sh(2026, 10, 10, 17)),  # the 调休 Saturday counts
        (sh(2026, 9, 30, 17), 4, sh(2026, 10, 12, 17)),  # Sunday 10-11 does not
        (sh(2026, 10, 3, 9), 1, sh(2026, 10, 8, 9)),  # filed on a holiday
        # 春节 2026: 02-15..02-23 off; Sat 02-14 and Sat 02-28 are 调休 working days.
        (sh(2026, 2, 13, 10), 1, sh(2026, 2, 14, 10)),
        (sh(2026, 2, 13, 10), 2, sh(2026, 2, 24, 10)),
        (sh(2026, 2, 20, 23, 30), 1, sh(2026, 2, 24, 23, 30)),
        (sh(2026, 2, 24, 9), 4, sh(2026, 2, 28, 9)),  # ends on the 调休 Saturday
        # An ordinary week: Friday + 1 working day is Monday.
        (sh(2026, 3, 6, 15), 1, sh(2026, 3, 9, 15)),
    ],
)
def test_working_days_follow_the_national_calendar(
    start: datetime, days: int, due: datetime
) -> None:
    assert start + wd(days) == due
    assert (start.astimezone(UTC) + wd(days)).astimezone(SH) == due  # zone-independent


def test_calendar_time_runs_through_holidays() -> None:
    # A critical warning on the first night of 国庆 is due an hour later, not on 10-08.
    assert sh(2026, 10, 1, 2) + Span(delta=timedelta(hours=1)) == sh(2026, 10, 1, 3)
    assert sh(2026, 10, 1, 2) + Span(delta=timedelta(days=7)) == sh(2026, 10, 8, 2)


def test_override_table_for_a_year_the_package_does_not_know() -> None:
    known = WorkCalendar()
    # Without overrides 2027 is counted with weekends only: Fri 10-01 is a working day.
    assert sh(2027, 9, 30, 10) + wd(1, known) == sh(2027, 10, 1, 10)
    national_day = frozenset(date(2027, 10, d) for d in range(1, 8))
    calendar = WorkCalendar(holidays=national_day, workdays=frozenset({date(2027, 10, 9)}))
    assert sh(2027, 9, 30, 10) + wd(1, calendar) == sh(2027, 10, 8, 10)
    assert sh(2027, 9, 30, 10) + wd(2, calendar) == sh(2027, 10, 9, 10)  # 调休 Saturday
    assert sh(2027, 9, 30, 10) + wd(3, calendar) == sh(2027, 10, 11, 10)


def _config(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_TOML.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "district.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_config_reads_working_days_and_overrides(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        'resolve = "7d"\n',
        'resolve = "5wd"\n',
    )
    text = path.read_text(encoding="utf-8").replace(
        "holidays = []\nworkdays = []",
        'holidays = ["2027-10-01", 2027-10-04]\nworkdays = ["2027-10-09"]',
    )
    path.write_text(text, encoding="utf-8")
    district = load_district(path)
    resolve = district.deadlines["normal"].resolve
    assert resolve.working_days == 5 and resolve.delta is None
    assert fmt_duration(resolve) == "5个工作日"
    assert district.calendar.holidays == {date(2027, 10, 1), date(2027, 10, 4)}
    assert district.calendar.workdays == {date(2027, 10, 9)}
    assert resolve.calendar is district.calendar
    assert district.deadlines["critical"].acknowledge == timedelta(hours=1)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('resolve = "7d"\n', 'resolve = "0wd"\n', "deadlines.normal.resolve"),
        ("holidays = []", 'holidays = ["2027-13-01"]', "workdays"),
        ('missing_data = "zero"', 'missing_data = "rescale"', "assessment.missing_data"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_district(_config(tmp_path, old, new))
    assert key in str(err.value)


def test_spans_order_by_their_nominal_length() -> None:
    hour, day = Span(delta=timedelta(hours=1)), Span(delta=timedelta(hours=24))
    assert hour < day and day > hour and hour <= timedelta(hours=1)
    assert wd(2) > day and wd(1) >= day and not wd(1) < day
    assert sorted([wd(3), hour, day]) == [hour, day, wd(3)]
