"""Re-test of trial 29 (verify29 V2) through the real bot (fake Bot API).

A complaint of over 120 characters that ends 我不想活了 got a routine 区建设局 preview; it gets
the crisis path of the short 我不想活了: the human sentence, the crisis hotline, the emergency
line and a critical case owned by the police, no department picker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2951
POLICE = 2952
BACKGROUND = (
    "我要反映小区物业的问题。物业费年年涨，服务越来越差，电梯经常坏，垃圾没人清，保安也不管事。"
)
LONG_WISH = BACKGROUND * 3 + "我不想活了"
PICKER_WORDS = ("我不能确定由哪个部门", "建议由以下部门办理", "只是咨询")


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_long_complaint_ending_in_a_wish_to_die_gets_the_crisis_path(
    kit: BotKit,
) -> None:
    assert len(LONG_WISH) > 120
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "小周")
    action = citizen.send_text(LONG_WISH)
    hotline = kit.district.crisis_hotline
    await citizen.wait_for_message(lambda m: hotline in m.content, WAIT, since=action)
    await citizen.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    await kit.delivered()
    said = [m.content for m in citizen.transcript() if m.from_bot]
    assert not any(w in t for t in said for w in PICKER_WORDS), said
    await police.wait_for_message(lambda m: (case.number or "?") in m.content, WAIT)


async def test_an_all_clear_after_an_emergency_joins_it_and_opens_no_new_case(
    kit: BotKit,
) -> None:
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    parent = kit.user(CITIZEN + 1, "家长")
    action = parent.send_text("我儿子站在楼顶边上说要跳下去，快来人啊")
    await parent.wait_for_message(lambda m: "情况紧急" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    await kit.delivered()
    action = parent.send_text("谢谢，孩子已经被劝下来了，现在送医院检查了")
    await parent.wait_for_message(lambda m: (case.number or "?") in m.content, WAIT, since=action)
    await kit.delivered()
    assert len(await kit.cases()) == 1
    said = [m.content for m in parent.transcript()[-3:] if m.from_bot]
    assert not any("情况紧急" in t for t in said), said
