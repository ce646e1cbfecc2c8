"""Trial 33b E18 (the brief's E17): the desk's 【待办汇总】 listed cases already dispatched
to stations, escalated and never acknowledged as 「新转来的案件 → 请派单」.

Now the desk's line says what the case's state is (超期未签收, with the level it went
to) and asks to urge the unit or 改派, never to 派单 a case that has a unit.
"""

from __future__ import annotations

from storage.enums import Role
from tests.botkit import BotKit
from tests.test_trial32_digest_levels import OTHER_WAGES, digests, line_of
from tests.test_trial_defects import LABOR_TEXT, file_request
from tests.trial32kit import run_timers_until

DESK = 3361


async def test_the_desk_is_told_the_real_state_of_dispatched_cases(kit: BotKit) -> None:
    desk = kit.user(DESK, "李主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    cases = [
        await file_request(kit, kit.user(3362, "张大姐"), LABOR_TEXT),
        await file_request(kit, kit.user(3363, "王二"), OTHER_WAGES),
    ]
    assert {c.status for c in cases} == {"dispatched"}
    ids = [c.id for c in cases]
    numbers = [c.number or "" for c in cases]
    cases = await run_timers_until(kit, ids, lambda cs: all(c.escalation_level >= 2 for c in cs))
    assert {c.status for c in cases} == {"dispatched"}
    told = [line_of(d, n) for d in digests(desk, []) for n in numbers if n in d]
    assert told, [m.content for m in desk.transcript()][-5:]
    for line in told:
        assert "请派单" not in line and "新转来的案件" not in line, line
    assert any("超期未签收" in line for line in told), told
