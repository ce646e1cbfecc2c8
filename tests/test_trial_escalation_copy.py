"""An escalation reaches a unit that already holds a read-only copy as a new card.

A critical warning's copy goes at once to the centres, the leadership (群工办) and
the police. When the case is escalated up to a unit that holds such a copy (the
supervision centre passes it on to the leadership), that unit's handlers get the
card with its buttons as a new message — an edit of the copy would not notify —
and the copy stays as it was, for reading, as on a dispatch (trial 24 T3). A unit
that is not made responsible (the police) keeps its copy up to date, still with
no buttons. Since trial 27 N10 the leadership's copy of a warning carries one
button, 更改等级 (the district office may change a warning's level), and no other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fakeapi import ChatMessage, FakeUser
from config.district import District
from storage.enums import Role
from storage.models import Case
from tests.botkit import WAIT, BotKit, sqlite_bot

OFFICER = 2511
STATION = 2512
SUPERVISOR = 2513
LEADER = 2514
POLICE = 2515
# A person at risk in a crowd's warning (110 first) stays with the officer's station
# (trial 27 N12) and the police hold a copy; a knife attack (trial 33 D3) or a fire
# (trial 34 #1) is the police's to own, so the police would hold no copy.
AT_RISK = "东城街道幸福小区几十名业主围堵物业大门，有人扬言要跳楼"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _escalate(kit: BotKit, user: FakeUser, card: ChatMessage, reason: str) -> None:
    await kit.press(user, card, "上报", "上报理由")
    await kit.say(user, reason, "已上报")


def _labels(message: ChatMessage) -> list[str]:
    return [str(b.get("text")) for b in message.buttons]


def _for_reading(message: ChatMessage) -> bool:
    """A copy: no button but the district office's 更改等级 (trial 27 N10)."""
    return _labels(message) in ([], ["更改等级"])


def _cards(user: FakeUser, case: Case) -> list[ChatMessage]:
    """The case's cards in ``user``'s chat (not the pings, which carry buttons too)."""
    return [m for m in user.transcript() if m.content.startswith(f"【预警信息】{case.number}")]


async def test_escalation_to_a_unit_with_a_copy_sends_it_a_new_card(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "张信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    supervisor = kit.user(SUPERVISOR, "督查主任")
    await kit.bind(supervisor, kit.district.supervision, Role.CHIEF)
    leader = kit.user(LEADER, "群工办主任")
    await kit.bind(leader, kit.district.leadership, Role.CHIEF)
    police = kit.user(POLICE, "公安站长")
    await kit.bind(police, "police", Role.CHIEF)

    await kit.say(officer, f"/warn {AT_RISK}", "预警已报送")
    (case,) = await kit.cases()
    number = case.number or ""
    assert case.severity == "critical" and case.owning_unit_id == "dongcheng"
    copy = await leader.wait_for_message(lambda m: number in m.content, WAIT)
    police_copy = await police.wait_for_message(lambda m: number in m.content, WAIT)
    assert _labels(copy) == ["更改等级"] and not police_copy.buttons  # for reading

    card = await station.wait_for_message(lambda m: number in m.content and m.buttons, WAIT)
    await _escalate(kit, station, card, "涉及多个部门，需区里协调")
    supervised = await supervisor.wait_for_message(
        lambda m: number in m.content and "上报" in str(m.buttons), WAIT
    )
    # Up to here the leadership's copy follows the case (read-only, like the police's).
    await kit.delivered()
    await leader.wait_for_message(lambda m: m is copy and "第1级督办" in m.content, WAIT)
    copy_text = copy.content
    await _escalate(kit, supervisor, supervised, "情况严重，请区领导协调")
    stored = await kit.case(case.id)
    assert stored.escalation_level == 2
    assert stored.escalated_to_unit_id == kit.district.leadership

    # The leadership: a new card with its buttons after the copy; the copy untouched.
    new_card = await leader.wait_for_message(
        lambda m: m.content.startswith(f"【预警信息】{number}") and "催办" in str(m.buttons), WAIT
    )
    assert new_card.message_id > copy.message_id
    await kit.delivered()
    assert copy.content == copy_text and _for_reading(copy)
    assert [m.message_id for m in _cards(leader, case) if not _for_reading(m)] == [
        new_card.message_id
    ]
    assert "已上报：区委群众工作委员会办公室" in new_card.content

    # The police are not responsible: their copy is kept up to date, still for reading.
    await police.wait_for_message(
        lambda m: m is police_copy and "第2级督办" in m.content and not m.buttons, WAIT
    )
    assert not any(m.buttons for m in _cards(police, case))

    # Later changes edit the leadership's new card, not the old copy.
    acted = station.press(card, "签收")
    assert (await kit.callback_answer(acted)).startswith("已签收")
    await leader.wait_for_message(lambda m: m is new_card and "已签收" in m.content, WAIT)
    await kit.delivered()
    assert copy.content == copy_text
