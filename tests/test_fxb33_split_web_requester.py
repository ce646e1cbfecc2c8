"""Trial 33b E4: an Open311 case split on the dashboard told the desk 「群众已收到两个编号的
通知」, but the requester saw neither the split nor the new number on /report/status, the
new case had no 查询码 anyone was shown, and the partner's key did not list it.

Now the original's status page shows 分开办理 with the new number and its own 查询码, which
opens the new case's page; the partner's key lists and reads the new case; and the
dashboard says plainly that a web or Open311 requester cannot be sent a notice.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.services.clock import FakeClock
from bot.web.lookup_codes import lookup_code
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.dashkit import Dash
from tests.factories import START, make_service, staff
from tests.formkit import form_site
from tests.open311kit import open311_api

PIT = "金桥路路面塌陷一个大坑，坑边上有个老人掉进去了，头上流了很多血不能动"
PART = "坑边上有个老人掉进去了，头上流了很多血不能动"


async def test_the_requester_finds_the_split_and_the_new_number(
    dash: Dash, db: Database, district: District
) -> None:
    clock = FakeClock(START)
    service = make_service(db, district, clock)
    async with open311_api(service, clock) as api:
        number = await api.file(service_code="construction", description=PIT)
        original = await api.case(number)
        code = await lookup_code(db, number)

        desk = await staff(db, district.dispatcher)
        await dash.login(desk.id)
        token = await dash.csrf()
        form = {"csrf_token": token, "version": str(original.version), "text": PART}
        response = await dash.client.post(f"/dashboard/cases/{original.id}/split", data=form)
        html = await response.text()
        assert response.status == 200 and "已拆分" in html
        assert "群众已收到两个编号的通知" not in html
        assert "无法向其推送通知" in html and "查询页" in html
        async with db.session() as s:
            new = (await s.scalars(select(Case).order_by(Case.id.desc()))).first()
        assert new is not None and new.id != original.id and new.number
        new_code = await lookup_code(db, new.number)

        # The partner's key reads the split-off case too.
        both = f"/open311/v2/requests.json?service_request_id={number},{new.number}"
        listed = await (await api.read(both)).json()
        assert {r["service_request_id"] for r in listed} == {number, new.number}
        one = await api.read(f"/open311/v2/requests/{new.number}.json")
        assert one.status == 200

    async with form_site(service, clock) as site:
        shown = await site.client.post("/report/status", data={"number": number, "phone": code})
        page = await shown.text()
        assert shown.status == 200 and "分开办理" in page
        assert new.number in page and new_code in page, page[-1500:]
        opened = await site.client.post(
            "/report/status", data={"number": new.number, "phone": new_code}
        )
        assert opened.status == 200 and "头上流了很多血" in re.sub(r"\s", "", await opened.text())
