"""Trial 28 P10: the desk's 【退单】 notice after the desk dispatched from the card.

The notice kept its 派至 / room buttons, a press on one was refused as 「…无权办理」
(the desk had dispatched it itself), and the confirmation 「已派单至X（李主任）」 read
as if 李主任 were at X. Now the notice loses its buttons and says who dispatched it, a
press on a stale button says where the case went, and the confirmation names the actor
first. The bot, the fake Bot API and the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 2811
LABOR = 2812
DESK = 2813
REASON = "属于社保缴费问题，应由区人社局办理"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_return_notice_settles_when_the_desk_dispatches_from_the_card(
    kit: BotKit,
) -> None:
    labor = kit.user(LABOR, "劳动站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    number = case.number or ""
    await kit.press(labor, await card_of(labor, case), "退单", "退单理由")
    await kit.say(labor, REASON, "已退单")
    notice = await desk.wait_for_message(
        lambda m: m.content.startswith("【退单】") and number in m.content and bool(m.buttons),
        WAIT,
    )
    await kit.delivered()
    card = next(m for m in desk.transcript() if m.content.startswith("【群众诉求】"))
    # The edits of the notices wait in the outbox while the desk presses a stale button.
    await kit.pause_delivery()
    picker = await kit.press(desk, card, "城建规划", "请选择承办部门")
    bureau = picker.buttons[0]["text"]
    answer = await kit.callback_answer(desk.press(picker, bureau))
    assert answer.startswith("已派单至") and number in answer
    await desk.wait_for_message(lambda m: m is picker and "✔" in m.content, WAIT)
    assert "✔ 由李主任派单至" in picker.content and "（李主任）" not in picker.content
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.DISPATCHED
    unit = kit.district.units[stored.owning_unit_id].name

    # A button of the 【退单】 notice now says where the case went, not 「无权办理」.
    stale = await kit.callback_answer(desk.press(notice, "综合职能"))
    assert "无权办理" not in stale
    assert stale.startswith(f"{number} 您已派至{unit}") and "无需重复派单" in stale, stale

    # And the notice loses its buttons, saying who dispatched it.
    kit.resume_delivery()
    await desk.wait_for_message(
        lambda m: m is notice and "按钮已失效" in m.content and not m.buttons, WAIT
    )
    assert "李主任已于" in notice.content
