"""Triage end to end: emergencies first, small talk, vague openings, officers' levels.

The real bot polls the fake Bot API; the real delivery worker pushes the outbox;
assertions are on what each person sees, in which order, and on the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeapi import ChatMessage, FakeUser
from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.db import Database
from storage.enums import CaseKind, CaseStatus, Role
from storage.models import CaseEvent
from tests.botkit import BotKit, running_bot, sqlite_bot
from tests.criticalkit import critical_case_at_desk
from tests.emergencykit import calls

CITIZEN = 1001
OFFICER = 3001
STATION_CHIEF = 2001
DESK_CHIEF = 2002
OPINION_STAFF = 4001
MEDIATION_CHIEF = 4002
LEADER = 4003
POLICE_CHIEF = 2003
SELF_HARM = "有人在办事大厅割腕，地上有血"
WAGES_CROWD = "和平社区建筑工地有二十多名农民工聚集讨要工资，情绪激动"  # 重大 by the rubric


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def district_alert_staff(kit: BotKit) -> list[FakeUser]:
    """People of the warning centres and the leadership (who hear of critical cases)."""
    opinion = kit.user(OPINION_STAFF, "社情中心")
    await kit.bind(opinion, "opinion_centre", Role.STAFF)
    mediation = kit.user(MEDIATION_CHIEF, "调处中心")
    await kit.bind(mediation, "mediation_centre", Role.CHIEF)
    leader = kit.user(LEADER, "群工办")
    await kit.bind(leader, "office", Role.CHIEF)
    return [opinion, mediation, leader]


async def card_of(user: FakeUser, number: str) -> ChatMessage:
    return await user.wait_for_message(lambda m: number in m.content, 10)


async def test_fire_report_gets_119_first_and_is_filed_critical_with_district_alert(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        desk_chief = kit.user(DESK_CHIEF, "服务中心")
        await kit.bind(desk_chief, district.dispatcher, Role.CHIEF)
        alerted = await district_alert_staff(kit)
        citizen = kit.user(CITIZEN, "王芳")

        action = citizen.send_text("隔壁着火了")
        first = await kit.answer(citizen, action)
        assert calls("119")(first) and "12110" in first.content
        assert "提交" not in str(first.buttons) and "服务室" not in first.content
        receipt = await kit.answer(citizen, action, "已登记")
        assert receipt.message_id > first.message_id

        (case,) = await kit.cases()
        assert case.kind == CaseKind.REQUEST and case.severity == "critical"
        assert case.priority == "critical" and case.number in receipt.content
        # The rubric's fire family names its owner (README): the police station owns it at
        # once with the critical deadlines; the desk, which has nothing to dispatch, a copy.
        critical = district.deadlines["critical"]
        assert case.owning_unit_id == district.bureaus["police"].station_id
        assert case.status == CaseStatus.DISPATCHED and case.dispatched_at is not None
        assert case.resolve_due_at is not None
        assert case.resolve_due_at - case.dispatched_at == critical.resolve
        assert "区公安分局" in receipt.content and "分派" not in receipt.content
        desk_card = await card_of(desk_chief, case.number)
        assert "特别重大" in desk_card.content and "隔壁着火了" in desk_card.content
        assert "综合职能" not in str(desk_card.buttons)
        for person in alerted:
            card = await card_of(person, case.number)
            assert "特别重大" in card.content and "隔壁着火了" in card.content
        async with db.session() as s:
            registered = await s.scalar(
                select(CaseEvent).where(
                    CaseEvent.case_id == case.id, CaseEvent.type == "registered"
                )
            )
        assert registered is not None and registered.data["emergency"] == "fire"
        assert "119" in registered.data["services"]


async def test_emergency_with_a_known_bureau_goes_to_its_station_and_the_desk(kit: BotKit) -> None:
    station = kit.user(STATION_CHIEF, "公安站")
    await kit.bind(station, "police", Role.CHIEF)
    desk = kit.user(DESK_CHIEF, "服务中心")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    text = "楼下有人拿刀砍人，已经有人受伤流血了"
    action = citizen.send_text(text)
    first = await kit.answer(citizen, action)
    assert calls("110")(first)
    await kit.answer(citizen, action, "已登记")
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.status == CaseStatus.DISPATCHED
    assert case.owning_unit_id == "police"
    assert case.resolve_due_at is not None and case.dispatched_at is not None
    assert case.resolve_due_at - case.dispatched_at == kit.district.deadlines["critical"].resolve
    chief_card = await card_of(station, str(case.number))
    assert "签收" in [b["text"] for b in chief_card.buttons]
    desk_card = await card_of(desk, str(case.number))
    assert "特别重大" in desk_card.content


async def test_self_immolation_gets_110_and_119_and_goes_to_the_police(kit: BotKit) -> None:
    """A user trial: the line lacked 119 and the officer was offered 建设局."""
    station = kit.user(STATION_CHIEF, "公安站")
    await kit.bind(station, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text("小区门口有个男的往自己身上浇汽油，手里攥着打火机")
    first = await kit.answer(citizen, action)
    assert calls("110", "119")(first) and "12110" in first.content
    await kit.answer(citizen, action, "已登记")
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.owning_unit_id == "police"

    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, "拆迁户老周扬言明天去售楼部门口自焚", "预警研判")
    assert "公安分局" in proposal.content and "建设局" not in proposal.content
    assert "等级：特别重大" in proposal.content and "自焚" in proposal.content


async def test_officer_self_harm_warning_is_critical_with_its_reasons(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        officer = kit.user(OFFICER, "张信息员")
        await kit.bind(officer, "dongcheng", Role.OFFICER)
        chief = kit.user(STATION_CHIEF, "李站长")
        await kit.bind(chief, "dongcheng", Role.CHIEF)
        police = kit.user(POLICE_CHIEF, "于站长")
        await kit.bind(police, "police", Role.CHIEF)
        alerted = await district_alert_staff(kit)

        # The proposal says why the level is what it is.
        await kit.say(officer, "/warn", "请描述预警情况")
        proposal = await kit.say(officer, SELF_HARM, "预警研判")
        assert "等级：特别重大" in proposal.content
        assert "定级依据：" in proposal.content and "割腕" in proposal.content
        # 特别重大 does not wait for 确认 (trial 26 T24): filed at once, at the rubric's level.
        assert not proposal.buttons
        filed = await officer.wait_for_message(lambda m: "预警已报送" in m.content, 10)
        assert "特别重大" in filed.content
        (case,) = await kit.cases()
        assert case.kind == CaseKind.WARNING and case.severity == "critical"
        # A person at risk of their life is the police's, as from a citizen (trial 30 #13).
        assert case.owning_unit_id == district.bureaus["police"].station_id
        assert case.resolve_due_at is not None
        assert case.resolve_due_at - case.created_at == district.deadlines["critical"].resolve
        card = await card_of(police, str(case.number))
        assert "签收" in [b["text"] for b in card.buttons]
        assert SELF_HARM in card.content
        # The officer's station gets a copy to read, without buttons.
        copy = await card_of(chief, str(case.number))
        assert not copy.buttons
        # The district's alerts read a summary, not the words (verify 29 V7).
        for person in alerted:
            alert = await card_of(person, str(case.number))
            assert "特别重大" in alert.content and "自伤风险求助" in alert.content
            assert SELF_HARM not in alert.content
        assert "severity_changed" not in await kit.events(case.id)


async def test_lowering_a_major_warning_needs_a_reason_and_is_recorded(kit: BotKit) -> None:
    """A 特别重大 one is filed at once (trial 26 T24); 重大 to 较大 needs a reason (D12)."""
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, WAGES_CROWD, "预警研判")
    assert "等级：重大" in proposal.content
    await kit.press(officer, proposal, "更改等级", lambda m: m is proposal and len(m.buttons) == 4)
    asked = await kit.press(officer, proposal, "较大", "须说明理由")
    assert "重大" in asked.content
    again = await kit.say(officer, "已电话核实，工资已当场结清，人员已散", "预警研判")
    assert "等级：较大" in again.content and "降级理由：已电话核实" in again.content
    filed = await kit.press(officer, again, "确认", "预警已报送")
    assert "较大" in filed.content
    await officer.wait_for_message(lambda m: "发生地点" in m.content, 10)
    await kit.answer(officer, officer.press_reply_button("跳过"), "多少人")
    await kit.answer(officer, officer.press_reply_button("跳过"), "照片")
    await kit.say(officer, "完成", "补充完毕")

    (case,) = await kit.cases()
    assert case.severity == "medium"
    async with kit.db.session() as s:
        changed = await s.scalar(
            select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.type == "severity_changed"
            )
        )
    assert changed is not None and changed.note == "已电话核实，工资已当场结清，人员已散"
    assert changed.data["from"] == "high" and changed.data["to"] == "medium"
    timeline = await kit.runtime.cases.timeline(case.id)
    assert any(e.label == "调整等级" and e.note == changed.note for e in timeline)

    # Raising is free: no reason asked.
    await kit.say(officer, "/warn", "请描述预警情况")
    mild = await kit.say(officer, "有居民抱怨小区停车位不够", "预警研判")
    await kit.press(officer, mild, "更改等级", lambda m: m is mild and len(m.buttons) == 5)
    raised = await kit.press(officer, mild, "较大", "等级：较大")
    assert "确认" in str(raised.buttons)


async def test_service_refuses_to_lower_critical_without_reason(kit: BotKit) -> None:
    from bot.services.cases import WarningDraft
    from bot.services.lifecycle import CaseError

    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    person = await kit.person(OFFICER)
    assert person is not None
    with pytest.raises(CaseError) as refused:
        await kit.runtime.cases.file_warning(person.id, WarningDraft(SELF_HARM, severity="high"))
    assert refused.value.code == "reason_required"
    # One letter or punctuation is no reason; and 一般 is refused whatever the reason.
    for reason in ("x", "。。。。。。", "好好好好好好"):
        with pytest.raises(CaseError) as refused:
            await kit.runtime.cases.file_warning(
                person.id, WarningDraft(SELF_HARM, severity="high", severity_reason=reason)
            )
        assert refused.value.code == "reason_required", reason
    with pytest.raises(CaseError) as refused:
        await kit.runtime.cases.file_warning(
            person.id,
            WarningDraft(SELF_HARM, severity="low", severity_reason="已电话核实，家人在身边"),
        )
    assert refused.value.code == "too_low"
    assert await kit.cases() == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好", "有什么可以帮您"),
        ("谢谢", "不客气"),
        ("123", "请用文字描述"),
        ("👍", "请用文字描述"),
        ("ok", "请用文字描述"),
    ],
)
async def test_small_talk_gets_a_friendly_answer_and_the_menu(
    kit: BotKit, text: str, expected: str
) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    answer = await kit.say(citizen, text)
    assert expected in answer.content
    labels = [b["text"] for b in answer.buttons]
    assert labels == ["反映问题", "咨询哪个部门", "查询进度"]
    assert "服务室" not in answer.content and "提交" not in labels
    assert await kit.cases() == []
    # The menu works from there.
    prompt = await kit.press(citizen, answer, "反映问题")
    assert "描述" in prompt.content


async def test_vague_message_gets_one_question_then_a_real_request_is_routed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    question = await kit.say(citizen, "我有个问题")
    assert question.content == "请具体说说遇到了什么问题：发生在哪里、什么事？"
    assert question.buttons == []
    proposal = await kit.say(citizen, "公司拖欠我三个月工资不发", "提交")
    assert "民生保障服务室" in proposal.content
    assert await kit.cases() == []


async def test_small_talk_menu_follows_the_role(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    answer = await kit.say(officer, "谢谢", "不客气")
    labels = [b["text"] for b in answer.buttons]
    assert "反映问题" in labels and "报送预警" in labels and "提交" not in labels
    assert await kit.cases() == []


async def test_trial_desk_is_told_to_dispatch_and_citizen_sees_no_jargon(kit: BotKit) -> None:
    """Trial item 15: an undispatched case's reminder asks the desk for 派单, and the
    citizen's /status shows neither the supervision centre as 承办 nor 催签收 / 上报督办."""
    desk = kit.user(DESK_CHIEF, "服务中心")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    # Danger now reaches the desk only when its owner returns it (trial 29 #2, #7).
    case = await critical_case_at_desk(kit, citizen)
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    assert case.ack_due_at is not None
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    assert await sched.run_due() == 1
    # A critical case's missed 派单时限 goes up at once (trial 26 T5); the desk is told why,
    # in the desk's words (派单, not 签收).
    ping = await desk.wait_for_message(lambda m: m.content.startswith("【上报督办】"), 10)
    assert "超时未派单" in ping.content and "签收" not in ping.content, ping.content
    assert (await kit.case(case.id)).escalated_to_unit_id == kit.district.supervision
    status = await kit.say(citizen, "/status", "最近")
    assert "承办：督查督办中心" not in status.content, status.content
    # A danger-now case back at the desk is being re-assigned urgently (pf30 #1).
    assert "承办：原承办单位已退回，正在紧急重新指派承办单位" in status.content
    for jargon in ("催签收", "催派单", "上报督办"):
        assert jargon not in status.content, status.content
