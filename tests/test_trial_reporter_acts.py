"""Trial defects dfx3 #1 and #2: a reporter adds information to a filed case or withdraws it.

Driven through the real bot against the fake Bot API: what the citizen, the
officer and the station see, and what the database holds.

#1 A citizen's /status offers 补充说明 and 撤回 on their open cases. 补充说明 is a
   ``note_added`` event and a 【群众补充说明】 ping to the owning station; 撤回 asks
   for a confirmation (then an optional reason, skipped here: see
   tests/test_trial_withdraw_reason.py), makes the case ``withdrawn`` (kept, with its events; the
   station is told and its card loses the buttons). A critical (danger) case is not
   withdrawn by a tap: the request is recorded and the station asked to verify.
#2 An officer's one-shot ``/warn TEXT`` receipt carries the guided flow's
   after-filing actions: 补充地点/人数/照片 (the same steps), 补充说明 and 撤回.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import KNIFE
from tests.emergencykit import calls
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

CITIZEN = 1501
CHIEF = 2501
OFFICER = 3501
STATION_CHIEF = 2502


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _status(kit: BotKit, citizen: FakeUser) -> ChatMessage:
    return await kit.say(citizen, "/status", "您反映的问题")


async def test_citizen_adds_information_then_withdraws_and_the_case_stays(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    number = case.number or ""
    tail = number.rsplit("-", 1)[-1]
    card = await card_of(chief, case)

    # 补充说明 from the list: the next text goes onto the case and to the station.
    listing = await _status(kit, citizen)
    labels = [b["text"] for b in listing.buttons]
    assert labels == [f"补充说明 {tail}", f"撤回 {tail}"]
    await kit.press(citizen, listing, f"补充说明 {tail}", "请直接发送要补充")
    receipt = await kit.say(citizen, "老板电话13800138000，公司在人民路8号", "补充说明已加入")
    assert number in receipt.content
    told = await chief.wait_for_message(lambda m: m.content.startswith("【群众补充说明】"), WAIT)
    assert number in told.content and "人民路8号" in told.content
    assert told.buttons, "the station's ping carries its card buttons"
    note = [e for e in await events_of(kit, case.id) if e.type == "note_added"]
    assert [e.note for e in note] == ["老板电话13800138000，公司在人民路8号"]
    # The note was not read as a new problem: no second case, no proposal.
    assert len(await kit.cases()) == 1

    # 撤回 asks first; 不撤回 changes nothing.
    listing = await _status(kit, citizen)
    ask = await kit.press(citizen, listing, f"撤回 {tail}", "确定撤回")
    kept = await kit.press(citizen, ask, "不撤回", lambda m: m is ask and "未撤回" in m.content)
    assert not kept.buttons
    assert (await kit.case(case.id)).status == CaseStatus.DISPATCHED

    listing = await _status(kit, citizen)
    ask = await kit.press(citizen, listing, f"撤回 {tail}", "确定撤回")
    await kit.press(citizen, ask, "确认撤回", lambda m: m is ask and "原因" in m.content)
    await kit.press(citizen, ask, "跳过", lambda m: m is ask and "已撤回" in m.content)
    await citizen.wait_for_message(lambda m: m.content.startswith(f"您已撤回 {number}"), WAIT)
    gone = await chief.wait_for_message(lambda m: m.content.startswith("【群众撤回】"), WAIT)
    assert number in gone.content and "无需继续办理" in gone.content
    # The station's card says so and has no buttons left.
    await chief.wait_for_message(lambda m: m is card and "已撤回" in m.content, WAIT)
    assert not card.buttons

    # Never lost: the case and its history stay, final, with no deadline or timer left.
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.WITHDRAWN
    assert stored.resolve_due_at is None and stored.ack_due_at is None
    types = await kit.events(case.id)
    assert types[-1] == "withdrawn" and "note_added" in types and types[0] == "registered"
    listing = await _status(kit, citizen)
    assert number in listing.content and "已撤回" in listing.content
    assert not listing.buttons  # nothing to add to or withdraw any more


async def test_a_critical_case_is_not_withdrawn_by_a_tap(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    desk = kit.user(CHIEF, "分派台")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    await kit.say(citizen, KNIFE, calls("110"))
    await citizen.wait_for_message(lambda m: "紧急情况已记录" in m.content, WAIT)
    await kit.say(citizen, "跳过", lambda m: "跳过" not in m.content)
    (case,) = await kit.cases()
    assert case.severity == "critical"
    tail = (case.number or "").rsplit("-", 1)[-1]

    listing = await _status(kit, citizen)
    ask = await kit.press(citizen, listing, f"撤回 {tail}", "涉及人身安全")
    await kit.press(citizen, ask, "确认申请撤回", lambda m: m is ask and "原因" in m.content)
    await kit.press(citizen, ask, "跳过", lambda m: m is ask and "核实" in m.content)
    await citizen.wait_for_message(lambda m: "不能直接撤回" in m.content, WAIT)
    # Whoever handles it now is asked to verify; the case stays open, the request recorded.
    stored = await kit.case(case.id)
    assert stored.status != CaseStatus.WITHDRAWN
    assert stored.status in {s.value for s in (CaseStatus.REGISTERED, CaseStatus.DISPATCHED)}
    assert "withdraw_requested" in await kit.events(case.id)
    assert "withdrawn" not in await kit.events(case.id)


async def test_one_shot_warning_gets_the_after_filing_actions(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    chief = kit.user(STATION_CHIEF, "东城站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    # A warning below 重大, so that 撤回 withdraws at once (a 重大 one becomes a request the
    # station verifies since pf31c: tests/test_trial31_major_warning.py).
    receipt = await kit.say(officer, "/warn 业主对物业费上涨不满，在群里发牢骚", "预警已报送")
    assert [b["text"] for b in receipt.buttons] == [
        "补充地点/人数/照片",
        "补充说明",
        "撤回",
        "更改等级",
    ]
    (case,) = await kit.cases()
    number = case.number or ""

    # The guided flow's steps, on the filed warning.
    await kit.press(officer, receipt, "补充地点/人数/照片", "地点")
    await kit.say(officer, "东城街道幸福小区南门", "多少人")
    await kit.say(officer, "五十多人", "照片")
    await kit.say(officer, "跳过", "补充完毕")
    stored = await kit.case(case.id)
    assert stored.address == "东城街道幸福小区南门" and stored.head_count == 50
    await chief.wait_for_message(
        lambda m: m.content.startswith("【预警补充】") and "幸福小区南门" in m.content, WAIT
    )

    # 撤回 from the receipt: confirmed, the station told, the warning kept as withdrawn.
    ask = await kit.press(officer, receipt, "撤回", "确定撤回")
    await kit.press(officer, ask, "确认撤回", lambda m: m is ask and "原因" in m.content)
    await kit.press(officer, ask, "跳过", lambda m: m is ask and "已撤回" in m.content)
    told = await chief.wait_for_message(lambda m: m.content.startswith("【报送人撤回】"), WAIT)
    assert number in told.content
    assert (await kit.case(case.id)).status == CaseStatus.WITHDRAWN
    mine = await kit.say(officer, "/mine", "您报送的预警")
    assert "已撤回" in mine.content and not mine.buttons
