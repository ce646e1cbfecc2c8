"""Trial 29's re-test (verify29 V4, V5, V12), through the bot, the fake Bot API and the
database.

V4: photos sent before an emergency message never reached the police and were then
attached to the citizen's next, unrelated request. They now go with the emergency.
V5: 跳过 typed at 「是地点 / 是另一个问题」 dropped the second problem; it is kept.
V12: a wish to die typed mid-draft got the 草稿已保留 notice before the crisis words.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from tests.botkit import WAIT, BotKit, police_chief, sqlite_bot

KNIFE = "楼道里有人正拿刀追着砍人，快来"
LABOR = "单位不给交社保，已经两年了，老板说我是临时工"
CANTEEN = "还有我们厂食堂很脏，上周好几个工友吃完拉肚子"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_photos_sent_first_go_with_the_emergency(kit: BotKit) -> None:
    police = await police_chief(kit, 2980)
    citizen = kit.user(2981, "群众")
    await kit.answer(citizen, citizen.send_photo(), "已保存（1张）")
    await kit.answer(citizen, citizen.send_photo(), "已保存（2张）")
    await kit.say(citizen, KNIFE, "110")
    await citizen.wait_for_message(lambda m: "照片（2张）已随紧急情况一并提交" in m.content, WAIT)
    (case,) = await kit.cases()
    assert case.owning_unit_id == "police" and len(case.photo_file_ids) == 2
    await kit.delivered()
    got = [m for m in police.transcript() if m.from_bot]
    card = next(i for i, m in enumerate(got) if (case.number or "") in m.content)
    assert [m.kind for m in got[card + 1 : card + 3]] == ["photo", "photo"]
    # The scene's photos are not held for the next, unrelated request.
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    await kit.say(citizen, "另外我们小区的路灯坏了好久了", lambda m: bool(m.buttons))
    await kit.delivered()
    assert not any("已附上您先发送的照片" in m.content for m in citizen.transcript())


async def test_skip_at_place_or_problem_keeps_the_second_problem(kit: BotKit) -> None:
    citizen = kit.user(2982, "工人")
    proposal = await kit.say(citizen, LABOR, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, CANTEEN, "看起来像是另一个问题")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.address is None
    await citizen.wait_for_message(lambda m: "食堂" in m.content and bool(m.buttons), WAIT)


async def test_crisis_words_come_before_the_draft_notice(kit: BotKit) -> None:
    citizen = kit.user(2983, "群众")
    proposal = await kit.say(citizen, "小区门口的路灯坏了一个月了", lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "算了，我想死", "没有丢失")
    got = [m.content for m in citizen.transcript() if m.from_bot]
    crisis = next(i for i, m in enumerate(got) if "您并不孤单" in m)
    kept = next(i for i, m in enumerate(got) if "没有丢失" in m)
    assert crisis < kept
