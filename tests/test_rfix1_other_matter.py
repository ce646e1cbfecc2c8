"""Review 1, R3 and R4: the routine matter offered beside a danger now.

R3: nothing of the danger's own sentence is offered as another matter (it tells the
danger's cause: 井盖丢了…小孩掉下去了), and the offer never calls the matter 日常诉求.
R4: the matters kept are keyed by the danger case's number (in the buttons' data), a new
danger never erases one kept before, and a button whose matter is gone says it expired.
"""

from __future__ import annotations

from bot.services.other_matter import other_matter
from handlers.other_matter import GONE
from tests.botkit import BotKit

MANHOLE = "小区门口的井盖丢了好几天了没人管，刚才有个小孩掉下去了"
FIRE = "楼道里堆满了杂物，物业不清理，现在着火了，烟很大"
MIXED = (
    "我想反映一下物业乱收停车费的问题，收费标准一直不公示。"
    "对了刚才路过三楼闻到很大的煤气味，敲门也没人应"
)
RUBBISH = "小区垃圾站好几天没人清运了，臭得很。刚才楼下有人晕倒了，叫不醒"
OFFER = "需要另行登记为一件诉求吗"


def test_the_dangers_own_sentence_is_never_offered() -> None:
    assert other_matter(MANHOLE) is None
    assert other_matter(FIRE) is None
    assert other_matter(MIXED) == "我想反映一下物业乱收停车费的问题，收费标准一直不公示"


async def test_a_danger_told_with_its_cause_is_offered_nothing(kit: BotKit) -> None:
    citizen = kit.user(3361, "李先生")
    await kit.answer(citizen, citizen.send_text(MANHOLE), "所在的地点")
    await kit.answer(citizen, citizen.send_text("跳过"), "已登记")
    await kit.say(citizen, "/status", "您反映的问题")  # the step's handler has finished
    assert not [m for m in citizen.transcript() if OFFER in m.content]


async def test_a_second_danger_keeps_the_first_matter_and_each_button_its_own(
    kit: BotKit,
) -> None:
    citizen = kit.user(3362, "张女士")
    await kit.answer(citizen, citizen.send_text(MIXED), "所在的地点")
    # A new danger at the details step, with a routine matter of its own.
    second = citizen.send_text(RUBBISH)
    await kit.answer(citizen, second, "所在的地点")
    gas, faint = await kit.cases()
    skip = citizen.send_text("跳过")
    first_offer = await kit.answer(citizen, skip, lambda m: "停车费" in m.content)
    second_offer = await kit.answer(citizen, skip, lambda m: "垃圾站" in m.content)
    assert gas.number in first_offer.content and faint.number in second_offer.content
    for offer in (first_offer, second_offer):
        assert OFFER in offer.content and "日常诉求" not in offer.content
    data = first_offer.callback_data("另行登记这件事")
    assert gas.number in data  # the button names its case
    # The first offer's button proposes the first matter, not the one kept last.
    proposal = await kit.press(citizen, first_offer, "另行登记这件事", "提交")
    assert "停车费" in proposal.content and "垃圾站" not in proposal.content
    # Pressed again (a client still showing it), the gone matter's button says it expired.
    again = citizen.press_button(
        first_offer.message_id, data, chat_id=first_offer.chat_id, strict=False
    )
    assert await kit.callback_answer(again) == GONE
    assert "过期" in GONE and "已处理" not in GONE
