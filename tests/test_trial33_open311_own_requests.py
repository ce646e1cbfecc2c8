"""Trial 33 D15: every Open311 key read every other partner's requests.

A second key (``other-partner``) listed all the requests the first key filed, a 重大
text (老板跑路了，大家说明天去堵公司大门) among them. Now a key reads back only the
requests its partner filed — in a search and by number — and of another partner's
requests nothing at all: a search leaves them out, and asked for by number one answers
the same 404 as an unknown number (``docs/open311.md``, "Partners").
"""

from __future__ import annotations

from sqlalchemy import select

from bot.web.api_keys import create_api_key
from storage.models import Open311Filing
from tests.open311kit import URL, Open311Api
from tests.test_open311 import api  # noqa: F401 (fixture)

LAMP = {"description": "路灯坏了三天，电话13812345678", "address_string": "和平路"}
WAGES = {
    "description": "三十多个工人被欠薪，老板跑路了，大家说明天去堵公司大门",
    "address_string": "东城街道工业园",
}


async def test_a_key_reads_only_its_own_requests(api: Open311Api) -> None:  # noqa: F811
    lamp = await api.file(**LAMP)
    wages = await api.file(**WAGES)
    other = await create_api_key(api.db, "other-partner")
    resp = await api.client.post(
        URL,
        data={"api_key": other, "description": "小区垃圾三天没人清运", "address_string": "和平路"},
    )
    assert resp.status == 201
    garbage = (await resp.json())[0]["service_request_id"]

    # The other partner's search: its own request, none of the first key's.
    listed = await api.client.get(f"{URL}?api_key={other}")
    assert listed.status == 200
    numbers = [r["service_request_id"] for r in await listed.json()]
    assert numbers == [garbage]
    # By number, the first key's requests are as unknown (404), words and all.
    for number in (lamp, wages):
        one = await api.client.get(f"/open311/v2/requests/{number}.json?api_key={other}")
        assert one.status == 404
        assert "堵公司大门" not in await one.text()
        ids = await api.client.get(f"{URL}?api_key={other}&service_request_id={number}")
        assert ids.status == 200 and await ids.json() == []

    # The first key reads its own two, public fields only, and not the other's.
    mine = await api.read(URL)
    records = await mine.json()
    assert {r["service_request_id"] for r in records} == {lamp, wages}
    lamp_record = next(r for r in records if r["service_request_id"] == lamp)
    assert "13812345678" not in lamp_record["description"]
    assert lamp_record.get("account_id") is None and "phone" not in lamp_record
    assert (await api.read(f"/open311/v2/requests/{garbage}.json")).status == 404
    assert (await api.read(f"/open311/v2/requests/{lamp}.json")).status == 200

    # The database says which key filed which request.
    async with api.db.session() as s:
        links = (await s.execute(select(Open311Filing.case_id, Open311Filing.api_key_id))).all()
    by_case = {case_id: key_id for case_id, key_id in links}
    assert len(by_case) == 3
    assert by_case[(await api.case(lamp)).id] == by_case[(await api.case(wages)).id]
    assert by_case[(await api.case(garbage)).id] != by_case[(await api.case(lamp)).id]
