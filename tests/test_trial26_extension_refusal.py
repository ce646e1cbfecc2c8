"""Trial 26 T25: 不同意延期 took no reason; the station was not told why, and the reason
typed afterwards became a citizen request. 不同意 now asks for the reason (like 退单),
the station's notice carries it, and the event records it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_bot_station import file_request

CHIEF, SUPERVISOR, CITIZEN = 2651, 2652, 2653
LAMP = "我家楼下的路灯坏了一个月了，晚上走路很危险"
REASON = "路灯维修无需5个工作日"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_refusal_asks_for_the_reason_and_the_station_reads_it(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "建设局站长")
    await kit.bind(chief, "construction", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "陈主任")
    await kit.bind(supervisor, "supervision_centre", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LAMP)
    assert case.owning_unit_id == "construction" and case.resolve_due_at is not None
    chief_person = await kit.person(CHIEF)
    assert chief_person is not None
    await kit.runtime.cases.request_extension(case.id, chief_person.id, "需采购灯具", 5)
    kit.runtime.outbox_written()
    ask = await supervisor.wait_for_message(lambda m: "【延期申请】" in m.content, WAIT)

    prompt = await kit.press(supervisor, ask, "不同意", "理由")
    assert case.number is not None and case.number in prompt.content
    assert (await kit.case(case.id)).extension_due_at is not None  # not decided yet
    done = await kit.say(supervisor, REASON, "已将理由告知")
    assert "已不同意延期" in done.content
    assert not any("建议由以下部门办理" in m.content for m in supervisor.transcript())

    told = await chief.wait_for_message(lambda m: "未获批准" in m.content, WAIT)
    assert REASON in told.content
    stored = await kit.case(case.id)
    assert stored.extension_due_at is None and stored.resolve_due_at == case.resolve_due_at
    assert "extension_refused" in await kit.events(case.id)
    assert len(await kit.cases()) == 1  # the reason filed nothing
    await supervisor.wait_for_message(lambda m: m is ask and not m.buttons, WAIT)
    # Trial 27 N15: the notice says who refused, so the rest of the centre can tell.
    assert ask.content.startswith("【延期申请】")
    assert ask.content.endswith("✔ 已不同意延期（陈主任）")


async def test_cancel_leaves_the_request_waiting(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "建设局站长")
    await kit.bind(chief, "construction", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "陈主任")
    await kit.bind(supervisor, "supervision_centre", Role.CHIEF)
    case = await file_request(kit, kit.user(CITIZEN, "王芳"), LAMP)
    chief_person = await kit.person(CHIEF)
    assert chief_person is not None
    await kit.runtime.cases.request_extension(case.id, chief_person.id, "需采购灯具", 5)
    kit.runtime.outbox_written()
    ask = await supervisor.wait_for_message(lambda m: "【延期申请】" in m.content, WAIT)
    await kit.press(supervisor, ask, "不同意", "理由")
    await kit.say(supervisor, "/cancel", "已取消")
    assert (await kit.case(case.id)).extension_due_at is not None
