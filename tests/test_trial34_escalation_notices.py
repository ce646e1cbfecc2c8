"""Trial 34 #14 and #15: the escalation notices a reporter gets from one clock jump.

#14: one 快进 of 25 h took a citizen's unsigned fire case through two escalation levels,
and the citizen got the same 「…已报告上级催办…」 twice. Now one run sends one notice
per case, saying how far it went.

#15: an officer with critical warnings open got one 「您的预警（MQ…）已提交…督办。」 per
level and case (13 messages) in one 快进, while his routine warnings came as one
【进展汇总】. Now the escalation notices of one run to one reporter are one 【进展汇总】;
the alerts to the units (cards, 【上报督办】) still go out at once, singly.

The bot, the fake Bot API, the real scheduler and the sandbox's own jump
(``advance_and_fire``), on SQLite and PostgreSQL; every date from the service's clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any, cast

import pytest
from sqlalchemy import select

from bot.fakeapi.sandbox import SandboxState, advance_and_fire
from bot.runtime.scheduler import Scheduler
from bot.services.cases import WarningDraft
from config.district import District
from storage.db import Database
from storage.enums import Role
from storage.models import OutboxMessage
from storage.outbox_digest import FOLDED_NOTE
from tests.botkit import BotKit, running_bot
from tests.criticalkit import critical_case_at_police, police_chief

OFFICER = 3401
CITIZEN = 3402
POLICE = 3403
CENTRE = 3404


@pytest.fixture
async def kit(db: Database, district: District) -> AsyncIterator[BotKit]:
    async with running_bot(db, district) as k:
        yield k


def _sandbox(kit: BotKit) -> SandboxState:
    """The sandbox's jump over this kit's clock and a real scheduler."""
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    return SandboxState(kit.db, cast(Any, kit.clock), [], sched.run_due, kit.runtime.outbox_written)


async def _reporter_rows(kit: BotKit, case_id: int, person_id: int) -> list[OutboxMessage]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.case_id == case_id, OutboxMessage.person_id == person_id)
            .order_by(OutboxMessage.id)
        )
        return list(rows.all())


async def test_a_jump_over_two_levels_tells_the_citizen_once_how_far_it_went(
    kit: BotKit,
) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "张大姐")
    filed = await critical_case_at_police(kit, citizen, police)
    await kit.delivered()
    seen = len(citizen.transcript())

    # Nobody signs: 25 hours in one jump, as in the trial.
    await advance_and_fire(_sandbox(kit), timedelta(hours=25))
    kit.runtime.outbox_written()
    await kit.delivered()

    case = await kit.case(filed.case.id)
    levels = (await kit.events(case.id)).count("escalated")
    assert case.escalation_level == levels >= 2  # it went up two levels in the jump
    got = [m.content for m in citizen.transcript()[seen:] if filed.number in m.content]
    told = [t for t in got if "已报告上级催办" in t]
    assert len(told) == 1, got  # one notice, not one per level
    assert f"本轮共上报{levels}级" in told[0], told[0]
    assert "110" in told[0]  # the line to call again is still there
    assert "督查督办中心" not in told[0]  # plain words for a citizen's danger (trial 30 #12)

    # The database keeps every level's notice: the earlier ones folded into the last.
    person = await kit.person(CITIZEN)
    assert person is not None
    rows = [r for r in await _reporter_rows(kit, case.id, person.id) if "上级催办" in r.text]
    assert len(rows) == levels
    assert [r.last_error for r in rows[:-1]] == [FOLDED_NOTE] * (levels - 1)
    assert rows[-1].status == "sent" and rows[-1].last_error is None


async def test_an_officers_escalated_warnings_come_as_one_progress_summary(
    kit: BotKit,
) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    centre = kit.user(CENTRE, "督办中心主任")
    await kit.bind(centre, kit.district.supervision, Role.CHIEF)
    person = await kit.person(OFFICER)
    assert person is not None
    cases = kit.runtime.cases
    critical = [
        await cases.file_warning(person.id, WarningDraft(text=text, severity="critical"))
        for text in (
            "两村村民因土地纠纷聚集，情绪激动",
            "工地有三十多名工人围堵大门讨薪",
            "商场门口有人持械对峙",
        )
    ]
    routine = await cases.file_warning(
        person.id, WarningDraft(text="小区门口的路灯坏了好几天", severity="medium")
    )
    assert routine.severity == "medium"
    await kit.delivered()
    seen, centre_seen = len(officer.transcript()), len(centre.transcript())

    # Nobody signs or acts for eight days: past the 较大 warning's 7-day limit too.
    await advance_and_fire(_sandbox(kit), timedelta(days=8))
    kit.runtime.outbox_written()
    await kit.delivered()

    numbers = [v.number for v in (*critical, routine)]
    for view in (*critical, routine):
        # The 较大 warning escalates rightly: its 签收/办结 limits passed unanswered.
        assert (await kit.case(view.id)).escalation_level >= 1, view.number
    got = [m.content for m in officer.transcript()[seen:] if any(n in m.content for n in numbers)]
    assert len(got) == 1, got  # one message, not one per case and level
    summary = got[0]
    assert summary.startswith(f"【进展汇总】您报送的{len(numbers)}件事项有新进展"), summary
    assert all(n in summary for n in numbers), summary
    assert "已逐级上报2级" in summary and "/mine" in summary, summary
    # Each warning named once; the critical ones first.
    assert [summary.count(n) for n in numbers] == [1] * len(numbers), summary
    assert summary.index(numbers[0]) < summary.index(routine.number)

    # The units' alerts were not held in the summary: each critical case's
    # 【上报督办】 reached the centre as a message of its own.
    alerts = [m.content for m in centre.transcript()[centre_seen:]]
    for view in critical:
        assert any(view.number in t and "【上报督办】" in t for t in alerts), view.number
