"""A Telegram update files its case once: redelivered, replayed after a crash, or raced.

Telegram delivers an update again when the bot did not confirm it (``getUpdates``
offset not moved on, a webhook retried); the inbox replays an update whose process was
killed after its case committed but before the update was marked handled; a second
instance may take an update up. In every case one case is filed (``intake_keys``,
written in the filing's transaction, with a primary key two instances collide on).
Fast and deterministic: the real bot polls the fake Bot API, no sleeps, no wall time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.fakeapi import ChatMessage, FakeUser
from bot.runtime.assembly import Runtime, open_runtime
from bot.runtime.inbox import DurableUpdateQueue
from bot.services.cases.model import TERRITORIAL_KINDS, RequestDraft, WarningDraft
from bot.services.clock import FakeClock
from config.district import District
from config.settings import load_settings
from storage import intake_keys
from storage.db import Database
from storage.enums import Role
from storage.models import Case, InboundUpdate, IntakeKey, OutboxMessage, Person
from tests.botkit import BotKit, running_bot, sqlite_bot
from tests.factories import suite_now

CITIZEN = 1301
TEXT = "公司拖欠我三个月工资不发，老板一直找借口"
WARNING = "村里两户因宅基地纠纷多次争吵，情绪激动"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _to_last_step(kit: BotKit, user: FakeUser) -> None:
    """Describe, 提交, skip two optional steps: the next 跳过 files the case."""
    proposal = await kit.say(user, TEXT, "提交")
    await kit.press(user, proposal, "提交", "可选 1/3")
    await kit.answer(user, user.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(user, user.press_reply_button("跳过"), "可选 3/3")


def _filed(user: FakeUser) -> list[ChatMessage]:
    return [m for m in user.transcript() if m.from_bot and "提交成功" in m.content]


async def _counts(db: Database) -> tuple[int, int, int]:
    """Cases, outbox rows and intake keys in the database."""
    async with db.session() as s:
        cases = await s.scalar(select(func.count()).select_from(Case))
        rows = await s.scalar(select(func.count()).select_from(OutboxMessage))
        keys = await s.scalar(select(func.count()).select_from(IntakeKey))
    return int(cases or 0), int(rows or 0), int(keys or 0)


async def _handled(db: Database, update_id: int) -> None:
    for _ in range(200):
        async with db.session() as s:
            row = await s.get(InboundUpdate, update_id)
            if row is not None and row.processed_at is not None:
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"update {update_id} was never marked handled")


async def test_the_same_update_delivered_twice_files_one_case_and_answers_once(
    kit: BotKit,
) -> None:
    """Telegram sends the filing update again (its offset was not confirmed)."""
    assert kit.app is not None and kit.app.updater is not None
    user = kit.user(CITIZEN, "周")
    await _to_last_step(kit, user)
    # The bot stops fetching; the citizen's last 跳过 waits at Telegram.
    await kit.app.updater.stop()
    action = user.press_reply_button("跳过")
    [payload] = [u for u in kit.fake._pending if u["update_id"] == action.update_id]
    queue = kit.app.update_queue
    assert isinstance(queue, DurableUpdateQueue)
    # Delivered twice, through the queue polled updates go through (the inbox first).
    await queue.put(Update.de_json(payload, kit.app.bot))
    await queue.put(Update.de_json(payload, kit.app.bot))
    done = await user.wait_for_message(lambda m: "提交成功" in m.content, 10, since=action)
    await _handled(kit.db, action.update_id)
    await kit.delivered()
    cases, _, keys = await _counts(kit.db)
    assert cases == 1 and keys == 1
    [case] = await kit.cases()
    assert case.number is not None and case.number in done.content
    assert len(_filed(user)) == 1  # one answer


async def test_an_update_replayed_after_its_case_committed_is_not_filed_again(
    kit: BotKit, district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``kill -9`` between the filing's commit and the update's "handled" mark, then restart.

    The killed instance filed the case and answered; its update was never marked
    handled, so the restarted instance replays it from the state it started from.
    """
    assert kit.app is not None
    user = kit.user(CITIZEN, "周")
    await _to_last_step(kit, user)
    inbox = kit.runtime.inbox
    release = asyncio.Event()
    died: list[int] = []

    target: list[int] = []
    done = inbox.done

    async def dies(update_id: int, *args: Any, **kwargs: Any) -> float | None:
        if update_id not in target:
            return await done(update_id, *args, **kwargs)
        # The process is "killed" here: nothing of the settling is written, ever.
        died.append(update_id)
        await release.wait()
        return None

    monkeypatch.setattr(inbox, "done", dies)
    try:
        await _crash_then_replay(kit, district, user, died, target)
    finally:
        release.set()


async def _crash_then_replay(
    kit: BotKit, district: District, user: FakeUser, died: list[int], target: list[int]
) -> None:
    action = user.press_reply_button("跳过")
    target.append(action.update_id)  # before the bot can fetch it (no await in between)
    first = await user.wait_for_message(lambda m: "提交成功" in m.content, 10, since=action)
    for _ in range(200):
        if died:
            break
        await asyncio.sleep(0.05)
    assert died == [action.update_id]
    await kit.delivered()
    before = await _counts(kit.db)
    assert before[0] == 1
    [case] = await kit.cases()
    assert case.number is not None and case.number in first.content

    # The restarted instance (its own runtime and Bot API connection, the same database)
    # takes the update back once its lease has run out, and replays it.
    async with running_bot(kit.db, district) as restarted:
        assert restarted.app is not None
        again = restarted.user(CITIZEN, "周")
        restarted.clock.advance(timedelta(minutes=1))
        payloads = await restarted.runtime.inbox.reclaim()
        assert [p["update_id"] for p in payloads] == [action.update_id]
        queue = restarted.app.update_queue
        assert isinstance(queue, DurableUpdateQueue)
        for payload in payloads:
            queue.put_accepted(Update.de_json(payload, restarted.app.bot))
        # The replay answers (the killed process may have died before its answer went
        # out) with the case already filed: the same number, no new case, no new cards.
        replayed = await again.wait_for_message(lambda m: "提交成功" in m.content, 10)
        assert case.number in replayed.content
        await _handled(restarted.db, action.update_id)
        await restarted.delivered()
        assert await _counts(restarted.db) == before
        assert before[2] == 1  # the case's intake key


async def test_two_instances_filing_the_same_update_at_once_file_one_case(
    db: Database, district: District
) -> None:
    """Two instances (two connection pools) file the same update concurrently.

    On PostgreSQL (``MINQING_TEST_POSTGRES_URL``) the transactions overlap and the
    second one fails on the key's primary key; on SQLite they are serialised and the
    second one finds the key. Either way: one case, and both answer with its number.
    """
    other_db = Database(db.url)
    settings = load_settings({"DATABASE_URL": db.url, "TELEGRAM_BOT_TOKEN": "1:x"})
    first = await open_runtime(settings, clock=FakeClock(suite_now()), district=district, db=db)
    second = await open_runtime(
        settings, clock=FakeClock(suite_now()), district=district, db=other_db
    )
    try:
        citizen = await first.people.touch(CITIZEN, "周", CITIZEN)
        officer = await first.people.touch(CITIZEN + 1, "吴", CITIZEN + 1)
        unit = next(u for u in district.units.values() if u.kind in TERRITORIAL_KINDS)
        async with db.session() as s:
            person = await s.get(Person, officer.id)
            assert person is not None
            person.role, person.unit_id = Role.OFFICER.value, unit.id

        async def request(runtime: Runtime) -> str:
            with intake_keys.handling(intake_keys.telegram_key(777)):
                view = await runtime.cases.file_request(
                    citizen.id, RequestDraft(text=TEXT), receipt=False
                )
            return str(view.number)

        async def warning(runtime: Runtime) -> str:
            with intake_keys.handling(intake_keys.telegram_key(778)):
                view = await runtime.cases.file_warning(
                    officer.id, WarningDraft(text=WARNING), receipt=False
                )
            return str(view.number)

        requests = await asyncio.gather(request(first), request(second))
        assert requests[0] == requests[1]
        warnings = await asyncio.gather(warning(second), warning(first))
        assert warnings[0] == warnings[1] != requests[0]
        cases, _, keys = await _counts(db)
        assert (cases, keys) == (2, 2)
        # Outside an update (the web form, Open311, the command line) nothing is keyed.
        await first.cases.file_request(citizen.id, RequestDraft(text=TEXT), receipt=False)
        cases, _, keys = await _counts(db)
        assert (cases, keys) == (3, 2)
    finally:
        await second.close()
        await first.close()
        await other_db.dispose()
