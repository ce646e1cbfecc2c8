"""Trial 33 D16: reply keyboards from earlier steps stayed on screen.

The self-harm citizen kept 「📍 发送我的位置 / 跳过」 under every later message; the officer's
「跳过」 from the head-count step stayed while the bot asked for the reason to lower the
level. A step's reply keyboard now goes (ReplyKeyboardRemove) when the step ends.
"""

from __future__ import annotations

from tests.botkit import WAIT, BotKit
from tests.warnkit import bound_officer, filed_critical

CITIZEN = 3381
OFFICER = 3382


async def test_the_place_keyboard_goes_when_the_crisis_talk_goes_on(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小孙")
    await kit.say(citizen, "不想活了", "地点")
    assert kit.fake.reply_keyboard(CITIZEN) is not None
    citizen.send_text("没什么好说的了")
    await kit.delivered()
    await citizen.wait_for_message(lambda m: m.from_bot and "没什么" not in m.content, WAIT)
    await kit.delivered()
    for text in ("我就是太累了", "谢谢你们"):
        citizen.send_text(text)
        await kit.delivered()
    await kit.delivered()
    assert kit.fake.reply_keyboard(CITIZEN) is None, [m.content[:30] for m in citizen.transcript()]


async def test_the_place_keyboard_goes_when_danger_is_told_at_the_step(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "小孙")
    await kit.say(citizen, "不想活了", "地点")
    assert kit.fake.reply_keyboard(CITIZEN) is not None
    citizen.send_text("我现在一个人在江边")
    await kit.delivered()
    await citizen.wait_for_message(lambda m: m.from_bot and "江边" not in m.content, WAIT)
    await kit.delivered()
    assert len(await kit.cases()) == 1  # the danger joined the open case
    assert kit.fake.reply_keyboard(CITIZEN) is None, [m.content[:30] for m in citizen.transcript()]


async def test_the_head_count_skip_goes_when_the_reason_to_lower_is_asked(kit: BotKit) -> None:
    officer = await bound_officer(kit, OFFICER, "dongcheng_heping")
    case, receipt = await filed_critical(kit, officer, "和平社区有人持刀砍人，已有两人受伤")
    await kit.say(officer, "和平社区3号楼下", "多少人")
    assert kit.fake.reply_keyboard(OFFICER) is not None  # the head count's 跳过
    picker = await kit.press(officer, receipt, "更改等级", "请选择新的等级")
    asked = await kit.press(officer, picker, "重大", "理由")
    assert "下调为“重大”" in asked.content
    await officer.wait_for_message(lambda m: "按钮已收起" in m.content, WAIT)
    assert kit.fake.reply_keyboard(OFFICER) is None
    done = await kit.say(officer, "社区民警已到场核实，是剧组在拍电影", "已将")
    assert (case.number or "") in done.content
    assert (await kit.case(case.id)).severity == "high"
