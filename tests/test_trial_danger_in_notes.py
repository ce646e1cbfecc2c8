"""Trial 25 T4: danger now typed as a 补充说明 or as the comment after 未解决 was kept as a
plain note — no emergency line, no critical case, no alert; and a note on a critical
warning reached only the owning station, not the police who had the alert's copy.

The note (or comment) is kept on its case as before, and the text is then handled as a
fresh message would be: the emergency line and a critical case filed at once, the
police's station alerted. Since trial 32 D21 the note's unit reads it as handled as an
emergency of its own and the citizen gets no routine receipt of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import critical_case_at_police, police_chief
from tests.emergencykit import calls
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

CITIZEN = 2551
CHIEF = 2552
POLICE = 2553
FIRE = "刚才楼下餐馆后厨着火了，火很大，有人被困"
KNIFE = "刚才有人拿刀冲进我家砍人，已有人受伤"
OFFICER = 2554
WARN_KNIFE = "东城街道幸福小区有人持刀砍人，已有两人受伤"
PROTEST = "东城街道幸福小区业主五十余人拉横幅聚集维权"
JUMP = "没有用，我今晚就从楼上跳下去"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_danger_typed_as_a_note_is_also_an_emergency(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    tail = (case.number or "").rsplit("-", 1)[-1]
    listing = await kit.say(citizen, "/status", "您反映的问题")
    await kit.press(citizen, listing, f"补充说明 {tail}", "请直接发送要补充")
    action = citizen.send_text(FIRE)
    await citizen.wait_for_message(calls("119"), WAIT, since=action)
    cases = await kit.cases()
    assert len(cases) == 2
    fire = cases[-1]
    assert fire.original_text == FIRE and fire.severity == "critical"
    assert [e.note for e in await events_of(kit, case.id) if e.type == "note_added"] == [FIRE]
    # The unit reads it as handled as an emergency of its own, and the citizen gets no
    # routine receipt of the note (trial 32 D21: it came before the 110 line).
    await chief.wait_for_message(
        lambda m: m.content.startswith("【群众补充说明·已另行紧急处置】"), WAIT
    )
    await kit.delivered()
    assert not any("补充说明已加入" in m.content for m in citizen.transcript())


async def test_danger_typed_as_the_follow_up_comment_is_also_an_emergency(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    await kit.press(citizen, question, "未解决", "简要说明")
    action = citizen.send_text(KNIFE)
    await citizen.wait_for_message(calls("110"), WAIT, since=action)
    # The comment is kept with the answer: the case is reopened.
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.REOPENED
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical"
    number = cases[-1].number or ""
    await police.wait_for_message(lambda m: number in m.content, WAIT)
    assert any(e.note == KNIFE for e in await events_of(kit, case.id))


async def test_a_note_on_a_critical_warning_reaches_every_unit_the_alert_reached(
    kit: BotKit,
) -> None:
    """Trial 25 T4 addendum: the unit that had the critical alert's copy got no
    【报送人补充说明】; only the owner did."""
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(CHIEF, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    receipt = await kit.say(officer, f"/warn {WARN_KNIFE}", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "critical"
    # Since trial 33 D3 the police own a knife attack and the officer's station holds the
    # alert's copy (it was the other way round).
    assert case.owning_unit_id == kit.district.bureaus["police"].station_id
    copy = await station.wait_for_message(lambda m: number in m.content, WAIT)
    assert not copy.buttons
    await kit.press(officer, receipt, "补充说明", "请直接发送要补充")
    await kit.say(officer, "地点在幸福小区3号楼南侧，报警人姓李", "补充说明已加入")
    for chief in (police, station):
        told = await chief.wait_for_message(
            lambda m: m.content.startswith("【报送人补充说明】") and "3号楼南侧" in m.content, WAIT
        )
        assert number in told.content
    assert not told.buttons  # the station's copy is for reading: no buttons on its ping


async def test_an_ordinary_note_reaches_the_handling_unit_only(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(CHIEF, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    centre = kit.user(POLICE, "调处中心主任")
    await kit.bind(centre, "mediation_centre", Role.CHIEF)
    receipt = await kit.say(officer, f"/warn {PROTEST}", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "high"  # the centres get a copy of a 重大 warning
    await centre.wait_for_message(lambda m: number in m.content, WAIT)
    await kit.press(officer, receipt, "补充说明", "请直接发送要补充")
    await kit.say(officer, "业主代表姓王，已约谈", "补充说明已加入")
    await station.wait_for_message(lambda m: m.content.startswith("【报送人补充说明】"), WAIT)
    await kit.delivered()
    assert not any(m.content.startswith("【报送人补充说明】") for m in centre.transcript())


async def test_a_jump_threat_as_the_comment_gets_the_crisis_line(kit: BotKit) -> None:
    """Trial 25 T13: 「没有用，我今晚就从楼上跳下去」 as the comment after 未解决 got only a
    routine 重办 notice; now the emergency and crisis lines at once, a critical case, and the
    comment still reopens the case. A reopened critical case is told to every unit that
    holds its card, not only its owner."""
    police = await police_chief(kit, POLICE)
    desk = kit.user(OFFICER, "分派台主任")
    await kit.bind(desk, kit.district.dispatcher, Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    filed = await critical_case_at_police(kit, citizen, police, KNIFE)
    case, number, card = filed.case, filed.number, filed.card
    await desk.wait_for_message(lambda m: number in m.content, WAIT)  # the desk's copy
    await kit.callback_answer(police.press(card, "签收"))
    await police.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(police, card, "办结", "办结说明")
    await kit.say(police, "民警已到场处置，嫌疑人已被带走", "办结类型")
    await kit.say(police, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    await kit.press(citizen, question, "未解决", "简要说明")
    action = citizen.send_text(JUMP)
    await citizen.wait_for_message(
        lambda m: kit.district.crisis_hotline in m.content, WAIT, since=action
    )
    await citizen.wait_for_message(calls("110"), WAIT, since=action)
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].original_text == JUMP
    assert cases[-1].severity == "critical"
    told = await desk.wait_for_message(
        lambda m: m.content.startswith("【重办】") and number in m.content, WAIT
    )
    assert JUMP in told.content
