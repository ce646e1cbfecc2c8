"""More defects a product trial found in case handling, each driven through the real bot.

The real application polls the fake Bot API; the real delivery worker pushes the
outbox into it. Every date comes from the kit's service clock.

D7  Lowering a critical warning: a real reason, no lower than 较大, the district told.
D4  A 办结 result must say something (ok is refused with a clear message).
D5  The first follow-up answer stands: the buttons go, a later tap is refused, and the
    typed comment after 未解决 reopens the case.
D29 The second reopening (重办) sends the case to supervision; the cards count the rounds.
D15 The supervision centre supervises a case escalated to it (催办, 上报): it cannot 签收
    or 办结 in the station's name; an admin of another unit who does is recorded as that
    unit, and the station gets no credit in the assessment.
D3/D8/D22 A button pressed while a note is awaited cancels it and says so; a double tap
    says 您已签收; 签收 on an older message of the case works while it is still possible.
Privacy: an identity number typed in the complaint is masked on every card (the owner's
    too), a phone number for everyone but the owning unit; the preview warns the citizen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.fakeapi import ChatMessage, FakeUser
from bot.services.scores import unit_scores
from config.district import District
from storage.enums import CaseStatus, Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, sqlite_bot, submit_proposal
from tests.lowering import file_lowered
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

OFFICER = 3401
CHIEF = 2401
LEADER = 2402
CENTRE = 2403
CITIZEN = 1401
SUPERVISOR = 2404
ADMIN = 2405
OTHER_CITIZEN = 1402
SUICIDE = "和平社区3号楼有个老人说活着没意思，把家里的药都攒起来了，儿子在外地联系不上"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_d7_a_lowered_critical_warning_needs_a_reason_and_the_district_is_told(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(CHIEF, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    leader = kit.user(LEADER, "群工办")
    await kit.bind(leader, kit.district.leadership, Role.STAFF)
    centre = kit.user(CENTRE, "收集中心")
    await kit.bind(centre, kit.district.warning_centres[0], Role.STAFF)

    # The bot files a critical warning at once (trial 26 T24); the service still files
    # one lowered with a reason, and the district is told.
    await file_lowered(kit, officer, SUICIDE, "medium", "已电话联系其儿子，今晚回家陪护")

    (case,) = await kit.cases()
    assert case.severity == "medium"
    number = case.number or ""
    # Those a critical alert goes to get the card and the 【定级说明】 with the reason.
    for person in (leader, centre, chief):
        told = await person.wait_for_message(
            lambda m: m.content.startswith("【定级说明】") and number in m.content, WAIT
        )
        assert "“特别重大”下调为“较大”" in told.content
        assert "下调理由：已电话联系其儿子，今晚回家陪护" in told.content
    await leader.wait_for_message(lambda m: m.content.startswith("【预警信息】"), WAIT)
    # The record keeps the rubric's level and the officer's.
    async with kit.db.session() as s:
        events = list(
            (
                await s.scalars(
                    select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
                )
            ).all()
        )
    registered = next(e for e in events if e.type == "registered")
    changed = next(e for e in events if e.type == "severity_changed")
    assert registered.data["rubric"] == "critical"
    assert (changed.data["from"], changed.data["to"]) == ("critical", "medium")
    assert changed.note == "已电话联系其儿子，今晚回家陪护"


async def test_d4_d5_a_result_must_say_something_and_the_first_follow_up_answer_stands(
    kit: BotKit,
) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)

    # D4: ok, punctuation, a repeated character: asked again, nothing saved.
    await kit.press(chief, card, "办结", "办结说明")
    for weak in ("ok", "。。！！", "好好好好"):
        again = await kit.say(chief, weak, "办理结果过于简单")
        assert "至少4个字" in again.content
    assert (await kit.case(case.id)).status == CaseStatus.ACKNOWLEDGED
    await kit.say(chief, "已协调企业本月底前补发全部工资", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    assert not [m for m in citizen.transcript() if "办理结果：ok" in m.content]
    assert (await kit.case(case.id)).resolution_note == "已协调企业本月底前补发全部工资"

    # D5: 未解决 is the answer: the question loses the other answers at once (the chosen
    # one stays until the comment, as the way back in after leaving for a command).
    satisfied = question.callback_data("已解决·满意")
    await kit.press(citizen, question, "未解决", "简要说明")
    await citizen.wait_for_message(
        lambda m: m is question and [b["text"] for b in m.buttons] == ["未解决"], WAIT
    )
    assert "您的回复：未解决" in question.content
    # A second tap (an old client still showing the buttons) is refused and changes nothing.
    before = await kit.counts()
    pressed = kit.fake.press_button(CITIZEN, question.message_id, satisfied, strict=False)
    refusal = await kit.callback_answer(pressed)
    assert "您已选择“未解决”" in refusal and "不能更改" in refusal
    assert await kit.counts() == before
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
    # The typed comment is the reopening comment, not a new request.
    comment = "根本没人联系我，工资一分没拿到"
    proposals = len([m for m in citizen.transcript() if "建议由" in m.content])
    comment_action = citizen.send_text(comment)
    await kit.answer(citizen, comment_action, "已收到您的意见")
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.REOPENED
    assert len(await kit.cases()) == 1
    await kit.handled(comment_action)
    await kit.delivered()
    assert len([m for m in citizen.transcript() if "建议由" in m.content]) == proposals
    events = await events_of(kit, case.id)
    answered = [e for e in events if e.type == "followed_up"]
    assert [(e.data["solved"], e.note) for e in answered] == [(False, comment)]
    assert events[-1].type == "reopened" and events[-1].note == comment
    assert "closed" not in [e.type for e in events]
    await citizen.wait_for_message(lambda m: m is question and not m.buttons, WAIT)


async def _resolve_round(kit: BotKit, chief: FakeUser, card: ChatMessage, result: str) -> None:
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "状态：已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, result, "办结类型")
    await kit.say(chief, "实际解决", "已办结")


async def _unsolved(kit: BotKit, citizen: FakeUser, comment: str) -> None:
    question = await citizen.wait_for_message(
        lambda m: "解决了吗" in m.content and bool(m.buttons), WAIT
    )
    await kit.press(citizen, question, "未解决", "简要说明")
    comment_action = citizen.send_text(comment)
    await kit.answer(citizen, comment_action, "已收到您的意见")


async def test_d29_the_second_reopening_goes_to_supervision(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "督办员")
    await kit.bind(supervisor, kit.district.supervision, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)

    await _resolve_round(kit, chief, card, "已约谈企业负责人，承诺补发")
    await _unsolved(kit, citizen, "还是没发工资")
    once = await kit.case(case.id)
    assert (once.status, once.reopen_count, once.escalation_level) == (CaseStatus.REOPENED, 1, 0)
    await chief.wait_for_message(lambda m: m is card and "（第1次重办）" in m.content, WAIT)
    assert not [m for m in supervisor.transcript() if "【上报督办】" in m.content]

    await _resolve_round(kit, chief, card, "再次约谈企业负责人，限期补发")
    await _unsolved(kit, citizen, "还是不行，一分钱没拿到")
    twice = await kit.case(case.id)
    assert (twice.status, twice.reopen_count) == (CaseStatus.REOPENED, 2)
    assert twice.escalation_level == 1
    assert twice.escalated_to_unit_id == kit.district.supervision
    escalated = (await events_of(kit, case.id))[-1]
    assert escalated.type == "escalated" and escalated.data["reason"] == "reopened_again"
    assert escalated.actor_id is None
    # The centre is told why, and the owner's card counts the rounds.
    told = await supervisor.wait_for_message(lambda m: "【上报督办】" in m.content, WAIT)
    assert case.number is not None and case.number in told.content
    assert "多次重办仍未解决" in told.content
    await chief.wait_for_message(
        lambda m: m is card and "（第2次重办）" in m.content and "督查督办中心" in m.content, WAIT
    )
    (pending,) = await kit.runtime.cases.pending_for_unit("labor")
    assert pending.reopen_count == 2
    listed = await kit.say(chief, "/pending", "待办案件")
    assert "第2次重办" in listed.content


async def test_d15_the_supervision_centre_supervises_and_does_not_act_for_the_station(
    kit: BotKit,
) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "督办员")
    await kit.bind(supervisor, kit.district.supervision, Role.CHIEF)
    admin = kit.user(ADMIN, "群工办管理员")
    await kit.bind(admin, kit.district.leadership, Role.ADMIN)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.press(chief, card, "上报", "上报")
    await kit.say(chief, "企业拒不配合，请上级协调", "已上报")
    await chief.wait_for_message(lambda m: m is card and "督查督办中心" in m.content, WAIT)
    number = case.number or ""

    # The centre's card offers supervision, not the station's acts.
    centre_card = await supervisor.wait_for_message(
        lambda m: m.content.startswith("【") and number in m.content and bool(m.buttons), WAIT
    )
    labels = [b["text"] for b in centre_card.buttons]
    assert "催办" in labels
    assert not {"签收", "办结", "退单", "处理中"} & set(labels)
    # The station's 签收 pressed by the centre is refused and changes nothing.
    before = await kit.counts()
    pressed = kit.fake.press_button(
        SUPERVISOR, centre_card.message_id, card.callback_data("签收"), strict=False
    )
    refusal = await kit.callback_answer(pressed)
    assert "负责督办" in refusal and "区劳动局群众工作站承办" in refusal
    assert await kit.counts() == before
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED

    # 催办: the station is reminded, the event is the centre's, the case unchanged.
    version = (await kit.case(case.id)).version
    done = await kit.callback_answer(supervisor.press(centre_card, "催办"))
    assert done.startswith("已催办承办单位")
    urged = await chief.wait_for_message(lambda m: m.content.startswith("【督办催办】"), WAIT)
    assert number in urged.content and "督查督办中心催办" in urged.content
    assert "签收" in str(urged.buttons)  # the owner acts from the reminder
    last = (await events_of(kit, case.id))[-1]
    assert (last.type, last.unit_id) == ("urged", kit.district.supervision)
    assert (await kit.case(case.id)).version == version
    assert not [m for m in citizen.transcript() if "督查督办中心签收" in m.content]

    # An admin of another unit may still act in an emergency; the event is the
    # admin's unit's and the station's response rate gets no credit for it.
    person = await kit.person(ADMIN)
    assert person is not None
    await kit.runtime.cases.acknowledge(case.id, person.id)
    acked = (await events_of(kit, case.id))[-1]
    assert (acked.type, acked.unit_id) == ("acknowledged", kit.district.leadership)
    now = kit.clock.now().astimezone(kit.runtime.settings.timezone)
    (score,) = await unit_scores(
        kit.db, kit.district, now.year, now.month, as_of=kit.clock.now(), unit_ids=["labor"]
    )
    assert (score.unit_id, score.dispatched, score.acknowledged_on_time) == ("labor", 1, 0)


async def test_d3_d22_a_pending_note_is_cancelled_out_loud_and_a_double_tap_is_named(
    kit: BotKit,
) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    first = await file_request(kit, kit.user(CITIZEN, "王芳"), LABOR_TEXT)
    second = await file_request(kit, kit.user(OTHER_CITIZEN, "张伟"), "单位不给交社保，我想投诉")
    card_a = await card_of(chief, first)
    card_b = await card_of(chief, second)
    assert second.owning_unit_id == "labor"

    # D3: 退单 asked for a reason, then 签收 pressed on the same card.
    await kit.press(chief, card_a, "退单", "退单理由")
    stale_ack = card_a.callback_data("签收")
    done = await kit.callback_answer(chief.press(card_a, "签收"))
    assert done.startswith("已签收")
    told = await chief.wait_for_message(lambda m: "退单未完成，已取消" in m.content, WAIT)
    assert first.number is not None and first.number in told.content
    await chief.wait_for_message(lambda m: m is card_a and "状态：已签收" in m.content, WAIT)
    # The next text is no longer taken as the reason.
    await kit.delivered()
    action = chief.send_text("?")
    await kit.handled(action)
    await kit.delivered()
    assert (await kit.case(first.id)).status == CaseStatus.ACKNOWLEDGED
    assert not [
        m
        for m in chief.transcript()
        if "已被他人更新" in m.content and m.message_id > action.message_id
    ]
    # A double tap of 签收 (the old button) says the presser did it, not "someone else".
    pressed = kit.fake.press_button(CHIEF, card_a.message_id, stale_ack, strict=False)
    again = await kit.callback_answer(pressed)
    assert "您已签收" in again and "无需重复操作" in again and "他人" not in again

    # D22: 退单 pending on one case, 办结 pressed on another: the 退单 is said to be cancelled.
    await kit.callback_answer(chief.press(card_b, "签收"))
    await chief.wait_for_message(lambda m: m is card_b and "状态：已签收" in m.content, WAIT)
    await kit.press(chief, card_a, "退单", "退单理由")
    prompt = await kit.press(chief, card_b, "办结", "办结说明")
    assert f"{first.number} 的退单未完成，已取消" in prompt.content
    assert second.number is not None and second.number in prompt.content
    await kit.say(chief, "已督促单位补缴社保并核实到账", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    assert (await kit.case(first.id)).status == CaseStatus.ACKNOWLEDGED
    assert (await kit.case(second.id)).status == CaseStatus.RESOLVED


async def test_d8_acknowledging_from_an_older_message_of_the_case_works(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    # A person at risk of their life is the police's, as from a citizen (trial 30 #13).
    chief = kit.user(CHIEF, "公安站长")
    await kit.bind(chief, "police", Role.CHIEF)
    from bot.services.cases import WarningDraft

    person = await kit.person(OFFICER)
    assert person is not None
    view = await kit.runtime.cases.file_warning(
        person.id,
        WarningDraft(SUICIDE, severity="high", severity_reason="已电话联系其儿子，今晚回家陪护"),
    )
    notice = await chief.wait_for_message(lambda m: m.content.startswith("【定级说明】"), WAIT)
    # Trial 27 N2: the notice only informs — no 签收/退单/上报 that would go stale.
    assert not notice.buttons
    card = await chief.wait_for_message(
        lambda m: m.content.startswith("【预警信息】") and bool(m.buttons), WAIT
    )
    # The officer adds the place: the case moves on; the card is redrawn and stays live.
    await kit.runtime.cases.add_warning_details(person.id, view.id, place="和平社区3号楼")
    assert (await kit.case(view.id)).version > view.version
    await kit.delivered()
    done = await kit.callback_answer(chief.press(card, "签收"))
    assert done.startswith("已签收") and "无需重复操作" not in done
    assert (await kit.case(view.id)).status == CaseStatus.ACKNOWLEDGED


async def test_privacy_id_numbers_are_masked_on_cards_and_the_preview_warns(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "民政站长")
    await kit.bind(chief, "civil_affairs", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "督办员")
    await kit.bind(supervisor, kit.district.supervision, Role.STAFF)
    citizen = kit.user(CITIZEN, "王小明")
    text = "我叫王小明，身份证号320102198001011234，电话13912345678，低保被取消了，想问问原因"
    preview = await kit.say(citizen, text, lambda m: bool(m.buttons))
    assert "请勿在问题描述中填写身份证号" in preview.content
    assert "320102198001011234" not in preview.content
    assert "13912345678" not in preview.content
    await submit_proposal(kit, citizen, preview)
    (case,) = await kit.cases()
    assert case.original_text == text  # the record keeps what was written
    assert case.owning_unit_id == "civil_affairs"
    card = await card_of(chief, case)
    assert "320*************34" in card.content and "320102198001011234" not in card.content
    assert "13912345678" in card.content  # the owner calls back
    # Escalated: the supervising centre (a handling unit) gets the phone, not the ID.
    owner = await kit.person(CHIEF)
    assert owner is not None
    await kit.runtime.cases.escalate(case.id, owner.id, "情况复杂，请协调")
    number = case.number or ""
    copy = await supervisor.wait_for_message(
        lambda m: m.content.startswith("【") and number in m.content, WAIT
    )
    assert "320102198001011234" not in copy.content and "320*************34" in copy.content
    # A unit outside the case (another centre reading it) sees neither.
    reader = kit.user(CENTRE, "收集中心")
    await kit.bind(reader, kit.district.warning_centres[0], Role.STAFF)
    person = await kit.person(CENTRE)
    assert person is not None
    seen = await kit.runtime.cases.get_case_view(case.id, person.id)
    assert "320102198001011234" not in seen.text and "13912345678" not in seen.text
    assert "139****5678" in seen.text
