"""Trial 33 D11 and D12, through the bot.

D11: progress questions in colloquial wording (…咋样了, 有信儿没, 弄好没) were proposed
as new problems; a case number asked about by someone else got the office picker. Now
they get the open cases' status (or "not yours"); a look-alike that tells a problem
(修好没几天又坏了) is still proposed as one.

D12: after 「不对」 the bureau picker invites more detail; that detail was proposed as a
new problem. Now it amends the same draft.
"""

from __future__ import annotations

import pytest

from bot.services.cases import RequestDraft
from bot.services.progress_questions import is_bare_progress_question, is_progress_question
from tests.botkit import BotKit

CITIZEN = 3341
OTHER = 3342


async def _with_open_case(kit: BotKit) -> str:
    citizen = kit.user(CITIZEN, "李华")
    await kit.say(citizen, "你好")
    person = await kit.person(CITIZEN)
    assert person is not None
    view = await kit.runtime.cases.file_request(
        person.id, RequestDraft(text="楼上装修天天到半夜，电钻声吵得孩子没法睡觉")
    )
    await kit.delivered()
    return view.number or ""


@pytest.mark.parametrize(
    "question", ["我上次反映楼上装修那个事咋样了", "有信儿没", "那个事弄好没", "搞定了没有？"]
)
async def test_colloquial_progress_questions_get_the_status(kit: BotKit, question: str) -> None:
    number = await _with_open_case(kit)
    citizen = kit.user(CITIZEN, "李华")
    answer = await kit.say(citizen, question, "正在办理中")
    assert number in answer.content
    said = "\n".join(m.content for m in citizen.transcript())
    assert "建议由以下部门办理" not in said and "不能确定由哪个部门" not in said
    assert len(await kit.cases()) == 1


async def test_someone_elses_case_number_is_not_shown(kit: BotKit) -> None:
    number = await _with_open_case(kit)
    other = kit.user(OTHER, "王芳")
    await kit.say(other, "你好")
    answer = await kit.say(other, f"{number} 现在办得怎么样了")
    assert number in answer.content and "不能确定由哪个部门" not in answer.content
    assert "装修" not in answer.content  # nothing of the case leaks
    assert not answer.buttons or all("部门" not in b["text"] for b in answer.buttons)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("我上次反映楼上装修那个事咋样了", True),
        ("有信儿没", True),
        ("弄好没", True),
        ("我反映的事有动静吗", True),
        ("那事咋样啦？", True),
        # Look-alikes that tell a problem.
        ("路灯修好没几天又坏了", False),
        ("物业说弄好了没人管", False),
        ("手机有信号没", False),
        ("这个政策咋样", False),
        ("家里孩子咋样了都不说话", False),
    ],
)
def test_progress_questions_by_class(text: str, asks: bool) -> None:
    assert is_progress_question(text) is asks


def test_a_colloquial_question_that_names_a_problem_is_not_bare() -> None:
    assert is_bare_progress_question("有信儿没")
    assert not is_bare_progress_question("楼道灯坏了一个月了，弄好没")


async def test_a_look_alike_is_still_proposed(kit: BotKit) -> None:
    citizen = kit.user(OTHER, "王芳")
    proposal = await kit.say(citizen, "小区路灯修好没几天又坏了", lambda m: bool(m.buttons))
    assert "正在办理中" not in proposal.content
    assert "路灯" in proposal.content


async def test_detail_after_not_right_amends_the_same_draft(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "张女士")
    first = "我家孩子打了疫苗以后一直发烧，社区医院说不关他们的事"
    await kit.say(citizen, first, lambda m: bool(m.buttons))
    picker = await kit.say(citizen, "不对", "如需补充")
    assert picker.buttons
    detail = "孩子是在东城第一小学集中接种的"
    amended = await kit.say(citizen, detail, lambda m: bool(m.buttons))
    assert "并入上一条描述" in amended.content
    assert first in amended.content and detail in amended.content
    said = "\n".join(m.content for m in citizen.transcript())
    assert "还没有提交" not in said
    await kit.press(citizen, amended, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    assert first in case.original_text and detail in case.original_text
