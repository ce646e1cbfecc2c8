"""Trial 30 #16: a replayed button told a stranger who handles someone else's case.

A citizen pressing a case card's 签收 (data copied from another chat) read 「此件由区公安分局
群众工作站承办，您不是承办单位的工作人员，无权办理。」: that case 3 exists, and who has it.
Now whoever may not read the case — a citizen, a station with no part in it — gets only
「您无权查看该案件。」, for a button that acts at once (签收) and for one that asks for a
note first (退单). Someone who may read the case (a district centre, which sees it on its
dashboard) is still told which unit handles it, where to turn instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 3016
CHIEF = 3017
STRANGER = 3018
OTHER_CHIEF = 3019
CENTRE_STAFF = 3020

NEUTRAL = "没有找到该案件，或者您无权查看。"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_replayed_button_tells_a_stranger_nothing_of_the_case(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    other_chief = kit.user(OTHER_CHIEF, "建设站长")
    await kit.bind(other_chief, "construction", Role.CHIEF)
    centre = kit.user(CENTRE_STAFF, "民意中心小刘")
    await kit.bind(centre, "opinion_centre", Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    ack, ret = card.callback_data("签收"), card.callback_data("退单")
    stranger = kit.user(STRANGER, "路人")
    greeting = await kit.say(stranger, "/start", "您好")
    await kit.delivered()
    before = await kit.counts()

    async def pressed(user_id: int, message_id: int, data: str) -> str:
        action = kit.fake.press_button(user_id, message_id, data, strict=False)
        return await kit.callback_answer(action)

    other_card = await other_chief.wait_for_message(lambda m: "绑定成功" in m.content, 10)
    for who, message_id in ((STRANGER, greeting.message_id), (OTHER_CHIEF, other_card.message_id)):
        for data in (ack, ret):
            answer = await pressed(who, message_id, data)
            assert answer == NEUTRAL, (who, answer)
            assert "劳动局" not in answer and "承办" not in answer
    # The district's opinion centre may read the case: it is told who handles it.
    centre_msg = await centre.wait_for_message(lambda m: "绑定成功" in m.content, 10)
    told = await pressed(CENTRE_STAFF, centre_msg.message_id, ack)
    assert "此件由区劳动局" in told and "无权办理" in told, told
    # Nobody was asked for a reason, and nothing changed.
    assert not [m for m in stranger.transcript() if "退单理由" in m.content]
    assert not [m for m in other_chief.transcript() if "退单理由" in m.content]
    await kit.delivered()
    assert await kit.counts() == before
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED
