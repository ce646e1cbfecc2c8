"""pf31 #3: whoever a copy was sent to opens it on the dashboard.

An officer's fire warning (119) stayed with the officer's street station and the police
got a copy on Telegram; on the dashboard the police chief got 404 for it. A unit sent a
copy now opens the case (to read: no 签收 form, the same privacy as its Telegram copy)
and finds it in its list; a unit sent nothing still does not. Since trial 34 #1 the police
own such a warning and the officer's station holds the copy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import critical_warning_owned_by_police, police_chief
from tests.dashkit import serve

OFFICER = 3121
POLICE = 3122
OTHER = 3123
STATION = 3124
FIRE = "和平小区5栋3楼着火了，浓烟很大，有老人被困在屋里"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_officers_station_opens_the_copy_of_a_fire_warning(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    police = await police_chief(kit, POLICE)
    other = kit.user(OTHER, "西湖站长")
    await kit.bind(other, "xihu", Role.CHIEF)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    case, _receipt = await critical_warning_owned_by_police(kit, officer, police, FIRE)
    number = case.number or ""
    await kit.delivered()

    owner = await kit.person(POLICE)
    stranger = await kit.person(OTHER)
    chief = await kit.person(STATION)
    assert chief is not None and stranger is not None and owner is not None
    sign = '<button type="submit">签收</button>'
    async with serve(kit.db, kit.district, service=kit.runtime.cases) as dash:
        await dash.login(owner.id)
        owners = await (await dash.client.get(f"/dashboard/cases/{case.id}")).text()
        assert sign in owners  # the police sign it
        dash.logout_locally()
        await dash.login(chief.id)
        page = await dash.client.get(f"/dashboard/cases/{case.id}")
        assert page.status == 200
        body = await page.text()
        assert number in body and "5栋3楼着火了" in body
        # A copy to read: the police act on it.
        assert sign not in body
        listing = await (await dash.client.get("/dashboard")).text()
        assert number in listing

        # A station sent no copy still cannot open it.
        dash.logout_locally()
        await dash.login(stranger.id)
        page = await dash.client.get(f"/dashboard/cases/{case.id}")
        assert page.status == 404
        listing = await (await dash.client.get("/dashboard")).text()
        assert number not in listing


async def test_a_copy_of_a_private_disclosure_opens_as_a_summary(kit: BotKit) -> None:
    """An officer's warning of a wife beaten at home now: since trial 33 D3 the police own
    it (violence now, 110 first) and the officer's station gets a copy, which opens on the
    dashboard as a summary, as on Telegram: no words of the warning (trial 29 V7's
    privacy)."""
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await police_chief(kit, POLICE)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    words = "和平小区3栋王某正在家里殴打妻子，妻子在楼道里哭喊求救"
    await kit.say(officer, f"/warn {words}", "预警已报送")
    (case,) = await kit.cases()
    police_station = kit.district.bureaus["police"].station_id
    assert case.owning_unit_id == police_station
    assert "dongcheng" in (await kit.registered(case.id))["notify"]
    number = case.number or "?"
    copy = await station.wait_for_message(lambda m: number in m.content, WAIT)
    assert "殴打妻子" not in copy.content  # the Telegram copy is a summary
    chief = await kit.person(STATION)
    assert chief is not None
    async with serve(kit.db, kit.district, service=kit.runtime.cases) as dash:
        await dash.login(chief.id)
        page = await dash.client.get(f"/dashboard/cases/{case.id}")
        body = await page.text()
        assert page.status == 200
        assert number in body and "隐私" in body
        assert "殴打妻子" not in body and "哭喊" not in body
