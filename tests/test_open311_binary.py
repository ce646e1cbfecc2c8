"""Trial 26 T22: binary data and control characters are not a request, on any channel.

Open311 answers them with a 400 that says why; the web form answers them as the bot
answers noise; nothing is filed. Danger inside garbage still wins.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from storage.models import Case
from tests.emergencykit import tells_to_call
from tests.formkit import Site, form_token
from tests.open311kit import Open311Api
from tests.test_citizen_form import site  # noqa: F401 (fixture)
from tests.test_open311 import api  # noqa: F401 (fixture)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
#: What the trial posted: two NULs, two bytes that are not UTF-8, then 中abc.
GARBAGE = "%00%00%FF%FE%E4%B8%ADabc"


async def test_open311_refuses_binary_description_with_a_clear_400(api: Open311Api) -> None:  # noqa: F811
    url = "/open311/v2/requests.json"
    body = f"api_key={api.key}&service_code=labor&description={GARBAGE}&address_string=%00"
    resp = await api.client.post(url, data=body.encode(), headers=FORM)
    assert resp.status == 400
    [error] = await resp.json()
    assert error["code"] == 400
    assert "description is not readable text" in error["description"]
    assert "无法识别为文字" in error["description"]

    # The same in a JSON body, and in XML (a parseable error list).
    resp = await api.client.post(
        url,
        json={
            "api_key": api.key,
            "description": "\x01\x02\x03\x04\ufffd\ufffd路灯",
            "address_string": "和平路",
        },
    )
    assert resp.status == 400
    assert "not readable text" in (await resp.json())[0]["description"]
    xml = await api.client.post("/open311/v2/requests.xml", data=body.encode(), headers=FORM)
    assert xml.status == 400
    root = ET.fromstring(await xml.text())
    assert root.findtext("error/code") == "400"
    assert "not readable text" in (root.findtext("error/description") or "")

    # A readable description with a binary address is refused for the address.
    resp = await api.client.post(
        url,
        data={"api_key": api.key, "description": "路灯坏了一个月", "address_string": "\x00\x00"},
    )
    assert resp.status == 400
    assert "address_string is not readable text" in (await resp.json())[0]["description"]
    assert await api.case_count() == 0

    # One stray control character in a real complaint is still a request.
    resp = await api.client.post(
        url,
        data={
            "api_key": api.key,
            "description": "和平路的路灯坏了一个月，晚上看不清路\x07",
            "address_string": "和平路8号",
        },
    )
    assert resp.status == 201, await resp.text()
    # Danger now inside garbage is filed at once, whatever the address holds.
    resp = await api.client.post(
        url,
        data={
            "api_key": api.key,
            "description": "\x00\x00\ufffd隔壁着火了",
            "address_string": "\x00",
        },
    )
    assert resp.status == 201, await resp.text()
    assert tells_to_call((await resp.json())[0]["service_notice"], "119")
    async with api.db.session() as s:
        cases = list((await s.scalars(select(Case).order_by(Case.id))).all())
    assert [c.priority for c in cases] == ["normal", "critical"]


async def test_web_form_answers_binary_as_noise_and_files_nothing(site: Site) -> None:  # noqa: F811
    token = await form_token(site.client)
    body = f"csrf_token={token}&text={GARBAGE}&address=%00".encode()
    resp = await site.client.post("/report", data=body, headers=FORM)
    page = await resp.text()
    assert "您好！需要帮助的话，请用文字描述您遇到的问题。" in page
    assert "您的留言未登记为诉求" in page and "诉求已登记" not in page
    async with site.db.session() as s:
        assert list((await s.scalars(select(Case))).all()) == []
