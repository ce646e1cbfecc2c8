"""Trial 32 D7: the dashboard's timeline credits each step to the unit of the person who
took it (the dispatcher's 派单 to the desk, a supervisor's 催办 to the supervision
centre, the citizen's own steps to 反映人), and names every kind of event in Chinese."""

from __future__ import annotations

from bot.services.cases import RequestDraft
from bot.services.lifecycle import EventType
from bot.services.notification_labels import EVENT_LABELS
from tests.dashkit import Dash
from tests.factories import chief, citizen, load_case


def _timeline(page: str) -> str:
    return page[page.index("办理过程") :]


def test_every_event_kind_has_a_chinese_label() -> None:
    for kind in EventType:
        label = EVENT_LABELS.get(kind.value, "")
        assert label and not label.isascii(), kind.value


async def test_the_timeline_credits_the_desk_and_the_supervisor(dash: Dash) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text="说不清是什么事"))
    assert view.status == "registered"  # at the desk
    desk = await chief(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)
    case = await load_case(dash.db, view.id)
    form = {
        "csrf_token": await dash.csrf(),
        "action": "disp",
        "version": str(case.version),
        "target": "labor",
    }
    assert (await dash.client.post(f"/dashboard/cases/{view.id}/act", data=form)).status == 200
    station = await chief(dash.db, "labor")
    await dash.cases.escalate(view.id, station.id, "请上级协调处理")
    boss = await chief(dash.db, dash.district.supervision)
    dash.logout_locally()
    await dash.login(boss.id)
    case = await load_case(dash.db, view.id)
    form = {"csrf_token": await dash.csrf(), "action": "urge", "version": str(case.version)}
    assert (await dash.client.post(f"/dashboard/cases/{view.id}/act", data=form)).status == 200

    dash.logout_locally()
    await dash.login(station.id)
    page = await (await dash.client.get(f"/dashboard/cases/{view.id}")).text()
    timeline = _timeline(page)
    names = {k: u.name for k, u in dash.district.units.items()}
    desk_name, centre = names[dash.district.dispatcher], names[dash.district.supervision]
    labor = names["labor"]
    assert "urged" not in timeline
    assert "督办催办" in timeline and f"{centre}、{boss.name}" in timeline
    assert "派单" in timeline and f"{desk_name}、{desk.name}" in timeline
    assert f"{labor}、{desk.name}" not in timeline and f"{labor}、{boss.name}" not in timeline
    assert f"反映人、{me.name}" in timeline and f"{labor}、{me.name}" not in timeline
