"""Review 2 Q2: leaving the 维持派单 reason step says what really happened.

After the one-tap 派单 of a danger-now case (trial 31 #8) the bot asked the desk for its
reason; leaving that step (/pending, /cancel) answered 「…的维持派单没有完成…案件没有任何
变化…请重新点「维持派单」」 while the case WAS with the police, and no button is called
「维持派单」. Now the desk reads that the case was dispatched and the reason is still
wanted; for an ordinary case the real button (「派至X」) is named.
"""

from __future__ import annotations

import pytest

from storage.enums import CaseStatus
from tests.botkit import BotKit
from tests.criticalkit import beating_sent_back_to_police
from tests.test_b33_keep_reason import DESK, _desk_sends_it_back_to_labor

POLICE = 3374
VICTIM = 3371


@pytest.mark.parametrize("leave", ["/pending", "/cancel"])
async def test_leaving_after_the_one_tap_says_it_was_dispatched(kit: BotKit, leave: str) -> None:
    _, desk, case = await beating_sent_back_to_police(kit, POLICE, DESK, VICTIM)
    number = case.number or "?"
    police_name = kit.district.bureaus["police"].name
    told = await kit.say(desk, leave, "维持派单理由尚未补充")
    assert f"{number} 已派至{police_name}" in told.content
    assert "没有任何变化" not in told.content and "未作改动" not in told.content
    police_station = kit.district.bureaus["police"].station_id
    assert (await kit.case(case.id)).owning_unit_id == police_station


async def test_leaving_an_ordinary_step_names_the_real_button(kit: BotKit) -> None:
    case_id, _, desk = await _desk_sends_it_back_to_labor(kit)
    told = await kit.say(desk, "/cancel", "未派出")
    assert "「派至区劳动局」" in told.content and "「维持派单」" not in told.content
    assert (await kit.case(case_id)).status == CaseStatus.RETURNED
