"""Stop 35 trial (docs/trials/stop35.md) D4, D7, D8, D9, D14, D16: the bot over the fake Bot API.

D4: charcoal burnt to keep warm, a person unresponsive (我爸在家烧炭取暖，现在叫不醒了) is
carbon-monoxide poisoning by accident: 120 first, open the windows, get out into fresh air;
never the self-harm line 「陪在对方身边，不要让对方一个人待着」.
D7: 满意，谢谢你们 typed while a resolved case's 回访 waits answers it, though the citizen's
self-harm case is open; a farewell on that case is still its danger sign.
D8: a bystander's report told in pieces (楼顶有个人 / 坐在边上 / 说不想活了要跳下去) gets the
bystander's line (110, stay, keep the person in sight) and is filed as someone else at risk.
D9: the station of the officer who filed a warning reads its place beside the summary
(review 35d F3), never the words.
D14: questions about the service get a help text and the menu, never a filing.
D16: a forged case button answers the same words for a case that exists and one that does not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, resolved_request, said_since, sqlite_bot
from tests.criticalkit import filed_without_place
from tests.test_trial_defects import LABOR_TEXT, events_of, file_request

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


CHIEF = 3553
POLICE = 3554


async def test_a_typed_satisfaction_answers_the_follow_up_beside_an_open_crisis(
    kit: BotKit,
) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    _chief, citizen, done = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)
    await filed_without_place(kit, citizen, "我不想活了")
    crisis = next(c for c in await kit.cases() if c.id != done.id)

    thanked = await kit.say(citizen, "满意，谢谢你们", "回访")
    assert "已解决·满意" in thanked.content, thanked.content
    assert "12356" not in thanked.content and "您不是一个人" not in thanked.content
    assert (await kit.case(done.id)).status == CaseStatus.CLOSED
    await kit.delivered()
    assert not [e for e in await events_of(kit, crisis.id) if e.type == "note_added"]
    assert not any(
        "仍在表达痛苦" in m.content or "满意，谢谢你们" in m.content
        for m in police.transcript()
        if m.from_bot
    )

    # A farewell on the open self-harm case is still a sign for its helpers.
    farewell = "谢谢你们，再见了，以后不用联系我了"
    mark = citizen.send_text(farewell)
    await citizen.wait_for_message(lambda m: "您不是一个人" in m.content, WAIT, since=mark)
    await police.wait_for_message(lambda m: "紧急·告别信号" in m.content, WAIT)
    notes = [e.note for e in await events_of(kit, crisis.id) if e.type == "note_added"]
    assert notes == [farewell]


async def test_a_bystanders_report_told_in_pieces_gets_the_bystanders_line(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小郑")
    for piece in ("我们楼顶有个人", "坐在边上"):
        await kit.handled(citizen.send_text(piece))
        await kit.delivered()
    mark = citizen.send_text("说不想活了要跳下去")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=mark)
    told = "\n".join(said_since(citizen, mark))
    assert "110" in told and "留在现场" in told and "视线" in told, told
    assert "您并不孤单" not in told and "12356" not in told, told
    (case,) = await kit.cases()
    (filed,) = [e for e in await events_of(kit, case.id) if e.type == "registered"]
    assert filed.data is not None and filed.data.get("emergency") == "other_at_risk"
    assert case.resolve_due_at is not None


OFFICER = 3555
STATION_CHIEF = 3556
JUMPER = "东城商场楼顶有一名男子站在边上扬言要跳楼"


async def test_the_officers_own_station_chief_sees_where_the_jumper_is(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(STATION_CHIEF, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    await kit.handled(officer.send_text(f"/warn {JUMPER}"))
    await kit.delivered()
    (case,) = await kit.cases()
    number = case.number or "?"
    assert case.territorial_unit_id == "dongcheng"
    card = await chief.wait_for_message(lambda m: number in m.content, WAIT)
    # Review 35d F3: the place beside the privacy summary, never the words.
    assert "东城商场" in card.content, card.content
    assert "为保护当事人隐私" in card.content, card.content
    assert "扬言要跳楼" not in card.content, card.content
