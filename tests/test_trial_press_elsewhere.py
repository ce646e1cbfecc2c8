"""Trial 25 T1: a button pressed under a message in another chat must not move where the
presser's own notices go.

A citizen (or a chief) who presses a card's button in a chat that is not their private
chat — any bot message in a group, or a forged press in somebody else's chat — is
refused, and their ``chat_id`` stays their private chat: the citizen's receipts and a
station's alerts keep reaching them, not the chat the button was in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, file_request

CITIZEN = 2531
CHIEF = 2532
OTHER_CHIEF = 2533
OFFICER = 2534
WARNING = "东城街道幸福小区业主五十余人拉横幅聚集维权"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_press_in_another_chat_does_not_repoint_the_presser(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    other = kit.user(OTHER_CHIEF, "东城站长")
    await kit.bind(other, "dongcheng", Role.CHIEF)
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    number = case.number or ""
    card = await card_of(chief, case)

    # The citizen, then another station's chief, press 签收 under the chief's card. The
    # reporter may read the case and is told who handles it; a station with no part in it
    # learns nothing of the case (trial 30 #16).
    for stranger, refusal in ((citizen, "无权办理"), (other, "没有找到该案件，或者您无权查看")):
        pressed = stranger.press_button(card.message_id, chat_id=chief.id, text="签收")
        assert refusal in await kit.callback_answer(pressed)
    for user in (citizen, other):
        person = await kit.person(user.id)
        assert person is not None and person.chat_id == user.id
    assert (await kit.case(case.id)).status == "dispatched"

    # The chief's 签收: the citizen's receipt reaches the citizen, not the chief's chat.
    acted = chief.press(card, "签收")
    assert (await kit.callback_answer(acted)).startswith("已签收")
    await citizen.wait_for_message(lambda m: number in m.content and "签收" in m.content, WAIT)
    await kit.delivered()
    assert not any(m.from_bot and m.content.startswith("您的诉求") for m in chief.transcript())

    # The other chief's station alerts still reach the other chief.
    await kit.say(officer, f"/warn {WARNING}", "预警已报送")
    cases = await kit.cases()
    warning = cases[-1].number or ""
    await other.wait_for_message(lambda m: warning in m.content and bool(m.buttons), WAIT)
    await kit.delivered()
    assert not any(warning in m.content for m in chief.transcript())
