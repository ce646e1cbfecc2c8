"""Trial 29 P3 and P5, through the bot, the fake Bot API and the database.

P3: a citizen's request the rubric rates 重大 (violence at home going on, a planned
collective protest) was filed with ordinary deadlines (24 h, 7 days) and reached no
district centre, while its card and the dashboard said 重大. Now it gets the
deadlines of a high warning and the warning centres' copies, whoever reports it.

P5: a station chief's words (收到，马上安排人去现场; a reply to a case card) started a
citizen's filing. A reply to a card is now kept on that case as 办理记录; other words
are asked about, and filed only when the chief chooses 以群众身份反映此问题.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import file_request

#: Violence at home going on: the rubric rates it 重大 (family ``fight``).
BEATEN = "我老公天天喝酒打我，孩子也被他打，我不敢回家了"
#: A collective protest planned: 重大 (collective action, a head count).
PROTEST = "我们二十多户业主商量好了明天一起去市政府门口拉横幅讨说法"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _warned(kit: BotKit, text: str) -> Case:
    """The same text as an officer's /warn: the case filed."""
    officer = kit.user(2960, "信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, f"/warn {text}", "预警已报送")
    return (await kit.cases())[-1]


@pytest.mark.parametrize("text", [BEATEN, PROTEST])
async def test_a_high_request_gets_a_high_warnings_deadlines_and_alert(
    kit: BotKit, text: str
) -> None:
    centres = []
    for i, unit in enumerate(kit.district.warning_centres):
        person = kit.user(2950 + i, f"中心{i}")
        await kit.bind(person, unit, Role.STAFF)
        centres.append(person)
    citizen = kit.user(2955, "群众")
    filed_at = kit.clock.now()
    case = await file_request(kit, citizen, text)
    assert case.severity == "high" and case.priority == "high"
    warning = await _warned(kit, text)
    assert warning.severity == "high" and warning.priority == case.priority
    # 签收 (or the desk's 派单) within 1 h, as for the warning; not 24 h.
    assert (
        case.ack_due_at is not None
        and case.ack_due_at - filed_at <= kit.district.deadlines["high"].acknowledge
    )
    assert kit.district.deadlines["high"].acknowledge < kit.district.deadlines["normal"].acknowledge
    if case.resolve_due_at is not None:  # routed at once: 办结 within 24 h, not 7 days
        assert case.resolve_due_at - filed_at <= kit.district.deadlines["high"].resolve
    # The centres get the card at once, with its level, as they do the warning's.
    notified = (await kit.registered(case.id))["notify"]
    for unit in kit.district.warning_centres:
        assert unit in notified
    number = case.number or ""
    for person in centres:
        card = await person.wait_for_message(lambda m: number in m.content, WAIT)
        assert card.content.startswith(f"【群众诉求】{number}（重大）"), card.content
    receipt = next(m for m in citizen.transcript() if number in m.content and "已登记" in m.content)
    assert "7天" not in receipt.content


async def test_a_low_request_keeps_the_ordinary_deadlines(kit: BotKit) -> None:
    centre = kit.user(2956, "中心")
    await kit.bind(centre, kit.district.warning_centres[0], Role.STAFF)
    case = await file_request(
        kit, kit.user(2957, "群众"), "单位不给交社保，已经两年了，老板说我是临时工"
    )
    assert case.severity == "low" and case.priority == "normal"
    assert kit.district.warning_centres[0] not in (await kit.registered(case.id)).get("notify", [])


async def test_a_chiefs_reply_to_a_card_is_a_note_on_that_case(kit: BotKit) -> None:
    chief = kit.user(2961, "杨站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    case = await file_request(
        kit, kit.user(2962, "群众"), "单位不给交社保，已经两年了，老板说我是临时工"
    )
    assert case.owning_unit_id == "labor"
    number = case.number or ""
    card = await chief.wait_for_message(lambda m: number in m.content and bool(m.buttons), WAIT)
    before = await kit.cases()
    kept = await kit.answer(
        chief, chief.send_text("已派网格员上门，老人情绪稳定", reply_to=card.message_id), number
    )
    assert "已记入" in kept.content and "办理记录" in kept.content
    assert not any("提交" in b["text"] for b in kept.buttons)
    assert len(await kit.cases()) == len(before)  # no citizen filing
    assert (await kit.events(case.id))[-1] == "staff_note"
    handler = await kit.person(2961)
    assert handler is not None
    timeline = await kit.runtime.cases.timeline(case.id, handler.id)
    assert timeline[-1].label == "办理记录" and timeline[-1].note == "已派网格员上门，老人情绪稳定"
    # The reporter does not see the units' own notes.
    reporter = await kit.person(2962)
    assert reporter is not None
    seen = await kit.runtime.cases.timeline(case.id, reporter.id)
    assert all(e.type != "staff_note" for e in seen)
    # The card's buttons still work (the note changed nothing).
    await kit.press(
        chief, card, "签收", lambda m: m.message_id == card.message_id or "签收" in m.content
    )
    assert (await kit.case(case.id)).status == "acknowledged"


async def test_a_chiefs_free_text_is_asked_about_not_filed(kit: BotKit) -> None:
    chief = kit.user(2963, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    asked = await kit.say(chief, "收到，马上安排人去现场", "没有关联到案件")
    labels = [b["text"] for b in asked.buttons]
    assert labels == ["以群众身份反映此问题", "不用了"]
    assert "部门" not in asked.content.split("\n")[0]
    await kit.press(chief, asked, "不用了", "未登记")
    assert await kit.cases() == []
    # Choosing to file as a citizen: the usual proposal, and the case is filed.
    text = "我家小区门口的路灯坏了好几天了，晚上很黑"
    asked = await kit.say(chief, text, "没有关联到案件")
    proposal = await kit.press(chief, asked, "以群众身份反映此问题", lambda m: bool(m.buttons))
    assert "提交" in [b["text"] for b in proposal.buttons]
    await kit.press(chief, proposal, "提交", "可选 1/3")
    for _ in range(2):
        chief.send_text("跳过")
    await kit.answer(chief, chief.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == text


async def test_danger_from_a_chief_still_gets_the_line_at_once(kit: BotKit) -> None:
    chief = kit.user(2964, "杨站长")
    await kit.bind(chief, "dongcheng", Role.CHIEF)
    await kit.say(chief, "小区里有人拿刀在砍人，已有人受伤", "110")
    (case,) = await kit.cases()
    assert case.severity == "critical"
