"""Stop 35 trial (docs/trials/stop35.md) D4 and D16, through the bot over the fake Bot API.

D4: charcoal burnt to keep warm, a person unresponsive (我爸在家烧炭取暖，现在叫不醒了) is
carbon-monoxide poisoning by accident: 120 first, open the windows, get out into fresh air;
never the self-harm line 「陪在对方身边，不要让对方一个人待着」.
D16: a forged case button answers the same words for a case that exists and one that does not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, file_request

CITIZEN = 3551
OTHER = 3552
CHARCOAL = "我爸在家烧炭取暖，现在叫不醒了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_charcoal_fumes_get_first_aid_for_carbon_monoxide(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小周")
    mark = citizen.send_text(CHARCOAL)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=mark)
    told = "\n".join(said_since(citizen, mark))
    assert "开窗通风" in told and "空气新鲜处" in told, told
    assert told.index("120") < told.index("110"), told
    assert "不要让对方一个人待着" not in told and "您并不孤单" not in told, told
    (case,) = await kit.cases()
    assert case.severity == "critical"


async def test_a_forged_case_button_does_not_tell_whether_the_case_exists(kit: BotKit) -> None:
    other = kit.user(OTHER, "王芳")
    case = await file_request(kit, other, LABOR_TEXT)
    citizen = kit.user(CITIZEN, "路人")
    greeting = await kit.say(citizen, "/start", "您好")
    await kit.delivered()
    before = await kit.counts()
    answers = []
    for data in (f"ui:wd:{case.id}", "ui:wd:99999"):
        action = kit.fake.press_button(CITIZEN, greeting.message_id, data, strict=False)
        answers.append(await kit.callback_answer(action))
    assert answers[0] == answers[1], answers
    assert "没有找到该案件" in answers[0]
    await kit.delivered()
    assert await kit.counts() == before


async def test_questions_about_the_service_are_answered_and_never_filed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小吴")
    for question in ("你们是干什么的", "你们几点下班", "群众服务中心在哪里", "怎么用", "能办什么"):
        mark = citizen.send_text(question)
        await kit.handled(mark)
        await kit.delivered()
        told = [m for m in citizen.transcript() if m.from_bot][-1]
        labels = [b.get("text") for b in told.buttons]
        assert "民情服务助手" in told.content, (question, told.content)
        desk = kit.district.units[kit.district.dispatcher]
        assert f"地址：{desk.address}" in told.content and f"办公时间：{desk.hours}" in told.content
        assert "反映问题" in labels and "提交" not in labels, labels
        texts = "\n".join(said_since(citizen, mark))
        assert "交由工作人员分派" not in texts and "补充" not in texts, texts
    assert await kit.cases() == []
