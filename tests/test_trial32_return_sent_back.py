"""Trial 32 D10: a 退单 took the case out of the returning unit's assessment even when
the desk sent it straight back.

区劳动局 returned a wage case (「这是劳动仲裁的事情应该去法院」), the desk sent it back to
区劳动局, which then left it unsigned past its deadline: the case it owned and missed
counted in none of its rates (「退单案件不计入」). Now a 退单 stands only when the case
does not come back: a case the desk sends back to the same unit counts for that unit
like any other (docs/assessment.md), in the summary the dashboard and ``minqing
report`` read and in the reference computed from the event log alone.
"""

from __future__ import annotations

from datetime import timedelta

from bot.runtime.scheduler import Scheduler
from bot.services.cases import RequestDraft
from bot.services.notification_labels import DISTRICT_TZ
from bot.services.scores import unit_scores
from bot.services.scores_events import unit_scores_from_events
from storage.enums import Role
from tests.botkit import WAIT, BotKit

CITIZEN = 3231
LABOR = 3232
DESK = 3233
WAGES = "单位拖欠我三个月工资，老板跑路了"
NOISE = "小区旁边工地晚上施工噪音很大，吵得睡不着"


async def test_a_return_sent_back_to_the_same_unit_counts_for_it(kit: BotKit) -> None:
    labor_unit = kit.district.bureaus["labor"].station_id
    labor = kit.user(LABOR, "马站长")
    await kit.bind(labor, labor_unit, Role.CHIEF)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    resident = kit.user(CITIZEN, "张大姐")
    await kit.say(resident, "你好")
    person = await kit.person(CITIZEN)
    assert person is not None
    svc = kit.runtime.cases
    month = kit.clock.now().astimezone(DISTRICT_TZ)  # the month of the first dispatch
    wages = await svc.file_request(person.id, RequestDraft(text=WAGES, bureau="labor"))
    noise = await svc.file_request(person.id, RequestDraft(text=NOISE, bureau="labor"))

    # 区劳动局 returns both; the desk sends the wages back to it and the noise elsewhere.
    for view, back in ((wages, "区劳动局"), (noise, "区环保局")):
        card = await labor.wait_for_message(
            lambda m, n=view.number: n in m.content and "退单" in str(m.buttons), WAIT
        )
        await kit.press(labor, card, "退单", "退单理由")
        await kit.say(labor, "这是劳动仲裁的事情应该去法院", "已退单")
        desk_card = await desk.wait_for_message(
            lambda m, n=view.number: n in m.content and "民生保障" in str(m.buttons), WAIT
        )
        room = "民生保障" if back == "区劳动局" else "法律咨询"
        picker = await kit.press(desk, desk_card, room, "请选择承办部门")
        if back == "区劳动局":  # sent back: the desk's reason is asked for first (b33 #4)
            await kit.press(desk, picker, back, "维持派单的理由")
            await kit.say(desk, "经核实属于欠薪，由劳动局办理", "已维持派单")
        else:
            assert "已派单" in await kit.callback_answer(desk.press(picker, back))

    # The unit reads that the desk kept it there, with its own reason (D2).
    kept = await labor.wait_for_message(
        lambda m: m.content.startswith("【维持派单】") and wages.number in m.content, WAIT
    )
    assert "原退单理由：这是劳动仲裁的事情应该去法院" in kept.content
    assert not any(
        m.content.startswith("【维持派单】") and noise.number in m.content
        for m in labor.transcript()
    )

    # 区劳动局 leaves the wages case unsigned past its deadline.
    case = await kit.case(wages.id)
    assert case.owning_unit_id == labor_unit and case.ack_due_at is not None
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(seconds=1))
    await sched.run_due()

    now = kit.clock.now()
    for figures in (
        await unit_scores(kit.db, kit.district, month.year, month.month, as_of=now),
        await unit_scores_from_events(kit.db, kit.district, month.year, month.month, as_of=now),
    ):
        (mine,) = [f for f in figures if f.unit_id == labor_unit]
        # Two cases, one 退单 that stood (noise); the wages case counts for 区劳动局.
        assert (mine.dispatched, mine.returned, mine.counted) == (2, 1, 1)
        assert mine.ack_due == 1 and mine.response_rate == 0.0
