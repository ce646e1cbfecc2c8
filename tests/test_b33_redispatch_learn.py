"""b33 #3 (issue 14): a 改派 is a routing correction, as 退单 + 派单 is.

The desk's 改派 of a case its unit never signed (trial 32 D14) moved it to where it
belonged but wrote no :class:`~storage.models.RoutingCorrection`: ``minqing lexicon
learn`` and the dashboard's routing page never counted it. Now it is recorded with the
text, what the classifier said and where the case finally belonged (kind
``redispatch``, 超时未签收改派), like the end-to-end 退单 → 派至 test of
:mod:`tests.test_learn_e2e`.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.runtime.scheduler import Scheduler
from bot.services.notifications import DISTRICT_TZ
from bot.services.routing_stats import routing_figures
from storage.enums import CaseStatus, Role
from storage.models import RoutingCorrection
from tests.botkit import WAIT, BotKit
from tests.test_bot_station import file_request
from tests.test_learn_e2e import SIGNALS, learn
from tests.test_trial32_redispatch import _escalate_unsigned

CITIZEN = 3361
BUILDER = 3362
DESK = 3363
LAND = 3364


async def test_a_redispatch_is_read_by_lexicon_learn_and_the_routing_page(kit: BotKit) -> None:
    builder = kit.user(BUILDER, "建设局站长")
    await kit.bind(builder, "construction", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    land = kit.user(LAND, "国土分局站长")
    await kit.bind(land, "land", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, SIGNALS)
    assert case.owning_unit_id == "construction"
    number = case.number or "?"
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    await _escalate_unsigned(kit.runtime.cases, sched, case.id, 1)
    await kit.delivered()
    card = await desk.wait_for_message(
        lambda m: number in m.content and "综合职能" in str(m.buttons), WAIT
    )
    picker = await kit.press(desk, card, "综合职能", "请选择承办部门")
    assert "已派单至" in await kit.callback_answer(desk.press(picker, "区国土分局"))
    stored = await kit.case(case.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "land")
    desk_person = await kit.person(DESK)
    assert desk_person is not None

    async with kit.db.session() as s:
        [row] = (await s.scalars(select(RoutingCorrection))).all()
    assert (row.kind, row.classified_bureau, row.final_bureau, row.final_unit_id) == (
        "redispatch",
        "construction",
        "land",
        "land",
    )
    assert row.text == SIGNALS and row.actor_id == desk_person.id

    out = (await learn(kit.db.url)).stdout
    assert "corrections: 1 case(s)" in out and "超时未签收改派 1" in out, out
    assert "区建设局 -> 区国土分局: 1" in out, out
    figures = await routing_figures(kit.db, kit.district, kit.clock.now(), DISTRICT_TZ)
    assert [(c.said, c.was, c.count) for c in figures.confusions] == [("construction", "land", 1)]
    assert [p.number for p in figures.not_yet] == [number]
    assert sum(m.corrected for m in figures.months) == 1
