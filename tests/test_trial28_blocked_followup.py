"""Trial 28 P2: a citizen who blocked and then unblocked the bot loses neither the 办结
notice nor the 回访, and the station is never told 「已通知」 when nothing was sent.

Telegram's ``my_chat_member`` update says when the person blocks (``kicked``) or
unblocks (``member``) the bot; the fake Bot API sends it (``block``/``unblock`` with
``notify=True``), as in the trial. Notices to a reporter who has blocked the bot are
queued, not dropped: the delivery worker's 403 tells the station to phone, each time.
A 回访 that could not reach them is offered again under /status.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import select

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.enums import CaseStatus, Role
from storage.models import Case, OutboxMessage
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 2811
CHIEF = 2812


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def _blocked(kit: BotKit, blocked: bool) -> None:
    async def marked() -> bool:
        person = await kit.person(CITIZEN)
        return person is not None and (person.blocked_at is not None) == blocked

    await _until(marked, f"people.blocked_at {'set' if blocked else 'cleared'}")


async def _acknowledged(kit: BotKit, chief: FakeUser, card: ChatMessage) -> None:
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)


async def _resolve(kit: BotKit, chief: FakeUser, card: ChatMessage) -> ChatMessage:
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发工资", "办结类型")
    return await kit.say(chief, "实际解决", "已办结")


async def _outbox_to(kit: BotKit, case: Case, chat_id: int) -> list[OutboxMessage]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.case_id == case.id, OutboxMessage.chat_id == chat_id)
            .order_by(OutboxMessage.id)
        )
        return list(rows.all())


async def test_after_an_unblock_the_closure_and_the_follow_up_arrive(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "张大姐")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)

    kit.fake.block(CITIZEN, notify=True)
    await _blocked(kit, True)
    await _acknowledged(kit, chief, card)
    # The 签收 notice could not be delivered: the station is told to phone.
    await chief.wait_for_message(lambda m: "无法送达" in m.content, WAIT)

    kit.fake.unblock(CITIZEN, notify=True)
    await _blocked(kit, False)  # the my_chat_member "member" update, no message needed
    done = await _resolve(kit, chief, card)
    assert "已通知反映人并发起回访" in done.content
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    await kit.callback_answer(citizen.press(question, "已解决·满意"))

    async def rated() -> bool:
        return (await kit.case(case.id)).status != CaseStatus.RESOLVED

    await _until(rated, "the follow-up answer recorded")


async def test_a_case_closed_while_blocked_is_rated_from_status(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "张大姐")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    kit.fake.block(CITIZEN, notify=True)
    await _blocked(kit, True)
    await _acknowledged(kit, chief, card)
    notices = len([m for m in kit.fake.sent_messages(CHIEF) if "无法送达" in m.content])

    done = await _resolve(kit, chief, card)
    # The station hears the truth, and the 办结 notice is queued, not dropped: its
    # 403 tells the station again (each time), with the number to call.
    assert "已通知" not in done.content and "屏蔽" in done.content, done.content
    await chief.wait_for_message(
        lambda m: (
            "无法送达" in m.content
            and len([x for x in kit.fake.sent_messages(CHIEF) if "无法送达" in x.content]) > notices
        ),
        WAIT,
    )
    rows = await _outbox_to(kit, case, CITIZEN)
    assert any("解决了吗" in r.text for r in rows)

    # The citizen comes back: /status offers the 回访 with its buttons.
    kit.fake.unblock(CITIZEN, notify=True)
    await _blocked(kit, False)
    asked = citizen.send_command("/status")
    question = await kit.answer(citizen, asked, "解决了吗")
    assert (case.number or "") in question.content
    labels = {b["text"] for b in question.buttons}
    assert {"已解决·满意", "已解决·基本满意", "已解决·不满意", "未解决"} <= labels
    await kit.callback_answer(citizen.press(question, "已解决·基本满意"))

    async def rated() -> bool:
        return (await kit.case(case.id)).status != CaseStatus.RESOLVED

    await _until(rated, "the follow-up answer recorded")
    assert (await kit.case(case.id)).status in (CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED)
    # Rated: /status offers it no more.
    again = citizen.send_command("/status")
    listing = await kit.answer(citizen, again, (case.number or ""))
    await kit.delivered()
    later = [m for m in kit.fake.sent_messages(CITIZEN) if m.message_id > listing.message_id]
    assert not [m for m in later if "解决了吗" in m.content]
