"""Review 35b: what the trial 35 fixes (attach35) must not lose while a critical case is open.

F1: 楼上还有人 / 还在烧 / 人还没救上来 after a kitchen fire (and 桥下有个人 after a drowning,
他还站在路边 after a jump threat) got the department picker and became a routine draft;
the police never heard someone was upstairs. F2: 金桥小区5栋，楼上还有人没下来 at the
emergency's details step became a proposal, the fire case got no address. F3: 人民医院门口,
asked what happens there, then 有人晕倒了: the critical case had no place, and the bot said
the place's draft was kept.

Everything runs through the real bot against the fake Bot API; what the citizen and the
police read and what the database holds are checked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from config.district import District
from tests.botkit import BotKit, ChatMessage, FakeUser, sqlite_bot
from tests.criticalkit import police_chief

CITIZEN = 3551
POLICE = 3552


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


def bot_says(user: FakeUser) -> list[str]:
    return [m.content for m in user.transcript() if m.from_bot]


def pickers(user: FakeUser) -> list[ChatMessage]:
    """The bot's proposals and department pickers in the chat."""
    return [
        m
        for m in user.transcript()
        if m.from_bot
        and ({"提交", "交由工作人员分派"} & {b["text"] for b in m.buttons} or "请选择" in m.content)
    ]


async def reported_emergency(kit: BotKit, citizen: FakeUser, text: str) -> None:
    """``citizen`` reports danger now and skips the step that asks where and a phone."""
    await kit.say(citizen, text, "跳过")
    await kit.say(citizen, "跳过", "已登记")


@pytest.mark.parametrize(
    ("report", "updates", "police_read"),
    [
        ("厨房着火了", ["楼上还有人", "还在烧", "人还没救上来"], True),
        ("西湖边有个小孩掉水里了！快来人", ["桥下有个人", "人还没救上来"], True),
        ("我朋友说不想活了要跳河", ["他还站在路边"], False),
    ],
)
async def test_f1_updates_without_a_topic_of_their_own_reach_the_open_case(
    kit: BotKit, report: str, updates: list[str], police_read: bool
) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小林")
    await reported_emergency(kit, citizen, report)
    (case,) = await kit.cases()
    kit.clock.advance(timedelta(minutes=1))

    for text in updates:
        await kit.handled(citizen.send_text(text))
    await kit.delivered()

    assert [c.id for c in await kit.cases()] == [case.id]
    assert (await kit.events(case.id)).count("note_added") == len(updates)
    assert not pickers(citizen), bot_says(citizen)
    if police_read:
        heard = "\n".join(m.content for m in police.transcript())
        for text in updates:
            assert text in heard


async def test_f2_a_place_with_a_scene_at_the_details_step_is_the_place(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小林")
    await kit.say(citizen, "厨房着火了", "跳过")
    (fire,) = await kit.cases()

    await kit.handled(citizen.send_text("金桥小区5栋，楼上还有人没下来"))
    await kit.delivered()

    assert [c.id for c in await kit.cases()] == [fire.id]
    fire = await kit.case(fire.id)
    assert fire.address is not None and fire.address.startswith("金桥小区5栋")
    assert not pickers(citizen), bot_says(citizen)
    told = [m.content for m in police.transcript() if "【紧急诉求补充】" in m.content]
    assert told and "金桥小区5栋" in told[-1]
    assert "楼上还有人没下来" in "\n".join(m.content for m in police.transcript())


@pytest.mark.parametrize(
    ("place", "danger"),
    [("人民医院门口", "有人晕倒了"), ("就在学校门口", "有个孩子被车撞了")],
)
async def test_f3_a_place_alone_then_danger_is_the_dangers_place(
    kit: BotKit, place: str, danger: str
) -> None:
    await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小林")
    await kit.say(citizen, place, "收到地点")

    await kit.handled(citizen.send_text(danger))
    await kit.delivered()

    (case,) = await kit.cases()
    assert case.severity == "critical"
    assert place in case.original_text and danger in case.original_text
    assert not any("草稿已保留" in s for s in bot_says(citizen))


@pytest.mark.parametrize("going_on", ["还在烧", "火一直灭不掉", "人还没救上来"])
async def test_f4_the_danger_still_going_on_is_an_urgent_update(kit: BotKit, going_on: str) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "小林")
    await reported_emergency(kit, citizen, "厨房着火了")
    (fire,) = await kit.cases()
    kit.clock.advance(timedelta(minutes=3))
    before = len(bot_says(citizen))

    await kit.handled(citizen.send_text(going_on))
    await kit.delivered()

    assert [c.id for c in await kit.cases()] == [fire.id]
    # The citizen reads the emergency line again, the police an urgent 补充 with the words.
    assert any("119" in s for s in bot_says(citizen)[before:]), bot_says(citizen)[before:]
    urgent = [m.content for m in police.transcript() if "【紧急补充】" in m.content]
    assert urgent and going_on in urgent[-1]
