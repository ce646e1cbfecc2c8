"""Trial 29's re-test (verify29 V4, V5, V12), through the bot, the fake Bot API and the
database.

V4: photos sent before an emergency message never reached the police and were then
attached to the citizen's next, unrelated request. They now go with the emergency.
V5: 跳过 typed at 「是地点 / 是另一个问题」 dropped the second problem; it is kept.
V12: a wish to die typed mid-draft got the 草稿已保留 notice before the crisis words.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.runtime.scheduler import Scheduler
from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.criticalkit import police_chief
from tests.test_trial_defects import file_request

KNIFE = "楼道里有人正拿刀追着砍人，快来"
LABOR = "单位不给交社保，已经两年了，老板说我是临时工"
CANTEEN = "还有我们厂食堂很脏，上周好几个工友吃完拉肚子"
SCHOOL = "我儿子以前在东城第一小学读书，现在站在12楼阳台上说要跳下去"


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


async def test_a_reply_to_a_digest_of_two_cases_asks_which(kit: BotKit) -> None:
    texts = ("公司拖欠我三个月工资，老板一直不给", "工地老板拖欠我们农民工工资两个月了")
    for i, text in enumerate(texts):
        await file_request(kit, kit.user(2984 + i, f"居民{i}"), text)
    cases = await kit.cases()
    owner = cases[0].owning_unit_id
    assert {c.owning_unit_id for c in cases} == {owner}
    numbers = [c.number or "" for c in cases]
    chief = kit.user(2986, "站长")
    await kit.bind(chief, owner, Role.CHIEF)
    await kit.delivered()
    sched = Scheduler(kit.db, kit.district, kit.clock, kit.runtime.cases)
    kit.clock.advance(timedelta(days=1, minutes=1))
    await sched.run_due()
    await kit.delivered()
    (digest,) = [m for m in chief.transcript() if m.content.startswith("【待办汇总】")]
    asked = await kit.answer(
        chief, chief.send_text("明天派人去处理", reply_to=digest.message_id), "记入哪一个"
    )
    assert [b["text"] for b in asked.buttons] == numbers
    assert "staff_note" not in await kit.events(cases[0].id)
    await kit.press(chief, asked, numbers[1], f"已记入 {numbers[1]}")
    assert (await kit.events(cases[1].id))[-1] == "staff_note"
    assert "staff_note" not in await kit.events(cases[0].id)


async def test_a_unit_sent_the_card_may_note_on_it(kit: BotKit) -> None:
    school = kit.user(2987, "校长")
    await kit.bind(school, "dongcheng_school", Role.CHIEF)
    parent = kit.user(2988, "家长")
    await kit.say(parent, SCHOOL, "紧急情况已记录")
    (case,) = await kit.cases()
    notify = (await kit.registered(case.id)).get("notify", [])
    print(case.owning_unit_id, case.territorial_unit_id, notify)
    assert "dongcheng_school" in notify and case.owning_unit_id != "dongcheng_school"
    number = case.number or ""
    card = await school.wait_for_message(lambda m: number in m.content, WAIT)
    await kit.answer(
        school, school.send_text("已联系班主任了解情况", reply_to=card.message_id), "已记入"
    )
    assert (await kit.events(case.id))[-1] == "staff_note"


async def test_a_late_unsolved_reason_is_offered_to_its_case(kit: BotKit) -> None:
    chief = kit.user(2989, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(2990, "工人")
    case = await file_request(kit, citizen, LABOR)
    number = case.number or ""
    card = await chief.wait_for_message(lambda m: number in m.content and bool(m.buttons), WAIT)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调解决", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    await kit.press(citizen, question, "未解决", "简要说明")
    kit.clock.advance(timedelta(hours=26))
    late = await kit.say(citizen, "单位还是没给补缴，只是口头答应", "已超时")
    assert number in late.content
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
    await kit.press(citizen, late, f"补充到 {number} 并重新办理", "已收到您的意见")
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED
    ping = await chief.wait_for_message(lambda m: "【重办】" in m.content, WAIT)
    assert "口头答应" in ping.content
