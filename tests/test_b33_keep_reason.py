"""b33 #4: the desk is asked why it sends a case back to the unit that returned it.

区劳动局 returned a wage case with a reason (退单 requires one); the desk pressed 派至区劳动局
and the case went straight back with nothing but the unit's own words (【维持派单】 …
原退单理由). Now that press asks the desk for its reason first (checked as a 退单 reason
is), the reason is the ``dispatched`` event's note, and the unit reads it in 【维持派单】.
On the dashboard and through the service the same rule holds. Danger now still goes back
in one tap (trial 31 #8): its reason is asked right after and sent on.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.fakeapi import FakeUser
from bot.services.cases import RequestDraft
from bot.services.lifecycle import CaseError
from storage.enums import CaseStatus, Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit
from tests.criticalkit import beating_sent_back_to_police
from tests.dashkit import Dash
from tests.factories import chief, citizen, load_case

CITIZEN = 3371
LABOR = 3372
DESK = 3373
POLICE = 3374
WAGES = "单位拖欠我三个月工资，老板跑路了"
RETURN_REASON = "这是劳动仲裁的事情应该去法院"
DESK_REASON = "经核实属于欠薪，不是仲裁，由劳动局办理"


async def _returned_to_the_desk(kit: BotKit) -> tuple[int, str]:
    labor = kit.user(LABOR, "马站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    resident = kit.user(CITIZEN, "张大姐")
    await kit.say(resident, "你好")
    person = await kit.person(CITIZEN)
    assert person is not None
    view = await kit.runtime.cases.file_request(person.id, RequestDraft(text=WAGES, bureau="labor"))
    card = await labor.wait_for_message(
        lambda m: view.number in m.content and "退单" in str(m.buttons), WAIT
    )
    await kit.press(labor, card, "退单", "退单理由")
    await kit.say(labor, RETURN_REASON, "已退单")
    return view.id, view.number


async def _desk_sends_it_back_to_labor(kit: BotKit) -> tuple[int, str, FakeUser]:
    """The case :func:`_returned_to_the_desk`; on its card the desk presses 民生保障, then
    区劳动局, and is asked its reason (维持派单的理由). The case's id and number, the desk."""
    case_id, number = await _returned_to_the_desk(kit)
    desk = kit.user(DESK, "李主任")
    card = await desk.wait_for_message(
        lambda m: number in m.content and "民生保障" in str(m.buttons), WAIT
    )
    picker = await kit.press(desk, card, "民生保障", "请选择承办部门")
    await kit.press(desk, picker, "区劳动局", "维持派单的理由")
    return case_id, number, desk


async def test_the_desk_gives_its_reason_and_the_unit_reads_it(kit: BotKit) -> None:
    case_id, number, desk = await _desk_sends_it_back_to_labor(kit)
    labor = kit.user(LABOR, "马站长")
    assert (await kit.case(case_id)).status == CaseStatus.RETURNED  # nothing yet
    # A reason that says nothing is asked again, as a 退单 reason is.
    again = await kit.say(desk, "好", "维持派单须填写理由")
    assert "至少" in again.content
    assert (await kit.case(case_id)).status == CaseStatus.RETURNED
    done = await kit.say(desk, DESK_REASON, "已维持派单")
    assert number in done.content
    stored = await kit.case(case_id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "labor")
    async with kit.db.session() as s:
        notes = (
            await s.scalars(
                select(CaseEvent.note).where(
                    CaseEvent.case_id == case_id, CaseEvent.type == "dispatched"
                )
            )
        ).all()
    assert notes[-1] == DESK_REASON
    kept = await labor.wait_for_message(
        lambda m: m.content.startswith("【维持派单】") and number in m.content, WAIT
    )
    assert f"分派台理由：{DESK_REASON}" in kept.content
    assert f"原退单理由：{RETURN_REASON}" in kept.content


async def test_cancel_leaves_the_case_at_the_desk(kit: BotKit) -> None:
    case_id, _, desk = await _desk_sends_it_back_to_labor(kit)
    await kit.say(desk, "/cancel", lambda m: True)
    assert (await kit.case(case_id)).status == CaseStatus.RETURNED


async def test_the_service_refuses_a_dispatch_back_without_a_reason(kit: BotKit) -> None:
    case_id, _ = await _returned_to_the_desk(kit)
    desk = await kit.person(DESK)
    assert desk is not None
    with pytest.raises(CaseError) as refused:
        await kit.runtime.cases.dispatch(case_id, desk.id, "labor")
    assert refused.value.code == "reason_required"
    # Elsewhere no reason is needed.
    view = await kit.runtime.cases.dispatch(case_id, desk.id, "court")
    assert view.status == CaseStatus.DISPATCHED


async def test_danger_goes_back_in_one_tap_and_the_reason_follows(kit: BotKit) -> None:
    """Danger now is re-assigned at once (trial 31 #8): the desk's reason is asked right
    after the one tap and reaches the police as 【维持派单理由】."""
    police, desk, case = await beating_sent_back_to_police(kit, POLICE, DESK, CITIZEN)
    number = case.number or "?"
    police_station = kit.district.bureaus["police"].station_id
    assert (await kit.case(case.id)).owning_unit_id == police_station  # at once
    await kit.say(desk, "好", "维持派单须填写理由")  # says nothing: asked again
    await kit.say(desk, "家暴正在发生，属公安出警处置", "已维持派单")
    told = await police.wait_for_message(
        lambda m: m.content.startswith("【维持派单理由】") and number in m.content, WAIT
    )
    assert "家暴正在发生，属公安出警处置" in told.content
    async with kit.db.session() as s:
        notes = (
            await s.scalars(
                select(CaseEvent.note).where(
                    CaseEvent.case_id == case.id, CaseEvent.type == "dispatched"
                )
            )
        ).all()
    assert notes[-1] == "家暴正在发生，属公安出警处置"


async def test_the_dashboard_asks_the_same_reason(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text=WAGES, bureau="labor"))
    labor = await chief(dash.db, "labor")
    await dash.cases.return_case(view.id, labor.id, RETURN_REASON)
    desk = await chief(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)

    async def send_back(note: str) -> tuple[int, str]:
        case = await load_case(dash.db, view.id)
        response = await dash.client.post(
            f"/dashboard/cases/{view.id}/act",
            data={
                "csrf_token": await dash.csrf(),
                "action": "disp",
                "version": case.version,
                "target": "labor",
                "note": note,
            },
        )
        return response.status, await response.text()

    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert "派回退单单位时必填" in page
    status, text = await send_back("")
    assert status == 400 and "维持派单须填写理由" in text
    assert (await load_case(dash.db, view.id)).status == CaseStatus.RETURNED
    status, _ = await send_back(DESK_REASON)
    assert status == 200
    case = await load_case(dash.db, view.id)
    assert (case.status, case.owning_unit_id) == (CaseStatus.DISPATCHED, "labor")
