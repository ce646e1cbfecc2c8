"""撤回 asks an optional short reason, which the station reads and the case keeps.

After 确认撤回 the reporter is asked why (选填, a short sentence) with 跳过 and 不撤回.
The reason typed goes on the ``withdrawn`` event (its note), into the station's
【群众撤回】 ping and the case's timeline the station reads; 跳过 withdraws without
one. /cancel, 不撤回, another command or danger now typed instead of the reason withdraw
nothing (the user is told; the danger is filed as a report). A critical case's
申请撤回 carries the reason to the station that is asked to verify.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.enums import CaseStatus, Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import KNIFE, critical_case_at_police, police_chief
from tests.emergencykit import calls
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

CITIZEN = 2541
CHIEF = 2542
POLICE = 2543
REASON = "老板今天已经把工资补发了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _ask(kit: BotKit, citizen: FakeUser, case: Case) -> ChatMessage:
    """/status, 撤回, 确认撤回: the reason's question (the confirmation message, edited)."""
    tail = (case.number or "").rsplit("-", 1)[-1]
    listing = await kit.say(citizen, "/status", "您反映的问题")
    ask = await kit.press(citizen, listing, f"撤回 {tail}", "确定")
    yes = "确认申请撤回" if case.severity == "critical" else "确认撤回"
    await kit.press(citizen, ask, yes, lambda m: m is ask and "原因" in m.content)
    assert [b["text"] for b in ask.buttons] == ["跳过", "不撤回"]
    assert "选填" in ask.content
    return ask


async def test_the_reason_typed_reaches_the_station_and_the_events(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    number = case.number or ""
    await card_of(chief, case)

    ask = await _ask(kit, citizen, case)
    await kit.say(citizen, REASON, f"您已撤回 {number}")
    await citizen.wait_for_message(
        lambda m: m is ask and "已撤回" in m.content and REASON in m.content and not m.buttons,
        WAIT,
    )
    told = await chief.wait_for_message(lambda m: m.content.startswith("【群众撤回】"), WAIT)
    assert number in told.content and f"撤回原因：{REASON}" in told.content
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN
    (withdrawn,) = [e for e in await events_of(kit, case.id) if e.type == "withdrawn"]
    assert withdrawn.note == REASON
    chief_person = await kit.person(CHIEF)
    assert chief_person is not None
    timeline = await kit.runtime.cases.timeline(case.id, chief_person.id)
    assert [(t.type, t.note) for t in timeline][-1] == ("withdrawn", REASON)
    # The reason was not read as a new problem.
    assert len(await kit.cases()) == 1


async def test_skip_cancel_and_leaving(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)

    # /cancel: not withdrawn; the next text is a new problem, not a reason.
    await _ask(kit, citizen, case)
    await kit.say(citizen, "/cancel", "已取消撤回")
    # 不撤回 under the reason's question: nothing changes either.
    ask = await _ask(kit, citizen, case)
    await kit.press(citizen, ask, "不撤回", lambda m: m is ask and "未撤回" in m.content)
    # Another command: told it was not withdrawn, and the command answered.
    await _ask(kit, citizen, case)
    action = citizen.send_text("/help")
    await citizen.wait_for_message(lambda m: "没有撤回" in m.content, WAIT, since=action)
    await citizen.wait_for_message(lambda m: "使用说明" in m.content, WAIT, since=action)
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED
    assert "withdrawn" not in await kit.events(case.id)

    # Danger now typed instead of a reason: not withdrawn, the danger handled at once.
    await _ask(kit, citizen, case)
    action = citizen.send_text(KNIFE)
    await citizen.wait_for_message(lambda m: "没有撤回" in m.content, WAIT, since=action)
    await citizen.wait_for_message(calls("110"), WAIT, since=action)
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED

    # A reason too long is asked again (kept waiting), then 跳过 withdraws with none.
    ask = await _ask(kit, citizen, case)
    await kit.say(citizen, "工资" * 150, "简短说明")
    await kit.press(citizen, ask, "跳过", lambda m: m is ask and "已撤回" in m.content)
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN
    (withdrawn,) = [e for e in await events_of(kit, case.id) if e.type == "withdrawn"]
    assert withdrawn.note is None
    told = await chief.wait_for_message(lambda m: m.content.startswith("【群众撤回】"), WAIT)
    assert "撤回原因" not in told.content


async def test_a_critical_request_to_withdraw_carries_the_reason(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "王芳")
    case = (await critical_case_at_police(kit, citizen, police)).case
    await _ask(kit, citizen, case)
    await kit.say(citizen, "是误会，邻居在切菜", "不能直接撤回")
    told = await police.wait_for_message(
        lambda m: m.content.startswith("【申请撤回·请核实】"), WAIT
    )
    assert "撤回原因：是误会，邻居在切菜" in told.content
    (asked,) = [e for e in await events_of(kit, case.id) if e.type == "withdraw_requested"]
    assert asked.note == "是误会，邻居在切菜"
    assert (await kit.case(case.id)).status != CaseStatus.WITHDRAWN


async def test_another_act_while_the_reason_is_asked_says_nothing_was_withdrawn(
    kit: BotKit,
) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    tail = (case.number or "").rsplit("-", 1)[-1]
    listing = await kit.say(citizen, "/status", "您反映的问题")
    await _ask(kit, citizen, case)
    action = citizen.press(listing, f"补充说明 {tail}")  # an older list's button
    await citizen.wait_for_message(lambda m: "没有撤回" in m.content, WAIT, since=action)
    await citizen.wait_for_message(lambda m: "请直接发送要补充" in m.content, WAIT, since=action)
    await kit.say(citizen, REASON, "补充说明已加入")
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED
    assert [e.note for e in await events_of(kit, case.id) if e.type == "note_added"] == [REASON]
