"""Trial 30 #17: the citizen's /status listed 「办结」「回访」「重办」 and nothing of what happened.

After the station's 办结 and the citizen's 未解决 with a comment, /status now shows the
result on the 办结 line (as the web's /report/status does), the citizen's own answer and
words on the 回访 line, and who handles it again on the 重办 line. The citizen is shown
their own answer only; the station's 退单 or 上报 remarks stay internal, as before.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 3017
CHIEF = 3018
RESULT = "已协调企业于本月底前补发两个月工资"
COMMENT = "到现在一分钱都没发，老板还是不接电话"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_status_shows_the_result_and_the_citizens_own_answer(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "张大姐")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, RESULT, "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    await kit.press(citizen, question, "未解决", "简要说明")
    await kit.say(citizen, COMMENT, "已收到您的意见")
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED

    status = await kit.say(citizen, "/status", "您反映的问题")
    lines = status.content.splitlines()

    def line_of(step: str) -> str:
        (found,) = [ln for ln in lines if re.match(rf"\s+\d\d-\d\d \d\d:\d\d {step}", ln)]
        return found

    assert RESULT in line_of("办结"), status.content
    answered = line_of("回访")
    assert "未解决" in answered and COMMENT in answered, answered
    assert "区劳动局群众工作站重新办理" in line_of("重办"), status.content
