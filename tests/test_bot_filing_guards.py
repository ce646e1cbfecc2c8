"""Filing without losing or misreading anything (trial defects D1, D2/D18, D6, D12, D16,
D17, D21, D22, D25).

The real bot polls the fake Bot API; assertions are on what the citizen sees (texts,
buttons, the reply keyboard on screen) and on what the database holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.enums import Role
from tests.botkit import BotKit, sqlite_bot
from tests.emergencykit import calls

CITIZEN = 1001
OTHER = 1002
CHIEF = 2001
WATER = "我们村的自来水已经停了三天了，也没人来修"
ELEVATOR = "另外小区电梯坏了一个月了，老人上下楼很困难"
LAMPS = "我家附近的公园里路灯全坏了"
CANTEEN = "学校食堂饭菜质量太差，孩子回家说吃不饱"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def to_location_step(kit: BotKit, user: FakeUser, text: str) -> ChatMessage:
    """Describe and press 提交: the location step's prompt."""
    proposal = await kit.say(user, text, "提交")
    return await kit.press(user, proposal, "提交", "可选 1/3")


async def test_start_during_filing_keeps_the_draft_and_removes_the_keyboard(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await to_location_step(kit, citizen, WATER)
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    assert kit.fake.reply_keyboard(CITIZEN) is not None  # 📞 / 跳过 on screen
    action = citizen.send_command("/start")
    kept = await kit.answer(citizen, action, "尚未提交")
    assert WATER[:20] in kept.content and "是否放弃当前草稿" in kept.content
    assert kept.reply_markup == {"remove_keyboard": True}
    assert kit.fake.reply_keyboard(CITIZEN) is None
    choice = await kit.answer(citizen, action, lambda m: bool(m.buttons))
    assert [b["text"] for b in choice.buttons] == ["继续提交", "放弃草稿"]
    # 继续提交: back at the step it was at, with its keyboard; the case is filed.
    step = await kit.press(citizen, choice, "继续提交", "可选 2/3")
    assert step.reply_markup is not None and "keyboard" in step.reply_markup
    await kit.answer(citizen, citizen.send_text("13800138000"), "可选 3/3")
    done = await kit.answer(citizen, citizen.press_reply_button("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == WATER and case.contact_phone == "13800138000"
    assert case.number is not None and case.number in done.content


async def test_start_then_discard_drops_the_draft_with_a_word(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await to_location_step(kit, citizen, WATER)
    action = citizen.send_command("/start")
    choice = await kit.answer(citizen, action, lambda m: bool(m.buttons))
    dropped = await kit.press(citizen, choice, "放弃草稿", "已放弃")
    assert "没有登记" in dropped.content
    await kit.answer(citizen, action, "您好")
    # A stale 跳过 typed now is not a problem description.
    stale = await kit.say(citizen, "跳过", "失效")
    assert "提交" not in str(stale.buttons) and stale.reply_markup == {"remove_keyboard": True}
    assert await kit.cases() == []


async def test_a_second_problem_at_the_location_step_is_asked_about(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await to_location_step(kit, citizen, WATER)
    asked = await kit.say(citizen, ELEVATOR, "另一个问题")
    assert "不是地点" in asked.content
    await kit.answer(citizen, citizen.press_reply_button("是另一个问题"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    action = citizen.press_reply_button("跳过")
    await kit.answer(citizen, action, "提交成功")
    # The second problem is proposed right after the first is filed, not lost.
    following = await kit.answer(citizen, action, lambda m: ELEVATOR[2:12] in m.content)
    assert "提交" in [b["text"] for b in following.buttons]
    (case,) = await kit.cases()
    assert case.original_text == WATER and case.address is None


async def test_a_real_address_at_the_location_step_is_taken_without_question(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await to_location_step(kit, citizen, WATER)
    await kit.say(citizen, "西湖街道湖滨社区5栋", "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.address == "西湖街道湖滨社区5栋"


async def test_a_wrong_length_phone_is_refused_with_a_clear_message(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await to_location_step(kit, citizen, WATER)
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    refused = await kit.say(citizen, "138-1234-567", "位数不对")
    assert "11 位" in refused.content and "区号" in refused.content
    await kit.say(citizen, "0532-83912345", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.contact_phone == "0532-83912345"


async def test_stale_closure_button_after_cancel_is_not_filed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await to_location_step(kit, citizen, WATER)
    cancelled = await kit.say(citizen, "/cancel", "已取消")
    assert cancelled.reply_markup == {"remove_keyboard": True}
    assert kit.fake.reply_keyboard(CITIZEN) is None
    for label in ("实际解决", "选择社区", "完成"):
        stale = await kit.say(citizen, label, "失效")
        assert "没有作为问题登记" in stale.content and not stale.buttons
    assert await kit.cases() == []


async def test_two_problems_typed_in_a_row_both_stay_usable(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    first = await kit.say(citizen, LAMPS, "提交")
    second = await kit.say(citizen, CANTEEN, "提交")
    action = citizen.press(first, "提交")
    switched = await kit.answer(citizen, action, "已切换")
    assert LAMPS[:10] in switched.content
    await kit.answer(citizen, action, "可选 1/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "提交成功")
    # The second proposal still files the second problem.
    await kit.press(citizen, second, "提交", "可选 1/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "提交成功")
    assert [c.original_text for c in await kit.cases()] == [LAMPS, CANTEEN]


async def test_a_case_number_alone_shows_its_status_to_its_reporter_only(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    await to_location_step(kit, citizen, WATER)
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.number is not None
    status = await kit.say(citizen, case.number, case.number)
    assert "提交" not in [b["text"] for b in status.buttons]
    assert "我不能确定" not in status.content and WATER[:10] in status.content
    other = kit.user(OTHER, "路人")
    refused = await kit.say(other, case.number.lower(), "没有找到")
    assert "/status" in refused.content and WATER not in refused.content
    assert len(await kit.cases()) == 1


async def test_a_photo_with_a_caption_is_a_description_with_the_photo(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    action = citizen.send_photo("东城街道人民路上有个大坑，下雨天积水看不见")
    proposal = await kit.answer(citizen, action, "提交")
    await kit.answer(citizen, action, "照片已附上")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    # A caption at the photo step is kept as well.
    await kit.answer(citizen, citizen.send_photo("坑有半米深"), "照片说明")
    await kit.say(citizen, "完成", "提交成功")
    (case,) = await kit.cases()
    assert len(case.photo_file_ids) == 2
    assert "人民路上有个大坑" in case.original_text and "坑有半米深" in case.original_text


async def test_danger_now_asks_for_place_and_phone_and_puts_them_on_the_case(
    kit: BotKit, district: District
) -> None:
    # Violence at home now is the police's (its rubric family's owner), at once.
    chief = kit.user(CHIEF, "公安站")
    await kit.bind(chief, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "张大姐")
    action = citizen.send_text("他又喝醉了在砸门，我和孩子躲在厕所里，好害怕")
    line = await kit.answer(citizen, action)
    assert calls("110")(line)
    asked = await kit.answer(citizen, action, "所在的地点")
    assert "跳过" in str(asked.reply_markup)
    (case,) = await kit.cases()
    assert case.number is not None and case.number in asked.content
    assert case.severity == "critical"
    saved = await kit.say(citizen, "东城街道人民路12号3单元 138 0013 8000", "补充到")
    assert case.number in saved.content and saved.reply_markup == {"remove_keyboard": True}
    case = await kit.case(case.id)
    assert case.address == "东城街道人民路12号3单元" and case.contact_phone == "13800138000"
    assert "details_added" in await kit.events(case.id)
    ping = await chief.wait_for_message(lambda m: "紧急诉求补充" in m.content, 10)
    assert "人民路12号" in ping.content and "13800138000" in ping.content


async def test_self_harm_gets_the_crisis_line_a_human_word_and_can_skip(
    kit: BotKit, district: District
) -> None:
    assert district.crisis_hotline == "12356"
    citizen = kit.user(CITIZEN, "张大姐")
    action = citizen.send_text("我要自杀")
    words = await kit.answer(citizen, action, "心理援助热线")
    assert "12356" in words.content and "我们在" in words.content
    await kit.answer(citizen, action, "所在的地点")
    skipped = await kit.say(citizen, "我不想留电话", "好的")
    assert skipped.reply_markup == {"remove_keyboard": True}
    (case,) = await kit.cases()
    assert case.contact_phone is None and case.address is None
    # The next message is a new one again.
    proposal = await kit.say(citizen, LAMPS, "提交")
    assert LAMPS in proposal.content


async def test_a_citizens_warn_of_danger_also_asks_for_the_place(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    action = citizen.send_command("/warn 有人在小区里打架，拿着刀")
    await kit.answer(citizen, action, "所在的地点")
    saved = await kit.say(citizen, "东城街道人民路5号楼下", "补充到")
    assert "地点" in saved.content
    (case,) = await kit.cases()
    assert case.address == "东城街道人民路5号楼下"


async def test_cancel_at_the_emergency_step_says_the_case_stays_filed(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    action = citizen.send_text("隔壁着火了")
    await kit.answer(citizen, action, "所在的地点")
    done = await kit.say(citizen, "/cancel", "会尽快处理")
    assert "没有提交" not in done.content and done.reply_markup == {"remove_keyboard": True}
    assert len(await kit.cases()) == 1


async def test_a_new_problem_at_the_emergency_step_is_its_own_message(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张大姐")
    action = citizen.send_text("隔壁着火了")
    await kit.answer(citizen, action, "所在的地点")
    proposal = await kit.say(citizen, CANTEEN, "提交")
    assert CANTEEN in proposal.content
    (case,) = await kit.cases()
    assert case.address is None
