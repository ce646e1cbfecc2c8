"""Trial 30 #10: Open311's public list kept seven of the eleven digits of a boss's phone.

``公司拖欠我两个月工资不发，老板电话13811112222`` filed through Open311 was listed as
``…老板电话138****2222``: whoever knows the boss recognises the number. The README
promises public descriptions without phones, so the number goes whole (电话[已隐去]),
in the list, by number and in XML. The units keep their own rule: the owning station
reads the number in full, the district office masked as before.
"""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Case
from tests.factories import chief, staff
from tests.open311kit import Open311Api
from tests.test_open311 import api  # noqa: F401 (fixture)

WAGES = "公司拖欠我两个月工资不发，老板电话13811112222"


async def test_a_phone_in_a_public_description_is_removed_whole(api: Open311Api) -> None:  # noqa: F811
    resp = await api.client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": api.key,
            "description": WAGES,
            "address_string": "东城街道和平路3号",
        },
    )
    assert resp.status == 201, await resp.text()
    [filed] = await resp.json()
    number = filed["service_request_id"]

    listing = await api.read("/open311/v2/requests.json")
    [record] = [r for r in await listing.json() if r["service_request_id"] == number]
    assert record["description"] == "公司拖欠我两个月工资不发，老板电话[已隐去]"
    [one] = await (await api.read(f"/open311/v2/requests/{number}.json")).json()
    xml = await (await api.read("/open311/v2/requests.xml")).text()
    for shown in (record["description"], one["description"], xml):
        for digits in ("138", "2222", "1111", "****"):
            assert digits not in shown, (digits, shown)

    # The units' own views are unchanged: the owner calls the boss, the office reads it masked.
    async with api.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None and case.original_text == WAGES
    owner = await chief(api.db, case.owning_unit_id)
    office = await staff(api.db, "office")
    owned = await api.service.get_case_view(case.id, owner.id)
    assert "13811112222" in owned.text
    supervised = await api.service.get_case_view(case.id, office.id)
    assert "138****2222" in supervised.text
