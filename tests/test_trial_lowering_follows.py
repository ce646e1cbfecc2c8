"""Trial 25 T6 (the service's part): a warning its officer filed below the rubric's level
lost its 【定级说明】 when the desk re-dispatched it: the new owner saw only the lowered level
(the police here also had a read-only copy of it at filing, a danger to life).

The unit a lowered warning is dispatched to gets the 【定级说明】 (the rubric's level, the
officer's reason) after its card, as the first owner did.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.lowering import file_lowered

OFFICER = 2611
STATION = 2612
DESK = 2613
POLICE = 2614
KNIFE = "东城幸福小区有人持刀砍人，已有两人受伤"
REASON = "社区民警已到场核实，是剧组在拍电影"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_the_lowering_note_follows_the_warning_to_its_new_owner(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    # The bot files a critical one at once (trial 26 T24); the service still files it lowered.
    await file_lowered(kit, officer, KNIFE, "medium", REASON)
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "medium"
    await station.wait_for_message(lambda m: m.content.startswith(f"【定级说明】{number}"), WAIT)

    card = await station.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    await kit.press(station, card, "退单", "退单理由")
    await kit.say(station, "持刀伤人应由公安处置，请重新派单", "已退单")
    desk_card = await desk.wait_for_message(
        lambda m: number in m.content and "综合职能" in str(m.buttons), WAIT
    )
    bureaus = await kit.press(desk, desk_card, "综合职能", "请选择承办部门")
    action = desk.press(bureaus, "区公安分局")
    assert "已派单" in await kit.callback_answer(action)
    note = await police.wait_for_message(
        lambda m: m.content.startswith(f"【定级说明】{number}"), WAIT, since=action
    )
    assert "特别重大" in note.content and f"下调理由：{REASON}" in note.content
    assert not note.buttons  # information only: the card has the buttons (trial 27 N2)
