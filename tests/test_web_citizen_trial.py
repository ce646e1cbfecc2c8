"""Trial D24, D13, D23 on the citizen web form, over real HTTP (``/report``)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.services.clock import FakeClock
from bot.web.citizen_intake import CitizenFormContext
from bot.web.throttle import Throttle
from config.district import District
from storage.db import Database
from storage.models import Case
from tests.factories import START, make_service
from tests.formkit import TOKEN_RE, Site, case_number, form_site, form_token

FIRE = "楼下着火了，浓烟很大，有人被困"
DESK_PHONE = "0000-12345（示例号码）"


async def _serve(db: Database, district: District, throttle: Throttle) -> AsyncIterator[Site]:
    clock = FakeClock(START)
    service = make_service(db, district, clock)
    ctx = CitizenFormContext.from_service(service)
    ctx.throttle = throttle
    async with form_site(service, clock, ctx) as site:
        yield site


@pytest.fixture
async def site(db: Database, district: District) -> AsyncIterator[Site]:
    async for s in _serve(db, district, Throttle()):
        yield s


async def _texts(db: Database) -> list[str]:
    async with db.session() as s:
        return list((await s.scalars(select(Case.original_text).order_by(Case.id))).all())


async def _post(site: Site, **fields: str) -> tuple[int, str, dict[str, str]]:
    """Submit the form the current page carries (the browser's cookie stays)."""
    token = await form_token(site.client)
    resp = await site.client.post("/report", data={"csrf_token": token, **fields})
    return resp.status, await resp.text(), dict(resp.headers)


# --- D24: danger is never refused by the rate limit ------------------------------------------


async def test_d24_fire_report_after_the_limit_is_filed_with_the_emergency_line(
    site: Site,
) -> None:
    for i in range(3):
        status, page, _ = await _post(site, text=f"和平路的路灯坏了 第{i}盏")
        assert status == 200, page
    # An ordinary fourth filing: a Chinese page, the wait, whom to call; the text is kept.
    status, page, headers = await _post(
        site, text="小区门口的垃圾三天没人清运", address="和平路12号", name="张大姐"
    )
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
    assert "操作过于频繁" in page and "内容已保留" in page and DESK_PHONE in page
    assert "119" in page and "110" in page  # the general danger hint names the numbers
    assert ">小区门口的垃圾三天没人清运</textarea>" in page
    assert 'value="和平路12号"' in page and 'value="张大姐"' in page
    assert TOKEN_RE.search(page), "the kept form can be sent again"
    assert len(await _texts(site.db)) == 3

    # The fire report from the same browser: filed, and the 119 line comes first.
    status, page, _ = await _post(site, text=FIRE, address="和平路12号")
    assert status == 200, page
    assert "请立即拨打 119（火警）" in page and "12110" in page
    assert page.index("119（火警）") < page.index("案件编号")
    number = case_number(page)
    async with site.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None and case.original_text == FIRE and case.channel == "web"
    assert case.priority in ("critical", "high")


async def test_d24_a_flood_of_danger_reports_still_shows_the_numbers_and_keeps_the_text(
    db: Database, district: District
) -> None:
    rules = dict(Throttle().rules, file_danger_ip="2/minute")
    async for site in _serve(db, district, Throttle(rules=rules)):
        for _ in range(2):
            status, page, _ = await _post(site, text=FIRE)
            assert status == 200 and "119（火警）" in page
        status, page, headers = await _post(site, text=FIRE, phone="13912345678")
        assert status == 429 and int(headers["Retry-After"]) >= 1
        # The emergency line first, then the Chinese refusal naming the numbers to call.
        assert "⚠️ 情况紧急，请立即拨打 119（火警）" in page
        assert page.index("119（火警）") < page.index("操作过于频繁")
        assert DESK_PHONE in page and "110" in page and "120" in page
        assert f">{FIRE}</textarea>" in page and 'value="13912345678"' in page
        assert await _texts(db) == [FIRE, FIRE]


async def test_d24_a_danger_report_is_not_sent_back_for_an_optional_field(site: Site) -> None:
    # A phone that cannot be called back: filed without it; the receipt says so.
    status, page, _ = await _post(site, text=FIRE, phone="12345", name="张大姐")
    assert status == 200, page
    # Trial 31 #11: the digits are kept as typed after the description for the responders.
    assert "119（火警）" in page and "联系电话格式有误，已原样附在问题描述后" in page
    async with site.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == case_number(page)))
    assert case is not None and case.contact_phone is None
    assert case.original_text == FIRE + "\n（联系电话，格式有误，原样记录：12345）"
    assert case.contact_name == "张大姐"
    # The same phone on an ordinary report: the form comes back (400), nothing more filed.
    status, page, _ = await _post(site, text="和平路的路灯坏了", phone="12345")
    assert status == 400 and 'value="12345"' in page
    # A danger text over the limit is filed, cut (trial 31 #11; it was refused before).
    long_fire = FIRE + "。我家住在和平路十二号三楼。" * 420
    status, page, _ = await _post(site, text=long_fire)
    assert status == 200 and "119（火警）" in page and "超过5000字" in page
    texts = await _texts(site.db)
    assert len(texts) == 2 and texts[1].startswith(FIRE) and len(texts[1]) <= 5000


async def test_d24_status_lookup_refusal_names_the_wait(site: Site) -> None:
    statuses = []
    for n in range(12):
        resp = await site.client.get(f"/report/status?number=MQ20260303-{n:04d}&phone=139")
        statuses.append(resp.status)
    assert statuses[-1] == 429
    assert int(resp.headers["Retry-After"]) >= 1
    body = await resp.text()
    assert re.search(r"请约\d+(分钟|小时)后再试", body) and DESK_PHONE in body


# --- D13: the number alone shows nothing -----------------------------------------------------


CODE_RE = re.compile(r'<strong class="code">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>')


def _code(page: str) -> str:
    match = CODE_RE.search(page)
    assert match is not None, page
    return match.group(1)


def _answers_token(page: str) -> str:
    """The follow-up form's token on a status page opened with the 查询码."""
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found is not None, page
    return found[1]


async def _status_page(site: Site, number: str, proof: str = "") -> str:
    resp = await site.client.post("/report/status", data={"number": number, "phone": proof})
    assert resp.status == 200
    return await resp.text()


async def test_d13_case_numbers_cannot_be_walked(site: Site) -> None:
    from bot.services.cases import RequestDraft
    from tests.factories import citizen

    # A Telegram citizen without a phone (the trial's MQ…-0002), a web reporter without one.
    person = await citizen(site.db)
    telegram = await site.service.file_request(person.id, RequestDraft(text="小区楼道灯坏了"))
    status, page, _ = await _post(site, text="拖欠工资两个月了，找谁？")
    assert status == 200
    web_number, code = case_number(page), _code(page)
    assert "请务必记下查询码" in page and "只凭编号查不到任何信息" in page

    # Walking the day's numbers with no proof, or with a made-up one, shows nothing.
    unknown = await _status_page(site, "MQ20260303-9999", "ABCD-EFGH")
    for number in (telegram.number, web_number):
        for proof in ("", "ABCD-EFGH", "13900000000"):
            shown = await _status_page(site, number, proof)
            for secret in ("已派单", "群众工作站", "登记时间", "楼道灯", "拖欠工资"):
                assert secret not in shown, (number, proof, secret)
            if proof:
                assert shown == unknown.replace("MQ20260303-9999", number)
        link = await (await site.client.get(f"/report/status?number={number}")).text()
        assert "已派单" not in link and "群众工作站" not in link

    # The receipt's code opens the web case (typed in lower case, without the dash, too).
    for typed in (code, code.lower().replace("-", ""), f" {code[:4]} {code[5:]} "):
        shown = await _status_page(site, web_number, typed)
        assert "区劳动局群众工作站" in shown and "拖欠工资" in shown and "办理过程" in shown
    # A code is bound to its case: the web code does not open the Telegram case.
    assert "群众工作站" not in await _status_page(site, telegram.number, code)


async def test_d13_a_case_with_a_phone_opens_with_the_phone_or_the_code(site: Site) -> None:
    token = await form_token(site.client)
    fields = {"csrf_token": token, "text": "和平路的路灯坏了", "phone": "13912345678"}
    page = await (await site.client.post("/report", data=fields)).text()
    number, code = case_number(page), _code(page)
    # A refresh of the same form shows the same number and the same code again.
    again = await (await site.client.post("/report", data=fields)).text()
    assert "此表单已提交过" in again and (case_number(again), _code(again)) == (number, code)
    assert "联系电话或查询码" in page
    assert "和平路" in await _status_page(site, number, "139 1234 5678")
    assert "和平路" in await _status_page(site, number, code)
    assert "和平路" not in await _status_page(site, number, "5678")
    async with site.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None and case.contact_phone == "13912345678"


# --- D23: 未解决 on the web asks what is still wrong ------------------------------------------


async def _resolved(site: Site) -> tuple[str, str, int]:
    from datetime import timedelta

    from tests.factories import chief

    status, page, _ = await _post(site, text="和平路的路灯坏了", place="dongcheng_heping")
    assert status == 200
    number, code = case_number(page), _code(page)
    async with site.db.session() as s:
        case = await s.scalar(select(Case).where(Case.number == number))
    assert case is not None
    boss = await chief(site.db, "construction")
    await site.service.acknowledge(case.id, boss.id)
    site.clock.advance(timedelta(hours=3))
    await site.service.resolve(case.id, boss.id, "已更换灯泡", closure="solved")
    return number, code, case.id


async def test_d23_unsolved_asks_what_is_still_wrong_then_reopens_with_the_comment(
    site: Site,
) -> None:
    from storage.models import CaseEvent

    number, code, case_id = await _resolved(site)
    shown = await _status_page(site, number, code)
    assert 'action="/report/followup"' in shown and "未解决" in shown

    resp = await site.client.post(
        "/report/followup",
        data={"number": number, "token": _answers_token(shown), "answer": "unsolved"},
    )
    asked = await resp.text()
    assert resp.status == 200
    assert (
        "很抱歉问题还没有解决" in asked
        and "没有让您满意" not in asked
        and "还有什么问题" in asked
        and "跳过" in asked
    )
    assert 'name="comment"' in asked and code not in asked  # the proof is not echoed
    assert "感谢您的评价" not in asked
    async with site.db.session() as s:
        waiting = await s.get(Case, case_id)
    assert waiting is not None and waiting.status == "resolved"

    token = re.search(r'name="token" value="([^"]+)"', asked)
    assert token is not None
    # A token is bound to its case and answer: another answer is refused, nothing recorded.
    forged = await site.client.post(
        "/report/followup/comment",
        data={"number": number, "answer": "unsatisfied", "token": token[1], "comment": "x"},
    )
    assert forged.status == 400 and "页面已过期" in await forged.text()

    comment = "灯换了，但第二天晚上又不亮了"
    resp = await site.client.post(
        "/report/followup/comment",
        data={"number": number, "answer": "unsolved", "token": token[1], "comment": comment},
    )
    done = await resp.text()
    assert resp.status == 200
    assert "已收到您的意见" in done and "已重新交区建设局群众工作站办理" in done
    assert "办结时限" in done and "办结后会再次请您评价" in done
    async with site.db.session() as s:
        case = await s.get(Case, case_id)
        notes = list(
            (await s.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id))).all()
        )
    assert case is not None and case.status == "reopened"
    assert comment in notes

    # Sending the step again (back button, double click) records nothing more.
    again = await site.client.post(
        "/report/followup/comment",
        data={"number": number, "answer": "unsolved", "token": token[1], "comment": "再来"},
    )
    assert again.status == 400 and "已完成回访" in await again.text()
    async with site.db.session() as s:
        after = list(
            (await s.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id))).all()
        )
    assert after == notes


async def test_d23_satisfied_is_recorded_at_once_and_closes(site: Site) -> None:
    number, code, case_id = await _resolved(site)
    shown = await _status_page(site, number, code)
    resp = await site.client.post(
        "/report/followup",
        data={"number": number, "token": _answers_token(shown), "answer": "satisfied"},
    )
    page = await resp.text()
    assert resp.status == 200 and "感谢您的评价" in page and "已结案" in page
    async with site.db.session() as s:
        case = await s.get(Case, case_id)
    assert case is not None and case.status in ("closed", "followed_up")
