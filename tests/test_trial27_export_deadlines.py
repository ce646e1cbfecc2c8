"""Trial 27: the case export names the deadlines as the dashboard's case page does.

A case still at the dispatcher desk had a 签收时限 in the CSV (its 派单时限, under the
wrong name: nobody can acknowledge a case not yet dispatched). The export now has a
派单时限 column, and 签收时限 says 待派单 until the case is dispatched; the times are
the ones the case page shows.
"""

from __future__ import annotations

import csv
import io
import re

from bot.services.cases import RequestDraft
from tests.dashkit import Dash
from tests.factories import chief, citizen, load_case


async def _export_row(dash: Dash, number: str) -> dict[str, str]:
    raw = await (await dash.client.get("/dashboard/export/cases.csv")).read()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    return next(r for r in rows if r["案件编号"] == number)


async def _page_time(dash: Dash, case_id: int, label: str) -> str:
    page = await (await dash.client.get(f"/dashboard/cases/{case_id}")).text()
    found = re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", page)
    assert found is not None, label
    return found.group(1).replace("—", "")  # the page's dash for no time: an empty cell


async def test_a_desk_case_has_a_dispatch_deadline_and_no_acknowledgement_deadline(
    dash: Dash,
) -> None:
    me = await citizen(dash.db)
    view = await dash.cases.file_request(me.id, RequestDraft(text="说不清是什么事"))
    assert view.status == "registered"
    desk = await chief(dash.db, dash.district.dispatcher)
    await dash.login(desk.id)

    row = await _export_row(dash, view.number)
    assert row["状态"] == view.status_label
    assert row["签收时限"] == "待派单"
    assert row["派单时限"] == await _page_time(dash, view.id, "派单时限") != ""
    assert row["办结时限"] == await _page_time(dash, view.id, "办结时限")

    # Dispatched: the station's 签收时限 is the page's, and there is no 派单时限 any more.
    case = await load_case(dash.db, view.id)
    response = await dash.client.post(
        f"/dashboard/cases/{view.id}/act",
        data={
            "csrf_token": await dash.csrf(),
            "action": "disp",
            "version": case.version,
            "target": "labor",
        },
    )
    assert response.status == 200
    await dash.login((await chief(dash.db, "labor")).id)
    row = await _export_row(dash, view.number)
    assert row["派单时限"] == ""
    assert row["签收时限"] == await _page_time(dash, view.id, "签收时限") != ""
