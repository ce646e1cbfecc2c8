"""Station chiefs end to end: card buttons, 退单/办结 with notes, dispatch, /pending, refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from bot.services.lifecycle import CaseError
from config.district import District
from storage.db import Database
from storage.enums import CaseStatus, Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, card_of, file_request, running_bot, sqlite_bot
from tests.criticalkit import critical_case_at_desk

CITIZEN = 1001
CHIEF = 2001
DESK = 2002
SUPERVISOR = 2003
STRANGER = 1002
LABOR_TEXT = "公司拖欠我三个月工资不发，老板一直找借口"
SCHOOL_TEXT = "孩子明年上小学，报名需要什么材料，学区怎么划分"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_return_with_reason_dispatch_and_resolve_edit_the_card_in_place(
    kit: BotKit,
) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, "service_centre", Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)

    # 退单 asks for a reason; another command leaves the note behind (and is answered),
    # so the next text is not taken as the reason; /cancel leaves the case alone too.
    prompt = await kit.press(chief, card, "退单", "退单理由")
    assert case.number is not None and case.number in prompt.content
    listing = await kit.say(chief, "/pending", "待办案件")
    assert case.number in listing.content
    # A chief's words are no citizen's filing (trial 29 P5): the office for reference.
    asked = await kit.say(chief, SCHOOL_TEXT, "没有关联到案件")
    assert "办理部门是区教体局" in asked.content
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED
    await kit.press(chief, card, "退单", "退单理由")
    await kit.say(chief, "/cancel", "案件未作改动")
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED
    await kit.press(chief, card, "退单", "退单理由")
    returned = await kit.say(chief, "不属于本单位职责，应由人社部门办理", "已退单")
    assert "群众服务中心" in returned.content
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.RETURNED and stored.owning_unit_id == "service_centre"
    await chief.wait_for_message(lambda m: m is card and "已退单" in m.content, 10)
    assert not card.buttons  # the chief may no longer act on it
    ping = await desk.wait_for_message(lambda m: "【退单】" in m.content, 10)
    assert "不属于本单位职责" in ping.content
    await citizen.wait_for_message(lambda m: "重新分派" in m.content, 10)

    # The desk picks a room, then a bureau: the case goes back to the labour bureau.
    desk_card = await desk.wait_for_message(
        lambda m: (case.number or "") in m.content and "社会事业" in str(m.buttons), 10
    )
    # The desk's first suggestion is not the bureau that has just returned the case.
    assert "派至区劳动局" not in [b["text"] for b in desk_card.buttons]
    bureaus = await kit.press(desk, desk_card, "民生保障", "请选择承办部门")
    assert [b["text"] for b in bureaus.buttons] == ["区劳动局", "区民政局", "区人事局", "« 返回"]
    # « 返回 (trial item 18) takes the picker away; the card's room buttons are still there.
    await kit.callback_answer(desk.press(bureaus, "« 返回"))
    await kit.fake.wait_for(lambda: True if bureaus.deleted else None, 10)
    bureaus = await kit.press(desk, desk_card, "民生保障", "请选择承办部门")
    # Back to the unit that returned it: the desk's reason first (b33 #4).
    await kit.press(desk, bureaus, "区劳动局", "维持派单的理由")
    await kit.say(desk, "经核实为欠薪问题，属劳动局职责", "已维持派单")
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED

    # The case comes back as a new card (an edit of the returned one would not notify),
    # which is then edited in place: 签收 again, 处理中, 办结 with a note.
    returned_card = card
    card = await chief.wait_for_message(
        lambda m: (
            m is not returned_card and (case.number or "") in m.content and "签收" in str(m.buttons)
        ),
        10,
    )
    assert card.message_id > returned_card.message_id and not returned_card.buttons
    for label, status in (("签收", "已签收"), ("处理中", "处理中")):
        pressed = chief.press(card, label)
        await kit.callback_answer(pressed)
        shown = f"状态：{status}"
        await chief.wait_for_message(lambda m: m is card and shown in m.content, 10)  # noqa: B023
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已责令企业补发工资", "办结类型")
    await kit.say(chief, "其他", "办结类型")  # not one of the three: asked again
    await kit.say(chief, "解释说明", "已办结")
    await chief.wait_for_message(
        lambda m: m is card and "办理结果：已责令企业补发工资" in m.content, 10
    )
    cards = [m for m in chief.transcript() if (case.number or "") in m.content and m.from_bot]
    assert cards[0] is returned_card and "已退单" in returned_card.content
    assert card in cards and card.edit_count >= 3
    events = await kit.events(case.id)
    assert events == [
        "registered",
        "dispatched",
        "returned",
        "dispatched",
        "acknowledged",
        "in_progress",
        "resolved",
    ]
    async with kit.db.session() as s:
        stored = await s.get(Case, case.id)
        assert stored is not None and stored.closure_kind == "explained"


async def test_forged_stale_and_foreign_buttons_change_nothing(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        chief = kit.user(CHIEF, "李站长")
        await kit.bind(chief, "labor", Role.CHIEF)
        citizen = kit.user(CITIZEN, "王芳")
        case = await file_request(kit, citizen, LABOR_TEXT)
        card = await card_of(chief, case)
        ack_data = card.callback_data("签收")
        done_data = card.callback_data("退单")
        await kit.delivered()
        before = await kit.counts()

        stranger = kit.user(STRANGER, "路人")
        hello = await kit.answer(stranger, stranger.send_command("/start"), "您好")
        sig_forged = ack_data[:-3] + ("AAA" if not ack_data.endswith("AAA") else "BBB")
        for data, refusal in (
            (sig_forged, "无效的按钮"),
            (f"ack:{case.id}:99:xxxxxxxxxx", "无效的按钮"),
            ("garbage", "无效的按钮"),
            ("ui:sub:999", "失效"),
            # A chief's genuine button, pressed by a stranger: nothing of the case is told,
            # not even who handles it (trial 30 #16); no note is even asked for.
            (ack_data, "没有找到该案件，或者您无权查看"),
            (done_data, "没有找到该案件，或者您无权查看"),
        ):
            pressed = kit.fake.press_button(STRANGER, hello.message_id, data, strict=False)
            assert refusal in await kit.callback_answer(pressed), data
        assert await kit.counts() == before
        assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED

        # The chief acknowledges; the old button (now gone from the card) is stale.
        await kit.callback_answer(chief.press(card, "签收"))
        await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, 10)
        stale = kit.fake.press_button(CHIEF, card.message_id, ack_data, strict=False)
        assert "您已签收，无需重复操作" in await kit.callback_answer(stale)  # D3: by himself
        assert (await kit.events(case.id)).count("acknowledged") == 1


async def test_pending_lists_overdue_first_and_shows_cards(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    empty = await kit.say(chief, "/pending", "没有待办")
    assert empty.content
    citizen = kit.user(CITIZEN, "王芳")
    old = await file_request(kit, citizen, LABOR_TEXT)
    kit.clock.advance(timedelta(days=2))
    new = await file_request(kit, citizen, "单位不给交社保，也不签劳动合同")
    assert new.owning_unit_id == "labor"
    listing = await kit.say(chief, "/pending", "待办案件")
    assert "共2件" in listing.content and "超期1件" in listing.content
    assert listing.content.index(old.number or "") < listing.content.index(new.number or "")
    assert "⚠️签收超时 " + (old.number or "") in listing.content
    shown = await kit.press(chief, listing, f"查看 {old.number}", "【签收超时】")
    assert "签收" in [b["text"] for b in shown.buttons]
    pressed = chief.press(shown, "签收")
    assert (await kit.callback_answer(pressed)).startswith("已签收")
    assert (await kit.case(old.id)).status == CaseStatus.ACKNOWLEDGED

    citizen_pending = await kit.say(citizen, "/pending", "只有已绑定单位")
    assert citizen_pending.content


async def test_escalate_reaches_the_supervision_centre(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "education", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "督查员")
    await kit.bind(supervisor, "supervision_centre", Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, SCHOOL_TEXT)
    assert case.owning_unit_id == "education"
    card = await card_of(chief, case)
    # 上报 asks for the reason, as the web action does, and passes it on.
    await kit.press(chief, card, "上报", "上报理由")
    done = await kit.say(chief, "校外培训涉及多个部门，需区里协调", "已上报")
    assert "督查督办中心" in done.content
    supervised = await supervisor.wait_for_message(lambda m: "【上报督办】" in m.content, 10)
    assert case.number is not None and case.number in supervised.content
    assert "说明：校外培训涉及多个部门，需区里协调" in supervised.content
    stored = await kit.case(case.id)
    assert stored.escalation_level == 1 and stored.escalated_to_unit_id == "supervision_centre"
    # A chief asked for a 退单 reason who starts a warning instead: the note is left
    # behind, the warning conversation takes the text.
    await kit.press(chief, card, "退单", "退单理由")
    await kit.say(chief, "/warn", "请描述预警情况")
    proposal = await kit.say(chief, "学校门口家长五十余人聚集，情绪激动", "预警研判")
    assert "确认" in [b["text"] for b in proposal.buttons]
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED


async def test_extension_approved_with_the_supervision_chiefs_button(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "督查主任")
    await kit.bind(supervisor, "supervision_centre", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    chief_person = await kit.person(CHIEF)
    assert chief_person is not None and case.resolve_due_at is not None
    await kit.runtime.cases.request_extension(case.id, chief_person.id, "需调取社保记录", 5)
    kit.runtime.outbox_written()
    ask = await supervisor.wait_for_message(lambda m: "【延期申请】" in m.content, 10)
    assert "需调取社保记录" in ask.content
    assert [b["text"] for b in ask.buttons] == ["同意延期", "不同意"]
    assert "已同意延期" in await kit.callback_answer(supervisor.press(ask, "同意延期"))
    stored = await kit.case(case.id)
    assert stored.extension_due_at is None and stored.resolve_due_at is not None
    assert stored.resolve_due_at > case.resolve_due_at
    told = await citizen.wait_for_message(lambda m: "同意延期" in m.content, 10)
    assert "办结时限调整为" in told.content
    # Nothing left to decide: the request's buttons are gone and it says what was decided.
    decided = await supervisor.wait_for_message(lambda m: m is ask and not m.buttons, 10)
    assert "✔ 已同意延期（督查主任）" in decided.content


async def test_trial_desk_dispatches_to_a_street_station(kit: BotKit) -> None:
    """Trial item 7: a station returns a case to the desk naming a street station; the
    desk must be able to send it there (it could only pick bureaus)."""
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, "service_centre", Role.STAFF)
    street = kit.user(SUPERVISOR, "西湖站长")
    await kit.bind(street, "xihu", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.press(chief, card, "退单", "退单理由")
    await kit.say(chief, "该事发地在西湖街道辖区，请转西湖街道工作站", "已退单")
    desk_card = await desk.wait_for_message(
        lambda m: (case.number or "") in m.content and "街道/园区工作站" in str(m.buttons), 10
    )
    stations = await kit.press(desk, desk_card, "街道/园区工作站", "请选择承办的工作站")
    names = [b["text"] for b in stations.buttons]
    assert "西湖街道群众工作站" in names and "高新园区群众工作站" in names
    dispatched = desk.press(stations, "西湖街道群众工作站")
    assert "已派单至西湖街道群众工作站" in await kit.callback_answer(dispatched)
    stored = await kit.case(case.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "xihu")
    xihu_card = await card_of(street, case)
    assert "签收" in [b["text"] for b in xihu_card.buttons]


async def test_trial_supervision_supervises_an_escalated_undispatched_case(kit: BotKit) -> None:
    """Trial item 7, then trial 29 #9: 督查督办中心 gets an undispatched case escalated
    from the desk with 上报 (催办 once a unit holds it) — it supervises, it does not
    dispatch in the desk's place (no 派至 / room buttons, and a forged 派单 is refused);
    the desk dispatches."""
    supervisor = kit.user(SUPERVISOR, "督办中心")
    await kit.bind(supervisor, kit.district.supervision, Role.CHIEF)
    desk = kit.user(DESK, "服务中心")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    police = kit.user(CHIEF, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    # Danger now reaches the desk only when its owner returns it (trial 29 #2, #7).
    case = await critical_case_at_desk(kit, citizen)
    assert case.ack_due_at is not None
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    # The desk's reminders for a critical case (none: trial 26 T5), then up to the centre.
    for _ in range(kit.district.escalation.renotify_count_for(case.priority) + 1):
        assert await sched.run_due() == 1
        kit.clock.advance(kit.district.escalation.renotify_interval)
    assert (await kit.case(case.id)).escalated_to_unit_id == kit.district.supervision
    await kit.delivered()
    number = case.number or ""
    sup_card = await supervisor.wait_for_message(
        lambda m: number in m.content and "上报" in str(m.buttons), WAIT
    )
    labels = [b["text"] for b in sup_card.buttons]
    assert not any(label.startswith("派至") or label == "综合职能" for label in labels), labels
    chief = await kit.person(SUPERVISOR)
    assert chief is not None
    with pytest.raises(CaseError) as refused:
        await kit.runtime.cases.dispatch(case.id, chief.id, "police")
    assert refused.value.code == "forbidden"
    assert (await kit.case(case.id)).owning_unit_id == kit.district.dispatcher

    # The desk still dispatches it.
    desk_card = await desk.wait_for_message(
        lambda m: number in m.content and "综合职能" in str(m.buttons), WAIT
    )
    bureaus = await kit.press(desk, desk_card, "综合职能", "请选择承办部门")
    assert "已派单" in await kit.callback_answer(desk.press(bureaus, "区公安分局"))
    # Danger now went back in one tap; the desk's reason is asked right after (b33 #4).
    await desk.wait_for_message(lambda m: "维持派单的理由" in m.content, WAIT)
    await kit.say(desk, "呼救求助属公安处置，请立即出警", "已维持派单")
    stored = await kit.case(case.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "police")
    await card_of(police, case)
