"""Trial 32 D6: when two cases went from the supervision centre (第1级) up to 群工办
(第2级), the centre's 【待办汇总】 still said 「已上报督办 → 请督促承办单位（可点「催办」）」
as if the step were its own, and called a case that reached it a day before
「新转来的案件」 again.

The centre is now told where the cases went (「已上报区委…（群工办）（第2级）」) and that
the level above supervises them; 新转来 is said once per case and chat.
"""

from __future__ import annotations

import re

from bot.fakeapi import FakeUser
from storage.enums import Role
from tests.botkit import BotKit
from tests.test_trial_defects import LABOR_TEXT, file_request
from tests.trial32kit import run_timers_until

LABOR = 3265
CENTRE = 3266
OFFICE = 3267
OTHER_WAGES = "工厂欠我们工人半年工资，老板说没钱发"


def digests(user: FakeUser, numbers: list[str]) -> list[str]:
    return [
        m.content
        for m in user.transcript()
        if m.from_bot
        and m.content.startswith("【待办汇总】")
        and all(n in m.content for n in numbers)
    ]


def line_of(digest: str, number: str) -> str:
    return next(x for x in digest.splitlines() if re.match(rf"\d+\. {number}", x))


async def test_the_lower_level_is_told_the_cases_went_up(kit: BotKit) -> None:
    labor = kit.user(LABOR, "劳动站长")
    await kit.bind(labor, "labor", Role.CHIEF)
    centre = kit.user(CENTRE, "陈主任")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    office = kit.user(OFFICE, "王主任")
    await kit.bind(office, kit.district.leadership, Role.CHIEF)
    office_name = kit.district.units[kit.district.leadership].name
    cases = [
        await file_request(kit, kit.user(3268, "张大姐"), LABOR_TEXT),
        await file_request(kit, kit.user(3269, "王二"), OTHER_WAGES),
    ]
    assert {c.owning_unit_id for c in cases} == {"labor"}
    ids = [c.id for c in cases]
    numbers = [c.number or "" for c in cases]

    await run_timers_until(kit, ids, lambda cs: all(c.escalation_level >= 1 for c in cs))
    first = digests(centre, numbers)
    assert first and all("新转来" in line_of(first[-1], n) for n in numbers), first
    cases = await run_timers_until(kit, ids, lambda cs: all(c.escalation_level >= 2 for c in cs))
    assert {c.escalated_to_unit_id for c in cases} == {kit.district.leadership}

    told = digests(centre, numbers)[-1]
    for number in numbers:
        line = line_of(told, number)
        assert f"已上报{office_name}（第2级）" in line, told
        assert "请督促" not in line and "催办" not in line, told
        assert "新转来" not in line, told
    # Each case was 新转来 to the centre once, in one digest.
    for number in numbers:
        fresh = [d for d in digests(centre, numbers) if "新转来" in line_of(d, number)]
        assert len(fresh) == 1, digests(centre, numbers)
    # 群工办 gets them as new, and is the one asked to urge.
    top = digests(office, numbers)[-1]
    for number in numbers:
        line = line_of(top, number)
        assert "新转来" in line and "请督促承办单位" in line, top
