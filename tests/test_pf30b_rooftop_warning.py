"""Trial 30 #1 and #13: an officer's warning of someone on a roof's edge.

``/warn 和平小区6号楼楼顶有个人坐在边上，好像要跳`` stayed with the officer's street
station, and the police — the unit that can act — got the self-harm summary (no
place, no words, no officer to call back) and could not open the case on the
dashboard. The same words from a citizen are the police's. Now the police own the
warning as they own the citizen's report: their card has the words, the place and
the officer's name, and their dashboard opens it; the officer's station gets a copy
and the officer still sees 110 first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.dashkit import serve

OFFICER = 3001
POLICE = 3002
STATION = 3003
CITIZEN = 3004
ROOF = "和平小区6号楼楼顶有个人坐在边上，好像要跳"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_an_officers_rooftop_warning_is_the_polices(kit: BotKit) -> None:
    police = kit.user(POLICE, "于站长")
    await kit.bind(police, "police", Role.CHIEF)
    station = kit.user(STATION, "杨站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)

    receipt = await kit.say(officer, f"/warn {ROOF}", "预警已报送")
    first = next(m for m in officer.transcript() if m.from_bot and "110" in m.content)
    assert first.message_id <= receipt.message_id
    (case,) = await kit.cases()
    assert case.severity == "critical"
    police_station = kit.district.bureaus["police"].station_id
    assert case.owning_unit_id == police_station
    notified = (await kit.registered(case.id))["notify"]
    assert "dongcheng" in notified  # the officer's station keeps a copy
    assert case.territorial_unit_id == "dongcheng"
    number = case.number or ""

    # The police act on it: the words, the place, the officer's phone, and the buttons.
    card = await police.wait_for_message(lambda m: number in m.content and bool(m.buttons), WAIT)
    assert ROOF in card.content
    assert "报送人：李信息员" in card.content  # who to call back
    assert "签收" in str(card.buttons)
    assert "轻生念头" not in card.content

    # The officer's /mine names the police as the unit handling it.
    mine = await kit.say(officer, "/mine", number)
    assert kit.district.units[police_station].name in mine.content

    # The police chief opens it on the dashboard and sees it in the list.
    chief = await kit.person(POLICE)
    assert chief is not None
    async with serve(kit.db, kit.district, service=kit.runtime.cases) as dash:
        await dash.login(chief.id)
        page = await dash.client.get(f"/dashboard/cases/{case.id}")
        assert page.status == 200
        body = await page.text()
        assert number in body and "6号楼楼顶" in body
        listing = await (await dash.client.get("/dashboard")).text()
        assert number in listing


async def test_the_citizen_path_gives_the_same_owner(kit: BotKit) -> None:
    """Consistency: the same words from a citizen go to the same unit (trial 30 #13)."""
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(ROOF)
    await kit.answer(citizen, action, "110")
    await kit.handled(action)
    (case,) = await kit.cases()
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
