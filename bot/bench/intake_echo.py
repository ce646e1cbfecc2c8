"""``minqing bench intake --echo``: minqing beside a bare echo bot, in one harness.

Both run as child processes behind the same fake Bot API and the same webhook
poster, at the same offered rate, with new citizens each sending one plain-text
description (``--flow text``): minqing answers with the office proposal, the
echo bot (:mod:`bot.bench.echo_bot`, PTB with ``AIORateLimiter``) with the text.
Printed per bot: p50/p99, lost, and CPU milliseconds per update. With
``citizens`` > 0 minqing then takes updates from that many distinct citizens
and its RSS is read after the first 100 and after all of them.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench.database import provision_database
from bot.bench.intake import IntakeLoad, _measured, format_result
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


async def _one(
    service: ServiceProcess,
    rate: float,
    duration: float,
    grace: float,
    log: Callable[[str], None],
    label: str,
    first_user_id: int,
) -> tuple[dict[str, Any], IntakeLoad, WebhookPoster]:
    fake = service.fake
    await service.start()
    await fake.wait_for(lambda: fake.webhook_url, timeout=10)
    await detach_fake_webhook(fake)
    poster = WebhookPoster(service.webhook_url)
    await poster.__aenter__()
    load = IntakeLoad(fake, poster, flow="text", first_user_id=first_user_id)
    await load.run(rate=5, duration=2, grace=15)  # warm-up, unmeasured
    log(f"[{label}] offering {rate}/s for {duration} s (plain-text descriptions) …")
    figures = await _measured(service, load, rate, duration, grace, log)
    figures["ready_s"] = service.ready_wall_s
    log(format_result(f"[{label}]", figures))
    return figures, load, poster


async def run_side_by_side(
    *,
    database: str,
    rate: float,
    duration: float,
    workdir: Path,
    grace: float = 30.0,
    citizens: tuple[int, float] = (0, 50.0),
    log: _Log = print,
) -> dict[str, Any]:
    """minqing and the echo bot at ``rate``; then (optionally) RSS over ``citizens``.

    ``citizens`` is (how many distinct citizens, at what rate per second); 0 skips it.
    """
    citizens_count, citizens_rate = citizens
    out: dict[str, Any] = {"flow": "text", "offered_rate_per_s": rate, "database": database}
    async with running_fake_bot_api(token=BENCH_TOKEN) as fake:
        echo = EchoBotProcess("", fake, webhook=True, log_path=workdir / "echo.log")
        try:
            out["echo"], _, poster = await _one(
                echo, rate, duration, grace, log, "echo", 600_000_001
            )
            await poster.__aexit__(None, None, None)
        finally:
            await echo.stop()
    async with (
        provision_database(database, workdir, label="intake-echo") as bench_db,
        running_fake_bot_api(token=BENCH_TOKEN) as fake,
    ):
        service = ServiceProcess(
            bench_db.url, fake, webhook=True, log_path=workdir / f"intake-text-{database}.log"
        )
        try:
            out["minqing"], load, poster = await _one(
                service, rate, duration, grace, log, "minqing", 700_000_001
            )
            if citizens_count > 0:
                out["rss"] = await _rss_over_citizens(
                    service, load, citizens=citizens_count, rate=citizens_rate, log=log
                )
            await poster.__aexit__(None, None, None)
        finally:
            await service.stop()
        if citizens_count > 0:
            out["rss"].update(await _restart(service, out["minqing"].get("ready_s"), log))
    m, e = out["minqing"], out["echo"]
    if m.get("cpu_ms_per_update") and e.get("cpu_ms_per_update"):
        out["cpu_ratio_vs_echo"] = round(m["cpu_ms_per_update"] / e["cpu_ms_per_update"], 2)
    log(
        f"side by side at {rate}/s: minqing p50 {m['p50_ms']} / p99 {m['p99_ms']} ms, "
        f"{m.get('cpu_ms_per_update')} CPU ms/update, lost {m['lost']}; echo bot p50 "
        f"{e['p50_ms']} / p99 {e['p99_ms']} ms, {e.get('cpu_ms_per_update')} CPU ms/update, "
        f"lost {e['lost']}; CPU ratio {out.get('cpu_ratio_vs_echo')}"
    )
    return out


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
