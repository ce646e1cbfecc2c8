"""Trial 31 #15: after 退单 with 应由区人事局办理 the desk was still offered 派至区计生局.

The returning unit names where the case belongs; the desk's 【退单】 notice now offers
that bureau first (派至区人事局) as 分派建议; the case's category changes only when the
desk dispatches it (trial 32 D2). A reason that names
no bureau leaves the classifier's alternative, as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 3171
LABOR = 3172
DESK = 3173
REASON = "退休人员丧葬费属于社保，应由区人事局办理"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_desk_is_offered_the_bureau_the_return_names(kit: BotKit) -> None:
    labor = kit.user(LABOR, "劳动站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王大爷")
    case = await file_request(kit, citizen, LABOR_TEXT)
    number = case.number or ""
    await kit.press(labor, await card_of(labor, case), "退单", "退单理由")
    await kit.say(labor, REASON, "已退单")
    notice = await desk.wait_for_message(
        lambda m: m.content.startswith("【退单】") and number in m.content and bool(m.buttons),
        WAIT,
    )
    assert notice.buttons[0]["text"] == "派至区人事局"
    # The proposal is kept apart: the case's classification changes only with the desk's
    # 派单 (trial 32 D2), the desk's card shows it as 分派建议.
    stored = await kit.case(case.id)
    assert (stored.bureau, stored.suggested_bureau) == (case.bureau, "personnel")
    card = await desk.wait_for_message(
        lambda m: m.content.startswith("【群众诉求】") and number in m.content, WAIT
    )
    assert "分派建议：民生保障服务室 · 区人事局" in card.content
    answer = await kit.callback_answer(desk.press(notice, "派至区人事局"))
    assert answer.startswith("已派单至")
    assert (await kit.case(case.id)).owning_unit_id == "personnel"
