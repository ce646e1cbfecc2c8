"""Trial 25 T6 (service part): lowering a warning needs a reason (trial 32 D12), and
the 【定级说明】 of a warning filed below the rubric's level follows the case: when it
is returned and the desk dispatches it to another unit, the new owner gets the card
and the note, not the lowered level alone."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER = 2531
STATION = 2532
DESK = 2533
LABOR = 2534
TEXT = "东城街道建筑工地有二十多名农民工聚集讨要工资，情绪激动"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_downgrade_note_reaches_the_unit_it_is_dispatched_to(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    labor = kit.user(LABOR, "劳动局站长")
    await kit.bind(labor, "labor", Role.CHIEF)

    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, TEXT, "预警研判")
    assert "等级：重大" in proposal.content
    await kit.press(
        officer, proposal, "更改等级", lambda m: m is proposal and "较大" in str(m.buttons)
    )
    # Any lowering needs a reason, and 重大 goes no lower than 较大 (trial 32 D12).
    assert "一般" not in str(proposal.buttons)
    await kit.press(officer, proposal, "较大", "须说明理由")
    await kit.say(officer, "x", "至少5个字")
    assert await kit.cases() == []
    proposal = await kit.say(officer, "已电话核实，工资已当场结清，人员已散", "预警研判")
    assert "等级：较大" in proposal.content
    await kit.press(officer, proposal, "确认", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "medium"

    card = await station.wait_for_message(
        lambda m: number in m.content and "退单" in str(m.buttons), WAIT
    )
    await kit.press(station, card, "退单", "退单理由")
    await kit.say(station, "讨薪属劳动局职责，请转区劳动局处理", "已退单")
    desk_card = await desk.wait_for_message(
        lambda m: number in m.content and "民生保障" in str(m.buttons), WAIT
    )
    bureaus = await kit.press(desk, desk_card, "民生保障", "请选择承办部门")
    assert "已派单" in await kit.callback_answer(desk.press(bureaus, "区劳动局"))
    stored = await kit.case(case.id)
    assert (stored.status, stored.owning_unit_id) == (CaseStatus.DISPATCHED, "labor")

    await labor.wait_for_message(lambda m: number in m.content and "签收" in str(m.buttons), WAIT)
    note = await labor.wait_for_message(lambda m: m.content.startswith("【定级说明】"), WAIT)
    assert number in note.content and "“重大”下调为“较大”" in note.content
    assert "下调理由：已电话核实，工资已当场结清，人员已散" in note.content
