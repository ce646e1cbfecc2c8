"""Trial 32 D5: a supervisor's 催办 edited the handling unit's own 【催签收】 and
【上报督办】 messages to 「——督查督办中心陈主任已于…催办，此消息的按钮已失效」, as if the
supervisor had taken the case over, while the unit still had to 签收.

A 催办 now adds a reminder to the unit (【督办催办】) and leaves its messages and their
buttons as they were; the other supervisors' notices are still settled.
"""

from __future__ import annotations

from bot.fakeapi import ChatMessage
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, said_since
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request
from tests.trial32kit import run_timers_until

CITIZEN = 3251
LABOR = 3252
CENTRE = 3253
PEER = 3254
SETTLED = "此消息的按钮已失效"


async def test_an_urge_reminds_the_unit_and_leaves_its_messages(kit: BotKit) -> None:
    labor = kit.user(LABOR, "劳动站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    centre = kit.user(CENTRE, "陈主任")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    peer = kit.user(PEER, "赵督办")
    await kit.bind(peer, kit.district.supervision, Role.CHIEF)
    case = await file_request(kit, kit.user(CITIZEN, "张大姐"), LABOR_TEXT)
    number = case.number or ""
    await card_of(labor, case)

    # Nobody at 劳动局 签收s: reminded, then escalated to the supervision centre.
    (case,) = await run_timers_until(kit, [case.id], lambda c: c[0].escalation_level >= 1)
    assert case.escalation_level == 1 and case.status == CaseStatus.DISPATCHED
    await kit.delivered()

    def unit_notices() -> list[ChatMessage]:
        return [
            m
            for m in labor.transcript()
            if m.from_bot
            and number in m.content
            and m.buttons
            and not m.content.startswith("【群众诉求】")
        ]

    before = {m.message_id: (m.content, m.buttons) for m in unit_notices()}
    assert any(c.startswith("【上报督办】") for c, _ in before.values()), before
    notices = [
        await u.wait_for_message(
            lambda m: m.content.startswith("【上报督办】") and number in m.content, WAIT
        )
        for u in (centre, peer)
    ]
    mark = labor.send_text("/help")
    done = await kit.callback_answer(centre.press(notices[0], "催办"))
    assert done.startswith("已催办承办单位"), done
    reminder = await labor.wait_for_message(
        lambda m: m.content.startswith("【督办催办】") and number in m.content, WAIT, since=mark
    )
    assert "签收" in str(reminder.buttons), reminder.buttons
    # The other supervisor's copy is settled, as before.
    await peer.wait_for_message(lambda m: m is notices[1] and SETTLED in m.content, WAIT)
    await kit.delivered()

    # The unit's own messages still ask it to act, unedited.
    for message in labor.transcript():
        if message.message_id in before:
            assert (message.content, message.buttons) == before[message.message_id]
    assert not [t for t in said_since(labor, mark) if SETTLED in t]
    assert not [m for m in labor.transcript() if m.from_bot and SETTLED in m.content]
