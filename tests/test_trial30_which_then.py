"""Trial 30 #21: after a /which answer, 不对 was read as a new vague message, and filing what
was just asked about meant typing it again.

``/which`` then 孩子学校食堂的饭菜经常变质 answered 区教体局; 不对 then got
「请具体说说遇到了什么问题」, though the README says a short 不对 opens the
换一个部门 picker. Now the /which answer keeps the problem (nothing filed): 不对
opens the picker for it, and its 登记此问题 button files it without typing it
again. The answer still offers no 「提交」 of a proposal (pf29), and the next
description is read afresh, not joined to the consultation.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import FakeUser
from config.district import District
from tests.botkit import BotKit, sqlite_bot

CANTEEN = "孩子学校食堂的饭菜经常变质"
LAMP = "小区门口的路灯坏了一个星期"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _skip_steps(kit: BotKit, citizen: FakeUser) -> None:
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")


async def test_not_right_after_which_opens_the_picker_and_files_the_same_text(
    kit: BotKit,
) -> None:
    citizen = kit.user(30500, "家长")
    await kit.say(citizen, "/which", "哪个部门")
    answer = await kit.say(citizen, CANTEEN, "办理部门")
    assert "区教体局" in answer.content and "仅为咨询，未登记" in answer.content
    assert [b["text"] for b in answer.buttons] == ["登记此问题", "换一个部门"]
    assert await kit.cases() == []

    picker = await kit.say(citizen, "不对", "请选择负责的部门")
    assert "请具体说说" not in picker.content
    assert "区卫生局" in [b["text"] for b in picker.buttons]
    chosen = await kit.press(citizen, picker, "区卫生局", "已按您的选择更改")
    await kit.press(citizen, chosen, "提交", "可选 1/3")
    await _skip_steps(kit, citizen)
    (case,) = await kit.cases()
    assert case.original_text == CANTEEN  # 不对 is not part of the problem
    assert case.bureau == "health"


async def test_the_which_answer_files_what_was_asked_without_typing_it_again(
    kit: BotKit,
) -> None:
    citizen = kit.user(30501, "王芳")
    answer = await kit.say(citizen, f"/which {CANTEEN}", "办理部门")
    await kit.press(citizen, answer, "登记此问题", "可选 1/3")
    await _skip_steps(kit, citizen)
    (case,) = await kit.cases()
    assert case.original_text == CANTEEN and case.bureau == "education"

    # A new description after a /which answer is its own proposal, with no tip that the
    # consultation was left unsubmitted and nothing joined to it.
    answer = await kit.say(citizen, f"/which {CANTEEN}", "办理部门")
    proposal = await kit.say(citizen, LAMP, "提交")
    assert "已将您刚才补充的内容并入" not in proposal.content
    await kit.delivered()
    later = [m for m in citizen.transcript() if m.from_bot and m.message_id > answer.message_id]
    assert not [m for m in later if "还没有提交" in m.content], [m.content for m in later]
    assert len(await kit.cases()) == 1


async def test_which_in_the_middle_of_filing_leaves_that_filing_alone(kit: BotKit) -> None:
    citizen = kit.user(30502, "赵敏")
    proposal = await kit.say(citizen, LAMP, "提交")
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    answer = await kit.say(citizen, f"/which {CANTEEN}", "办理部门")
    assert not answer.buttons and "仅为咨询，未登记" in answer.content
    await kit.say(citizen, "和平路3号小区门口", "可选 2/3")
    citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert case.original_text == LAMP and case.address == "和平路3号小区门口"
