"""Attempt limits for the public web pages (issue 15, break 8) and for Open311's API
keys, on the ``limits`` library.

Moving windows in this process's memory: the citizen form's filings per client
address and per browser session, and the status look-up's phone guesses per client
address and per case number. Each instance of the service counts on its own (a
district runs one web instance; with several behind a balancer the limits add up
per instance). Behind a reverse proxy every client has the proxy's address, so the
per-address limits then act for the whole site: the proxy must rate-limit instead.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

#: Filings through the web form per client address, and per browser session.
FILE_PER_IP = "5/minute;30/hour"
FILE_PER_SESSION = "3/minute;10/day"
#: Filings that describe danger now, per client address. They are never refused by the
#: ordinary limits above (a fire report must get through even from a busy carrier NAT or a
#: community-centre computer); only this much larger ceiling holds back a flood, and even
#: then the page shows the emergency numbers.
FILE_DANGER_PER_IP = "10/minute;100/hour"
#: Status look-ups with a phone number per client address, and per case number.
STATUS_PER_IP = "10/minute;60/hour"
STATUS_PER_CASE = "5/hour;10/day"
#: Open311 filings per API key. A key belongs to a partner (a city app, a hotline's
#: system) that files for many citizens, so the limits are far above one person's; they
#: hold back a runaway client or a stolen key (trial 26's leftover: no per-key limit).
OPEN311_FILE_PER_KEY = "60/minute;3000/day"
#: Open311 filings that describe danger now, per API key: never refused by the limit
#: above, only by this larger ceiling (and the refusal names the emergency numbers).
OPEN311_DANGER_PER_KEY = "120/minute;3000/hour"
#: Open311 searches and look-ups per API key.
OPEN311_READ_PER_KEY = "120/minute;20000/day"

TOO_MANY = "操作过于频繁，请稍后再试。"


@dataclass
class Throttle:
    """Named limits; :meth:`hit` counts one attempt against every one of them."""

    rules: dict[str, str] = field(
        default_factory=lambda: {
            "file_ip": FILE_PER_IP,
            "file_session": FILE_PER_SESSION,
            "file_danger_ip": FILE_DANGER_PER_IP,
            "status_ip": STATUS_PER_IP,
            "status_case": STATUS_PER_CASE,
            "o311_file_key": OPEN311_FILE_PER_KEY,
            "o311_danger_key": OPEN311_DANGER_PER_KEY,
            "o311_read_key": OPEN311_READ_PER_KEY,
        }
    )
    _limiter: MovingWindowRateLimiter = field(init=False, repr=False)
    _items: dict[str, list[RateLimitItem]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items = {name: parse_many(spec) for name, spec in self.rules.items()}

    def allows(self, *checks: tuple[str, str]) -> bool:
        """Whether one more attempt fits every ``(rule, key)`` (nothing is counted)."""
        for name, key in checks:
            for item in self._items[name]:
                if not self._limiter.test(item, name, key):
                    log.warning("web limit %s (%s) reached", name, item)
                    return False
        return True

    def count(self, *checks: tuple[str, str]) -> None:
        """Count one attempt for each ``(rule, key)``."""
        for name, key in checks:
            for item in self._items[name]:
                self._limiter.hit(item, name, key)

    def hit(self, *checks: tuple[str, str]) -> bool:
        """Count one attempt for each ``(rule, key)``; False if any limit is exhausted.

        Nothing is counted when a limit is already exhausted, so a refused
        attempt does not extend the wait.
        """
        if not self.allows(*checks):
            return False
        self.count(*checks)
        return True

    def retry_after(self, *checks: tuple[str, str]) -> int:
        """Seconds until one more attempt fits every ``(rule, key)`` (at least 1)."""
        wait = 1.0
        now = time.time()
        for name, key in checks:
            for item in self._items[name]:
                stats = self._limiter.get_window_stats(item, name, key)
                if stats.remaining <= 0:
                    wait = max(wait, stats.reset_time - now)
        return math.ceil(wait)
