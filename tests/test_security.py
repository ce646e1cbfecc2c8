"""Attacks: forged and replayed buttons, access across units, injection strings,
oversized and malformed input (the webhook: test_security_webhook.py; invite codes and login
links: test_security_codes.py).

Everything runs in-process on SQLite (the bot end to end against the fake Bot
API); nothing here needs the network beyond 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, text

from bot.services.callbacks import CaseAction
from bot.services.clock import FakeClock
from bot.web.access import AccessPolicy
from bot.web.citizen_form import add_citizen_form_routes
from bot.web.citizen_intake import CitizenFormContext
from bot.web.html import escape
from config.district import District
from storage.db import Database
from storage.enums import CaseStatus, Channel, Role
from storage.models import Case, CaseEvent
from tests.botkit import BotKit, sqlite_bot
from tests.factories import START, chief, citizen, make_person, make_service, officer

#: Strings that must be stored verbatim and never executed or interpreted.
INJECTIONS = (
    "'; DROP TABLE cases; --",
    "1' OR '1'='1",
    '"); DELETE FROM people WHERE ("1"="1',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}} ${7*7} %s %(x)s",
    "<b>bold</b> &amp; &lt;",
    "路灯坏了\u202e\ufeff\u200b",
)


# ------------------------------------------------------------------ buttons on case cards

CITIZEN_ID = 1001
CHIEF_ID = 2001
STRANGER_ID = 1002
LABOR_TEXT = "公司拖欠我三个月工资不发，老板一直找借口"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _snapshot(kit: BotKit) -> tuple[tuple[int, int, int], list[tuple[int, str, int]]]:
    cases = [(c.id, c.status, c.version) for c in await kit.cases()]
    return await kit.counts(), cases


def _forge(data: str) -> str:
    """Flip the last character of the signature."""
    last = data[-1]
    return data[:-1] + ("A" if last != "A" else "B")


async def test_forged_and_replayed_card_buttons_change_nothing(kit: BotKit) -> None:
    chief_user = kit.user(CHIEF_ID, "李站长")
    await kit.bind(chief_user, "labor", Role.CHIEF)
    citizen_user = kit.user(CITIZEN_ID, "王芳")
    proposal = await kit.say(citizen_user, LABOR_TEXT, "提交")
    await kit.press(citizen_user, proposal, "提交", "可选 1/3")
    for step in ("可选 2/3", "可选 3/3", "提交成功"):
        await kit.answer(citizen_user, citizen_user.press_reply_button("跳过"), step)
    (case,) = await kit.cases()
    number = case.number or ""
    card = await chief_user.wait_for_message(lambda m: number in m.content and bool(m.buttons), 10)
    ack_data = card.callback_data("签收")
    decoded = kit.runtime.codec.decode(ack_data)
    assert decoded is not None and decoded.action is CaseAction.ACKNOWLEDGE
    await kit.delivered()
    before = await _snapshot(kit)

    forged_data = [
        _forge(ack_data),  # tampered signature
        ack_data.replace(f":{case.id}:", f":{case.id + 1}:", 1),  # another case, old signature
        ack_data.replace("ack", "done", 1),  # another action, old signature
        "ack:1:1",  # no signature
        "x" * 64,
        "签收",
        "",
    ]
    for data in forged_data:
        action = kit.fake.press_button(CHIEF_ID, card.message_id, data, strict=False)
        answer = await kit.callback_answer(action)
        assert answer, data
        assert "已签收" not in answer, data
    # The chief's genuine press works.
    genuine = kit.fake.press_button(CHIEF_ID, card.message_id, ack_data, strict=False)
    assert (await kit.callback_answer(genuine)).startswith("已签收")
    acked = await _snapshot(kit)
    assert acked != before
    (after_ack,) = await kit.cases()
    assert after_ack.status == CaseStatus.ACKNOWLEDGED

    # Replaying the stale 签收 button (old version) is refused and changes nothing.
    replay = kit.fake.press_button(CHIEF_ID, card.message_id, ack_data, strict=False)
    stale = await kit.callback_answer(replay)
    # (D3: the presser is told that he did it himself, not that it was done now.)
    assert not stale.startswith("已签收") and "您已签收，无需重复操作" in stale, stale
    await kit.handled(replay)
    await kit.delivered()
    (still,) = await kit.cases()
    assert (still.status, still.version) == (after_ack.status, after_ack.version)
    # A stranger (not bound to the unit) replays a genuine current button in their own chat.
    current = await chief_user.wait_for_message(
        lambda m: m is card and "办结" in [b["text"] for b in m.buttons], 10
    )
    done_data = current.callback_data("办结")
    stranger = kit.user(STRANGER_ID, "路人")
    greeting = await kit.answer(stranger, stranger.send_command("/start"), "您好")
    before_stranger = await _snapshot(kit)
    for data in (done_data, ack_data):
        press = kit.fake.press_button(STRANGER_ID, greeting.message_id, data, strict=False)
        answer = await kit.callback_answer(press)
        assert "办结说明" not in answer and "已签收" not in answer, answer
    await kit.handled(press)
    await kit.delivered()
    assert await _snapshot(kit) == before_stranger


# ------------------------------------------------------------------ access across units


async def test_access_policy_keeps_units_apart(db: Database, district: District) -> None:
    service = make_service(db, district)
    reporter = await citizen(db)
    labor_case = await service.file_request(reporter.id, _draft("拖欠工资三个月"))
    road_case = await service.file_request(reporter.id, _draft("小区路灯坏了"))
    warner = await officer(db, "dongcheng")
    other_officer = await officer(db, "xihu")
    from bot.services.cases import WarningDraft

    warning = await service.file_warning(warner.id, WarningDraft(text="有人打架"))
    labor_chief = await chief(db, "labor")
    admin = await make_person(db, "admin", "office")
    async with db.session() as s:
        cases = {c.id: c for c in (await s.scalars(select(Case))).all()}
    policy = AccessPolicy.for_person(labor_chief, district)
    assert policy.can_see_case(cases[labor_case.id])
    assert not policy.can_see_case(cases[road_case.id])
    assert not policy.can_see_case(cases[warning.id])
    assert not AccessPolicy.for_person(other_officer, district).can_see_case(cases[warning.id])
    assert AccessPolicy.for_person(warner, district).can_see_case(cases[warning.id])
    assert not AccessPolicy.for_person(warner, district).can_see_case(cases[labor_case.id])
    assert not AccessPolicy.for_person(reporter, district).dashboard
    assert AccessPolicy.for_person(admin, district).sees_everything
    # The SQL clause agrees with the Python check for every person and case.
    for person in (labor_chief, warner, other_officer, reporter, admin):
        rule = AccessPolicy.for_person(person, district)
        async with db.session() as s:
            visible = set((await s.scalars(select(Case.id).where(rule.case_clause()))).all())
        assert visible == {cid for cid, c in cases.items() if rule.can_see_case(c)}


def strip_controls(text_: str) -> str:
    from bot.services.cases.model import strip_controls as strip

    return strip(text_)


def _draft(text_: str, **kw: Any) -> Any:
    from bot.services.cases import RequestDraft

    return RequestDraft(text=text_, **kw)


# ------------------------------------------------------------------ injection strings


async def test_injection_strings_are_stored_verbatim_and_never_executed(
    db: Database, district: District
) -> None:
    service = make_service(db, district)
    reporter = await citizen(db)
    boss = await chief(db, "construction")
    filed = []
    for i, payload in enumerate(INJECTIONS):
        draft = _draft(
            f"路灯坏了 {payload}",
            address=payload,
            contact_name=payload[:100],
            contact_phone="13912345678",
        )
        # Filed on the web: the status page opens web-form cases only (trial 30 #8).
        view = await service.file_request(reporter.id, draft, Channel.WEB)
        filed.append((view.id, payload, i))
    async with db.session() as s:
        rows = {c.id: c for c in (await s.scalars(select(Case))).all()}
        tables = set(
            (
                await s.execute(
                    text("SELECT name FROM sqlite_master WHERE type='table'")
                    if db.is_sqlite
                    else text("SELECT tablename FROM pg_tables WHERE schemaname='public'")
                )
            )
            .scalars()
            .all()
        )
    assert {"cases", "people", "case_events"} <= tables
    for case_id, payload, _ in filed:
        stored = rows[case_id]
        # Verbatim but for control and bidi-override characters, stripped at intake (T3).
        assert stored.original_text == strip_controls(f"路灯坏了 {payload}").strip()
        assert stored.address == payload.strip() or stored.address is not None
    # A note with the same strings, then the public status page renders them escaped.
    case_id, payload, _ = filed[3]
    await service.acknowledge(case_id, boss.id)
    await service.resolve(case_id, boss.id, f"已处理 {payload}")
    async with db.session() as s:
        events = (await s.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id))).all()
    assert strip_controls(f"已处理 {payload}").strip() in events
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    async with TestClient(TestServer(app)) as client:
        for cid, payload, _ in filed:
            number = rows[cid].number
            resp = await client.post(
                "/report/status", data={"number": number, "phone": "13912345678"}
            )
            page = await resp.text()
            assert resp.status == 200
            if "<" in payload:
                assert payload not in page
                assert escape(payload.split("\u202e")[0]) in page or "路灯坏了" in page


async def test_telegram_messages_are_plain_text_so_markup_is_not_interpreted(
    kit: BotKit,
) -> None:
    citizen_user = kit.user(CITIZEN_ID, "<b>王芳</b>")
    payload = "<a href='http://evil.example'>点我</a> <script>alert(1)</script>"
    answer = await kit.say(citizen_user, f"路灯坏了一个多月 {payload}")
    for call in kit.fake.calls("sendMessage", chat_id=CITIZEN_ID):
        mode = call.params.get("parse_mode")
        text_ = str(call.params.get("text", ""))
        if "evil.example" in text_:
            # Either not parsed at all, or parsed as HTML with the user's text escaped.
            assert mode is None or "&lt;a href" in text_, call.params
    assert "<script>" not in "".join(e.get("type", "") for e in answer.entities)
    assert all(e.get("type") != "text_link" for e in answer.entities)


async def test_a_nul_character_in_a_description_does_not_break_filing(
    db: Database, district: District
) -> None:
    """PostgreSQL's text cannot hold U+0000 (``%00`` in a form field): it is stored as U+FFFD."""
    service = make_service(db, district)
    reporter = await citizen(db)
    view = await service.file_request(
        reporter.id, _draft("路灯坏了\x00一个月", address="和平路\x00", contact_name="李\x00")
    )
    async with db.session() as s:
        stored = await s.get(Case, view.id)
        assert stored is not None
        assert "路灯坏了\ufffd一个月" in stored.original_text
        assert stored.address == "和平路\ufffd" and stored.contact_name == "李\ufffd"


# ------------------------------------------------------------------ oversized and malformed


async def test_oversized_and_malformed_case_input_is_refused(
    db: Database, district: District
) -> None:
    from bot.services.lifecycle import CaseError

    service = make_service(db, district)
    reporter = await citizen(db)
    for bad in ("", "   ", "长" * 5001):
        with pytest.raises(CaseError) as err:
            await service.file_request(reporter.id, _draft(bad))
        assert err.value.code == "bad_input"
    with pytest.raises(CaseError):
        await service.file_request(reporter.id, _draft("路灯坏了", territorial_unit_id="../../x"))
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Case)) == 0
    accepted = await service.file_request(reporter.id, _draft("长" * 5000))
    assert accepted.id > 0


async def test_citizen_form_refuses_oversized_and_forged_posts(
    db: Database, district: District
) -> None:
    service = make_service(db, district, FakeClock(START))
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    async with TestClient(TestServer(app)) as client:
        no_token = await client.post("/report", data={"text": "路灯坏了"})
        assert no_token.status in (400, 403)
        huge = await client.post("/report", data={"text": "长" * 2_000_000})
        assert huge.status in (400, 403, 413)
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize("path", ["/report", "/report/preview", "/report/status"])
async def test_citizen_form_answers_a_body_that_is_not_utf8_with_400(
    db: Database, district: District, path: str
) -> None:
    """Once a 500 (``request.post()`` raised UnicodeDecodeError); now a 400 (8abb379)."""
    service = make_service(db, district, FakeClock(START))
    app = web.Application()
    add_citizen_form_routes(app, CitizenFormContext.from_service(service))
    async with TestClient(TestServer(app)) as client:
        garbage = await client.post(
            path,
            data=b"text=\xff\xfe&phone=\xff",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert garbage.status in (400, 403, 413)
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Case)) == 0
