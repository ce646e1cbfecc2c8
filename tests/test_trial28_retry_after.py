"""Trial 28 P1: a Telegram 429 (``RetryAfter``) on the bot's reply loses nothing.

An officer's critical ``/warn`` and a citizen's fire report met a 429 on the bot's
first reply: the update was marked handled, nothing was filed, and the person got
「请稍后再试」 or nothing. Now the danger report is filed (and its alerts queued)
before anything is sent; a short 429 is waited out in place; a longer one hands the
update back to the inbox, whose replay (after the wait Telegram gave) finds the case
by the update's intake key, files nothing again and sends the line and the receipt.
The fake Bot API answers the 429s (``FakeBotApi.fail``), as in the trial.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeapi import ChatMessage
from bot.runtime.telegram_app import hand_over
from config.district import District
from handlers import texts
from storage.enums import Role
from storage.models import Case, InboundUpdate, OutboxMessage
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.emergencykit import calls

OFFICER = 2801
POLICE = 2802
CITIZEN = 2803
NEIGHBOUR = 2804
CRANE = "/warn 高新园区有人爬上塔吊要跳楼讨薪"
KNIFE = "/warn 东城街道幸福路有人持刀伤人，一人倒地流血"
FIRE = "隔壁厨房着火了，火很大"
NOISE = "隔壁装修噪音太大了，每天早上六点就开始"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _people(kit: BotKit) -> None:
    await kit.bind(kit.user(OFFICER, "李信息员"), "dongcheng", Role.OFFICER)
    await kit.bind(kit.user(POLICE, "公安站长"), "police", Role.CHIEF)


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(400):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def _updates(kit: BotKit, user_id: int) -> list[InboundUpdate]:
    """The unhandled updates of ``user_id`` (a handled one's payload is not kept)."""
    async with kit.db.session() as s:
        rows = (await s.scalars(select(InboundUpdate).order_by(InboundUpdate.update_id))).all()
    return [
        r for r in rows if (r.payload or {}).get("message", {}).get("from", {}).get("id") == user_id
    ]


async def _cases(kit: BotKit) -> list[Case]:
    return await kit.cases()


def _errors(kit: BotKit, chat_id: int) -> list[ChatMessage]:
    return [
        m
        for m in kit.fake.sent_messages(chat_id)
        if texts.NOT_SAVED_ERROR in m.content or texts.DEAD_LETTERED in m.content
    ]


async def test_one_429_on_the_first_reply_files_and_answers(kit: BotKit) -> None:
    await _people(kit)
    officer, citizen = kit.user(OFFICER, "李信息员"), kit.user(CITIZEN, "张大姐")
    # The next reply to each of them is refused once with 429 (retry after 1 s).
    rules = [
        kit.fake.fail("sendMessage", 429, count=1, retry_after=1, chat_id=chat)
        for chat in (OFFICER, CITIZEN)
    ]
    warned = officer.send_text(CRANE)
    reported = citizen.send_text(FIRE)

    receipt = await kit.answer(officer, warned, "预警已报送")
    line = await kit.answer(officer, warned, calls("110"))
    assert line.message_id < receipt.message_id  # the number to call first
    await kit.answer(citizen, reported, calls("119"))
    await kit.answer(citizen, reported, "紧急情况已记录")  # and where are you now?
    await kit.answer(citizen, reported, "已登记")  # the receipt (from the outbox)
    assert [r.served for r in rules] == [1, 1]  # both 429s were met

    cases = await _cases(kit)
    assert len(cases) == 2, [c.number for c in cases]
    assert {c.severity for c in cases} == {"critical"}
    warning = next(c for c in cases if c.kind == "warning")
    # The district's police get the warning's card (the alert went out).
    await kit.user(POLICE, "公安站长").wait_for_message(
        lambda m: (warning.number or "") in m.content, WAIT
    )
    assert not _errors(kit, OFFICER) and not _errors(kit, CITIZEN)
    await _until(lambda: _all_handled(kit), "every update marked handled")


async def _all_handled(kit: BotKit) -> bool:
    """Every update in the inbox handled, none given up."""
    async with kit.db.session() as s:
        rows = (await s.scalars(select(InboundUpdate))).all()
    assert all(r.dead_at is None for r in rows)
    return all(r.processed_at is not None for r in rows)


async def test_a_429_window_files_at_once_and_answers_after_the_wait(kit: BotKit) -> None:
    await _people(kit)
    officer = kit.user(OFFICER, "李信息员")
    citizen, neighbour = kit.user(CITIZEN, "张大姐"), kit.user(NEIGHBOUR, "王先生")
    # Every sendMessage answers 429 until the window ends (the test ends it below).
    kit.fake.fail("sendMessage", 429, duration_s=math.inf, retry_after=1)
    warned = officer.send_text(KNIFE)
    reported = citizen.send_text(FIRE)
    asked = neighbour.send_text(NOISE)

    async def handed_back() -> bool:
        rows = [
            *(await _updates(kit, OFFICER)),
            *(await _updates(kit, CITIZEN)),
            *(await _updates(kit, NEIGHBOUR)),
        ]
        return len(rows) == 3 and all(r.last_error == "RetryAfter" for r in rows)

    await _until(handed_back, "the three updates handed back after their 429s")
    # Inside the window, before anybody got a word: both dangers are filed, once,
    # critical, and their alerts are queued.
    cases = await _cases(kit)
    assert sorted((c.kind, c.severity) for c in cases) == [
        ("request", "critical"),
        ("warning", "critical"),
    ]
    police = await kit.person(POLICE)
    assert police is not None
    async with kit.db.session() as s:
        alerts = await s.scalars(select(OutboxMessage).where(OutboxMessage.person_id == police.id))
        assert {m.case_id for m in alerts.all()} >= {c.id for c in cases if c.kind == "warning"}
    assert not kit.fake.sent_messages(CITIZEN) and not kit.fake.sent_messages(NEIGHBOUR)

    # The window ends; the host's replay takes the updates up after the wait (its
    # clock driven here) and everybody is answered.
    kit.fake.clear_faults()
    assert kit.app is not None
    kit.clock.advance(timedelta(seconds=5))
    replayed = await hand_over(kit.app, await kit.runtime.inbox.reclaim(), kit.runtime.inbox)
    assert replayed == 3
    await kit.answer(officer, warned, calls("110"))
    await kit.answer(officer, warned, "预警已报送")
    await kit.answer(citizen, reported, calls("119"))
    await kit.answer(citizen, reported, "紧急情况已记录")
    await kit.answer(citizen, reported, "已登记")
    await kit.answer(neighbour, asked, lambda m: bool(m.buttons) and "提交" in m.content)
    await kit.user(POLICE, "公安站长").wait_for_message(
        lambda m: any((c.number or "") in m.content for c in cases if c.kind == "warning"), WAIT
    )

    # Nothing filed twice, nobody told 「请稍后再试」, every update handled.
    assert len(await _cases(kit)) == 2
    for user_id in (OFFICER, CITIZEN, NEIGHBOUR):
        assert not _errors(kit, user_id)

    await _until(lambda: _all_handled(kit), "the replayed updates marked handled")
    sent = kit.fake.sent_messages(CITIZEN)
    assert len([m for m in sent if calls("119")(m)]) == 1
    for said in ("紧急情况已记录", "已登记"):
        assert len([m for m in sent if said in m.content]) == 1, said
    officer_got = [m.content for m in kit.fake.sent_messages(OFFICER)]
    assert len([t for t in officer_got if "预警已报送" in t]) == 1
