"""Trial 29 #6: a critical card cut to Telegram's limit says why it is critical.

4,300 characters about a 物业, then 刚才三楼的老人家里着火了，现在浓烟很大，人还在里面！,
then more: the case was rightly 特别重大 (danger is read in a long text's last 1,000
characters), but every card was cut at ~3,900 characters and 着火 was on none of them.
Now the danger sentence comes first on a cut card, before the cut text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.district import District
from storage.enums import Role
from tests.botkit import WAIT, BotKit, sqlite_bot

CITIZEN = 2971
POLICE = 2972
DESK = 2973
FILLER = "我们小区物业管理混乱，垃圾清运不及时，电梯经常坏，业委会多次反映无果。"
DANGER = "刚才三楼的老人家里着火了，现在浓烟很大，人还在里面！"


@pytest.fixture
async def kit(sqlite_url: str, district: District) -> AsyncIterator[BotKit]:
    """The bot on a fresh SQLite database."""
    async with sqlite_bot(sqlite_url, district) as k:
        yield k


async def test_a_cut_critical_card_shows_the_danger_sentence_first(kit: BotKit) -> None:
    police = kit.user(POLICE, "公安站")
    await kit.bind(police, "police", Role.CHIEF)
    desk = kit.user(DESK, "分派员")
    await kit.bind(desk, kit.district.dispatcher, Role.STAFF)
    citizen = kit.user(CITIZEN, "王芳")
    text = FILLER * 125 + DANGER + FILLER * 8
    assert len(text) > 4200
    await kit.answer(citizen, citizen.send_text(text), "119")
    await kit.delivered()
    (case,) = await kit.cases()
    assert case.severity == "critical" and case.original_text == text
    number = case.number or ""
    for chief in (police, desk):
        card = await chief.wait_for_message(lambda m: number in m.content, WAIT)
        assert "全文共" in card.content  # the text was cut …
        assert DANGER in card.content  # … and the danger sentence is on it
        assert card.content.index(DANGER) < card.content.index("内容：")
        assert len(card.content.encode("utf-16-le")) // 2 <= 4096
