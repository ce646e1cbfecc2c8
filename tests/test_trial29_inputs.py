"""Trial 29 P7 and P13: what a citizen types or sends is kept and read right.

P7: a second complaint typed at the 地点 step was stored as the address. P13: a photo
sent before the words was dropped; 不方便留电话 at the contact step was refused as a
wrong number and 「晚上打」 after a number was lost; ``/start <campaign tag>`` got
「邀请码不正确」; a complaint told over three messages became two drafts.
The bot, the fake Bot API and the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from handlers.drafts import looks_like_problem
from tests.botkit import WAIT, BotKit, sqlite_bot

LABOR = "单位不给交社保，已经两年了，老板说我是临时工"
CANTEEN = "还有我们厂食堂很脏，上周好几个工友吃完拉肚子"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _to_contact_step(kit: BotKit, citizen: FakeUser) -> None:
    proposal = await kit.say(citizen, LABOR, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")


async def test_a_second_complaint_at_the_place_step_is_asked_about(kit: BotKit) -> None:
    citizen = kit.user(2971, "工人")
    proposal = await kit.say(citizen, LABOR, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    asked = await kit.say(citizen, CANTEEN, "看起来像是另一个问题")
    keyboard = (asked.reply_markup or {}).get("keyboard", [])
    assert [b["text"] for row in keyboard for b in row] == ["是地点", "是另一个问题"]
    await kit.answer(citizen, citizen.press_reply_button("是另一个问题"), "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.address is None
    # The canteen is proposed next, as its own problem.
    await citizen.wait_for_message(lambda m: "食堂" in m.content and bool(m.buttons), WAIT)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (CANTEEN, True),
        ("老板天天骂人还克扣工资", True),
        ("西湖街道金桥小区5栋", False),
        ("湖滨花园3幢2单元502室", False),
        ("杭州市西湖区文三路100号，靠近菜市场", False),
        ("人民医院对面的公交站", False),
    ],
)
def test_places_and_problems_are_told_apart(text: str, problem: bool) -> None:
    assert looks_like_problem(text) is problem


async def test_a_photo_sent_first_goes_with_the_words(kit: BotKit) -> None:
    citizen = kit.user(2972, "工人")
    kept = await kit.answer(citizen, citizen.send_photo(), "已保存")
    assert "请先用文字描述" not in kept.content
    proposal = await kit.say(citizen, LABOR, lambda m: bool(m.buttons))
    await citizen.wait_for_message(lambda m: "已附上您先发送的照片（1张）" in m.content, WAIT)
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert len(case.photo_file_ids) == 1


async def test_a_photo_after_the_proposal_joins_it(kit: BotKit) -> None:
    citizen = kit.user(2973, "工人")
    proposal = await kit.say(citizen, LABOR, lambda m: bool(m.buttons))
    await kit.answer(citizen, citizen.send_photo(), "已附在您刚才描述的问题上（共1张）")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert len(case.photo_file_ids) == 1


async def test_declining_the_phone_is_a_skip(kit: BotKit) -> None:
    citizen = kit.user(2974, "工人")
    await _to_contact_step(kit, citizen)
    told = await kit.say(citizen, "不方便留电话", "不留电话也可以办理")
    assert "请输入正确的手机号" not in told.content
    await citizen.wait_for_message(lambda m: "可选 3/3" in m.content, WAIT)
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.contact_phone is None


async def test_a_remark_with_the_number_is_kept(kit: BotKit) -> None:
    citizen = kit.user(2975, "工人")
    await _to_contact_step(kit, citizen)
    await kit.say(citizen, "我电话13812345678，晚上打", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.contact_phone == "13812345678"
    assert "联系说明：晚上打" in case.original_text


async def test_a_start_link_that_is_no_invite_gets_the_welcome(kit: BotKit) -> None:
    citizen = kit.user(2976, "群众")
    greeted = await kit.answer(citizen, citizen.send_command("/start abcdef"), "您好")
    assert "邀请码" not in greeted.content
    person = await kit.person(2976)
    assert person is not None and person.role == "citizen"
    # A code of an invite's shape that is wrong is still said to be wrong.
    wrong = await kit.answer(citizen, citizen.send_command("/start ABCDEFGHJKMN"), "邀请码")
    assert "不正确" in wrong.content


async def test_a_complaint_told_in_three_messages_is_one_draft(kit: BotKit) -> None:
    citizen = kit.user(2977, "村民")
    await kit.say(citizen, "就是我们村那条路", lambda m: bool(m.buttons))
    await kit.say(citizen, "坑坑洼洼的好几年了", "并入上一条描述")
    third = await kit.say(citizen, "下雨天孩子上学都没法走", lambda m: bool(m.buttons))
    assert "并入上一条描述" in third.content
    assert "还没有提交" not in third.content
    assert "下雨天孩子上学都没法走" in third.content and "就是我们村那条路" in third.content
    await kit.press(citizen, third, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text.startswith("就是我们村那条路")
    assert case.bureau != "education"


async def test_a_photo_at_the_place_step_joins_the_draft(kit: BotKit) -> None:
    citizen = kit.user(2978, "工人")
    proposal = await kit.say(citizen, LABOR, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    told = await kit.answer(citizen, citizen.send_photo(), "已附在正在填写的问题上（共1张）")
    assert "请先用文字描述" not in told.content
    await kit.say(citizen, "跳过", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert len(case.photo_file_ids) == 1
