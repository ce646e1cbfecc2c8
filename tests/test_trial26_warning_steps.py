"""Trial 26 T23: at the warning's place step a photo was dropped and 「完成」 was stored as
the place. A photo sent early (at the place or head-count step) is kept on the warning
at once and the step asked again; 完成 at any step ends the steps and is never a place."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER, CHIEF = 2631, 2632
RIDERS = "高新园区创业社区一家外卖平台站点的骑手二十多人聚在站点门口，说平台克扣配送费"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _filed(kit: BotKit) -> int:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, RIDERS, "预警研判")
    await kit.press(officer, proposal, "确认", "发生地点")
    (case,) = await kit.cases()
    return case.id


async def test_a_photo_at_the_place_step_is_kept_and_done_is_not_a_place(kit: BotKit) -> None:
    case_id = await _filed(kit)
    officer = kit.user(OFFICER, "张信息员")
    action = officer.send_photo("现场")
    kept = await officer.wait_for_message(lambda m: "照片" in m.content, WAIT, since=action)
    assert "已收到第1张照片" in kept.content and "发生地点" in kept.content
    case = await kit.case(case_id)
    assert len(case.photo_file_ids or []) == 1
    assert "details_added" in await kit.events(case_id)

    await kit.say(officer, "完成", "补充完毕")
    case = await kit.case(case_id)
    assert case.address is None
    assert len(case.photo_file_ids or []) == 1


async def test_a_photo_at_the_head_count_step_then_the_count(kit: BotKit) -> None:
    case_id = await _filed(kit)
    officer = kit.user(OFFICER, "张信息员")
    await kit.say(officer, "站点门口", "多少人")
    action = officer.send_photo()
    kept = await officer.wait_for_message(lambda m: "照片" in m.content, WAIT, since=action)
    assert "涉及人数" in kept.content
    await kit.say(officer, "二十多人", "照片")
    case = await kit.case(case_id)
    assert case.address == "站点门口" and case.head_count == 20
    assert len(case.photo_file_ids or []) == 1
