"""Trial 31 #8: a returned danger-now case is re-assigned at once, not left waiting.

The police returned 他在打我 (特别重大) with 「应由妇联和社区调解处理」: the desk's 【紧急退单】
offered only the room buttons (no one tap back to a responder), and the card read
「已退单【派单超时】」 although the desk's hour had just begun — the police's late 签收 carried
over. Now the desk's alert offers 派至 the bureau that answers for the danger (the police
for violence) and a late 签收 before the return is called what it was.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import RETURN_REASON, police_chief

CITIZEN = 3161
POLICE = 3162
DESK = 3163


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_desk_sends_a_returned_beating_back_to_the_police_in_one_tap(
    kit: BotKit,
) -> None:
    await police_chief(kit, POLICE)
    desk = kit.user(DESK, "分派台")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "小梅")
    await kit.answer(citizen, citizen.send_text("他拿皮带在抽我 救命"), "所在的地点")
    (case,) = await kit.cases()
    police_station = kit.district.bureaus["police"].station_id
    assert case.severity == "critical" and case.owning_unit_id == police_station
    number = case.number or ""

    # Nobody signs in time: the missed 签收 is recorded.
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    assert case.ack_due_at is not None
    kit.clock.advance(case.ack_due_at - kit.clock.now() + timedelta(minutes=1))
    await sched.run_due()
    assert (await kit.case(case.id)).deadline_missed

    chief = await kit.person(POLICE)
    assert chief is not None
    await kit.runtime.cases.return_case(case.id, chief.id, RETURN_REASON)
    kit.runtime.outbox_written()
    await kit.delivered()
    returned = await kit.case(case.id)
    assert returned.owning_unit_id == kit.district.dispatcher

    alert = await desk.wait_for_message(
        lambda m: m.content.startswith("【紧急退单】") and number in m.content, WAIT
    )
    police_name = kit.district.bureaus["police"].name
    labels = [b["text"] for b in alert.buttons]
    assert f"派至{police_name}" in labels, labels
    cards = [m.content for m in desk.transcript() if number in m.content]
    assert not any("派单超时" in c for c in cards), cards

    await kit.press(desk, alert, f"派至{police_name}", lambda m: number in m.content)
    await kit.delivered()
    assert (await kit.case(case.id)).owning_unit_id == police_station
