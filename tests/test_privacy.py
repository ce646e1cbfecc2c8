"""Personal data stays out of logs, error messages and Open311 (issue 15, break 7)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.exc import IntegrityError

from config.district import District
from nlp import mask_sensitive
from storage.db import Database
from storage.enums import Role
from storage.models import Person
from tests.botkit import running_bot
from tests.factories import START, make_service
from tests.open311kit import open311_api
from tests.test_bot_citizen import CHIEF, CITIZEN, submit_without_details

ID_NUMBER = "11010519900101123X"

# (written, what must not survive, what must stay)
MASKED = [
    ("电话１３８１２３４５６７８", "１２３４", "１３８****５６７８"),
    ("电话138.1234.5678", "1234", "138.****.5678"),
    ("电话138 1234 5678", "1234", "138 **** 5678"),
    ("电话138-1234-5678", "1234", "138-****-5678"),
    ("电话138　1234　5678", "1234", "138　****　5678"),
    ("身份证11010519900101123X", "0101199001", "110*************3X"),
    ("身份证１１０１０５１９９００１０１１２３Ｘ", "１９９０", "１１０*************３Ｘ"),
    ("身份证110105 19900101 123x", "19900101", "110*** ******** **3x"),
    ("座机０７３１－８４５１２３４５", "８４５１", "０７３１－****２３４５"),
]


@pytest.mark.parametrize(("text", "secret", "shown"), MASKED)
def test_break7_one_masker_covers_full_width_and_separated_numbers(
    text: str, secret: str, shown: str
) -> None:
    masked = mask_sensitive(text)
    assert secret not in masked
    assert masked.endswith(shown)
    assert len(masked) == len(text)


async def test_break7_statement_parameters_never_in_database_errors(db: Database) -> None:
    async with db.session() as s:
        s.add(Person(name="张三", telegram_user_id=42, phone="13812345678", role=Role.CITIZEN))
        await s.commit()
    with pytest.raises(IntegrityError) as caught:
        async with db.session() as s:
            s.add(Person(name=ID_NUMBER, telegram_user_id=42, phone="13987654321"))
            await s.commit()
    message = str(caught.value)
    assert "13987654321" not in message and ID_NUMBER not in message
    assert "hidden" in message  # SQLAlchemy says the parameters were hidden


@pytest.fixture
async def open311(db: Database, district: District) -> AsyncIterator[tuple[TestClient, str]]:
    from bot.services.clock import FakeClock

    clock = FakeClock(START)
    async with open311_api(make_service(db, district, clock), clock) as api:
        yield api.client, api.key


async def test_break7_open311_descriptions_mask_full_width_and_dotted_numbers(
    open311: tuple[TestClient, str],
) -> None:
    client, key = open311
    text = "路灯坏了三天，联系１３８１２３４５６７８或139.8765.4321，身份证110105 19900101 123X"
    resp = await client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "construction",
            "description": text,
            "address_string": "东城街道和平路12号",
        },
    )
    assert resp.status == 201, await resp.text()
    number = (await resp.json())[0]["service_request_id"]
    for fmt in ("json", "xml"):
        path = f"/open311/v2/requests/{number}.{fmt}?api_key={key}"
        body = await (await client.get(path)).text()
        assert "路灯坏了三天" in body
        for secret in ("１２３４", "8765", "19900101"):
            assert secret not in body, (fmt, body)


async def test_break7_info_logs_carry_case_numbers_not_complaint_texts(
    db: Database, district: District, caplog: pytest.LogCaptureFixture
) -> None:
    complaint = "公司拖欠我三个月工资不发，老板电话１３８１２３４５６７８一直不接"
    note = "已约谈企业负责人，工资已全部补发，回电13912345678"
    caplog.set_level(logging.INFO)
    async with running_bot(db, district) as kit:
        chief = kit.user(CHIEF, "李站长")
        await kit.bind(chief, "labor", Role.CHIEF)
        citizen = kit.user(CITIZEN, "王芳")
        await kit.answer(citizen, citizen.send_command("/start"), "您好")
        await submit_without_details(kit, citizen, complaint)
        (case,) = await kit.cases()
        assert case.number is not None
        card = await chief.wait_for_message(lambda m: case.number in m.content, 10)
        pressed = chief.press(card, "签收")
        await kit.callback_answer(pressed)
        await chief.wait_for_message(lambda m: m is card and "状态：已签收" in m.content, 10)
        await kit.press(chief, card, "办结", "办结说明")
        await kit.say(chief, note, "办结类型")
        await kit.say(chief, "实际解决", "已办结")
        await kit.delivered()
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    everything = "\n".join(lines)
    for secret in ("拖欠我三个月", "老板电话", "１３８", "企业负责人", "13912345678", "9123"):
        assert secret not in everything, secret
    assert any("labor" in line for line in lines), "the classification is logged"
    assert any(case.number in line for line in lines), "the case number is logged"
