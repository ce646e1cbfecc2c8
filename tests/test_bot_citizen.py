"""Citizens end to end: which office, filing with and without details, progress, follow-up.

The real application polls the fake Bot API over HTTP; the real delivery worker
pushes the services' outbox into it; assertions are on what the users see and
on the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.db import Database
from storage.enums import CaseStatus, Role
from tests.botkit import BotKit, running_bot, sqlite_bot

CITIZEN = 1001
CHIEF = 2001
LABOR_TEXT = "公司拖欠我三个月工资不发，老板一直找借口"

#: Realistic messages and the room and bureau that should handle them.
ROOM_CASES = [
    ("离婚后孩子抚养权归谁，法院一般怎么判", "法律咨询服务室", "区法院"),
    ("公司拖欠我三个月工资不发，老板一直找借口", "民生保障服务室", "区劳动局"),
    ("孩子明年上小学，报名需要什么材料，学区怎么划分", "社会事业服务室", "区教体局"),
    ("小区旁边盖了违章建筑，一直没人管，规划审批有问题", "城建规划服务室", None),
    ("邻居家被盗了，派出所什么时候来看现场", "综合职能服务室", "区公安分局"),
]


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def submit_without_details(kit: BotKit, user: FakeUser, text: str) -> ChatMessage:
    """Describe, 提交, skip the three optional steps; the "提交成功" answer."""
    proposal = await kit.say(user, text, "提交")
    await kit.press(user, proposal, "提交", "可选 1/3")
    await kit.answer(user, user.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(user, user.press_reply_button("跳过"), "可选 3/3")
    return await kit.answer(user, user.press_reply_button("跳过"), "提交成功")


async def test_which_office_reaches_all_five_rooms(db: Database, district: District) -> None:
    async with running_bot(db, district) as kit:
        citizen = kit.user(CITIZEN, "王芳")
        for text, room, bureau in ROOM_CASES:
            answer = await kit.say(citizen, f"/which {text}", "办理部门")
            assert room in answer.content, answer.content
            if bureau:
                assert bureau in answer.content
            assert "地址：" in answer.content and "办公时间：" in answer.content
            assert "判断依据：关键词" in answer.content
            assert "未登记" in answer.content
            office = next(x for x in answer.content.splitlines() if x.startswith("办理部门"))
            if bureau:  # the bureau leads, the room (受理窗口) comes second
                assert bureau in office and room not in office
                assert answer.content.index(bureau) < answer.content.index(room)
            for filler in ("三个", "事情", "怎么", "多少", "问题", "发生"):
                assert f"“{filler}”" not in answer.content
        # Free text gives the same answer with the buttons to file it.
        proposal = await kit.say(citizen, ROOM_CASES[4][0], "提交")
        assert "综合职能服务室" in proposal.content and "“派出所”" in proposal.content
        assert [b["text"] for b in proposal.buttons] == ["提交", "换一个部门", "只是咨询"]
        done = await kit.press(citizen, proposal, "只是咨询", "仅为咨询")
        assert "没有登记" in done.content
        assert await kit.cases() == []
        # The command menu was published in Chinese.
        commands = {c["command"]: c["description"] for c in kit.fake.my_commands()}
        assert commands["status"] == "查询我反映的问题的办理进度"


async def test_request_is_acknowledged_resolved_and_followed_up(
    db: Database, district: District
) -> None:
    async with running_bot(db, district) as kit:
        chief = kit.user(CHIEF, "李站长")
        bound = await kit.bind(chief, "labor", Role.CHIEF)
        assert "区劳动局群众工作站" in bound.content and "站长" in bound.content
        citizen = kit.user(CITIZEN, "王芳")
        greeting = await kit.answer(citizen, citizen.send_command("/start"), "您好")
        assert [b["text"] for b in greeting.buttons] == ["反映问题", "咨询哪个部门", "查询进度"]

        done = await submit_without_details(kit, citizen, LABOR_TEXT)
        (case,) = await kit.cases()
        assert case.number is not None and case.number in done.content
        assert case.original_text == LABOR_TEXT and case.owning_unit_id == "labor"
        receipt = await citizen.wait_for_message(lambda m: "已登记" in m.content, 10)
        assert "办结时限" in receipt.content and "您将收到每一次进展的通知" in receipt.content
        # One receipt: the answer to the last step is it, nothing else follows.
        await kit.delivered()
        receipts = [m for m in citizen.transcript() if m.from_bot and case.number in m.content]
        assert receipts == [done] and receipt is done

        # The chief gets the card and acknowledges it; the card is edited in place.
        number = case.number
        card = await chief.wait_for_message(lambda m: number in m.content, 10)
        assert [b["text"] for b in card.buttons][:2] == ["签收", "退单"]
        pressed = chief.press(card, "签收")
        assert (await kit.callback_answer(pressed)).startswith("已签收")
        await chief.wait_for_message(lambda m: m is card and "状态：已签收" in m.content, 10)
        assert card.edited and "办结" in [b["text"] for b in card.buttons]
        ack = await citizen.wait_for_message(lambda m: "签收" in m.content, 10, since=pressed)
        assert "区劳动局群众工作站" in ack.content

        # 办结 asks for a note, then resolves; the citizen gets the follow-up question.
        prompt = await kit.press(chief, card, "办结", "办结说明")
        assert case.number in prompt.content
        kind = await kit.say(chief, "已约谈企业负责人，工资已全部补发", "办结类型")
        assert kind.reply_markup is not None
        labels = [b["text"] for b in kind.reply_markup["keyboard"][0]]
        assert labels == ["实际解决", "解释说明", "不属实"]
        note = await kit.say(chief, "实际解决", "已办结")
        assert case.number in note.content
        question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, 10)
        assert "工资已全部补发" in question.content
        await chief.wait_for_message(lambda m: m is card and "已办结" in m.content, 10)

        thanks = citizen.press(question, "已解决·满意")
        assert await kit.callback_answer(thanks) == "感谢您的评价！"
        await citizen.wait_for_message(lambda m: "已结案" in m.content, 10, since=thanks)
        assert (await kit.case(case.id)).status == CaseStatus.CLOSED
        assert "您的回复：已解决·满意" in question.content and not question.buttons

        status = await kit.say(citizen, "/status", "最近")
        for step in ("登记", "派单", "签收", "办结", "回访", "结案"):
            assert step in status.content
        await kit.delivered()
        assert await kit.backlog() == 0


async def test_request_with_location_contact_and_photos(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, ROOM_CASES[3][0], "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    shown = kit.fake.reply_keyboard(CITIZEN)
    assert shown is not None and shown["keyboard"][0][0]["request_location"] is True
    await kit.answer(
        citizen,
        citizen.press_reply_button("发送我的位置", latitude=31.2304, longitude=121.4737),
        "可选 2/3",
    )
    await kit.answer(
        citizen,
        citizen.press_reply_button("发送我的手机号", phone_number="+8613912345678"),
        "可选 3/3",
    )
    first = await kit.answer(citizen, citizen.send_photo(), "第1张")
    assert "完成" in first.content
    await kit.answer(citizen, citizen.send_photo(caption="现场"), "第2张")
    done = await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    assert done.reply_markup == {"remove_keyboard": True}
    (case,) = await kit.cases()
    assert (case.latitude, case.longitude) == (31.2304, 121.4737)
    assert case.contact_phone == "+8613912345678" and case.contact_name == "王芳"
    assert len(case.photo_file_ids) == 2 and case.room == "urban"


async def test_the_chief_receives_the_photos_right_after_the_card(kit: BotKit) -> None:
    """Photos filed with a request reach the unit in Telegram: one album, the number as caption."""
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 2/3")
    await kit.answer(citizen, citizen.press_reply_button("跳过"), "可选 3/3")
    await kit.answer(citizen, citizen.send_photo(), "第1张")
    await kit.answer(citizen, citizen.send_photo(caption="欠条"), "第2张")
    await kit.answer(citizen, citizen.press_reply_button("完成"), "提交成功")
    (case,) = await kit.cases()
    assert case.owning_unit_id == "labor" and case.number is not None
    await kit.delivered()

    got = [m for m in chief.transcript() if m.from_bot]
    card = next(i for i, m in enumerate(got) if m.kind == "text" and case.number in m.content)
    assert "照片：2张" in got[card].content
    album = [m for m in got if m.kind == "photo"]
    assert [got.index(m) for m in album] == [card + 1, card + 2]  # right after the card
    assert album[0].media_group_id is not None
    assert {m.media_group_id for m in album} == {album[0].media_group_id}
    assert case.number in album[0].content and "2张" in album[0].content
    # The citizen's own photos are not sent back to them.
    assert not [m for m in citizen.transcript() if m.from_bot and m.kind == "photo"]
    assert len(kit.fake.calls("sendMediaGroup", chat_id=CHIEF)) == 1


async def test_typed_address_and_community_choice(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, ROOM_CASES[2][0], "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    await kit.say(citizen, "和平路12号3单元", "可选 2/3")
    await kit.say(citizen, "13800138000", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")

    proposal = await kit.say(citizen, ROOM_CASES[0][0], "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    listing = await kit.answer(citizen, citizen.press_reply_button("选择社区"), "请选择社区")
    assert "和平社区" in [b["text"] for b in listing.buttons]
    assert not any("工作室" in b["text"] for b in listing.buttons)
    await kit.press(citizen, listing, "和平社区", "可选 2/3")
    bad = await kit.say(citizen, "不知道", "正确的手机号")
    assert "跳过" in bad.content
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")

    first, second = await kit.cases()
    assert first.address == "和平路12号3单元" and first.contact_phone == "13800138000"
    assert second.territorial_unit_id == "dongcheng_heping" and second.address is None


async def test_unsure_offers_rooms_and_choosing_a_bureau_files_it_there(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "今天天气不错，想问问情况", "交由工作人员分派")
    labels = [b["text"] for b in proposal.buttons]
    assert "其他部门" in labels and "只是咨询" in labels
    room_buttons = [b for b in proposal.buttons if b["callback_data"].startswith("ui:room:")]
    assert 1 <= len(room_buttons) <= 3
    # 其他部门 shows every bureau in place, grouped by room, with a way back.
    picker = await kit.press(citizen, proposal, "其他部门", "请选择办理部门")
    assert picker is proposal
    names = [b["text"] for b in picker.buttons]
    assert "区司法局" in names and "区民政局" in names and names[-1] == "« 返回"
    assert "民生保障服务室：区劳动局、区民政局、区人事局" in picker.content
    back = await kit.press(citizen, picker, "« 返回", "交由工作人员分派")
    assert back is proposal and "其他部门" in [b["text"] for b in back.buttons]
    await kit.press(citizen, proposal, "其他部门", "请选择办理部门")
    chosen = await kit.press(citizen, proposal, "区民政局", "已按您的选择更改")
    assert chosen is proposal and chosen.buttons[0]["text"] == "提交"
    assert chosen.content.index("区民政局") < chosen.content.index("民生保障服务室")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(3):
        last = citizen.send_text("跳过")
    await kit.answer(citizen, last, "提交成功")
    (case,) = await kit.cases()
    # The bureau is kept: the case goes to its station, not to the dispatcher desk.
    assert (case.room, case.bureau, case.owning_unit_id) == (
        "livelihood",
        "civil_affairs",
        "civil_affairs",
    )


async def test_a_room_chosen_when_unsure_keeps_a_bureau(kit: BotKit) -> None:
    """Picking one of the likely rooms never drops the bureau (the case would go to the desk)."""
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "今天天气不错，想问问情况", "交由工作人员分派")
    room_button = next(b for b in proposal.buttons if b["callback_data"].startswith("ui:room:"))
    room_id = room_button["callback_data"].split(":")[2]
    room = kit.district.rooms[room_id]
    answer = await kit.press(citizen, proposal, room_button["text"], None)
    if answer.content.startswith("请选择办理部门"):
        # No guess inside that room: only that room's bureaus, and a way back.
        names = [b["text"] for b in answer.buttons]
        assert names[:-1] == [b.name for b in room.bureaus.values()]
        assert names[-1] == "« 返回"
        answer = await kit.press(citizen, answer, names[0], "已按您的选择更改")
    assert answer.buttons[0]["text"] == "提交"
    await kit.press(citizen, answer, "提交", "可选 1/3")
    for _ in range(3):
        last = citizen.send_text("跳过")
    await kit.answer(citizen, last, "提交成功")
    (case,) = await kit.cases()
    assert case.room == room_id and case.bureau in room.bureaus
    assert case.owning_unit_id == case.bureau


async def test_another_office_can_be_the_bureau_of_the_same_room(kit: BotKit) -> None:
    """油烟 goes to 区环保局 in 法律咨询服务室; 区司法局 in the same room must be choosable."""
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "楼下饭店油烟太大，熏得没法开窗", "提交")
    lines = proposal.content.splitlines()
    office = next(line for line in lines if line.startswith("办理部门"))
    assert "区环保局" in office and "法律咨询服务室" not in office
    await kit.press(citizen, proposal, "换一个部门", "请选择办理部门")
    await kit.press(citizen, proposal, "区司法局", "已按您的选择更改")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(3):
        last = citizen.send_text("跳过")
    await kit.answer(citizen, last, "提交成功")
    (case,) = await kit.cases()
    assert (case.bureau, case.owning_unit_id) == ("justice", "justice")


async def test_unsatisfied_follow_up_asks_for_a_comment_and_reopens(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "李站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    await submit_without_details(kit, citizen, LABOR_TEXT)
    (case,) = await kit.cases()
    number = case.number or ""
    card = await chief.wait_for_message(lambda m: number in m.content and bool(m.buttons), 10)
    pressed = chief.press(card, "签收")
    await kit.callback_answer(pressed)
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, 10)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调解决", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, 10)

    ask = await kit.press(citizen, question, "未解决", "简要说明")
    assert ask.callback_data("跳过") == "ui:skip"
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED  # nothing recorded yet
    comment = citizen.send_text("工资只补发了一个月")
    await kit.answer(citizen, comment, "已收到您的意见")
    reopened = await kit.case(case.id)
    assert reopened.status == CaseStatus.REOPENED
    assert (await kit.events(case.id))[-2:] == ["followed_up", "reopened"]
    ping = await chief.wait_for_message(lambda m: "【重办】" in m.content, 10)
    assert "工资只补发了一个月" in ping.content
    # The question's buttons are gone: a second answer cannot be given.
    assert not question.buttons
    # One acknowledgement of the comment, not two.
    await kit.delivered()
    after = [m for m in citizen.transcript() if m.from_bot and m.message_id > ask.message_id]
    assert [m.content[:7] for m in after] == ["已收到您的意见"]


async def test_restart_in_the_middle_resumes_the_conversation(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")

    await kit.restart()

    # The new application continues the same draft at the same step.
    await kit.say(citizen, "人民路8号", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    photo = await kit.answer(citizen, citizen.send_photo(), "第1张")
    assert photo.content.startswith("已收到")

    await kit.restart()

    done = await kit.say(citizen, "完成", "提交成功")
    (case,) = await kit.cases()
    assert case.number is not None and case.number in done.content
    assert case.address == "人民路8号" and len(case.photo_file_ids) == 1
    assert case.original_text == LABOR_TEXT


async def test_cancel_and_new_description_replace_the_draft(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    old = await kit.say(citizen, LABOR_TEXT, "提交")
    newer = await kit.say(citizen, ROOM_CASES[4][0], "提交")
    # The first proposal's buttons still work for the first problem (trial D21) ...
    await kit.press(citizen, old, "提交", "可选 1/3")
    cancelled = await kit.say(citizen, "/cancel", "已取消")
    assert cancelled.reply_markup == {"remove_keyboard": True}
    # ... and the newer one's still work after it is cancelled.
    await kit.press(citizen, newer, "提交", "可选 1/3")
    await kit.say(citizen, "/cancel", "已取消")
    nothing = await kit.say(citizen, "/cancel", "没有进行中的操作")
    assert nothing.content
    assert await kit.cases() == []


async def test_an_abandoned_draft_expires(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    kit.clock.advance(timedelta(hours=7))
    # Hours later a text is a new description, not the address of the old draft.
    fresh = await kit.say(citizen, ROOM_CASES[4][0], "办理部门")
    assert "综合职能服务室" in fresh.content
    assert not proposal.buttons  # the old proposal's buttons went away on 提交
    await kit.press(citizen, fresh, "只是咨询", "没有登记")
    assert await kit.cases() == []
