"""Trial 34 #13: the receipt of a warning the service filed for an officer.

A 重大 proposal the officer never confirmed is filed by the service after 15 minutes
(trial 32 D27). Its receipt was the citizens' one (您的预警已登记 … /status) with no
补充说明 / 撤回 / 更改等级, though the bot told him to add notes under it; and when the
clock moved on past both the reminder and the filing before anything was delivered
(the sandbox's 快进), the stale 【预警未报送】「请点确认」 came in the same batch.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.runtime.scheduler import Scheduler
from storage.enums import Role
from storage.models import OutboxMessage
from tests.botkit import WAIT, BotKit

OFFICER = 3461
WAGES = "三十多名工人明天要到区政府门口聚集讨薪"


async def test_the_auto_filed_receipt_has_the_officers_buttons_and_no_stale_reminder(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述")
    await kit.say(officer, WAGES, "等级：重大")
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)

    # The clock moves on past the reminder and the filing before anything is delivered.
    await kit.pause_delivery()
    for minutes in (6, 11):
        kit.clock.advance(timedelta(minutes=minutes))
        await sched.run_due()
    kit.resume_delivery()
    kit.runtime.outbox_written()
    await kit.delivered()

    (case,) = await kit.cases()
    assert case.kind == "warning" and case.severity == "high"
    number = case.number or ""
    told = await officer.wait_for_message(
        lambda m: "自动报送" in m.content and number in m.content, WAIT
    )
    assert "预警已报送！编号：" + number in told.content
    assert "同时报送：" in told.content and "/mine" in told.content
    assert "/status" not in told.content and "您的预警已登记" not in told.content
    labels = [b["text"] for b in told.buttons]
    assert {"补充说明", "撤回", "更改等级"} <= set(labels), labels
    said = [m.content for m in officer.transcript() if m.from_bot]
    assert not any("【预警未报送】" in t for t in said), said
    async with kit.db.session() as s:
        left = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.text.like("【预警未报送】%"))
        )
    assert left == 0

    # 补充说明 under it works: the note reaches the case.
    await kit.press(officer, told, "补充说明", "请直接发送要补充到")
    await kit.say(officer, "现场已有派出所民警在维持秩序", "补充")
    assert "note_added" in await kit.events(case.id)
    assert len(await kit.cases()) == 1  # the note is no new warning
