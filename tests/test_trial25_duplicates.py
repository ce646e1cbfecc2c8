"""Trial 25 T11: the same request text twice from the same citizen is filed, and the citizen
and the owners are told (through the real bot against the fake Bot API)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import Role
from storage.models import OutboxMessage
from tests.botkit import BotKit, sqlite_bot
from tests.emergencykit import calls
from tests.test_bot_station import CITIZEN, DESK


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


SEWER = "我家楼下的下水道堵了一个星期，污水横流，臭气熏天"


async def test_t11_the_same_text_twice_is_filed_and_both_sides_are_told(kit: BotKit) -> None:
    from tests.test_trial_defects import file_request as file_any

    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen_ = kit.user(CITIZEN, "王芳")
    first = await file_any(kit, citizen_, SEWER)
    await kit.delivered()
    # Whoever owns it (the desk, or the station the classifier is sure of) has a chief to tell.
    assert first.owning_unit_id is not None
    owner_chief = desk
    if first.owning_unit_id != kit.district.dispatcher:
        owner_chief = kit.user(CITIZEN + 500, "站长")
        await kit.bind(owner_chief, first.owning_unit_id, Role.CHIEF)
    assert not [m for m in citizen_.transcript() if "已提交过相同的问题" in m.content]
    second = await file_any(kit, citizen_, SEWER)
    assert first.id != second.id and second.original_text == first.original_text
    hint = await citizen_.wait_for_message(lambda m: "已提交过相同的问题" in m.content, 10)
    assert f"编号{first.number}" in hint.content and f"登记为{second.number}" in hint.content
    assert "补充说明" in hint.content and "撤回" in hint.content
    # Each owner (here the same) is told, naming both numbers; nothing was merged or lost.
    for owner in {first.owning_unit_id, second.owning_unit_id}:
        assert owner is not None
    flagged = await owner_chief.wait_for_message(lambda m: m.content.startswith("【疑似重复】"), 10)
    assert f"{second.number} 与 {first.number}" in flagged.content
    both = [c for c in await kit.cases() if c.original_text == SEWER]
    assert [c.status for c in both] == [first.status, second.status]

    # Another text is no duplicate; a report of danger now, sent twice, is never one: the
    # first is filed at once, the second joins that open emergency and alerts its
    # units again (trial 27 N19), never a 「已提交过相同的问题」 duplicate.
    await file_any(kit, citizen_, "小区门口的路灯坏了一个多月了，晚上很黑")
    danger = "救命，楼道着火了，烟很大"
    before = len(await kit.cases())
    await kit.say(citizen_, danger, calls("119"))
    assert len(await kit.cases()) == before + 1  # filed at once
    fire = (await kit.cases())[-1]
    await kit.say(citizen_, danger, "补充说明已加入")
    assert len(await kit.cases()) == before + 1
    assert (await kit.events(fire.id)).count("note_added") == 1
    async with kit.db.session() as s:
        rows = list((await s.scalars(select(OutboxMessage.text))).all())
    assert len([t for t in rows if "已提交过相同的问题" in t]) == 1
    assert len([t for t in rows if t.startswith("【疑似重复】")]) >= 1
