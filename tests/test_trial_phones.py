"""Found in the product trial of stop 22: ``/phone 12345`` was kept as an officer's number
(and 12345 typed at a citizen's contact step too): a hotline's five digits, not a number a
chief can call back on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot

OFFICER = 3601
CITIZEN = 1601


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_trial_officer_phone_needs_a_number_that_can_be_called(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    # Trial 24 T13: only an 11-digit mainland mobile (1391234 was kept as 139**34).
    for short in ("12345", "110", "95588", "1391234", "8765432", "0532-83912345", "23912345678"):
        refused = await kit.say(officer, f"/phone {short}", "格式不对")
        assert "11位手机号" in refused.content and "13812345678" in refused.content
    person = await kit.person(OFFICER)
    assert person is not None and person.phone is None
    # A mobile is kept as its 11 digits, spaces or +86 as typed.
    await kit.say(officer, "/phone +86 139 1234 5678", "已登记联系电话")
    person = await kit.person(OFFICER)
    assert person is not None and person.phone == "13912345678"


async def test_trial_citizen_contact_step_refuses_a_hotline_number(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "小区门口的路灯坏了一个月了", "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    refused = await kit.say(citizen, "12345", "请输入正确的手机号")
    assert "跳过" in refused.content
    await kit.say(citizen, "13800138000", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    (case,) = await kit.cases()
    assert case.contact_phone == "13800138000"


async def test_trial24_contact_step_finds_the_number_in_a_sentence(kit: BotKit) -> None:
    """Trial 24 T11: 我的电话是13800001111 at the contact step is the number, not refused."""
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "小区门口的路灯坏了一个月了", "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "我的电话是13800001111", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    (case,) = await kit.cases()
    assert case.contact_phone == "13800001111"
