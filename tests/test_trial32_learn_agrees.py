"""Trial 32 D9 (and D2's second point): the CLI and the routing page disagreed.

A wage case the classifier sent to 区劳动局 was returned (「这是劳动仲裁的事情应该去法院」)
and the desk sent it back to 区劳动局: the CLI said 「corrections: 1 case(s) by kind:
退单后改派 1」 while the routing page showed none. It is not a correction (the case ended
where the classifier said); both now count the same set — none here — and the CLI
says it read one dispatch that agreed.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.services.notifications import DISTRICT_TZ
from bot.services.routing_stats import routing_figures
from storage.enums import CaseStatus, Role
from storage.models import RoutingCorrection
from tests.botkit import BotKit
from tests.test_bot_station import card_of, file_request
from tests.test_learn_e2e import learn

CITIZEN = 3241
LABOR = 3242
DESK = 3243
WAGES = "单位拖欠我三个月工资，老板跑路了"


async def test_a_return_sent_back_to_the_proposed_bureau_is_no_correction(kit: BotKit) -> None:
    labor = kit.user(LABOR, "马站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "张大姐")
    case = await file_request(kit, citizen, WAGES)
    assert case.owning_unit_id == "labor"
    card = await card_of(labor, case)
    await kit.press(labor, card, "退单", "退单理由")
    await kit.say(labor, "这是劳动仲裁的事情应该去法院", "已退单")
    desk_card = await desk.wait_for_message(
        lambda m: (case.number or "") in m.content and "民生保障" in str(m.buttons), 10
    )
    # D2: the returner's words are a proposal, not the case's classification.
    returned = await kit.case(case.id)
    assert (returned.room, returned.bureau) == ("livelihood", "labor")
    assert "分类：民生保障服务室 · 区劳动局" in desk_card.content
    assert returned.suggested_bureau == "court" and "分派建议：法律咨询服务室 · 区法院" in (
        desk_card.content
    )
    bureaus = await kit.press(desk, desk_card, "民生保障", "请选择承办部门")
    # Sent back to the unit that returned it: the desk's reason first (b33 #4).
    await kit.press(desk, bureaus, "区劳动局", "维持派单的理由")
    await kit.say(desk, "经核实属于欠薪，由劳动局办理", "已维持派单")
    stored = await kit.case(case.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "labor")
    async with kit.db.session() as s:
        [row] = (await s.scalars(select(RoutingCorrection))).all()
    assert (row.classified_bureau, row.final_bureau) == ("labor", "labor")

    out = (await learn(kit.db.url)).stdout
    assert "corrections: 0 case(s)" in out, out
    assert "退单后改派" not in out
    assert "dispatches that agreed with the classifier (not corrections): 1" in out
    figures = await routing_figures(kit.db, kit.district, kit.clock.now(), DISTRICT_TZ)
    assert figures.confusions == [] and figures.pending == figures.not_yet == []
    assert figures.left_out == []
    assert sum(m.corrected for m in figures.months) == 0
