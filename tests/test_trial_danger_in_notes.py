"""Trial 25 T4: danger now typed as a 补充说明 or as the comment after 未解决 was kept as a
plain note — no emergency line, no critical case, no alert.

The note (or comment) is kept on its case as before, and the text is then handled as a
fresh message would be: the emergency line and a critical case filed at once, the
police's station alerted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import CaseStatus, Role
from tests.botkit import WAIT, BotKit, sqlite_bot
from tests.test_trial_defects import LABOR_TEXT, card_of, events_of, file_request

CITIZEN = 2551
CHIEF = 2552
POLICE = 2553
FIRE = "刚才楼下餐馆后厨着火了，火很大，有人被困"
KNIFE = "刚才有人拿刀冲进我家砍人，已有人受伤"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_danger_typed_as_a_note_is_also_an_emergency(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    tail = (case.number or "").rsplit("-", 1)[-1]
    listing = await kit.say(citizen, "/status", "您反映的问题")
    await kit.press(citizen, listing, f"补充说明 {tail}", "请直接发送要补充")
    action = citizen.send_text(FIRE)
    await citizen.wait_for_message(lambda m: "119" in m.content, WAIT, since=action)
    await citizen.wait_for_message(lambda m: "补充说明已加入" in m.content, WAIT, since=action)
    cases = await kit.cases()
    assert len(cases) == 2
    fire = cases[-1]
    assert fire.original_text == FIRE and fire.severity == "critical"
    assert [e.note for e in await events_of(kit, case.id) if e.type == "note_added"] == [FIRE]
    await chief.wait_for_message(lambda m: m.content.startswith("【群众补充说明】"), WAIT)


async def test_danger_typed_as_the_follow_up_comment_is_also_an_emergency(kit: BotKit) -> None:
    chief = kit.user(CHIEF, "劳动站长")
    await kit.bind(chief, "labor", Role.CHIEF)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)
    citizen = kit.user(CITIZEN, "王芳")
    case = await file_request(kit, citizen, LABOR_TEXT)
    card = await card_of(chief, case)
    await kit.callback_answer(chief.press(card, "签收"))
    await chief.wait_for_message(lambda m: m is card and "已签收" in m.content, WAIT)
    await kit.press(chief, card, "办结", "办结说明")
    await kit.say(chief, "已协调企业补发", "办结类型")
    await kit.say(chief, "实际解决", "已办结")
    question = await citizen.wait_for_message(lambda m: "解决了吗" in m.content, WAIT)
    await kit.press(citizen, question, "未解决", "简要说明")
    action = citizen.send_text(KNIFE)
    await citizen.wait_for_message(lambda m: "110" in m.content, WAIT, since=action)
    # The comment is kept with the answer: the case is reopened.
    stored = await kit.case(case.id)
    assert stored.status == CaseStatus.REOPENED
    cases = await kit.cases()
    assert len(cases) == 2 and cases[-1].severity == "critical"
    number = cases[-1].number or ""
    await police.wait_for_message(lambda m: number in m.content, WAIT)
    assert any(e.note == KNIFE for e in await events_of(kit, case.id))
