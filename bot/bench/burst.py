"""The officers' burst of one-shot warnings through the webhook, and the people it needs.

Every fault run files early warnings ``/warn TEXT〔Bn〕`` from information
officers of :data:`UNITS` (:class:`Burst`, a fixed rate, in turn over the
services' webhooks, retried the way Telegram retries); the marker ``〔Bn〕``
(:data:`MARKER`) tells each case's warning apart when the run is counted
(:func:`bot.bench.fault_report.count`). :func:`seed` adds the officers and each
unit's chief and staff to the run's database.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

from bot.bench.database import add_people
from bot.bench.webhook import WebhookPoster, update_of
from bot.fakeapi import FakeBotApi
from storage.db import Database

WARNING_TEXT = "两户村民因宅基地边界发生争吵，可能动手"
#: Units of the officers; each also gets a chief and a staff member.
UNITS = ("dongcheng", "xihu", "gaoxin_park", "labor", "education")
FIRST_OFFICER = 830_000_001
FIRST_HANDLER = 840_000_001
#: The marker ``〔Bn〕`` a warning of the burst carries: its number ``n``.
MARKER = re.compile(r"〔B(\d+)〕")


def distinct(n: int) -> str:
    """A file number that makes warning ``n`` another matter than the others: an officer's
    repeat of an open warning is asked about, not filed (trial 28 P4), and the burst files
    distinct warnings (medium, land: the text's classification is unchanged)."""
    return "档案号" + hashlib.sha256(str(n).encode()).hexdigest()[:20]


class Burst:
    """Officers filing one-shot warnings through the webhook at a fixed rate.

    Args:
        fake: The fake Bot API.
        posters: Webhook posters; updates go to them in turn (one per instance).
        retries: Webhook retries per update (Telegram retries failed deliveries).
    """

    def __init__(
        self, fake: FakeBotApi, posters: Sequence[WebhookPoster], retries: int = 12
    ) -> None:
        self.fake = fake
        self.posters = list(posters)
        self.retries = retries
        self.officers = [fake.user(FIRST_OFFICER + i, f"信息员{i}") for i in range(len(UNITS))]
        self.acknowledged: set[int] = set()
        self.rejected: set[int] = set()
        self.posted = 0
        self._numbers = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()

    async def _post(self, poster: WebhookPoster, n: int, payload: dict[str, Any]) -> None:
        status = await poster.post(payload, retries=self.retries)
        (self.acknowledged if 200 <= status < 300 else self.rejected).add(n)

    def send(self) -> int:
        """File one warning (posting in the background); its number."""
        n = next(self._numbers)
        officer = self.officers[n % len(self.officers)]
        text = f"/warn {WARNING_TEXT}〔B{n}〕{distinct(n)}"
        payload = update_of(self.fake, officer.send_text(text))
        poster = self.posters[n % len(self.posters)]
        self.posted += 1
        task = asyncio.create_task(self._post(poster, n, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return n

    async def run(
        self,
        rate: float,
        duration: float,
        at: Sequence[tuple[float, Callable[[], Any]]] = (),
    ) -> None:
        """Send for ``duration`` seconds at ``rate``; call each ``(fraction, action)`` on time.

        An action may return an awaitable; it is awaited in the background while
        sending goes on.
        """
        loop = asyncio.get_running_loop()
        total = max(1, int(rate * duration))
        pending = sorted(at, key=lambda item: item[0])
        started = loop.time()
        side: list[asyncio.Task[Any]] = []
        for i in range(total):
            while pending and i >= pending[0][0] * total:
                _, action = pending.pop(0)
                result = action()
                if asyncio.iscoroutine(result):
                    side.append(asyncio.create_task(result))
            delay = started + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.send()
        for _, action in pending:
            result = action()
            if asyncio.iscoroutine(result):
                side.append(asyncio.create_task(result))
        if side:
            await asyncio.gather(*side)

    async def settle(self, timeout: float = 120.0) -> None:  # noqa: ASYNC109 - harness API
        """Wait for the posts still retrying."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


async def seed(db_url: str) -> None:
    """Officers, chiefs and staff of :data:`UNITS`."""
    db = Database(db_url)
    try:
        await add_people(db, [(u, "officer") for u in UNITS], FIRST_OFFICER, "officer")
        handlers = [(u, role) for u in UNITS for role in ("chief", "staff")]
        await add_people(db, handlers, FIRST_HANDLER, "handler")
    finally:
        await db.dispose()
