"""Fault runs of the delivery side (issue 15): spam before a critical alert, Bot API down.

Both drive ``minqing serve`` (webhook mode) in the frame of :func:`bot.bench.harness.fault_run`
and count written / delivered / duplicates like every fault run, plus the critical alert's
delay (``FaultReport.alert_delay_seconds``):

* ``spam-critical`` — ``--spam`` routine requests (default 60) are filed for the labour
  bureau's station, whose chief and staff each get a card per case (1 a second per chat,
  Telegram's ceiling); once the chief's queue is moving, the station's information officer
  sends a critical ``/warn``. The delay is from the webhook post to the warning card at the
  chief's chat. The spam is filed through the case service in this process (as the web form
  does), so that the run measures delivery, not the form's own limits.
* ``api-down`` — every Bot API call fails (connection dropped) from before the start until
  ``--down`` seconds (default 60) after the service is ready; officers file warnings meanwhile (the
  webhook holds them in the inbox and answers 200; the bot's first replay takes them) and one
  critical warning halfway. The delay is from the Bot API's return to that warning's card.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from pathlib import Path

import aiohttp

from bot.bench.burst import FIRST_HANDLER, UNITS, Burst
from bot.bench.fault_report import FaultReport
from bot.bench.harness import FaultRun, fault_run, wait_drained
from bot.bench.service import ServiceProcess
from bot.bench.webhook import WebhookPoster, detach_fake_webhook, update_of
from bot.fakeapi import FakeBotApi
from bot.services.callbacks import CallbackCodec
from bot.services.cases import CaseService, RequestDraft
from bot.services.clock import service_clock
from bot.services.keys import installation_secret
from config.district import load_district
from config.settings import load_settings
from storage.db import Database
from storage.models import Person

#: The officer's warning: critical by the classifier (a crowd, a knife).
CRITICAL_TEXT = "上百人聚集在镇政府门口，情绪激动，有人持刀"
#: The routine spam: a wage complaint for the labour bureau (low severity).
SPAM_TEXT = "公司拖欠工资三个月了"
SPAM_UNIT = "labor"
SPAMMER_ID = 850_000_001


def _chief_chat(unit: str) -> int:
    """The chat of the harness's chief of ``unit`` (chief and staff per unit, in order)."""
    return FIRST_HANDLER + 2 * UNITS.index(unit)


async def _file_spam(db_url: str, n: int) -> None:
    """File ``n`` routine requests for :data:`SPAM_UNIT` as one citizen, as the web form does."""
    db = Database(db_url)
    try:
        codec = CallbackCodec(await installation_secret(db, "callbacks"))
        # The service's clock, as the service under test has it (MINQING_CLOCK_START too).
        clock = service_clock(load_settings().clock_start)
        service = CaseService(db, load_district(), clock, codec)
        async with db.session() as s:
            spammer = Person(
                telegram_user_id=SPAMMER_ID, chat_id=SPAMMER_ID, name="spam", role="citizen"
            )
            s.add(spammer)
            await s.flush()
            spammer_id = spammer.id
        for i in range(n):
            draft = RequestDraft(text=f"{SPAM_TEXT}〔S{i}〕", room="livelihood", bureau="labor")
            await service.file_request(spammer_id, draft, channel="web")
    finally:
        await db.dispose()


def _arrival(fake: FakeBotApi, chat_id: int, marker: str) -> float | None:
    """Monotonic time the first message with ``marker`` reached ``chat_id``, if it did."""
    times = [
        c.at
        for c in fake.calls("sendMessage")
        if c.ok and str(c.chat_id) == str(chat_id) and marker in str(c.params.get("text", ""))
    ]
    return min(times) if times else None


async def _post_warning(run: FaultRun, poster: WebhookPoster, n: int, retries: int) -> None:
    """One critical ``/warn`` by :data:`SPAM_UNIT`'s officer, counted like the burst's."""
    assert run.burst is not None
    officer = run.burst.officers[UNITS.index(SPAM_UNIT)]
    payload = update_of(run.fake, officer.send_text(f"/warn {CRITICAL_TEXT}〔B{n}〕"))
    run.burst.posted += 1
    status = await poster.post(payload, retries=retries)
    (run.burst.acknowledged if 200 <= status < 300 else run.burst.rejected).add(n)


async def _until(predicate: object, timeout: float) -> bool:  # noqa: ASYNC109 - harness API
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return True
        await asyncio.sleep(0.05)
    return False


async def run_spam_critical(
    database: str, workdir: Path, *, spam: int = 60, drain_timeout: float | None = None
) -> FaultReport:
    """``spam`` routine cards queued to one chief, then a critical warning: its delay."""
    async with fault_run("spam-critical", database, workdir, ["spam"]) as run:
        chief = _chief_chat(SPAM_UNIT)
        await _file_spam(run.bench_db.url, spam)
        # Wait until the chief's queue is moving (a card or two delivered), then warn.
        await _until(lambda: len(run.fake.transcript(chief)) >= 2, 60)
        before = sum(1 for m in run.fake.transcript(chief) if m.from_bot)
        t_post = time.monotonic()
        await _post_warning(run, run.posters[0], 1, retries=12)
        await _until(lambda: _arrival(run.fake, chief, "〔B1〕") is not None, 120)
        arrived = _arrival(run.fake, chief, "〔B1〕")
        if arrived is not None:
            run.report.alert_delay_seconds = arrived - t_post
            position = next(
                i
                for i, m in enumerate(run.fake.transcript(chief))
                if m.from_bot and "〔B1〕" in m.content
            )
            run.report.alert_overtook = spam - position
            run.report.notes.append(
                f"{spam} routine cases filed; the chief had {before} cards when the warning "
                f"was posted; it arrived as the chief's message #{position + 1}, ahead of "
                f"{spam - position} queued routine cards"
            )
        await wait_drained(run.bench_db.url, drain_timeout or spam * 1.5 + 60)
        await asyncio.sleep(1)
    return run.report


async def _healthz(origin: str) -> str:
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(origin + "/healthz") as resp,
        ):
            return f"{resp.status} {await resp.text()}"
    except aiohttp.ClientError as exc:
        return f"unreachable ({exc})"


async def run_api_down(
    database: str, workdir: Path, *, down: float = 60.0, rate: float = 1.0
) -> FaultReport:
    """The Bot API unreachable for the first ``down`` seconds after the service starts."""
    async with fault_run("api-down", database, workdir, []) as run:
        fake = run.fake
        # Every call's connection dropped, from before the start until ``down`` seconds
        # after the service is ready (however long a busy machine takes to start it).
        fake.fail(None, 0, duration_s=math.inf)
        t_start = time.monotonic()
        service = ServiceProcess(
            run.bench_db.url, fake, webhook=True, log_path=workdir / "api-down.log"
        )
        await service.start()
        run.services.append(service)
        run.report.notes.append(
            f"ready {time.monotonic() - t_start:.1f} s after start; /healthz then: "
            + await _healthz(service.origin)
        )
        t_ready = time.monotonic()

        async def come_back() -> None:
            await asyncio.sleep(down)
            fake.clear_faults()

        back = asyncio.create_task(come_back())
        retries = int(down / 2) + 20  # 2 s apart at most: Telegram retries for longer
        async with WebhookPoster(service.webhook_url) as poster:
            run.burst = Burst(fake, [poster], retries=retries)

            async def connected() -> None:
                await fake.wait_for(lambda: fake.webhook_url, timeout=down + 120)
                run.report.notes.append(
                    f"bot connected {time.monotonic() - t_ready:.1f} s after the service was "
                    f"ready (Bot API back after {down:g} s)"
                )
                await detach_fake_webhook(fake)

            async def critical() -> None:
                await _post_warning(run, poster, 10_000, retries)

            watcher = asyncio.create_task(connected())
            await run.burst.run(rate, down + 10, at=[(down / 2 / (down + 10), critical)])
            await run.burst.settle(timeout=down + 120)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watcher, down + 120)
            await back
            chief = _chief_chat(SPAM_UNIT)
            await _until(lambda: _arrival(fake, chief, "〔B10000〕") is not None, 60)
            arrived = _arrival(fake, chief, "〔B10000〕")
            if arrived is not None:
                run.report.alert_delay_seconds = arrived - (t_ready + down)
            await wait_drained(run.bench_db.url, 180)
            await asyncio.sleep(1)
    return run.report


__all__ = ["run_api_down", "run_spam_critical"]
