"""Trial 26 T20: Open311 shows only public requests, and those without personal data.

A key holder (another system) read every Telegram citizen's words with their name and
home address. Now only requests filed through Open311 are shown, names and house
numbers masked, the address generalised and the coordinates rounded.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.cases import RequestDraft
from storage.enums import Channel
from storage.models import Case
from tests.factories import chief, citizen
from tests.open311kit import Open311Api
from tests.test_open311 import api  # noqa: F401 (fixture)

TELEGRAM_TEXT = "我叫王建国，电话13898769876，住金桥居民区3栋，楼上住户天天往下扔垃圾"


async def test_telegram_and_web_requests_are_not_public(api: Open311Api) -> None:  # noqa: F811
    svc = api.service
    person = await citizen(api.db)
    telegram = await svc.file_request(
        person.id,
        RequestDraft(text=TELEGRAM_TEXT, address="金桥居民区3栋2单元401"),
        Channel.TELEGRAM,
    )
    web_person = await citizen(api.db, chat=False)
    web = await svc.file_request(
        web_person.id,
        RequestDraft(text="本人李秀英，和平路12号门口的下水道堵了一周", contact_name="李秀英"),
        Channel.WEB,
    )
    resp = await api.client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": api.key,
            "service_code": "construction",
            "description": "我叫赵铁柱，东城街道和平路88号装修工地每天夜里施工到两点，吵得睡不着",
            "address_string": "东城街道和平路88号装修工地",
            "lat": "30.274156",
            "long": "120.155123",
            "first_name": "铁柱",
            "last_name": "赵",
        },
    )
    assert resp.status == 201, await resp.text()
    [filed] = await resp.json()
    number = filed["service_request_id"]

    # The list holds the Open311 request only, in JSON and XML.
    listing = await api.read("/open311/v2/requests.json")
    assert listing.status == 200
    raw = await listing.text()
    records = await listing.json()
    assert [r["service_request_id"] for r in records] == [number]
    xml = await (await api.read("/open311/v2/requests.xml")).text()
    for text in (raw, xml):
        for secret in ("王建国", "金桥居民区3栋", "李秀英", "下水道", "赵铁柱", "铁柱", "88号"):
            assert secret not in text, secret

    # What the public record shows of the Open311 request: words without the name or
    # house number, the street, coordinates to about 100 m.
    [record] = records
    assert record["description"] == (
        "我叫某某，东城街道和平路*号装修工地每天夜里施工到两点，吵得睡不着"
    )
    assert record["address"] == "东城街道和平路"
    assert record["lat"] == pytest.approx(30.274) and record["long"] == pytest.approx(120.155)

    # By number, a Telegram or web request is exactly an unknown number.
    unknown = await api.read("/open311/v2/requests/MQ20260303-9999.json")
    assert unknown.status == 404
    for view in (telegram, web):
        assert view.number is not None
        resp = await api.read(f"/open311/v2/requests/{view.number}.json")
        assert resp.status == 404
        [error] = await resp.json()
        assert error == {"code": 404, "description": f"unknown service_request_id: {view.number}"}
        both = await api.read(f"/open311/v2/requests.json?service_request_id={view.number}")
        assert await both.json() == []

    # The station's result note loses the reporter's name as well.
    async with api.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
        assert case is not None and case.contact_name == "赵铁柱"
    boss = await chief(api.db, case.owning_unit_id)
    await svc.acknowledge(case.id, boss.id)
    await svc.resolve(case.id, boss.id, "已联系赵铁柱，工地已停止夜间施工，13812345678")
    [done] = await (await api.read(f"/open311/v2/requests/{number}.json")).json()
    assert done["status"] == "closed"
    assert done["status_notes"] == "已办结：已联系某某，工地已停止夜间施工，[已隐去]"
    # The database keeps everything for the handling units.
    async with api.db.session() as s:
        stored = await s.scalar(select(Case).where(Case.number == telegram.number))
        assert stored is not None and stored.original_text == TELEGRAM_TEXT


async def test_wechat_qq_and_email_ids_are_masked_in_the_list(api: Open311Api) -> None:  # noqa: F811
    """Trial 27 N11: a 微信号 typed in the text was listed in full."""
    description = (
        "本人刘德华，在和平路88号2楼的鑫达公司上班，老板拖欠工资三个月，"
        "微信号liudehua888，QQ：12345678，邮箱 liu.dh@example.com"
    )
    resp = await api.client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": api.key,
            "service_code": "labor",
            "description": description,
            "address_string": "东城街道和平路88号",
        },
    )
    assert resp.status == 201, await resp.text()
    raw = await (await api.read("/open311/v2/requests.json")).text()
    for secret in ("liudehua888", "12345678", "liu.dh@example.com", "example.com"):
        assert secret not in raw, raw
    assert "微信号" in raw and "拖欠工资" in raw  # the words stay readable
    async with api.db.session() as s:  # the case itself keeps what was written
        case = await s.scalar(select(Case).where(Case.original_text == description))
    assert case is not None


async def test_trial29_p6_third_party_name_chinese_numeral_phone_and_flat_are_masked(
    api: Open311Api,  # noqa: F811
) -> None:
    """A name introduced by 她叫, a phone in Chinese numerals and the flat number after a
    building are not shown to other key holders (trial 29 P6)."""
    description = "赵大妈低保被取消了，她叫赵桂兰，住湖滨社区十二栋502，电话一三九一二三四五六七八"
    number = await api.file(
        service_code="civil_affairs",
        description=description,
        lat="30.27412",
        long="120.15515",
    )
    record, views = await api.public_views(number)
    for shown in views:
        for secret in ("赵桂兰", "桂兰", "502", "一二三四", "十二栋"):
            assert secret not in shown, (secret, shown)
    # The complaint itself stays readable.
    assert (
        record["description"]
        # 赵大妈 names her to the street: 赵某 since pf29 (tests/test_pf29_open311_names.py).
        == "赵某低保被取消了，她叫某某，住湖滨社区*栋*，电话[已隐去]"
    )
    # An ordinary 叫 (叫人来修) and the words around a building are left alone.
    resp = await api.client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": api.key,
            "service_code": "construction",
            "description": "和平路5号楼前的路灯坏了三天，叫人来修也没人来",
            "lat": "30.27412",
            "long": "120.15515",
        },
    )
    assert resp.status == 201, await resp.text()
    [second] = await resp.json()
    shown = await (
        await api.read(f"/open311/v2/requests/{second['service_request_id']}.json")
    ).json()
    assert shown[0]["description"] == "和平路*号楼前的路灯坏了三天，叫人来修也没人来"
