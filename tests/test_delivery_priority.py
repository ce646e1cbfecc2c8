"""Delivery by priority and fairness, and the at-most-twice guarantee on a slow machine.

Issue 15, break 1 (spam delayed a critical warning behind 60 cards) and break 9 (a
message sent three times when the heir worker's own requests were slow). The cases are
filed through the real case service, delivered by the real worker with the real
``telegram.Bot`` against the fake Bot API; time is the service's fake clock, so the
assertions are about order, never about wall time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from telegram import Bot

from bot.fakeapi import FakeBotApi
from bot.services.cases import RequestDraft, WarningDraft
from bot.services.clock import FakeClock
from config.district import District
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage
from tests.deliverykit import (
    chat_order,
    kill_mid_request,
    sent_texts,
    tally,
    worker,
    write,
)
from tests.factories import chief, citizen, make_service, officer

SPAM = 60


async def _priorities(db: Database, chat_id: int) -> list[int]:
    async with db.session() as s:
        rows = await s.scalars(
            select(OutboxMessage).where(OutboxMessage.chat_id == chat_id).order_by(OutboxMessage.id)
        )
        return [r.priority for r in rows]


async def test_break1_spam_does_not_delay_critical_alert(
    db: Database, district: District, fake: FakeBotApi, bot: Bot
) -> None:
    service = make_service(db, district)
    clock = service.clock
    assert isinstance(clock, FakeClock)
    boss = await chief(db, "construction")
    spammer = await citizen(db)
    informant = await officer(db, "construction")
    assert boss.chat_id is not None and spammer.chat_id is not None
    for n in range(SPAM):
        await service.file_request(spammer.id, RequestDraft(text=f"路灯不亮 第{n}号"))
    # Paced as Telegram requires: one message a second to a private chat.
    w = worker(db, bot, clock=clock, private_interval=timedelta(seconds=1))
    await w.run_once()
    assert len(chat_order(fake, boss.chat_id)) == 1  # the first card is out, 59 wait

    warning = await service.file_warning(
        informant.id, WarningDraft(text="有人在广场聚集", severity="critical")
    )
    assert warning.severity == "critical"
    clock.advance(timedelta(seconds=1))
    await w.run_once()
    delivered = chat_order(fake, boss.chat_id)
    assert len(delivered) == 2
    assert warning.number in delivered[1], delivered[1]  # next after the card in flight
    assert "有人在广场聚集" in delivered[1]

    # The routine cards then follow in the order they were filed, none lost.
    await worker(db, bot, clock=clock, private_interval=timedelta(0)).drain(timeout=60)
    delivered = chat_order(fake, boss.chat_id)
    assert len(delivered) == SPAM + 1
    spam_cards = [m for m in delivered if "路灯不亮" in m]
    assert [int(m.split("第")[1].split("号")[0]) for m in spam_cards] == list(range(SPAM))
    # The rows carry their class: the chief's cards routine, the warning an alert,
    # the spammer's receipts replies.
    assert sorted(set(await _priorities(db, boss.chat_id))) == [
        outbox.PRIORITY_ALERT,
        outbox.PRIORITY_ROUTINE,
    ]
    assert set(await _priorities(db, spammer.chat_id)) == {outbox.PRIORITY_INTERACTIVE}


async def test_break1_busy_chat_does_not_hold_the_others(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    busy = [f"刷屏 {n}" for n in range(30)]
    await write(db, ({"chat_id": 4100, "text": t} for t in busy))
    others = [f"别人 {i}" for i in range(5)]
    await write(db, ({"chat_id": 4200 + i, "text": t} for i, t in enumerate(others)))
    # One row per claim: the order of claims is the order of delivery.
    w = worker(db, bot, batch_size=1, private_interval=timedelta(0))
    await w.drain(timeout=30)
    order = [str(c.params["text"]) for c in fake.calls("sendMessage") if c.ok]
    assert tally(fake, busy + others) == (35, 35, 0)
    # Round-robin: every other chat is served before the busy chat's second message.
    assert set(order[:6]) == {busy[0], *others}
    assert chat_order(fake, 4100) == busy


async def test_alert_overtakes_a_retried_routine_row_but_keeps_its_class_order(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    await write(db, [{"chat_id": 4300, "text": "例行 0"}, {"chat_id": 4300, "text": "例行 1"}])
    fake.fail("sendMessage", 500, count=1)  # the first routine row must be retried
    w = worker(db, bot, retry_base=timedelta(seconds=0.3), retry_cap=timedelta(seconds=0.3))
    await w.run_once()
    await write(
        db,
        (
            {"chat_id": 4300, "text": f"预警 {n}", "priority": outbox.PRIORITY_ALERT}
            for n in range(2)
        ),
    )
    await w.drain(timeout=10)
    assert chat_order(fake, 4300) == ["预警 0", "预警 1", "例行 0", "例行 1"]


async def test_break9_slow_heir_requests_after_a_kill_send_at_most_twice(
    db: Database, fake: FakeBotApi, bot: Bot
) -> None:
    texts = [f"慢答 {i}" for i in range(10)]
    await write(db, ({"chat_id": 4400 + i, "text": t} for i, t in enumerate(texts)))
    lease = timedelta(seconds=0.8)
    # Four requests are in flight when the worker dies. Each is held long enough (6 s) that
    # all four are open at once even on a busy machine, where the worker may take more than
    # a few tenths of a second to start the fourth (with 0.3 s the first could finish before
    # the fourth began, and the wait below timed out; with 2 s it still did once, on two
    # test workers at a load average of 10).
    in_flight = await kill_mid_request(db, fake, bot, lease=lease, hold=6.0, open_within=10)

    # The heir's own requests take longer than its whole lease, as on a busy machine.
    fake.delay("sendMessage", 1.2, count=in_flight)
    heir = worker(db, bot, lease=lease)
    await heir.drain(timeout=20)
    await fake.wait_for(lambda: fake.in_flight("sendMessage") == 0, timeout=10)
    written, delivered, duplicates = tally(fake, texts)
    assert (written, delivered) == (10, 10)
    assert max(sent_texts(fake)[t] for t in texts) <= 2
    assert duplicates <= in_flight
    assert heir.stats.retried == 0 and heir.stats.lease_lost == 0
