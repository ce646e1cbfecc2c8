"""What delivery does at 1×, 3× and 10× Telegram's ceiling: routine delay, alert delay, backlog.

``python -m bot.bench.delivery_load [--multiples 1 3 10] [--seconds 20]``: for each
multiple, routine notices are written to the outbox at ``multiple × 30`` a second, spread
over ``--chats`` private chats, for ``--seconds``; one critical alert is written every two
seconds to one of those chats. One :class:`~bot.runtime.delivery.DeliveryWorker` with the
production pacing (30 messages/s per bot, 1/s per private chat) delivers them to the fake Bot
API through the real ``telegram.Bot``, on SQLite. Printed per multiple: rows written,
delivered by the end of the writing and after a grace period, routine delay p50/p99, alert
delay p50/max (from the row's commit to its arrival at the fake), and the backlog left.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.fakeapi import FakeBotApi, running_fake_bot_api
from bot.runtime.delivery import DeliveryWorker, backlog
from storage import outbox
from storage.db import Database

CEILING = 30.0


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _write(db: Database, rows: list[tuple[int, str, int]], written: dict[str, float]) -> None:
    async with db.session() as s:
        for chat, text, priority in rows:
            await outbox.enqueue(s, chat_id=chat, text=text, priority=priority)
    now = time.monotonic()
    for _, text, _ in rows:
        written[text] = now


def _arrivals(fake: FakeBotApi) -> dict[str, float]:
    out: dict[str, float] = {}
    for call in fake.calls("sendMessage"):
        if call.ok:
            out.setdefault(str(call.params.get("text")), call.at)
    return out


async def run_multiple(
    workdir: Path, multiple: float, seconds: float, chats: int, grace: float
) -> str:
    """One load at ``multiple`` × the ceiling; the figures as one line."""
    db = Database(f"sqlite+aiosqlite:///{workdir / f'load-{multiple:g}.db'}")
    await db.migrate()
    rng = random.Random(15)
    written: dict[str, float] = {}
    async with running_fake_bot_api() as fake:
        request = HTTPXRequest(connection_pool_size=16)
        async with Bot(fake.token, base_url=fake.base_url, request=request) as bot:
            worker = DeliveryWorker(db, bot, global_rate=CEILING, concurrency=8)
            stop = asyncio.Event()
            task = asyncio.create_task(worker.run_forever(stop))
            tick, n, alerts = 0.1, 0, 0
            started = time.monotonic()
            next_alert = started
            while (now := time.monotonic()) - started < seconds:
                due = int((now - started) * CEILING * multiple) - n
                rows = [(1 + rng.randrange(chats), f"R{n + i}", 2) for i in range(due)]
                n += due
                if now >= next_alert:
                    rows.append((1 + rng.randrange(chats), f"A{alerts}", 0))
                    alerts += 1
                    next_alert += 2.0
                if rows:
                    await _write(db, rows, written)
                    worker.notify()
                await asyncio.sleep(tick)
            at_end = _arrivals(fake)
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                if (await backlog(db)).count == 0:
                    break
                await asyncio.sleep(0.5)
            stop.set()
            worker.stop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(task, 10)
            arrived = _arrivals(fake)
            left = (await backlog(db)).count
    await db.dispose()
    routine = [arrived[t] - w for t, w in written.items() if t.startswith("R") and t in arrived]
    alert = [arrived[t] - w for t, w in written.items() if t.startswith("A") and t in arrived]
    sent_in_window = sum(1 for t in at_end if t.startswith("R"))
    return (
        f"{multiple:g}x ceiling ({CEILING * multiple:g}/s routine for {seconds:g} s, "
        f"{chats} chats): "
        f"routine written {n}, delivered {sent_in_window} while writing "
        f"({sent_in_window / seconds:.1f}/s), {len(routine)} after {grace:g} s grace, "
        f"left {left}; routine delay p50 {statistics.median(routine) if routine else 0:.1f} s "
        f"p99 {_pct(routine, 0.99):.1f} s; alerts {len(alert)}/{alerts} delay "
        f"p50 {statistics.median(alert) if alert else 0:.2f} s max {max(alert, default=0):.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the loads and print one line per multiple."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.bench.delivery_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--multiples", type=float, nargs="+", default=[1.0, 3.0, 10.0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--grace", type=float, default=30.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="minqing-load-") as tmp:
        for multiple in args.multiples:
            line = asyncio.run(
                run_multiple(Path(tmp), multiple, args.seconds, args.chats, args.grace)
            )
            print(line, flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
