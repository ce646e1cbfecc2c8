"""``minqing bench intake --echo``: minqing beside a bare echo bot, in one harness.

Both run at once as child processes, each behind its own fake Bot API and
webhook poster in this process, at the same offered rate, with new citizens each
sending one plain-text description (``--flow text``): minqing answers with the
office proposal, the echo bot (:mod:`bot.bench.echo_bot`, PTB with
``AIORateLimiter``) with the text. The load goes to one bot at a time, in
alternating rounds. Printed per round and bot: p50/p99, lost, idle CPU and CPU
milliseconds per update, and the ratio; then the spread over the rounds. With
``citizens`` > 0 minqing then takes updates from that many distinct citizens
and its RSS is read after the first 100 and after all of them.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench.database import provision_database
from bot.bench.intake_load import IntakeLoad, format_result
from bot.bench.service import BENCH_TOKEN, ServiceProcess
from bot.bench.webhook import WebhookPoster, detach_fake_webhook
from bot.fakeapi import running_fake_bot_api


@dataclass
class EchoBotProcess(ServiceProcess):
    """The echo bot as a child process (same environment, ready line and CPU reading)."""

    def command(self) -> list[str]:
        """``python -m bot.bench.echo_bot --port P``."""
        return [sys.executable, "-m", "bot.bench.echo_bot", "--port", str(self.port)]


#: Where a run writes its progress lines.
_Log = Callable[[str], None]

#: Seconds of CPU counted after the last answer, for both bots: minqing's lazy settling
#: (``bot.runtime.inbox.DEFAULT_SETTLE_DELAY``, 0.5 s) writes the last updates' marks
#: then, and that write is part of what those updates cost.
TAIL_S = 1.0
#: Seconds each bot is watched idle before a round: its background CPU, printed.
IDLE_S = 5.0


@dataclass
class _Side:
    """One bot under test: its process, its load and its poster."""

    label: str
    service: ServiceProcess
    load: IntakeLoad | None = None
    poster: WebhookPoster | None = None

    async def start(self, first_user_id: int) -> None:
        fake = self.service.fake
        await self.service.start()
        await fake.wait_for(lambda: fake.webhook_url, timeout=10)
        await detach_fake_webhook(fake)
        self.poster = WebhookPoster(self.service.webhook_url)
        await self.poster.__aenter__()
        self.load = IntakeLoad(fake, self.poster, flow="text", first_user_id=first_user_id)

    async def close(self) -> None:
        if self.poster is not None:
            await self.poster.__aexit__(None, None, None)
            self.poster = None


def _cpu(service: ServiceProcess) -> float:
    seconds = service.cpu_seconds()
    if seconds is None:
        raise RuntimeError(f"cannot read the CPU time of pid {service.pid}")
    return seconds


async def _round(side: _Side, rate: float, duration: float, grace: float) -> dict[str, Any]:
    """One measured round of one bot: idle CPU first, then the load's CPU per update.

    CPU is the whole process's user + system time (every thread: the event loop,
    aiosqlite's, the web server, timers, GC) from just before the first post to
    ``TAIL_S`` after the last answer, divided by the updates answered: what an
    update costs, background included, measured the same way for both bots.
    """
    assert side.load is not None
    service = side.service
    idle_before = _cpu(service)
    await asyncio.sleep(IDLE_S)
    idle_ms_per_s = 1000 * (_cpu(service) - idle_before) / IDLE_S
    cpu_before, wall_before = _cpu(service), time.monotonic()
    result = await side.load.run(rate, duration, grace)
    await asyncio.sleep(TAIL_S)
    cpu, wall = _cpu(service) - cpu_before, time.monotonic() - wall_before
    figures = result.figures()
    figures["serve_cpu_pct_of_one_core"] = round(100 * cpu / wall, 1)
    figures["cpu_window_s"] = round(wall, 2)
    figures["idle_cpu_ms_per_s"] = round(idle_ms_per_s, 2)
    if result.answered:
        figures["cpu_ms_per_update"] = round(1000 * cpu / result.answered, 2)
    figures["serve_rss_mb"] = service.rss_mb()
    return figures


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "min": ordered[0],
        "median": round(statistics.median(ordered), 2),
        "max": ordered[-1],
    }


async def run_side_by_side(
    *,
    database: str,
    rate: float,
    duration: float,
    workdir: Path,
    grace: float = 30.0,
    rounds: int = 3,
    citizens: tuple[int, float] = (0, 50.0),
    log: _Log = print,
) -> dict[str, Any]:
    """minqing and the echo bot at ``rate``, in alternating rounds; then (optionally) RSS.

    Both bots run at once, each behind its own fake Bot API in this process, both
    warmed up the same way. Each round offers ``rate`` for ``duration`` seconds to
    one bot, then to the other (the order alternates: echo first in odd rounds,
    minqing first in even ones), so both are measured over the same minutes of a
    shared machine; the CPU ratio is taken per round and its spread printed.

    ``citizens`` is (how many distinct citizens, at what rate per second); 0 skips it.
    """
    citizens_count, citizens_rate = citizens
    out: dict[str, Any] = {
        "flow": "text",
        "offered_rate_per_s": rate,
        "database": database,
        "rounds": [],
        "cpu_counts": "whole process (all threads), user + system, from just before the "
        f"first post to {TAIL_S} s after the last answer, divided by updates answered",
    }
    async with (
        provision_database(database, workdir, label="intake-echo") as bench_db,
        running_fake_bot_api(token=BENCH_TOKEN) as echo_fake,
        running_fake_bot_api(token=BENCH_TOKEN) as fake,
    ):
        echo = _Side("echo", EchoBotProcess("", echo_fake, log_path=workdir / "echo.log"))
        minqing = _Side(
            "minqing",
            ServiceProcess(
                bench_db.url, fake, webhook=True, log_path=workdir / f"intake-text-{database}.log"
            ),
        )
        try:
            await echo.start(600_000_001)
            await minqing.start(700_000_001)
            first_ready_s = minqing.service.ready_wall_s
            for side in (echo, minqing):  # warm-up, unmeasured: imports, dictionaries, pools
                assert side.load is not None
                await side.load.run(rate=5, duration=2, grace=15)
                await side.load.run(rate=rate, duration=5, grace=15)
            for number in range(1, rounds + 1):
                order = (echo, minqing) if number % 2 else (minqing, echo)
                pair: dict[str, Any] = {}
                for side in order:
                    log(f"[round {number}, {side.label}] offering {rate}/s for {duration} s …")
                    pair[side.label] = await _round(side, rate, duration, grace)
                    log(format_result(f"[round {number}, {side.label}]", pair[side.label]))
                m, e = pair["minqing"], pair["echo"]
                if m.get("cpu_ms_per_update") and e.get("cpu_ms_per_update"):
                    pair["cpu_ratio_vs_echo"] = round(
                        m["cpu_ms_per_update"] / e["cpu_ms_per_update"], 2
                    )
                pair["loadavg_1min"] = round(os.getloadavg()[0], 2)
                out["rounds"].append(pair)
                log(
                    f"round {number}: minqing {m.get('cpu_ms_per_update')} vs echo "
                    f"{e.get('cpu_ms_per_update')} CPU ms/update, ratio "
                    f"{pair.get('cpu_ratio_vs_echo')} (idle: minqing {m['idle_cpu_ms_per_s']}, "
                    f"echo {e['idle_cpu_ms_per_s']} CPU ms/s; load average "
                    f"{pair['loadavg_1min']})"
                )
            await echo.close()
            await echo.service.stop()
            if citizens_count > 0:
                assert minqing.load is not None
                out["rss"] = await _rss_over_citizens(
                    minqing.service,
                    minqing.load,
                    citizens=citizens_count,
                    rate=citizens_rate,
                    log=log,
                )
            await minqing.close()
        finally:
            await echo.close()
            await minqing.close()
            await echo.service.stop()
            await minqing.service.stop()
        if citizens_count > 0:
            out["rss"].update(await _restart(minqing.service, first_ready_s, log))
    _summarise(out, rate, log)
    return out


def _summarise(out: dict[str, Any], rate: float, log: _Log) -> None:
    rounds: list[dict[str, Any]] = out["rounds"]
    for label in ("minqing", "echo"):
        runs = [r[label] for r in rounds]
        cpu = [f["cpu_ms_per_update"] for f in runs if f.get("cpu_ms_per_update")]
        p99 = [f["p99_ms"] for f in runs if f.get("p99_ms") is not None]
        out[label] = {
            "cpu_ms_per_update": _spread(cpu) if cpu else None,
            "p50_ms": _spread([f["p50_ms"] for f in runs if f.get("p50_ms") is not None]),
            "p99_ms": _spread(p99) if p99 else None,
            "lost": sum(f["lost"] for f in runs),
            "idle_cpu_ms_per_s": _spread([f["idle_cpu_ms_per_s"] for f in runs]),
        }
    ratios = [r["cpu_ratio_vs_echo"] for r in rounds if "cpu_ratio_vs_echo" in r]
    if ratios:
        out["cpu_ratio_vs_echo"] = _spread(ratios)
    m, e, ratio = out["minqing"], out["echo"], out.get("cpu_ratio_vs_echo")

    def span(s: dict[str, float] | None) -> str:
        return "n/a" if s is None else f"{s['min']}–{s['max']} (median {s['median']})"

    log(
        f"side by side at {rate}/s over {len(rounds)} alternating rounds: minqing p99 "
        f"{span(m['p99_ms'])} ms, {span(m['cpu_ms_per_update'])} CPU ms/update, lost "
        f"{m['lost']}; echo bot p99 {span(e['p99_ms'])} ms, {span(e['cpu_ms_per_update'])} "
        f"CPU ms/update, lost {e['lost']}; CPU ratio per round {span(ratio)}"
    )


async def _restart(
    service: ServiceProcess, first_ready_s: float | None, log: _Log
) -> dict[str, Any]:
    """Start the service again on the same database (now holding every citizen seen)."""
    await service.start()
    await asyncio.sleep(2)
    figures = {
        "ready_s_first_start": first_ready_s,
        "ready_s_restart": service.ready_wall_s,
        "ready_reported_s_restart": service.ready_reported_s,
        "rss_mb_after_restart": service.rss_mb(),
    }
    await service.stop()
    log(
        f"[minqing] start: {first_ready_s or 0:.2f} s on an empty database, "
        f"{service.ready_wall_s or 0:.2f} s with every citizen in it (idle RSS after restart "
        f"{figures['rss_mb_after_restart'] or 0:.1f} MiB)"
    )
    return figures


async def _rss_over_citizens(
    service: ServiceProcess, load: IntakeLoad, *, citizens: int, rate: float, log: _Log
) -> dict[str, Any]:
    """RSS after 100 distinct citizens (counting the runs so far) and after ``citizens``."""
    figures: dict[str, Any] = {}
    seen = len(load.citizens)
    if seen < 100:
        await load.run(rate=rate, duration=(100 - seen) / rate, grace=30)
    await asyncio.sleep(2)
    figures["citizens_first"] = len(load.citizens)
    figures["rss_mb_first"] = service.rss_mb()
    remaining = citizens - len(load.citizens)
    if remaining > 0:
        log(f"[minqing] {remaining} more distinct citizens at {rate}/s for the RSS figure …")
        result = await load.run(rate=rate, duration=remaining / rate, grace=60)
        figures["lost_during"] = result.lost
    await asyncio.sleep(2)
    figures["citizens_last"] = len(load.citizens)
    figures["rss_mb_last"] = service.rss_mb()
    first, last = figures["rss_mb_first"], figures["rss_mb_last"]
    if first and last:
        figures["growth_pct"] = round(100 * (last - first) / first, 1)
    log(
        f"[minqing] RSS after {figures['citizens_first']} citizens {first:.1f} MiB, after "
        f"{figures['citizens_last']} citizens {last:.1f} MiB ({figures.get('growth_pct')} %)"
    )
    return figures
