"""Trial 26 on officers' warnings, through the real bot and the fake Bot API.

T3: the /warn receipt lists every unit the warning reached, the police's copy of a
danger to life included (the officer must know whether to call 110 themselves).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER = 2611
POLICE = 2612
KNIFE = "东城菜市场门口两个摊贩打起来了，其中一人拿着菜刀追砍，已经有人流血"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _notified(kit: BotKit, case_id: int) -> list[str]:
    async with kit.db.session() as s:
        registered = await s.scalar(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.type == "registered")
        )
    assert registered is not None
    return list(registered.data["notify"])


async def test_the_warning_receipt_names_every_unit_it_reached(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    receipt = await kit.say(officer, f"/warn {KNIFE}", "预警已报送")

    (case,) = await kit.cases()
    assert case.severity == "critical" and case.owning_unit_id == "dongcheng"
    notified = await _notified(kit, case.id)
    police_station = kit.district.bureaus["police"].station_id
    assert police_station in notified
    sent_to = next(line for line in receipt.content.splitlines() if line.startswith("同时报送"))
    for unit in notified:
        assert kit.district.units[unit].name in sent_to, (unit, sent_to)
    assert kit.district.units[police_station].name in sent_to
    card = await police.wait_for_message(lambda m: (case.number or "") in m.content, WAIT)
    assert not card.buttons  # the police's copy is for reading
