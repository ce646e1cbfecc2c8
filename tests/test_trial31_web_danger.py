"""Trial 31 #11: the web form's danger paths.

- 先看看由哪个部门办理 with 我不想活了 药已经准备好了 showed 120/110, then the ordinary
  office with its office hours and 尚未提交; no crisis line. Now the crisis line and
  "press 提交诉求, nothing is filed yet" come before the office, without office hours.
- Filed with no phone: "…的工作人员会尽快联系您", though nobody can. Now the receipt says
  nobody can call and gives the hotline first.
- A fire with the phone mistyped (139-1234-567a) lost the digits. Now they are kept as
  typed at the end of the description, and the receipt says so.
- A danger report over 5,000 characters was refused (web form and Open311). Now it is
  filed, cut around its danger words, with a line saying how long the original was.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest

from bot.services.cases import MAX_TEXT
from bot.services.clock import FakeClock
from bot.web.citizen_intake import fit_danger_text
from config.district import District
from storage.db import Database
from tests.emergencykit import tells_to_call
from tests.factories import START
from tests.formkit import Site, case_number, file_form, form_site, form_token
from tests.open311kit import URL, Open311Api, open311_api
from tests.test_pf30_critical_web_open311 import real_service

SELF_HARM = "我不想活了 药已经准备好了"
FIRE = "楼道着火了，有人困在五楼！"
#: An ordinary story: 6,000 characters.
FILLER = "我们小区物业管理一直不太好，平时反映问题也没人理。" * 240


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    clock = FakeClock(START)
    async with form_site(real_service(db, district, clock), clock) as site:
        yield site


@pytest.fixture
async def api(db: Database, district: District) -> AsyncIterator[Open311Api]:
    clock = FakeClock(START)
    async with open311_api(real_service(db, district, clock), clock) as api:
        yield api


async def test_a_danger_preview_is_filed_at_once_with_the_crisis_line_first(
    site: Site, district: District
) -> None:
    """Stop 32 #6: the preview used to show the lines and file nothing; a person who closed
    the page then had reported nothing. Danger now on the preview is filed at once."""
    token = await form_token(site.client)
    resp = await site.client.post("/report/preview", data={"csrf_token": token, "text": SELF_HARM})
    page = html.unescape(await resp.text())
    assert resp.status == 200
    hotline = district.crisis_hotline
    assert hotline and page.index(f"心理援助热线{hotline}") < page.index("案件编号")
    assert "已直接为您登记" in page and "现在还没有提交" not in page
    (case,) = await site.cases()
    assert case.number == case_number(page) and case.severity == "critical"
    assert case.original_text == SELF_HARM and case.channel == "web"
    # 提交诉求 on the same form afterwards files nothing more: the case already filed.
    again = await site.client.post("/report", data={"csrf_token": token, "text": SELF_HARM})
    assert "此表单已提交过" in html.unescape(await again.text())
    assert [c.id for c in await site.cases()] == [case.id]
    # An ordinary preview files nothing and keeps its office hours.
    resp = await site.client.post(
        "/report/preview", data={"csrf_token": token, "text": "和平路的路灯坏了"}
    )
    ordinary = html.unescape(await resp.text())
    assert "办公时间" in ordinary and "心理援助热线" not in ordinary
    assert [c.id for c in await site.cases()] == [case.id]


async def test_a_danger_preview_from_another_site_files_nothing(site: Site) -> None:
    """Without this browser's token nothing is filed; the form comes back, the text kept and
    the emergency line first (as a refused 提交诉求)."""
    resp = await site.client.post("/report/preview", data={"text": FIRE})
    page = html.unescape(await resp.text())
    assert resp.status == 403 and tells_to_call(page, "119") and "尚未提交" in page
    assert await site.cases() == []


async def test_self_harm_without_a_phone_is_not_promised_a_call(
    site: Site, district: District
) -> None:
    status, page = await file_form(site, text=SELF_HARM)
    page = html.unescape(page)
    assert status == 200
    assert "会尽快联系您" not in page
    assert "无法主动联系您" in page and f"心理援助热线{district.crisis_hotline}" in page
    # With a phone the call is promised, as before.
    status, page = await file_form(site, text=SELF_HARM + " 真的", phone="13912345678")
    assert "会尽快联系您" in html.unescape(page)
    assert len(await site.cases()) == 2


async def test_a_fire_with_a_mistyped_phone_keeps_the_digits(site: Site) -> None:
    status, page = await file_form(site, text="着火了 快来 5栋", phone="139-1234-567a")
    page = html.unescape(page)
    assert status == 200 and tells_to_call(page, "119")
    [case] = await site.cases()
    assert case.number == case_number(page)
    assert "139-1234-567a" in case.original_text
    assert case.contact_phone is None
    assert "已原样附在问题描述后" in page


async def test_a_danger_report_over_the_limit_is_filed_on_both_channels(
    site: Site, api: Open311Api
) -> None:
    long_text = FIRE + FILLER  # the trial's: the danger first, 6,000 characters of story
    assert len(long_text) > MAX_TEXT + 900
    status, page = await file_form(site, text=long_text)
    page = html.unescape(page)
    assert status == 200 and tells_to_call(page, "119")
    [case] = await site.cases()
    assert len(case.original_text) <= MAX_TEXT
    assert FIRE in case.original_text and f"原文共{len(long_text)}字" in case.original_text
    assert case.severity == "critical"
    assert "超过5000字" in page

    resp = await api.client.post(URL, data={"api_key": api.key, "description": long_text})
    assert resp.status == 201, await resp.text()
    [answer] = await resp.json()
    assert tells_to_call(answer["service_notice"], "119")
    filed = await api.case(answer["service_request_id"])
    assert FIRE in filed.original_text and len(filed.original_text) <= MAX_TEXT
    # An ordinary text over the limit is still refused, with the reason.
    refused = await api.client.post(
        URL, data={"api_key": api.key, "description": FILLER, "address_string": "和平路"}
    )
    assert refused.status == 400


def test_a_cut_keeps_the_danger_words_that_stand_beyond_the_opening() -> None:
    long_text = FILLER + FIRE + FILLER
    kept = fit_danger_text(long_text, ("着火",))
    assert len(kept) <= MAX_TEXT
    assert kept.startswith(FILLER[:100]) and FIRE in kept
    # two cuts, and the last line naming the mark
    assert kept.count("……") == 3 and f"原文共{len(long_text)}字" in kept
    assert fit_danger_text(FIRE, ("着火",)) == FIRE
