"""Trial 26 T10 over real HTTP: a form left open past its life loses nothing.

A neighbour opened /report, came back 2.5 h later (FORM_TTL passed) and sent
隔壁邻居家着火了… — it was refused (403) and the text thrown away. Now:

* a danger report on this browser's own, only too old form is filed at once
  (critical, the emergency line first, owned by the police);
* an ordinary text on an expired form, or any text posted with no or a forged
  token, is not filed (403) but comes back in a fresh form (the emergency line
  first for danger) whose one 提交诉求 files it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from html import unescape

import pytest

from bot.services.clock import FakeClock
from bot.web.citizen_form_tokens import FORM_TTL
from config.district import District
from storage.db import Database
from tests.factories import START, make_service
from tests.formkit import PHONE, TOKEN_RE, Site, form_site, form_token

FIRE = "隔壁邻居家着火了，烟从窗户冒出来，里面好像还有老人"
LAMP = "幸福小区3号楼门口的路灯坏了一个月，晚上看不清路"


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    clock = FakeClock(START)
    async with form_site(make_service(db, district, clock), clock) as site:
        yield site


def _kept_text(page: str) -> str:
    match = re.search(r'<textarea id="text" name="text"[^>]*>([^<]*)</textarea>', page)
    assert match is not None, page
    return unescape(match.group(1))


async def test_a_fire_on_an_expired_form_is_filed(site: Site, district: District) -> None:
    token = await form_token(site.client)
    site.clock.advance(FORM_TTL + timedelta(minutes=30))
    resp = await site.client.post(
        "/report", data={"csrf_token": token, "text": FIRE, "phone": PHONE}
    )
    page = await resp.text()
    assert resp.status == 200, page
    assert re.search(r'class="emergency" role="alert">[^<]*119', page)
    (case,) = await site.cases()
    assert case.severity == "critical" and case.original_text == FIRE
    assert case.owning_unit_id == district.bureaus["police"].station_id
    assert case.number is not None and case.number in page
    # The same old form files once.
    again = await site.client.post("/report", data={"csrf_token": token, "text": FIRE})
    assert again.status == 200 and len(await site.cases()) == 1


@pytest.mark.parametrize("text", [FIRE, LAMP])
async def test_a_refused_token_gives_the_text_back_and_one_click_files_it(
    site: Site, text: str
) -> None:
    await form_token(site.client)  # the browser has its cookie; the post carries no token
    resp = await site.client.post("/report", data={"text": text, "phone": PHONE})
    page = await resp.text()
    assert resp.status == 403
    assert "尚未提交" in page and _kept_text(page) == text
    assert 'value="13912345678"' in page
    danger = re.search(r'class="emergency" role="alert">[^<]*(110|119|120)', page)
    assert (danger is not None) == (text == FIRE)
    if danger is not None:  # the line comes before the error and the form
        assert page.index('class="emergency"') < page.index("尚未提交")
    assert await site.cases() == []
    fresh = TOKEN_RE.search(page)
    assert fresh is not None
    resp = await site.client.post(
        "/report", data={"csrf_token": fresh.group(1), "text": _kept_text(page), "phone": PHONE}
    )
    assert resp.status == 200
    (case,) = await site.cases()
    assert case.original_text == text


async def test_an_ordinary_text_on_an_expired_form_comes_back(site: Site) -> None:
    token = await form_token(site.client)
    site.clock.advance(FORM_TTL + timedelta(minutes=30))
    resp = await site.client.post("/report", data={"csrf_token": token, "text": LAMP})
    page = await resp.text()
    assert resp.status == 403 and _kept_text(page) == LAMP
    assert await site.cases() == []
