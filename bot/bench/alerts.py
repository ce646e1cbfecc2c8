"""``minqing bench alerts`` and ``minqing bench serve-start``.

*alerts*: an information officer of a street station files a critical early
warning (``/warn TEXT``, one update posted to the webhook of ``minqing serve``);
the card must reach every handler of the station and of the district's warning
centres and leadership. The recipients are bound in the database before the
service starts. Latency per recipient = from the start of the POST to the
arrival of the card at the fake; the service runs as configured in production:
the PTB rate limiter on the bot, the delivery worker's pacing (1 s per private
chat, ~30 messages/s overall).

*serve-start*: cold starts of ``minqing serve`` (a new process each time) to its
"ready in" line, and the peak RSS of a serving process under intake load.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.bench.burst import distinct
from bot.bench.database import add_people, provision_database
from bot.bench.figures import percentile
from bot.bench.intake_load import IntakeLoad, format_result
from bot.bench.service import BENCH_TOKEN, ServiceProcess
from bot.bench.webhook import WebhookPoster, detach_fake_webhook, update_of
from bot.fakeapi import FakeBotApi, running_fake_bot_api
from storage.db import Database

CRITICAL_TEXT = "三百多名工人围堵区政府大门，有人扬言要跳楼，情况危急"
OFFICER_UNIT = "dongcheng"
#: Units whose handlers receive a critical warning of a dongcheng officer, in fill order.
RECIPIENT_UNITS = ("dongcheng", "opinion_centre", "mediation_centre", "office")
OFFICER_ID = 810_000_001
FIRST_RECIPIENT_ID = 820_000_001


def recipient_specs(count: int) -> list[tuple[str, str]]:
    """``count`` (unit, role) pairs spread over the recipient units, one chief each."""
    specs: list[tuple[str, str]] = []
    units = itertools.cycle(RECIPIENT_UNITS)
    chiefs: set[str] = set()
    for _ in range(count):
        unit = next(units)
        role = "staff" if unit in chiefs else "chief"
        chiefs.add(unit)
        specs.append((unit, role))
    return specs


def _ms(values: list[float], q: float) -> float | None:
    value = percentile(values, q)
    return None if value is None else round(value * 1000, 1)


async def _one_warning(
    fake: FakeBotApi,
    poster: WebhookPoster,
    recipients: list[int],
    run: int,
    timeout: float = 60.0,  # noqa: ASYNC109 - harness API
) -> tuple[list[float], float | None]:
    """File one warning; per-recipient latencies and the officer's confirmation latency."""
    officer = fake.user(OFFICER_ID, "张信息员")
    version = fake.version
    text = f"/warn {CRITICAL_TEXT}（第{run}次）{distinct(run)}"
    update = update_of(fake, officer.send_text(text))
    posted = time.monotonic()
    status = await poster.post(update)
    if not 200 <= status < 300:
        raise RuntimeError(f"webhook answered {status}")
    arrived: dict[int, float] = {}

    def all_arrived() -> bool:
        for chat in recipients:
            if chat in arrived:
                continue
            for message in fake.transcript(chat):
                if message.from_bot and message.version > version and "特别重大" in message.content:
                    arrived[chat] = message.sent_at
                    break
        return len(arrived) == len(recipients)

    await fake.wait_for(all_arrived, timeout)
    confirmation = next(
        (
            m.sent_at
            for m in fake.transcript(OFFICER_ID)
            if m.from_bot and m.version > version and "预警已报送" in m.content
        ),
        None,
    )
    return [t - posted for t in arrived.values()], (
        None if confirmation is None else confirmation - posted
    )


async def run_alerts(
    *,
    database: str,
    recipients: int,
    runs: int,
    workdir: Path,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run ``bench alerts`` on one backend; the figures."""
    async with (
        provision_database(database, workdir, label="alerts") as bench_db,
        running_fake_bot_api(token=BENCH_TOKEN) as fake,
    ):
        db = Database(bench_db.url)
        try:
            await add_people(db, [(OFFICER_UNIT, "officer")], OFFICER_ID, "officer")
            people = await add_people(
                db, recipient_specs(recipients), FIRST_RECIPIENT_ID, "recipient"
            )
        finally:
            await db.dispose()
        chats = [int(p.chat_id or 0) for p in people]
        for chat in chats:
            fake.user(chat, f"handler {chat}")
        service = ServiceProcess(
            bench_db.url, fake, webhook=True, log_path=workdir / f"alerts-{database}.log"
        )
        await service.start()
        try:
            await fake.wait_for(lambda: fake.webhook_url, timeout=10)
            await detach_fake_webhook(fake)
            every: list[float] = []
            last: list[float] = []
            confirmations: list[float] = []
            async with WebhookPoster(service.webhook_url) as poster:
                # An unmeasured warm-up warning (imports, dictionaries, connections).
                await _one_warning(fake, poster, chats, 0)
                for run in range(1, runs + 1):
                    await asyncio.sleep(1.5)  # let the private-chat pacing window pass
                    latencies, confirmed = await _one_warning(fake, poster, chats, run)
                    every.extend(latencies)
                    last.append(max(latencies))
                    if confirmed is not None:
                        confirmations.append(confirmed)
                    log(
                        f"[{database}] run {run}: {len(latencies)} recipients, first "
                        f"{min(latencies) * 1000:.0f} ms, last {max(latencies) * 1000:.0f} ms"
                    )
        finally:
            await service.stop()
    figures = {
        "recipients": recipients,
        "runs": runs,
        "per_recipient_p50_ms": _ms(every, 50),
        "per_recipient_p99_ms": _ms(every, 99),
        "all_recipients_p50_ms": _ms(last, 50),
        "all_recipients_p99_ms": _ms(last, 99),
        "all_recipients_max_ms": _ms(last, 100),
        "officer_confirmation_p50_ms": _ms(confirmations, 50),
    }
    log(
        f"[{database}] critical warning → {recipients} recipients, {runs} runs: per recipient "
        f"p50 {figures['per_recipient_p50_ms']} ms, p99 {figures['per_recipient_p99_ms']} ms; "
        f"last recipient p50 {figures['all_recipients_p50_ms']} ms, p99 "
        f"{figures['all_recipients_p99_ms']} ms; officer's confirmation p50 "
        f"{figures['officer_confirmation_p50_ms']} ms"
    )
    return figures


async def run_serve_start(
    *,
    log: Callable[[str], None] = print,
    database: str,
    starts: int,
    load_rate: float,
    load_duration: float,
    workdir: Path,
) -> dict[str, Any]:
    """Cold starts of ``minqing serve`` and its peak RSS under intake load; the figures."""
    reported: list[float] = []
    wall: list[float] = []
    idle_rss: list[float] = []
    async with provision_database(database, workdir, label="start") as bench_db:
        for i in range(starts):
            async with running_fake_bot_api(token=BENCH_TOKEN) as fake:
                service = ServiceProcess(bench_db.url, fake, webhook=True)
                seconds = await service.start()
                try:
                    wall.append(seconds)
                    if service.ready_reported_s is not None:
                        reported.append(service.ready_reported_s)
                    rss = service.rss_mb()
                    if rss is not None:
                        idle_rss.append(rss)
                finally:
                    await service.stop()
                log(
                    f"[{database}] cold start {i + 1}: ready line after {seconds:.2f} s "
                    f"(process reports {service.ready_reported_s} s)"
                )
        async with running_fake_bot_api(token=BENCH_TOKEN) as fake:
            service = ServiceProcess(bench_db.url, fake, webhook=True)
            await service.start()
            try:
                await fake.wait_for(lambda: fake.webhook_url, timeout=10)
                await detach_fake_webhook(fake)
                async with WebhookPoster(service.webhook_url) as poster:
                    load = IntakeLoad(fake, poster, flow="file")
                    result = await load.run(load_rate, load_duration, grace=30)
                    log(format_result(f"[{database}] load for RSS", result.figures()))
                peak = service.peak_rss_mb()
            finally:
                await service.stop()
    figures = {
        "database": database,
        "starts": starts,
        "ready_wall_s_median": round(statistics.median(wall), 3) if wall else None,
        "ready_wall_s_max": round(max(wall), 3) if wall else None,
        "ready_reported_s_median": round(statistics.median(reported), 3) if reported else None,
        "idle_rss_mb_median": round(statistics.median(idle_rss), 1) if idle_rss else None,
        "load_rate_per_s": load_rate,
        "load_duration_s": load_duration,
        "peak_rss_mb_under_load": None if peak is None else round(peak, 1),
    }
    log(
        f"[{database}] minqing serve cold start to ready: median "
        f"{figures['ready_wall_s_median']} s "
        f"(max {figures['ready_wall_s_max']} s; the process itself reports "
        f"{figures['ready_reported_s_median']} s); RSS idle {figures['idle_rss_mb_median']} MiB, "
        f"peak under {load_rate}/s intake for {load_duration} s: "
        f"{figures['peak_rss_mb_under_load']} MiB"
    )
    return figures
