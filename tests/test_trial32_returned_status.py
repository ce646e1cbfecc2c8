"""Trial 32 D26: a citizen's /status of a returned case read 「已退单【已超期】」 and, while
nobody handled it, listed the desk's missed 派单时限 as 「提请督办」 lines.

The citizen now reads 「重新分派中」 with 「承办：正在分派承办单位」; the desk's 派单超时
and its 督办 stay the units' business (the desk and the supervisors still see them).
"""

from __future__ import annotations

from storage.enums import CaseStatus, Role
from tests.botkit import BotKit
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request
from tests.trial32kit import run_timers_until

CITIZEN = 3261
LABOR = 3262
DESK = 3263
REASON = "这是劳动仲裁的事情，不属于本单位职责，请重新分派"


async def test_a_returned_case_reads_as_being_reassigned(kit: BotKit) -> None:
    labor = kit.user(LABOR, "劳动站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王二")
    case = await file_request(kit, citizen, LABOR_TEXT)
    number = case.number or ""
    await kit.press(labor, await card_of(labor, case), "退单", "退单理由")
    await kit.say(labor, REASON, "已退单")
    case = await kit.case(case.id)
    assert case.status == CaseStatus.RETURNED and case.severity != "critical"

    # The desk lets its 派单时限 pass: the case goes up for 督办 on the way.
    (case,) = await run_timers_until(kit, [case.id], lambda c: c[0].escalation_level >= 1)
    assert case.status == CaseStatus.RETURNED
    assert "escalated" in await kit.events(case.id)

    status = (await kit.say(citizen, "/status", "您反映的问题")).content
    head = next(line for line in status.splitlines() if number in line)
    assert "重新分派中" in head, status
    assert "已退单" not in status and "已超期" not in head, status
    assert "承办：正在分派承办单位" in status, status
    assert "提请督办" not in status and "督办：" not in status, status
    # The return itself is told in the citizen's words, the returner's reason is not.
    assert "重新分派承办单位" in status and REASON not in status, status

    # Dispatched again, the progress goes on as before.
    desk_person = await kit.person(DESK)
    assert desk_person is not None
    await kit.runtime.cases.dispatch(
        case.id,
        desk_person.id,
        "labor",
        reason="经核实属于劳动局职责",  # b33 #4
    )
    status = (await kit.say(citizen, "/status", "您反映的问题")).content
    head = next(line for line in status.splitlines() if number in line)
    assert "已派单" in head and "重新分派中" not in head, status
