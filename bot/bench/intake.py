"""``minqing bench intake``: citizens' updates through the webhook of a real service.

The harness process runs the fake Bot API and the simulated citizens
(:mod:`bot.bench.intake_load`); the service is ``minqing serve --webhook`` in a
child process (so the two share the machine's cores the way Telegram and the bot
would not, but never one event loop). Updates are posted to the webhook URL with
the secret header by the harness's own client at a fixed offered rate (open loop:
the schedule does not wait for the bot), with up to 40 parallel connections like
Telegram. With ``--flow file`` each citizen runs the whole filing flow, with
``--flow which`` each update is a one-shot ``/which TEXT`` query, with ``--flow text``
each update is a new citizen's plain-text description.

Latency of an update = from the start of its POST to the arrival at the fake of
the bot's answer in that chat. Lost = posted − answered within the grace period
after the run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.bench.database import provision_database
from bot.bench.intake_load import IntakeLoad, format_result
from bot.bench.service import BENCH_TOKEN, ServiceProcess
from bot.bench.webhook import WebhookPoster, detach_fake_webhook
from bot.fakeapi import running_fake_bot_api

__all__ = ["IntakeReport", "run_intake", "step_rates"]


@dataclass
class IntakeReport:
    """Everything ``bench intake`` measured on one backend."""

    database: str
    runs: list[dict[str, Any]] = field(default_factory=list)
    max_rate_p99_under_1s: float | None = None
    first_rate_p99_over_1s: float | None = None
    serve_ready_s: float | None = None
    serve_peak_rss_mb: float | None = None
    serve_rss_after_mb: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "database": self.database,
            "runs": self.runs,
            "max_rate_p99_under_1s": self.max_rate_p99_under_1s,
            "first_rate_p99_over_1s": self.first_rate_p99_over_1s,
            "serve_ready_s": self.serve_ready_s,
            "serve_peak_rss_mb": self.serve_peak_rss_mb,
            "serve_rss_after_mb": self.serve_rss_after_mb,
        }


def step_rates(start: float, limit: int = 12) -> list[float]:
    """The ramp 30, 45, 60, 90, 120, 180, 240, … (×1.5 then ×4/3 alternately) from ``start``."""
    rates = [start]
    while len(rates) < limit:
        prev = rates[-1]
        rates.append(round(prev * (1.5 if len(rates) % 2 else 4 / 3), 1))
    return rates


async def _measured(
    service: ServiceProcess,
    load: IntakeLoad,
    rate: float,
    duration: float,
    grace: float,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """One run with the service's CPU use (percent of one core over the run)."""
    cpu_before, wall_before = service.cpu_seconds(), time.monotonic()
    result = await load.run(rate, duration, grace, progress=log)
    figures = result.figures()
    cpu_after, wall = service.cpu_seconds(), time.monotonic() - wall_before
    if cpu_before is not None and cpu_after is not None and wall > 0:
        figures["serve_cpu_pct_of_one_core"] = round(100 * (cpu_after - cpu_before) / wall, 1)
        if result.answered:
            figures["cpu_ms_per_update"] = round(
                1000 * (cpu_after - cpu_before) / result.answered, 2
            )
    figures["serve_rss_mb"] = service.rss_mb()
    return figures


async def _ramp(
    service: ServiceProcess,
    load: IntakeLoad,
    report: IntakeReport,
    *,
    rate: float,
    duration: float,
    grace: float,
    step: bool,
    max_steps: int,
    log: Callable[[str], None],
) -> float | None:
    """The measured runs of :func:`run_intake`; the highest rate that held, if any."""
    database = report.database

    async def holds(current: float, note: str = "") -> bool:
        """Run at ``current``/s; whether p99 stayed within 1 s with nothing lost."""
        log(f"[{database}] offering {current}/s for {duration} s{note} …")
        figures = await _measured(service, load, current, duration, grace, log)
        report.runs.append(figures)
        log(format_result(f"[{database}]", figures))
        p99 = figures["p99_ms"]
        return p99 is not None and p99 <= 1000 and figures["lost"] == 0

    rates = step_rates(rate, max_steps) if step else [rate]
    passed: float | None = None
    for current in rates:
        ok = await holds(current)
        if ok:
            passed = current
        elif report.first_rate_p99_over_1s is None:
            report.first_rate_p99_over_1s = current
        if not step or not ok:
            break
        await asyncio.sleep(2)
    if step and passed is None:
        current = rate
        for _ in range(4):
            current = round(current / 2, 1)
            if current < 1:
                break
            await asyncio.sleep(5)
            if await holds(current, " (ramping down)"):
                passed = current
                break
    return passed


async def run_intake(
    *,
    database: str,
    rate: float,
    duration: float,
    step: bool,
    flow: str,
    workdir: Path,
    grace: float = 30.0,
    max_steps: int = 8,
    log: Callable[[str], None] = print,
) -> IntakeReport:
    """Run ``bench intake`` on one backend (see the module docstring).

    With ``step`` the rate ramps up from ``rate`` until p99 exceeds 1 s (or answers
    are lost); if ``rate`` itself already exceeds it, the ramp goes down (halving)
    to find a rate that holds.
    """
    report = IntakeReport(database=database)
    async with (
        provision_database(database, workdir, label="intake") as bench_db,
        running_fake_bot_api(token=BENCH_TOKEN) as fake,
    ):
        service = ServiceProcess(
            bench_db.url,
            fake,
            webhook=True,
            log_path=workdir / f"intake-{database}.log",
            # Synthetic citizens send their next step within milliseconds of the answer,
            # far faster than a person: the per-user rate limit would measure itself.
            env={"MINQING_USER_BURST": "0"},
        )
        report.serve_ready_s = await service.start()
        try:
            await fake.wait_for(lambda: fake.webhook_url, timeout=10)
            await detach_fake_webhook(fake)
            async with WebhookPoster(service.webhook_url) as poster:
                load = IntakeLoad(fake, poster, flow=flow)
                # Warm-up: a few citizens, unmeasured (jieba's dictionary, connections).
                await load.run(rate=5, duration=2, grace=15)
                report.max_rate_p99_under_1s = await _ramp(
                    service,
                    load,
                    report,
                    rate=rate,
                    duration=duration,
                    grace=grace,
                    step=step,
                    max_steps=max_steps,
                    log=log,
                )
            report.serve_peak_rss_mb = service.peak_rss_mb()
            report.serve_rss_after_mb = service.rss_mb()
        finally:
            await service.stop()
    return report
