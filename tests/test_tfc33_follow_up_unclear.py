"""Trial 33 D7: an unclear 回访 answer typed in words closed the case as 基本满意.

还行吧，钱给了一半 was recorded 已解决·基本满意 and the case closed at once; 还没去拿呢，
不知道能不能拿到 reopened it as 未解决. Now such words are echoed with one question
(已解决 / 部分解决 / 未解决) and nothing is recorded before the citizen answers it;
部分解决 reopens the case with the words for the station, never closes it as satisfied.
"""

from __future__ import annotations

from storage.enums import CaseStatus
from tests.botkit import WAIT, BotKit, resolved_request
from tests.test_trial31_follow_up_in_words import _follow_up_notes
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 3331
CHIEF = 3332


async def test_a_partial_answer_is_confirmed_and_never_closes_as_satisfied(kit: BotKit) -> None:
    chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)

    asked = await kit.say(citizen, "还行吧，钱给了一半", "请确认")
    assert "还行吧，钱给了一半" in asked.content and (case.number or "") in asked.content
    assert [b["text"] for b in asked.buttons] == ["已解决", "部分解决", "未解决"]
    assert "满意" not in asked.content.split("请确认")[-1]
    # Nothing recorded yet: the case waits for its 回访.
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
    assert await _follow_up_notes(kit, case.id) == []

    await kit.press(citizen, asked, "部分解决", lambda m: "部分解决" in m.content)
    reopened = await kit.case(case.id)
    assert reopened.status == CaseStatus.REOPENED
    assert await _follow_up_notes(kit, case.id) == ["还行吧，钱给了一半"]
    told = await chief.wait_for_message(lambda m: "部分解决" in m.content, WAIT)
    assert "还行吧，钱给了一半" in told.content
    thanks = [m for m in citizen.transcript() if "感谢您的评价" in m.content]
    assert thanks == []


async def test_an_unsure_answer_then_solved_asks_how_satisfied(kit: BotKit) -> None:
    _chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)

    asked = await kit.say(citizen, "还没去拿呢，不知道能不能拿到", "请确认")
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
    question = await kit.press(citizen, asked, "已解决", lambda m: "满意" in m.content)
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
    await kit.press(citizen, question, "基本满意", lambda m: "基本满意" in m.content)
    await citizen.wait_for_message(lambda m: "已结案" in m.content or "结案" in m.content, WAIT)
    assert (await kit.case(case.id)).status == CaseStatus.CLOSED


async def test_a_plain_answer_still_answers_at_once(kit: BotKit) -> None:
    _chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)
    told = await kit.say(citizen, "还没拿到钱呢 窗口说要等", "回访")
    assert "未解决" in told.content and "请确认" not in told.content
    assert (await kit.case(case.id)).status == CaseStatus.REOPENED


async def test_a_bare_acknowledgement_shows_the_waiting_question_again(kit: BotKit) -> None:
    _chief, citizen, case = await resolved_request(kit, CITIZEN, CHIEF, LABOR_TEXT)
    reminder = await kit.say(citizen, "嗯", "回访答复")
    assert "请问有什么可以帮您" not in reminder.content
    again = await citizen.wait_for_message(
        lambda m: m.message_id > reminder.message_id and "解决了吗" in m.content, WAIT
    )
    assert (case.number or "") in again.content
    assert "未解决" in [b["text"] for b in again.buttons]
    assert (await kit.case(case.id)).status == CaseStatus.RESOLVED
