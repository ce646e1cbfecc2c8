"""Trial 28 P4: an officer's burst of near-identical warnings was filed as 30 cases.

A warning that repeats an open one of the same officer (the same words, or a number
apart, within 24 h) is not filed silently: the officer is asked 补充到原预警 /
作为新预警提交. A critical one is never held back by the question: it is filed at
once and linked to the earlier one. The bot, the fake Bot API and the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from config.district import District
from storage.enums import Role
from storage.models import CaseEvent
from tests.botkit import BotKit, sqlite_bot

OFFICER = 2831
STATION = 2832
CLUTTER = "和平社区第{n}栋楼道堆放杂物，居民有意见"
KNIFE = "东城街道幸福路有人持刀伤人，一人倒地流血"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def notes(kit: BotKit, case_id: int) -> list[str]:
    async with kit.db.session() as s:
        rows = await s.scalars(
            select(CaseEvent.note).where(
                CaseEvent.case_id == case_id, CaseEvent.type == "note_added"
            )
        )
        return [str(n) for n in rows.all()]


async def test_a_repeated_warning_is_asked_about_not_filed_silently(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    station = kit.user(STATION, "东城站长")
    await kit.bind(station, "dongcheng", Role.CHIEF)
    await kit.say(officer, "/warn " + CLUTTER.format(n=1), "预警已报送")
    (first,) = await kit.cases()

    # The same matter, a number apart: asked, not filed.
    question = await kit.say(officer, "/warn " + CLUTTER.format(n=2), "内容相同或相近")
    assert first.number in question.content
    assert [b["text"] for b in question.buttons] == ["补充到原预警", "作为新预警提交"]
    assert len(await kit.cases()) == 1
    done = await kit.press(
        officer, question, "补充到原预警", lambda m: m is question and "已补充" in m.content
    )
    assert not done.buttons
    assert len(await kit.cases()) == 1
    assert await notes(kit, first.id) == [CLUTTER.format(n=2)]
    await station.wait_for_message(
        lambda m: (first.number or "") in m.content and CLUTTER.format(n=2) in m.content, 10
    )

    # Another one, and this time it is another matter: filed as it stands.
    question = await kit.say(officer, "/warn " + CLUTTER.format(n=3), "内容相同或相近")
    await kit.press(officer, question, "作为新预警提交", "预警已报送")
    cases = await kit.cases()
    assert len(cases) == 2 and cases[1].original_text == CLUTTER.format(n=3)
    # A different matter is not asked about.
    await kit.say(officer, "/warn 阳光小区路灯坏了一周没人修", "预警已报送")
    assert len(await kit.cases()) == 3


async def test_a_critical_repeat_is_filed_at_once_and_linked(kit: BotKit) -> None:
    officer = kit.user(OFFICER, "李信息员")
    await kit.bind(officer, "dongcheng", Role.OFFICER)
    await kit.say(officer, "/warn " + KNIFE, "预警已报送")
    (first,) = await kit.cases()
    assert first.severity == "critical"
    linked = await kit.say(officer, "/warn " + KNIFE + "！", "内容相近")
    assert "已立即单独报送" in linked.content
    cases = await kit.cases()
    assert len(cases) == 2 and cases[1].severity == "critical"
    assert not any("作为新预警提交" in str(m.buttons) for m in officer.transcript())
    (note,) = await notes(kit, first.id)
    assert cases[1].number in note
