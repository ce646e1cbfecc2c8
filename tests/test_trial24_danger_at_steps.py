"""Trial 24 T1: danger now typed at any step of a citizen's request (location, contact,
photos) or of an officer's details after a confirmed warning (place, head count) gets the
emergency line and a new critical case at once; the step's parser never swallows it and
the draft (or the filed warning) is left as it was."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.emergencykit import calls
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 2401
OFFICER = 2402
KNIFE = "快来人，楼下有人拿刀砍人，流了好多血"
FIRE = "着火了！厨房着火了，火很大"
LIFT = "不好了，电梯里困了人，有个老人晕倒了"
GAS = "西湖街道金桥居民区有人点燃了煤气罐，说要同归于尽，周围很多居民"
BLAST = "煤气罐要爆炸了！快报警"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_citizen_danger_at_each_request_step_is_an_emergency(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    filed: list[str] = []
    for danger, line, next_step in ((LIFT, "119", "可选 2/3"), (KNIFE, "110", "可选 3/3")):
        action = citizen.send_text(danger)
        await citizen.wait_for_message(calls(line), WAIT, since=action)
        await citizen.wait_for_message(lambda m: "草稿已保留" in m.content, WAIT, since=action)
        await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
        filed.append(danger)
        cases = await kit.cases()
        assert [c.original_text for c in cases] == filed
        assert all(c.severity == "critical" for c in cases)
        # The danger was not taken as this step's answer: the step is asked again ...
        kept = await citizen.wait_for_message(
            lambda m: "继续提交" in str(m.buttons), WAIT, since=action
        )
        prompt = await kit.press(citizen, kept, "继续提交", "可选")
        assert "请输入正确的手机号" not in prompt.content
        # ... and skipping it moves on.
        await kit.say(citizen, "跳过", next_step)
    action = citizen.send_text(FIRE)
    await citizen.wait_for_message(calls("119"), WAIT, since=action)
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT, since=action)
    after = [m for m in citizen.transcript() if m.message_id > (action.message_id or 0)]
    assert all("还是另一个问题" not in m.content for m in after)
    cases = await kit.cases()
    assert [c.original_text for c in cases] == [LIFT, KNIFE, FIRE]
    # None of them became the draft's address or phone.
    assert all(c.address != LIFT for c in cases)


async def test_officer_danger_at_the_place_and_count_steps_is_a_new_warning(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, "小区业主五十余人拉横幅聚集维权", "预警研判")
    await kit.press(officer, proposal, "确认", "可选 1/3")
    (first,) = await kit.cases()

    action = officer.send_text(GAS)
    await officer.wait_for_message(calls("110"), WAIT, since=action)
    await officer.wait_for_message(lambda m: "特别重大" in m.content, WAIT, since=action)
    await officer.wait_for_message(lambda m: "没有受影响" in m.content, WAIT, since=action)
    old, gas = await kit.cases()
    assert old.id == first.id and old.address is None  # not 【预警补充】 of the old warning
    assert gas.original_text == GAS and gas.severity == "critical" and gas.kind == "warning"

    # Still at the place step of the first warning: the next answer is its place.
    await kit.say(officer, "东城街道和平社区", "可选 2/3")
    action = officer.send_text(BLAST)
    await officer.wait_for_message(calls("110"), WAIT, since=action)
    await officer.wait_for_message(lambda m: "没有受影响" in m.content, WAIT, since=action)
    after = [m for m in officer.transcript() if m.message_id > (action.message_id or 0)]
    assert all("没有看懂人数" not in m.content for m in after)
    cases = await kit.cases()
    assert [c.original_text for c in cases][1:] == [GAS, BLAST]
    assert cases[0].address == "东城街道和平社区" and cases[0].head_count == 50  # from the text
