"""Defects a product trial found in case handling, each driven through the real bot.

The real application polls the fake Bot API; the real delivery worker pushes the
outbox into it. Every date comes from the kit's service clock.

1. 不予受理: the dispatcher desk's chief closes a junk case with a reason.
2. A reopened case (重办) gets fresh deadlines from the service clock.
3. The chief's card says that the citizen chose another office than proposed.
5. Copies of a case's card sent to people with no role on it carry no buttons, and a
   button pressed out of role is refused in Chinese and changes nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from config.district import District
from storage.db import Database
from storage.enums import CaseStatus, Role
from storage.models import Case, CaseEvent, Timer
from tests.botkit import BotKit, card_of, file_request, running_bot, sqlite_bot

CITIZEN = 1001
CHIEF = 2001
DESK_CHIEF = 2002
DESK_STAFF = 2003
POLICE = 2004
LABOR_TEXT = "公司拖欠我三个月工资不发，老板一直找借口"
#: Nothing a classifier can place: it goes to the desk.
JUNK_TEXT = "啊啊啊啊啊啊啊啊啊 阿斯顿发生的"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def events_of(kit: BotKit, case_id: int) -> list[CaseEvent]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
        return list(rows.all())


async def test_desk_chief_rejects_a_junk_case_with_a_reason(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        desk_chief = kit.user(DESK_CHIEF, "分派台主任")
        await kit.bind(desk_chief, district.dispatcher, Role.CHIEF)
        desk_staff = kit.user(DESK_STAFF, "分派员")
        await kit.bind(desk_staff, district.dispatcher, Role.STAFF)
        citizen = kit.user(CITIZEN, "王芳")
        case = await file_request(kit, citizen, JUNK_TEXT)
        assert (case.status, case.owning_unit_id) == (CaseStatus.REGISTERED, district.dispatcher)

        # Only the desk's chief gets 不予受理; the staff member dispatches as before.
        chief_card = await card_of(desk_chief, case)
        staff_card = await card_of(desk_staff, case)
        assert "不予受理" in [b["text"] for b in chief_card.buttons]
        assert "不予受理" not in [b["text"] for b in staff_card.buttons]
        await kit.delivered()
        before = await kit.counts()
        # The chief's genuine button pressed by the staff member: refused, nothing asked.
        pressed = kit.fake.press_button(
            DESK_STAFF, staff_card.message_id, chief_card.callback_data("不予受理"), strict=False
        )
        assert "负责人可以作不予受理处理" in await kit.callback_answer(pressed)
        assert await kit.counts() == before

        # A reason is required: an empty one is asked again, /cancel leaves the case alone.
        prompt = await kit.press(desk_chief, chief_card, "不予受理", "不予受理的理由")
        assert case.number is not None and case.number in prompt.content
        await kit.say(desk_chief, "/cancel", "案件未作改动")
        assert (await kit.case(case.id)).status == CaseStatus.REGISTERED
        await kit.press(desk_chief, chief_card, "不予受理", "不予受理的理由")
        done = await kit.say(desk_chief, "内容无法识别，不是具体诉求", "已不予受理")
        assert case.number in done.content

        # The citizen is told politely, with the reason.
        told = await citizen.wait_for_message(lambda m: "不予受理" in m.content, 10)
        assert "感谢您的反映" in told.content and "内容无法识别，不是具体诉求" in told.content
        assert "欢迎" in told.content
        # The card says so and has no buttons left.
        await desk_chief.wait_for_message(
            lambda m: m is chief_card and "状态：不予受理" in m.content, 10
        )
        assert not chief_card.buttons
        assert "不予受理理由：内容无法识别" in chief_card.content
        assert "超期" not in chief_card.content and "超时】" not in chief_card.content

        # The database: final, no deadlines or timers, the reason in the event.
        stored = await kit.case(case.id)
        assert stored.status == CaseStatus.REJECTED
        assert stored.closed_at == kit.clock.now()
        assert (stored.ack_due_at, stored.resolve_due_at, stored.escalation_level) == (
            None,
            None,
            0,
        )
        events = await events_of(kit, case.id)
        assert [e.type for e in events] == ["registered", "rejected"]
        assert events[-1].note == "内容无法识别，不是具体诉求"
        assert events[-1].actor_id == (await kit.person(DESK_CHIEF)).id  # type: ignore[union-attr]
        async with kit.db.session() as s:
            timers = (await s.scalars(select(Timer).where(Timer.case_id == case.id))).all()
            assert timers and all(
                t.fired_at is not None or t.cancelled_at is not None for t in timers
            )

        # A day later it is neither overdue nor escalated, nor in anybody's /pending.
        kit.clock.advance(timedelta(days=2))
        assert await kit.runtime.cases.pending_for_unit(district.dispatcher) == []
        view = await kit.runtime.cases.get_case_view(case.id, stored.reporter_id or 0)
        assert (view.status_label, view.overdue) == ("不予受理", False)
        status = await kit.say(citizen, "/status", case.number)
        assert "不予受理" in status.content
        # No follow-up question was ever sent.
        assert not [m for m in citizen.transcript() if "解决了吗" in m.content]


async def test_reject_is_refused_once_a_case_is_dispatched(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    desk_chief = kit.user(DESK_CHIEF, "分派台主任")
    await kit.bind(desk_chief, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    assert "不予受理" not in [b["text"] for b in card.buttons]
    person = await kit.person(DESK_CHIEF)
    assert person is not None
    with pytest.raises(Exception, match="不能不予受理"):
        await kit.runtime.cases.reject(case.id, person.id, "广告")
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED


async def test_a_copy_for_someone_without_a_role_carries_no_buttons(kit: BotKit) -> None:
    """An emergency's card also goes to the desk, the centres and the leadership; only
    the owner's card has buttons, and the owner's buttons pressed by the desk change
    nothing (the desk could 退单 or 办结 the station's case from its copy)."""
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    desk = kit.user(DESK_STAFF, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    leader = kit.user(DESK_CHIEF, "群工办管理员")
    await kit.bind(leader, kit.district.leadership, Role.ADMIN)
    citizen = kit.user(CITIZEN, "王芳")
    await kit.answer(citizen, citizen.send_text("楼下有人拿刀砍人，已经流血了"), "已登记")
    (case,) = await kit.cases()
    assert case.owning_unit_id == "police" and case.status == CaseStatus.DISPATCHED
    owner_card = await card_of(police, case)
    assert {"签收", "退单"} <= {b["text"] for b in owner_card.buttons}
    desk_copy = await card_of(desk, case, buttons=False)
    leader_copy = await card_of(leader, case, buttons=False)
    await kit.delivered()
    assert not desk_copy.buttons and not leader_copy.buttons
    before = await kit.counts()
    for label in ("签收", "退单", "上报"):
        pressed = kit.fake.press_button(
            DESK_STAFF, desk_copy.message_id, owner_card.callback_data(label), strict=False
        )
        refusal = await kit.callback_answer(pressed)
        assert "此件由区公安分局" in refusal and "无权办理" in refusal, (label, refusal)
    # A forged button (the owner's data with another case number) is refused as such.
    data = owner_card.callback_data("退单")
    forged = data.replace(f"ret:{case.id}:", f"ret:{case.id + 1}:", 1)
    pressed = kit.fake.press_button(DESK_STAFF, desk_copy.message_id, forged, strict=False)
    assert await kit.callback_answer(pressed) == "无效的按钮，操作未执行。"
    assert await kit.counts() == before
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED
    # The owner's own press works.
    await kit.callback_answer(police.press(owner_card, "签收"))
    await police.wait_for_message(lambda m: m is owner_card and "已签收" in m.content, 10)
    assert (await kit.case(case.id)).status == CaseStatus.ACKNOWLEDGED


async def test_a_reopened_case_gets_fresh_deadlines(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, 10)
    old = await kit.case(case.id)
    assert old.resolve_due_at is not None
    # 办结 comes a day late: that miss stays in the events (and the scores).
    kit.clock.advance(old.resolve_due_at - kit.clock.now() + timedelta(days=1))
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, 10)
    assert (await events_of(kit, case.id))[-1].data["on_time"] is False

    # The reporter answers two days later.
    kit.clock.advance(timedelta(days=2))
    now = kit.clock.now()
    await kit.press(citizen, question, "未解决", "简要说明")
    told = await kit.answer(citizen, citizen.send_text("工资只补发了一个月"), "已收到您的意见")
    deadlines = kit.district.deadlines[old.priority]
    reopened = await kit.case(case.id)
    assert reopened.status == CaseStatus.REOPENED
    assert reopened.ack_due_at == now + deadlines.acknowledge
    assert reopened.resolve_due_at == now + deadlines.resolve
    assert reopened.dispatched_at == now
    fresh = reopened.resolve_due_at.astimezone(kit.runtime.settings.timezone)
    assert fresh.strftime("%Y-%m-%d %H:%M") in told.content
    # The event says so.
    event = (await events_of(kit, case.id))[-1]
    assert event.type == "reopened"
    assert event.data["resolve_due_at"] == reopened.resolve_due_at.isoformat()
    assert event.data["ack_due_at"] == reopened.ack_due_at.isoformat()
    assert event.data["previous_resolve_due_at"] == old.resolve_due_at.isoformat()
    # The chief's card shows the new deadline and is not overdue: the new round is
    # judged by its own deadlines.
    await chief.wait_for_message(lambda m: m is card and "状态：重办中" in m.content, 10)
    assert f"办结时限：{fresh.strftime('%Y-%m-%d %H:%M')}" in card.content
    assert "超期" not in card.content and "超时】" not in card.content
    (pending,) = await kit.runtime.cases.pending_for_unit("labor")
    assert (pending.id, pending.overdue) == (case.id, False)
    # Past the new deadline it is overdue again.
    kit.clock.advance(reopened.resolve_due_at - kit.clock.now() + timedelta(minutes=1))
    (pending,) = await kit.runtime.cases.pending_for_unit("labor")
    assert pending.overdue
    # A timer for each new deadline, none left for the old one.
    async with kit.db.session() as s:
        timers = (
            await s.scalars(
                select(Timer).where(
                    Timer.case_id == case.id,
                    Timer.fired_at.is_(None),
                    Timer.cancelled_at.is_(None),
                )
            )
        ).all()
    assert sorted((t.kind, t.due_at) for t in timers) == sorted(
        [("ack_due", reopened.ack_due_at), ("resolve_due", reopened.resolve_due_at)]
    )


async def test_the_chiefs_card_says_the_citizen_overrode_the_proposal(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        justice = kit.user(CHIEF, "司法局站长")
        await kit.bind(justice, "justice", Role.CHIEF)
        desk = kit.user(DESK_STAFF, "分派员")
        await kit.bind(desk, district.dispatcher, Role.STAFF)
        citizen = kit.user(CITIZEN, "王芳")
        proposal = await kit.say(citizen, LABOR_TEXT, "提交")
        assert "区劳动局" in proposal.content
        await kit.press(citizen, proposal, "换一个部门", "请选择办理部门")
        await kit.press(citizen, proposal, "区司法局", "已按您的选择更改")
        await kit.press(citizen, proposal, "提交", "可选 1/3")
        for _ in range(2):
            citizen.send_text("跳过")
        await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
        (case,) = await kit.cases()
        assert (case.bureau, case.suggested_room, case.suggested_bureau) == (
            "justice",
            "livelihood",
            "labor",
        )
        card = await card_of(justice, case)
        assert "群众自选部门，系统建议：民生保障服务室 · 区劳动局" in card.content
        # The line sits with the classification, above the content.
        assert card.content.index("自选部门") < card.content.index("内容：")

        # 退单, and the desk sends it to the labour bureau: the choice is history now.
        await kit.press(justice, card, "退单", "退单理由")
        await kit.say(justice, "拖欠工资属劳动监察职责", "已退单")
        desk_card = await desk.wait_for_message(
            lambda m: (case.number or "") in m.content and "民生保障" in str(m.buttons), 10
        )
        bureaus = await kit.press(desk, desk_card, "民生保障", "请选择承办部门")
        assert "已派单" in await kit.callback_answer(desk.press(bureaus, "区劳动局"))
        stored = await kit.case(case.id)
        assert (stored.owning_unit_id, stored.suggested_bureau) == ("labor", None)
        await desk.wait_for_message(lambda m: m is desk_card and "已派单" in m.content, 10)
        assert "自选部门" not in desk_card.content

        # A case filed where the bot proposed says nothing of the kind.
        second = await kit.say(citizen, "离婚后孩子抚养权归谁，法院一般怎么判", "提交")
        await kit.press(citizen, second, "提交", "可选 1/3")
        for _ in range(2):
            citizen.send_text("跳过")
        await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
        latest = (await kit.cases())[-1]
        assert latest.suggested_bureau is None and latest.suggested_room is None

        # A third one where the citizen's choice stands.
        third = await kit.say(citizen, "老板拖欠工资两个月了，怎么讨薪", "提交")
        await kit.press(citizen, third, "换一个部门", "请选择办理部门")
        await kit.press(citizen, third, "区司法局", "已按您的选择更改")
        await kit.press(citizen, third, "提交", "可选 1/3")
        for _ in range(2):
            citizen.send_text("跳过")
        await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
        chosen = (await kit.cases())[-1]
        assert (chosen.bureau, chosen.suggested_bureau) == ("justice", "labor")

    # The migration fills the columns of existing cases from the corrections at filing,
    # except where the desk has dispatched by hand since.
    await db.downgrade("0007_i16h")
    await db.migrate()
    async with db.session() as s:
        rows = {
            c.id: (c.suggested_room, c.suggested_bureau)
            for c in (await s.scalars(select(Case))).all()
        }
    assert rows == {
        case.id: (None, None),
        latest.id: (None, None),
        chosen.id: ("livelihood", "labor"),
    }


async def test_first_contact_by_command_is_dated_by_the_service_clock(kit: BotKit) -> None:
    """A citizen's row written by the handlers (``PeopleService.touch``) carries the
    service's time and the one display name rule (first and last name)."""
    kit.clock.advance(timedelta(days=40))  # far from the real date, on any day
    newcomer = kit.fake.user(CITIZEN, "张", last_name="三丰", username="zsf")
    await kit.answer(newcomer, newcomer.send_command("/start"), "您好")
    person = await kit.person(CITIZEN)
    assert person is not None
    assert (person.name, person.created_at) == ("张 三丰", kit.clock.now())


async def test_first_contact_by_text_is_dated_by_the_service_clock(kit: BotKit) -> None:
    """The same row written by the inbox on a first plain-text message."""
    kit.clock.advance(timedelta(days=40))
    newcomer = kit.fake.user(CITIZEN, "张", last_name="三丰", username="zsf")
    await kit.say(newcomer, LABOR_TEXT, "提交")
    person = await kit.person(CITIZEN)
    assert person is not None
    assert (person.name, person.created_at) == ("张 三丰", kit.clock.now())
