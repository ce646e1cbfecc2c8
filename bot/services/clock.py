"""Time as a dependency, so that deadlines and escalations can be tested."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from storage.models import utcnow


class Clock(Protocol):
    """Something that tells the current time (timezone-aware, UTC)."""

    def now(self) -> datetime:
        """The current time."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current UTC time."""
        return utcnow()


class FakeClock:
    """A clock that only moves when told to (tests, the sandbox's time travel)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or utcnow()

    def now(self) -> datetime:
        """The fake current time."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward and return the new time."""
        if delta < timedelta(0):
            raise ValueError("a clock does not go backwards")
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (must be timezone-aware)."""
        if when.tzinfo is None:
            raise ValueError("naive datetime")
        self._now = when


class OffsetClock:
    """The real clock plus an offset that can only grow (the sandbox's time travel).

    With ``start``, the clock reads ``start`` now and runs on from there at the
    real pace (``MINQING_CLOCK_START``: a service or a test run on a chosen day).
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("naive datetime")
        self._offset = timedelta(0) if start is None else start - utcnow()

    def now(self) -> datetime:
        """The current UTC time, moved forward by the offset."""
        return utcnow() + self._offset

    @property
    def offset(self) -> timedelta:
        """How far this clock runs ahead of real time."""
        return self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Jump forward and return the new time."""
        if delta < timedelta(0):
            raise ValueError("a clock does not go backwards")
        self._offset += delta
        return self.now()


def service_clock(start: datetime | None) -> Clock:
    """The service's clock: the real time, or one that starts at ``start`` and runs on.

    ``start`` is :attr:`config.settings.Settings.clock_start`; ``serve``, the CLI
    commands and the test fixtures all take their time from here.
    """
    return SystemClock() if start is None else OffsetClock(start)
