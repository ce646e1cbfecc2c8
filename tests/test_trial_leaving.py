"""Found in the product trial of stop 22: a command in the middle of a step dropped what
the step held without a word (an officer's unconfirmed warning, a chief's 退单, a citizen's
回访 answer), and ``/which`` guessed offices for a greeting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER = 3201
CHIEF = 2201
CITIZEN = 1301
DISPUTE = "两户村民因宅基地边界吵架，扬言要动手"
LAMP = "小区门口的路灯坏了一个月了"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_trial_a_command_before_confirm_says_the_warning_was_not_sent(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn", "请描述预警情况")
    proposal = await kit.say(officer, DISPUTE, "预警研判")
    # (/mine only reads and keeps the proposal: tests/test_trial_mine_keeps_proposal.py.)
    action = officer.send_text("/help")
    told = await officer.wait_for_message(lambda m: "还没有报送" in m.content, WAIT, since=action)
    assert DISPUTE in told.content and "/warn" in told.content
    # /help is still answered, after the notice.
    helped = await officer.wait_for_message(lambda m: "使用说明" in m.content, WAIT, since=action)
    replies = [m for m in officer.transcript() if m.from_bot]
    assert replies.index(told) < replies.index(helped)
    # The old proposal cannot file anything; it says so in an officer's words and loses
    # its buttons.
    late = officer.press(proposal, "确认")
    answer = await kit.callback_answer(late)
    assert "预警没有报送" in answer and "问题描述" not in answer
    await officer.wait_for_message(lambda m: m is proposal and not m.buttons, WAIT, since=late)
    assert await kit.cases() == []


async def _lamp_case_at_chief(kit: BotKit) -> tuple[int, str]:
    boss = kit.user(CHIEF, "赵站长")
    await kit.bind(boss, "construction", Role.CHIEF)
    resident = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(resident, LAMP, "提交")
    await kit.press(resident, proposal, "提交", "可选 1/3")
    for _ in range(3):
        await kit.say(resident, "跳过", lambda m: "可选" in m.content or "已登记" in m.content)
    (case,) = await kit.cases()
    return case.id, case.number or ""


async def test_trial_a_command_while_a_return_reason_is_asked_says_nothing_changed(
    kit: BotKit,
) -> None:
    case_id, number = await _lamp_case_at_chief(kit)
    boss = kit.user(CHIEF, "赵站长")
    card = await boss.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    await kit.press(boss, card, "退单", "退单理由")
    action = boss.send_text("/pending")
    told = await boss.wait_for_message(lambda m: "退单没有完成" in m.content, WAIT, since=action)
    assert number in told.content and "没有任何变化" in told.content and "「退单」" in told.content
    await boss.wait_for_message(lambda m: "待办案件" in m.content, WAIT, since=action)
    # The next text is not taken as the reason (nor anything else about the case).
    await kit.say(boss, "这个不归我们管", lambda m: "退单" not in m.content)
    assert (await kit.case(case_id)).status == "dispatched"
    assert "returned" not in await kit.events(case_id)


async def test_trial_a_command_before_the_follow_up_comment_says_the_answer_is_not_saved(
    kit: BotKit,
) -> None:
    case_id, _ = await _lamp_case_at_chief(kit)
    boss_person = await kit.person(CHIEF)
    assert boss_person is not None
    await kit.runtime.cases.acknowledge(case_id, boss_person.id)
    await kit.runtime.cases.resolve(case_id, boss_person.id, "已更换灯泡", closure="solved")
    kit.runtime.outbox_written()
    resident = kit.user(CITIZEN, "王芳")
    question = await resident.wait_for_message(lambda m: "未解决" in str(m.buttons), WAIT)
    await kit.press(resident, question, "未解决", "很抱歉问题还没有解决")
    action = resident.send_text("/status")
    told = await resident.wait_for_message(lambda m: "还没有保存" in m.content, WAIT, since=action)
    assert "未解决" in told.content and "重新点选" in told.content
    await resident.wait_for_message(lambda m: "您反映的问题" in m.content, WAIT, since=action)
    assert (await kit.case(case_id)).status == "resolved"
    # As told: pressing again and writing the comment reopens the case.
    prompt = await kit.press(resident, question, "未解决", "很抱歉问题还没有解决")
    assert "跳过" in str(prompt.buttons)
    await kit.say(resident, "灯还是不亮", "重新交")
    assert (await kit.case(case_id)).status == "reopened"
    # Once the comment is in, neither the question nor the prompt keeps a button.
    await resident.wait_for_message(lambda m: m is prompt and not m.buttons, WAIT)
    assert not question.buttons


@pytest.mark.parametrize("text", ["你好", "1 2 3", "我有个问题"])
async def test_trial_which_with_no_problem_guesses_no_office(kit: BotKit, text: str) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    answer = await kit.say(citizen, f"/which {text}", "/which")
    assert "具体" in answer.content and "可能是" not in answer.content
    assert "服务室" not in answer.content
    real = await kit.say(citizen, "/which 单位拖欠工资三个月", "办理部门")
    assert "区劳动局" in real.content


async def test_trial_a_forged_warning_button_on_a_proposal_leaves_its_buttons(kit: BotKit) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, "单位拖欠我三个月工资", "提交")
    forged = kit.fake.press_button(CITIZEN, proposal.message_id, "ui:w:ok", strict=False)
    assert "预警没有报送" in await kit.callback_answer(forged)
    await kit.delivered()
    assert "提交" in str(proposal.buttons)
    # The proposal still files: its 提交 is not broken by the forged press.
    await kit.press(citizen, proposal, "提交", "可选 1/3")


async def test_trial_a_second_tap_on_submit_says_to_go_on_not_to_send_it_again(
    kit: BotKit,
) -> None:
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LAMP, "提交")
    data = proposal.callback_data("提交")
    first = kit.fake.press_button(CITIZEN, proposal.message_id, data, strict=False)
    second = kit.fake.press_button(CITIZEN, proposal.message_id, data, strict=False)
    await citizen.wait_for_message(lambda m: "可选 1/3" in m.content, WAIT, since=first)
    told = await kit.callback_answer(second)
    assert "正在提交中" in told and "重新发送" not in told
    # The steps go on as asked; the description is not taken for an address.
    await kit.say(citizen, "人民路8号", "可选 2/3")
    await kit.say(citizen, "跳过", "可选 3/3")
    await kit.say(citizen, "跳过", "提交成功")
    (case,) = await kit.cases()
    assert (case.original_text, case.address) == (LAMP, "人民路8号")
    # After filing, the old proposal's button points to /status, not to sending it again.
    late = kit.fake.press_button(CITIZEN, proposal.message_id, data, strict=False)
    after = await kit.callback_answer(late)
    assert "/status" in after and "正在提交中" not in after
    assert len(await kit.cases()) == 1
