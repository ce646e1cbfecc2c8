"""Stop 35 #4: a correction typed during the guided /warn's optional steps.

「不对，是五十多人」 at the place step was stored as the place, 「改一下地点」 at the head count
was a bad head count, 「刚才说错了」 at the photos step was refused. Now a correction is
applied to the field it corrects, or the officer is asked which one and its right value; a
plain answer is still the step's.

The bot over the fake Bot API; what the officer reads and what the warning holds.
"""

from __future__ import annotations

from bot.fakeapi import FakeUser
from bot.services.warning_step_fix import COUNT, PLACE, step_correction
from storage.enums import Role
from tests.botkit import BotKit

RIDERS = "高新园区创业社区一家外卖平台站点的骑手二十多人聚在站点门口，说平台克扣配送费"


async def _filed(kit: BotKit, user_id: int) -> tuple[FakeUser, int]:
    officer = kit.user(user_id, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, RIDERS, "预警研判")
    await kit.press(officer, proposal, "确认", "发生地点")
    (case,) = await kit.cases()
    return officer, case.id


async def test_a_head_count_corrected_at_the_place_step(kit: BotKit) -> None:
    officer, case_id = await _filed(kit, 3551)
    action = officer.send_text("不对，是五十多人")
    await kit.handled(action)
    said = [
        m.content
        for m in officer.transcript()
        if m.from_bot and m.message_id > (action.message_id or 0)
    ]
    assert any("已更正" in m and "涉及人数" in m for m in said), said
    assert "发生地点" in said[-1], said  # the place is still asked
    case = await kit.case(case_id)
    assert case.head_count == 50 and case.address is None
    # A plain answer is the step's.
    await kit.say(officer, "站点门口", "多少人")
    await kit.say(officer, "跳过", "照片")
    await kit.say(officer, "完成", "补充完毕")
    case = await kit.case(case_id)
    assert case.address == "站点门口" and case.head_count == 50


async def test_change_the_place_at_the_head_count_step(kit: BotKit) -> None:
    officer, case_id = await _filed(kit, 3552)
    await kit.say(officer, "站点门口", "多少人")
    asked = await kit.say(officer, "改一下地点", "正确的发生地点")
    assert "没有看懂人数" not in asked.content
    await kit.say(officer, "创业社区东门外卖站点", "多少人")
    case = await kit.case(case_id)
    assert case.address == "创业社区东门外卖站点" and case.head_count == 20  # the text's
    await kit.say(officer, "三十多人", "照片")
    case = await kit.case(case_id)
    assert case.head_count == 30 and case.address == "创业社区东门外卖站点"


async def test_i_said_it_wrong_asks_which_at_the_photos_step(kit: BotKit) -> None:
    officer, case_id = await _filed(kit, 3553)
    await kit.say(officer, "站点门口", "多少人")
    await kit.say(officer, "二十多人", "照片")
    which = await kit.say(officer, "刚才说错了", "哪一项")
    assert "刚才说错了" not in which.content
    keyboard = kit.fake.reply_keyboard(3553) or {}
    labels = [b.get("text") for row in keyboard.get("keyboard", []) for b in row]
    assert {"发生地点", "涉及人数", "预警内容", "不用改了"} <= set(labels), keyboard
    await kit.say(officer, "涉及人数", "正确的涉及人数")
    await kit.say(officer, "五十多人", "已更正")
    case = await kit.case(case_id)
    assert case.head_count == 50 and case.address == "站点门口"
    await kit.say(officer, "完成", "补充完毕")


async def test_a_correction_of_the_text_is_added_as_a_note(kit: BotKit) -> None:
    officer, case_id = await _filed(kit, 3554)
    await kit.say(officer, "跳过", "多少人")
    said = "不对，是明天上午去区政府"
    await kit.say(officer, said, "哪一项")
    await kit.say(officer, "预警内容", "补充说明")
    events = await kit.events(case_id)
    assert "note_added" in events
    case = await kit.case(case_id)
    assert case.address is None and case.head_count == 20  # the text's, unchanged
    await kit.say(officer, "跳过", "照片")


def test_plain_answers_are_no_corrections() -> None:
    for text in ("和平路3号", "五十多人", "大概30人", "站点门口", "跳过", "完成", "不对劲"):
        assert step_correction(text) is None, text
    assert step_correction("不对，是五十多人") == step_correction("更正：五十多人")
    fix = step_correction("不对，地点是和平路5号")
    assert fix is not None and fix.field == PLACE and fix.value == "和平路5号"
    fix = step_correction("人数改成五十")
    assert fix is not None and fix.field == COUNT and fix.count == 50
