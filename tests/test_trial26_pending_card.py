"""Trial 26 T14 and T13 (the handler's part): the card /pending 「查看」 shows is the live one.

A chief opens a case from /pending and presses 签收 on that card: that card is updated
(已签收, with 处理中 / 办结), and the older card far up the chat loses its buttons instead of
being edited out of sight. A chief's text right after a refused button on an out-of-date
card is not filed as a citizen's report without asking.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT

CITIZEN = 2641
CHIEF = 2642


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _filed(kit: BotKit) -> str:
    """A citizen's wage complaint filed to 劳动局; the chief bound. The case number."""
    chief = kit.user(CHIEF, "劳动局站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    proposal = await kit.say(citizen, LABOR_TEXT, lambda m: bool(m.buttons))
    await kit.press(citizen, proposal, "提交", "可选 1/3")
    for _ in range(2):
        citizen.send_text("跳过")
    await kit.answer(citizen, citizen.send_text("跳过"), "提交成功")
    (case,) = await kit.cases()
    return case.number or ""


async def test_acting_on_the_pending_card_updates_that_card(kit: BotKit) -> None:
    number = await _filed(kit)
    chief = kit.user(CHIEF, "劳动局站长")
    first = await chief.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    listing = await kit.say(chief, "/pending", number)
    shown = await kit.press(chief, listing, f"查看 {number}", lambda m: number in m.content)
    assert shown.message_id != first.message_id and "签收" in str(shown.buttons)
    # The older card lost its buttons: only one live card.
    await chief.wait_for_message(lambda m: m.message_id == first.message_id and not m.buttons, WAIT)

    await kit.callback_answer(chief.press(shown, "签收"))
    await kit.delivered()
    live = await chief.wait_for_message(
        lambda m: m.message_id == shown.message_id and "已签收" in m.content, WAIT
    )
    labels = [b["text"] for b in live.buttons]
    assert "办结" in labels and "签收" not in labels
    cards = [m for m in chief.transcript() if m.content.startswith("【") and m.buttons]
    assert [m.message_id for m in cards] == [shown.message_id]  # no new card sent
    assert (await kit.cases())[0].status == "acknowledged"


REASON = "持刀伤人属治安刑事案件，应由公安分局处置"


@pytest.mark.parametrize("as_new", [False, True])
async def test_text_after_a_refused_note_button_is_asked_about(kit: BotKit, as_new: bool) -> None:
    number = await _filed(kit)
    chief = kit.user(CHIEF, "劳动局站长")
    card = await chief.wait_for_message(
        lambda m: number in m.content and "签收" in str(m.buttons), WAIT
    )
    # 签收 done elsewhere (the dashboard) while this card is not redrawn yet: it is stale.
    await kit.pause_delivery()
    person = await kit.person(CHIEF)
    assert person is not None
    (case,) = await kit.cases()
    await kit.runtime.cases.acknowledge(case.id, person.id)
    refused = await kit.callback_answer(chief.press(card, "退单"))
    assert "已签收" in refused or "最新" in refused
    kit.resume_delivery()

    question = await kit.say(chief, REASON, "新情况")
    assert number in question.content and "退单" in question.content
    assert len(await kit.cases()) == 1  # nothing filed by the text
    said = [m.content for m in chief.transcript() if m.from_bot]
    assert not any("紧急情况已记录" in m for m in said)
    if not as_new:
        await kit.press(chief, question, "不是", "没有登记")
        await kit.delivered()
        assert len(await kit.cases()) == 1
        return
    # 是: handled as any text would be. A reason for returning a case names a kind of
    # case and tells no event (stop 26 round 2): the routing proposal, no emergency line.
    await kit.press(chief, question, "作为新情况", "建议由以下部门办理")
    said = [m.content for m in chief.transcript() if m.from_bot]
    assert not any("紧急情况已记录" in m for m in said)
    assert len(await kit.cases()) == 1  # the proposal waits for 提交
