"""Trial 25 T7 (the /status part): someone who wrote of self-harm never sees, in /status,
the station's note about them nor a 办结时限 — before or after the case is closed.

The receipt, the care word at 办结 and the absence of a survey are checked in
tests/test_trial_self_harm_care.py; this file checks /status and that the case went to
the police station at once (trial 25 T2).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2521
POLICE = 2522
TEXT = "我不想活了，活着太累了"
NOTE = "已上门核实，当事人情绪稳定，已联系家属陪护"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_status_of_a_self_harm_case_shows_no_deadline_nor_the_note(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    action = citizen.send_text(TEXT)
    await citizen.wait_for_message(
        lambda m: "工作人员会尽快联系您" in m.content, WAIT, since=action
    )
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id

    card = await police.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    await kit.callback_answer(police.press(card, "签收"))
    await police.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    status = await kit.say(citizen, "/status", number)
    assert "办结时限" not in status.content

    await kit.press(police, card, "办结", "办结说明")
    await kit.say(police, NOTE, "办结类型")
    await kit.say(police, "实际解决", "已办结")
    await citizen.wait_for_message(lambda m: "已经跟进了您的求助" in m.content, WAIT)
    await kit.delivered()
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.CLOSED and stored.resolution_note == NOTE

    status = await kit.say(citizen, "/status", number)
    assert "当事人" not in status.content and "办结时限" not in status.content
    assert "办理结果" not in status.content
