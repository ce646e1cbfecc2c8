"""Stop 32 #1–#4: what a citizen writes after an emergency, and while a 回访 waits.

#1 有人受伤了 then 是被人拿刀砍的 opened a second case: it explains the first and now
joins it (one case, the police told, 110 read). #2 Any danger no family owned joined
whatever emergency was open: 我妈晕倒了 没有呼吸 after a fire is another event, a case of
its own (:mod:`bot.services.emergency_join`). #3 物业的人还没来修 was taken as "where is
help?" on the open emergency. #4 还没修好 / 还没人来 while a 回访 waited on an emergency
case became a note on the resolved case instead of 未解决.
"""

from __future__ import annotations

import pytest

from storage.enums import CaseStatus
from tests.botkit import WAIT, BotKit, said_since
from tests.criticalkit import police_chief
from tests.emergencykit import calls
from tests.test_trial31_follow_up_in_words import _follow_up_notes, _resolve
from tests.test_trial_defects import events_of

CITIZEN = 3201
POLICE = 3202


async def test_how_the_injury_came_about_joins_the_injury_case(kit: BotKit) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "周敏")
    action = citizen.send_text("有人受伤了")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    (case,) = await kit.cases()
    more = "是被人拿刀砍的"
    action = citizen.send_text(more)
    await citizen.wait_for_message(calls("110"), WAIT, since=action)
    await citizen.wait_for_message(lambda m: "补充说明已加入" in m.content, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("所在的地点" in m for m in said), said  # not a new case's step
    assert [c.id for c in await kit.cases()] == [case.id]
    notes = [e for e in await events_of(kit, case.id) if e.type == "note_added"]
    assert [e.note for e in notes] == [more]
    assert "110" in (notes[0].data or {}).get("danger", {}).get("services", [])
    await police.wait_for_message(lambda m: "【紧急补充】" in m.content and more in m.content, WAIT)


async def test_another_event_after_a_fire_is_a_case_of_its_own(kit: BotKit) -> None:
    await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "周敏")
    action = citizen.send_text("楼道里着火了，火很大，烟很浓")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    (fire,) = await kit.cases()
    action = citizen.send_text("我妈晕倒了 没有呼吸")
    await citizen.wait_for_message(calls("120"), WAIT, since=action)
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical"
    assert "note_added" not in [e.type for e in await events_of(kit, fire.id)]


async def test_a_routine_wait_is_no_question_about_the_emergency(kit: BotKit) -> None:
    await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "周敏")
    action = citizen.send_text("楼道里着火了，火很大，烟很浓")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    (fire,) = await kit.cases()
    action = citizen.send_text("物业的人还没来修")
    await citizen.wait_for_message(lambda m: True, WAIT, since=action)
    await kit.delivered()
    said = said_since(citizen, action)
    assert not any("目前状态" in m or "情况紧急" in m for m in said), said
    assert any("区建设局" in m and "提交" in m for m in said), said  # proposed as a problem
    assert "note_added" not in [e.type for e in await events_of(kit, fire.id)]


@pytest.mark.parametrize("reply", ["还没修好", "还没人来"])
async def test_not_yet_while_the_follow_up_waits_reopens_the_emergency_case(
    kit: BotKit, reply: str
) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "周敏")
    action = citizen.send_text("楼道里着火了，火很大，烟很浓")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    await _resolve(kit, police, citizen, case.id)

    told = await kit.say(citizen, reply, "回访")
    assert (case.number or "") in told.content and "未解决" in told.content
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED
    assert await _follow_up_notes(kit, case.id) == [reply]
    assert "note_added" not in [e.type for e in await events_of(kit, case.id)]
    await police.wait_for_message(
        lambda m: reply in m.content and "补充说明" not in m.content, WAIT
    )


async def test_a_progress_question_while_the_follow_up_waits_answers_nothing(
    kit: BotKit,
) -> None:
    police = await police_chief(kit, POLICE)
    citizen = kit.user(CITIZEN, "周敏")
    action = citizen.send_text("楼道里着火了，火很大，烟很浓")
    await citizen.wait_for_message(lambda m: "所在的地点" in m.content, WAIT, since=action)
    await kit.say(citizen, "跳过", "已登记")
    (case,) = await kit.cases()
    await _resolve(kit, police, citizen, case.id)
    action = citizen.send_text("解决了吗")
    await citizen.wait_for_message(lambda m: True, WAIT, since=action)
    await kit.delivered()
    assert not any("回访" in m for m in said_since(citizen, action))
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
    assert await _follow_up_notes(kit, case.id) == []


@pytest.mark.parametrize(
    ("first", "then", "minutes", "joins"),
    [
        ("有人受伤了", "是被人拿刀砍的", 3, True),
        ("有人受伤了", "是被人拿刀砍的", 90, False),  # told after the hour: its own case
        ("楼道里着火了，火很大", "我妈晕倒了 没有呼吸", 10, False),
        ("楼道里着火了，火很大", "楼道门堵住了出不去 在602", 10, True),
        ("楼道里着火了，火很大", "隔壁单元也着火了", 5 * 60, True),  # the same kind, 5 h
        # Review 32: the same kind joined for 48 h (a fire the next day joined the first);
        # now 6 h of the last word on it (bot/services/emergency_join.py).
        ("楼道里着火了，火很大", "隔壁单元也着火了", 7 * 60, False),
        ("楼道里着火了，火很大", "隔壁单元也着火了", 30 * 60, False),
        ("楼道里着火了，火很大", "隔壁单元也着火了", 49 * 60, False),
        ("救命", "楼下着火了", 5, True),
        ("我不想活了", "我家老人摔倒了 头在流血", 10, False),
    ],
)
def test_the_joining_rule(first: str, then: str, minutes: int, joins: bool) -> None:
    from datetime import timedelta

    from bot.services.emergency_join import same_emergency
    from bot.services.triage import emergency_of

    a, b = emergency_of(first), emergency_of(then)
    assert a is not None and b is not None
    assert same_emergency(a.kind, b.kind, then, timedelta(minutes=minutes)) is joins
