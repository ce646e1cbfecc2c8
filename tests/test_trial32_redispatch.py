"""Trial 32 D14: a misrouted case its unit ignores could be moved by nobody.

MQ…-0003 (a leak and 补课费 in one message) sat at 区教体局, never signed, escalated to
督查督办中心 and then 群工办; the desk was told 「当前没有可由您办理的操作」 and 群工办 had
only 催办. Now, once a case is escalated for a missed 签收, the dispatcher desk (which
gets the card with 改派 at that escalation) and 群工办 can re-dispatch it to another
unit, in Telegram and on the dashboard; the unit it leaves reads 【改派】, the new one
gets the card with fresh deadlines, and the supervision reached stays.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from bot.services.cases import CaseService, RequestDraft
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit
from tests.dashkit import Dash
from tests.factories import chief, citizen, load_case

CITIZEN = 3221
EDUCATION = 3222
DESK = 3223
CONSTRUCTION = 3224
LEAK = "楼上卫生间漏水把我家天花板泡坏了，物业不管"


async def _escalate_unsigned(
    cases: CaseService, sched: Scheduler, case_id: int, level: int
) -> None:
    """Let ``case_id``'s 签收时限 pass until it reaches ``level``."""
    clock = cases.clock
    for _ in range(20):
        case = await load_case(cases.db, case_id)
        if case.escalation_level >= level:
            return
        assert case.ack_due_at is not None
        step = max(case.ack_due_at - clock.now(), cases.district.escalation.renotify_interval)
        clock.advance(step + timedelta(seconds=1))  # type: ignore[attr-defined]
        await sched.run_due()
    raise AssertionError("never escalated")


async def test_the_desk_redispatches_an_ignored_case_in_telegram(kit: BotKit) -> None:
    education = kit.user(EDUCATION, "教体局站长")
    await kit.bind(education, kit.district.bureaus["education"].station_id, Role.CHIEF)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    construction = kit.user(CONSTRUCTION, "建设局站长")
    builder_unit = kit.district.bureaus["construction"].station_id
    await kit.bind(construction, builder_unit, Role.CHIEF)
    resident = kit.user(CITIZEN, "张大姐")
    await kit.say(resident, "你好")
    person = await kit.person(CITIZEN)
    assert person is not None
    view = await kit.runtime.cases.file_request(
        person.id, RequestDraft(text=LEAK, bureau="education")
    )
    number = view.number
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _escalate_unsigned(kit.runtime.cases, sched, view.id, 1)
    await kit.delivered()

    card = await desk.wait_for_message(
        lambda m: number in m.content and "城建规划" in str(m.buttons), WAIT
    )
    assert "派至区教体局" not in str(card.buttons)  # not back where it sits
    picker = await kit.press(desk, card, "城建规划", "请选择承办部门")
    answer = await kit.callback_answer(desk.press(picker, "区建设局"))
    assert "已派单至" in answer and "建设局" in answer

    stored = await kit.case(view.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, builder_unit)
    assert stored.bureau == "construction" and stored.acknowledged_at is None
    assert stored.escalation_level == 1  # the supervision reached stays
    assert stored.ack_due_at is not None and stored.ack_due_at > kit.clock.now()
    assert (await kit.events(view.id)).count("dispatched") == 2
    left = await education.wait_for_message(
        lambda m: m.content.startswith("【改派】") and number in m.content, WAIT
    )
    assert "区建设局" in left.content and "无需再办理" in left.content
    new_card = await construction.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    assert LEAK in new_card.content
    # The unit it left can no longer act on it.
    old = [m for m in education.transcript() if m.from_bot and number in m.content and m.buttons]
    assert all("签收" not in str(m.buttons) for m in old)


async def test_the_district_office_redispatches_on_the_dashboard(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text=LEAK, bureau="education"))
    office = await chief(dash.db, dash.district.leadership)
    await dash.login(office.id)
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert 'value="disp"' not in page  # not before a missed 签收 escalated it
    sched = Scheduler(dash.db, dash.district, dash.clock, dash.cases)
    await _escalate_unsigned(dash.cases, sched, view.id, 2)
    case = await load_case(dash.db, view.id)
    assert case.escalated_to_unit_id == dash.district.leadership
    await dash.login(office.id)  # days later: a new login link
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    assert 'value="disp"' in page
    response = await dash.client.post(
        f"/dashboard/cases/{view.id}/act",
        data={
            "csrf_token": await dash.csrf(),
            "action": "disp",
            "version": case.version,
            "target": "construction",
        },
    )
    assert response.status == 200, await response.text()
    case = await load_case(dash.db, view.id)
    builder = dash.district.bureaus["construction"].station_id
    assert (case.status, case.owning_unit_id, case.escalation_level) == ("dispatched", builder, 2)
    # A station cannot 改派 it (only the desk and 群工办).
    other = await chief(dash.db, "dongcheng")
    with pytest.raises(Exception, match="只有分派台"):
        await dash.cases.dispatch(view.id, other.id, "labor", expected_version=case.version)
