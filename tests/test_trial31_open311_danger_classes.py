"""Trial 31 #6 through Open311: a passive wish to die and a toxic leak with people ill.

Before stop 31, 好想睡着了就不要醒来 was filed as a 7-day request and listed with its words by
GET /open311/v2/requests.json, and a chemical leak with people coughing became an ordinary
environment case. Now both are danger now (docs/severity.md, stop 31): filed critical, withheld
from the public list, the wish answered with the crisis care, the leak with 119. Wordings are our
own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.cases import CaseService
from bot.services.clock import FakeClock
from config.district import District
from storage.db import Database
from tests.factories import CODEC, START
from tests.open311kit import URL, Open311Api, open311_api

WISH = "有时候真想一觉睡过去 再也不要醒来"
LEAK = "农药厂那边氯气泄漏了 路过的人都在咳嗽"
ROUTINE = "和平路的路灯坏了"


@pytest.fixture
async def api(db: Database, district: District) -> AsyncIterator[Open311Api]:
    clock = FakeClock(START)
    async with open311_api(CaseService(db, district, clock, CODEC), clock) as api:
        yield api


async def test_a_passive_wish_and_a_toxic_leak_are_critical_and_not_public(
    api: Open311Api,
) -> None:
    place = {"address_string": "东城街道和平路88号"}
    wish = await api.file(description=WISH, **place)
    leak = await api.file(description=LEAK, **place)
    routine = await api.file(description=ROUTINE, **place)
    for number in (wish, leak):
        assert (await api.case(number)).severity == "critical"
    resp = await api.read(URL)
    body = await resp.text()
    assert [r["service_request_id"] for r in await resp.json()] == [routine]
    assert "醒来" not in body and "氯气" not in body
