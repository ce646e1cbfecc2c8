"""Trial 29 re-test N1: an overdose written on an open self-harm case is danger now.

我不想活了 is filed to the police with the crisis line; the person skips the place step
and writes 我刚吃了一整瓶药. That used to be answered like 谢谢 (the stock caring
reply) and reach the police as a plain 【群众补充说明】. Now the person gets the 120 line
first, then the human answer; the police read 【紧急补充】 with the danger sentence
first; the health bureau's station (the 120 line's owner) gets the card and the notice;
and the case stays one case with the note recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.fakeapi import FakeUser
from config.district import District
from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import WAIT, BotKit, said_since, sqlite_bot
from tests.criticalkit import filed_without_place

CITIZEN = 2951
POLICE = 2952
HEALTH = 2953
FIRST = "我不想活了"
OVERDOSE = "我刚吃了一整瓶药"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def _in_crisis(kit: BotKit) -> tuple[FakeUser, FakeUser, FakeUser]:
    """Chiefs of the police and the health bureau's station are bound; a citizen writes
    :data:`FIRST` and skips the place step. The police, the health chief, the citizen."""
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    health = kit.user(HEALTH, "卫生站")
    await kit.bind(health, kit.district.bureaus["health"].station_id, Role.CHIEF)
    citizen = kit.user(CITIZEN, "小林")
    await filed_without_place(kit, citizen, FIRST)
    return police, health, citizen


async def test_an_overdose_on_a_self_harm_case_gets_120_first_and_reaches_health(
    kit: BotKit,
) -> None:
    police, health, citizen = await _in_crisis(kit)
    (case,) = await kit.cases()
    assert case.bureau == "police"

    mark = citizen.send_text(OVERDOSE)
    await citizen.wait_for_message(lambda m: "您不是一个人" in m.content, WAIT, since=mark)
    await kit.handled(mark)
    await kit.delivered()

    # The writer: the 120 line first, then the human answer — nothing else in between.
    told = said_since(citizen, mark)
    assert len(told) == 2, told
    line, care = told
    assert "请立即拨打 120" in line, line
    assert "您不是一个人" in care and "12356" in care, care
    for word in ("督办", "超期", "时限"):
        assert not any(word in m for m in told), (word, told)

    # The police handling it read it as danger now, the danger sentence before the note.
    notice = await police.wait_for_message(lambda m: "【紧急补充】" in m.content, WAIT)
    assert case.number is not None and case.number in notice.content
    assert "120" in notice.content
    assert notice.content.index("危险正在发生") < notice.content.index("补充内容")
    assert OVERDOSE in notice.content.split("补充内容")[0]

    # The 120 line's owner, the health bureau, gets the case and the notice too.
    await health.wait_for_message(
        lambda m: m.content.startswith("【群众诉求】") and case.number in m.content, WAIT
    )
    copy = await health.wait_for_message(lambda m: "【紧急补充】" in m.content, WAIT)
    assert OVERDOSE in copy.content

    # Still one case; the note is recorded on it, with the danger it tells of.
    (only,) = await kit.cases()
    assert only.id == case.id
    async with kit.db.session() as s:
        notes = (
            await s.scalars(
                select(CaseEvent).where(
                    CaseEvent.case_id == case.id, CaseEvent.type == "note_added"
                )
            )
        ).all()
    assert [n.note for n in notes] == [OVERDOSE]
    danger = (notes[0].data or {}).get("danger")
    assert isinstance(danger, dict) and "120" in danger["services"]


async def test_thanks_on_a_self_harm_case_stays_a_plain_note(kit: BotKit) -> None:
    """谢谢 is no danger: the stock caring reply, a plain 补充说明, no copy to 卫生局."""
    police, health, citizen = await _in_crisis(kit)
    mark = citizen.send_text("谢谢")
    await citizen.wait_for_message(lambda m: "您不是一个人" in m.content, WAIT, since=mark)
    await kit.handled(mark)
    await kit.delivered()
    told = said_since(citizen, mark)
    assert not any("请立即拨打 120" in m for m in told), told
    await police.wait_for_message(lambda m: "群众补充说明" in m.content, WAIT)
    assert not any("【紧急补充】" in m.content for m in police.transcript())
    # Nothing of the case reaches the health bureau: no danger, no copy.
    assert not any("MQ" in m.content for m in health.transcript() if m.from_bot)
