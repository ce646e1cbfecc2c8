"""Trial 32 D16 (remainder): a message telling a routine matter and a danger now was filed
as one critical case, for the danger, and the routine matter (物业乱收停车费) was lost inside
it. Once the danger is filed and its details step is over, the citizen is offered, with one
button, to file the routine matter as a request of its own."""

from __future__ import annotations

from storage.enums import CaseStatus
from tests.botkit import BotKit

CITIZEN = 3351
MIXED = (
    "我想反映一下物业乱收停车费的问题，收费标准一直不公示。"
    "对了刚才路过三楼闻到很大的煤气味，敲门也没人应"
)
FEES = "我想反映一下物业乱收停车费的问题，收费标准一直不公示"
OFFER = "需要另行登记为一件诉求吗"


async def test_the_routine_matter_beside_a_danger_can_be_filed_with_one_button(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "张女士")
    await kit.answer(citizen, citizen.send_text(MIXED), "所在的地点")
    skip = citizen.send_text("跳过")
    await kit.answer(citizen, skip, "已登记")
    offer = await kit.answer(citizen, skip, OFFER)
    (danger,) = await kit.cases()
    assert danger.severity == "critical" and danger.number in offer.content
    assert "物业乱收停车费" in offer.content and "煤气味" not in offer.content

    proposal = await kit.press(citizen, offer, "另行登记这件事", "提交")
    assert "停车费" in proposal.content
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    cases = await kit.cases()
    assert len(cases) == 2
    routine = cases[-1]
    assert routine.severity != "critical" and routine.original_text == FEES
    assert routine.owning_unit_id != danger.owning_unit_id
    # The danger case keeps the whole message as told.
    assert (await kit.case(danger.id)).original_text == MIXED


async def test_the_offer_can_be_declined_and_nothing_more_is_filed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张女士")
    await kit.answer(citizen, citizen.send_text(MIXED), "所在的地点")
    details = citizen.send_text("和平小区3栋 13900001111")
    offer = await kit.answer(citizen, details, OFFER)
    told = await kit.press(citizen, offer, "不用了", "不另行登记")
    assert "直接发送问题描述" in told.content
    (case,) = await kit.cases()
    assert case.status != CaseStatus.WITHDRAWN and case.severity == "critical"


async def test_a_danger_alone_is_offered_nothing(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张女士")
    await kit.answer(citizen, citizen.send_text("救命！我家楼下着火了，烟很大"), "所在的地点")
    skip = citizen.send_text("跳过")
    await kit.answer(citizen, skip, "已登记")
    await kit.say(citizen, "/status", "您反映的问题")  # the step's handler has finished
    assert not [m for m in citizen.transcript() if OFFER in m.content]
