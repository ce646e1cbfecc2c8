"""Review 1, R5–R7: who may choose where a split goes, and what /split tells of a number.

R5: only the desk chooses the unit a split-out case goes to; a station's split is routed by
its words, and a forged ``target`` from a station is refused (dashboard, over real HTTP).
R6: a number no case has, another unit's case and a number whose date is not the case's
get one identical answer. R7: an over-long number gets the same clear answer, no crash.
"""

from __future__ import annotations

from sqlalchemy import func, select

from storage.enums import Role
from storage.models import Case
from tests.botkit import BotKit
from tests.dashkit import Dash
from tests.factories import chief, load_case
from tests.test_trial_defects import file_request

TWO = "小区路灯坏了一个月，另外单位拖欠工资三个月"
WAGES = "单位拖欠工资三个月"
BOT_TWO = "楼道灯坏了一个月没人修，另外我爸的养老金这个月没到账"
LAMP = "楼道灯坏了一个月没人修"


async def _case_count(dash: Dash) -> int:
    async with dash.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Case)) or 0)


async def test_a_station_may_not_choose_where_its_split_goes(dash: Dash) -> None:
    case_id = await dash.file(TWO)
    original = await load_case(dash.db, case_id)
    owner = await chief(dash.db, original.owning_unit_id or "")
    await dash.login(owner.id)
    page = await (await dash.client.get(f"/dashboard/cases/{case_id}")).text()
    assert "拆分案件" in page and 'name="target"' not in page
    before = await _case_count(dash)
    form = {
        "csrf_token": await dash.csrf(),
        "version": str(original.version),
        "text": WAGES,
        "target": "police",
    }
    response = await dash.client.post(f"/dashboard/cases/{case_id}/split", data=form)
    assert response.status == 403 and "只有分派台" in await response.text()
    assert await _case_count(dash) == before


async def test_split_answers_alike_for_missing_foreign_and_misdated_numbers(
    kit: BotKit,
) -> None:
    other = kit.user(3371, "建设站张站长")
    await kit.bind(other, "construction", Role.CHIEF)
    citizen = kit.user(3372, "群众")
    original = await file_request(kit, citizen, BOT_TWO)
    number = original.number or ""
    assert original.owning_unit_id != "construction"
    date, serial = number[2:10], number[11:]
    misdated = f"MQ{int(date) - 1}-{serial}"
    missing = f"MQ{date}-9999"
    answers = []
    for asked in (number, misdated, missing):
        said = await kit.answer(other, other.send_text(f"/split {asked} {LAMP}"), asked)
        answers.append(said.content.replace(asked, "#"))
    assert answers[0] == answers[1] == answers[2], answers
    assert "没有找到" in answers[0]

    too_long = f"MQ{date}-99999999999999999999"
    said = await kit.answer(other, other.send_text(f"/split {too_long} {LAMP}"), too_long)
    assert said.content.replace(too_long, "#") == answers[0]
    assert len(await kit.cases()) == 1
