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
    for short in ("12345", "110", "95588"):
        refused = await kit.say(officer, f"/phone {short}", "格式不对")
        assert "13812345678" in refused.content
    person = await kit.person(OFFICER)
    assert person is not None and person.phone is None
    # A landline without its area code and a mobile are kept.
    await kit.say(officer, "/phone 8765432", "已登记联系电话")
    await kit.say(officer, "/phone 139 1234 5678", "已登记联系电话")
    person = await kit.person(OFFICER)
    assert person is not None and person.phone == "139 1234 5678"


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
