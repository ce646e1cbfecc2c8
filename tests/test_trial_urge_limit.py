"""Trial defect dfx3 #4: 催办 at most once per case per ``[escalation] urge_interval``
(24 h by default, on the service's clock), in the bot and on the dashboard, which
now offers 催办 to the supervising unit as the bot does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from config.district import District
from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.dashkit import WAGES, Dash
from tests.factories import chief, load_case
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CHIEF = 2701
SUPERVISOR = 2702
CITIZEN = 1701


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _urges(db: object, case_id: int) -> int:
    async with db.session() as s:  # type: ignore[attr-defined]
        count = await s.scalar(
            select(func.count())
            .select_from(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.type == "urged")
        )
    return int(count or 0)


async def test_the_bot_refuses_a_second_urge_within_the_interval(kit: BotKit) -> None:
    assert kit.district.escalation.urge_interval == timedelta(hours=24)
    station = kit.user(CHIEF, "劳动站长")
    await kit.bind(station, "labor", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "督办员")
    await kit.bind(supervisor, kit.district.supervision, Role.CHIEF)
    case = await file_request(kit, kit.user(CITIZEN, "王芳"), LABOR_TEXT)
    card = await card_of(station, case)
    await kit.press(station, card, "上报", "上报")
    await kit.say(station, "企业拒不配合，请上级协调", "已上报")
    number = case.number or ""
    centre_card = await supervisor.wait_for_message(
        lambda m: m.content.startswith("【") and number in m.content and "催办" in str(m.buttons),
        WAIT,
    )
    done = await kit.callback_answer(supervisor.press(centre_card, "催办"))
    assert done.startswith("已催办承办单位")
    await station.wait_for_message(lambda m: m.content.startswith("【督办催办】"), WAIT)

    kit.clock.advance(timedelta(hours=23))
    refused = await kit.callback_answer(supervisor.press(centre_card, "催办"))
    assert "24小时内只能催办一次" in refused and "后可再次催办" in refused
    assert await _urges(kit.db, case.id) == 1

    kit.clock.advance(timedelta(hours=1, minutes=1))
    again = await kit.callback_answer(supervisor.press(centre_card, "催办"))
    assert again.startswith("已催办承办单位")
    assert await _urges(kit.db, case.id) == 2


async def test_the_dashboard_offers_urge_to_the_supervising_unit_once_a_day(dash: Dash) -> None:
    case_id = await dash.file(WAGES)
    owner_unit = (await load_case(dash.db, case_id)).owning_unit_id or ""
    station = await chief(dash.db, owner_unit)
    await dash.cases.escalate(case_id, station.id, "请上级协调")
    boss = await chief(dash.db, dash.district.supervision)
    await dash.login(boss.id)
    page = await (await dash.client.get(f"/dashboard/cases/{case_id}")).text()
    assert 'value="urge"' in page and 'value="ack"' not in page
    tokens = [await dash.csrf()]

    async def urge() -> tuple[int, str]:
        version = (await load_case(dash.db, case_id)).version
        form = {"csrf_token": tokens[0], "action": "urge", "version": str(version)}
        response = await dash.client.post(f"/dashboard/cases/{case_id}/act", data=form)
        return response.status, await response.text()

    status, html = await urge()
    assert status == 200 and "已催办" in html
    status, html = await urge()
    assert status == 409 and "24小时内只能催办一次" in html
    assert await _urges(dash.db, case_id) == 1
    dash.clock.advance(timedelta(hours=24))
    dash.logout_locally()  # the session does not last a day: log in again
    await dash.login(boss.id)
    tokens[0] = await dash.csrf()
    status, html = await urge()
    assert status == 200 and await _urges(dash.db, case_id) == 2

    # The station cannot urge its own case on the web either.
    dash.logout_locally()
    await dash.login(station.id)
    page = await (await dash.client.get(f"/dashboard/cases/{case_id}")).text()
    assert 'value="urge"' not in page
